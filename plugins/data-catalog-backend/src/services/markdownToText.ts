import MarkdownIt from 'markdown-it';

type Token = ReturnType<MarkdownIt['parse']>[number];

/** CommonMark with GFM tables and strikethrough; HTML is parsed so that its tags can go. */
const parser = new MarkdownIt({ html: true, linkify: false });

/** HTML tags that separate words (line breaks and blocks). */
const BLOCK_TAG = /^(br|p|div|li|ul|ol|tr|td|th|table|h[1-6]|blockquote|pre|hr)$/i;

/** A task list item's box (`[ ]`, `[x]`), which CommonMark reads as text. */
const TASK_BOX = /^\[[ xX]\]\s+/;

/**
 * Plain text of a Markdown document, for one-line search snippets: the syntax goes, the words
 * stay. Parsed by markdown-it: headings, emphasis, code spans and fences (their code stays),
 * links and images (their text), HTML tags and comments, block quotes, list bullets and task
 * boxes, rules and reference definitions go; table cells are joined by ' · ', blocks by a
 * space; entities are decoded. With `maxLength`, only about that much of the source is read.
 */
export function markdownToText(markdown: string, options: { maxLength?: number } = {}): string {
  // A snippet needs the first words only; Markdown syntax rarely triples their length.
  const source =
    options.maxLength !== undefined ? markdown.slice(0, options.maxLength * 4) : markdown;
  const blocks: string[] = [];
  let cells: string[] | undefined;
  for (const token of parser.parse(source, {})) {
    if (token.type === 'tr_open') cells = [];
    else if (token.type === 'tr_close' && cells) {
      blocks.push(cells.join(' · '));
      cells = undefined;
    } else if (token.type === 'inline') {
      const text = inlineText(token.children ?? []).replace(TASK_BOX, '');
      if (cells) cells.push(text.trim());
      else blocks.push(text);
    } else if (token.type === 'fence' || token.type === 'code_block') blocks.push(token.content);
    else if (token.type === 'html_block') blocks.push(htmlText(token.content));
  }
  return collapse(blocks.join(' '));
}

/** The text of inline tokens: text and code kept, markup and HTML dropped, breaks as spaces. */
function inlineText(tokens: Token[]): string {
  return tokens
    .map(token => {
      if (token.type === 'text' || token.type === 'code_inline') return token.content;
      if (token.type === 'softbreak' || token.type === 'hardbreak') return ' ';
      // An image's children are its alternative text.
      if (token.type === 'image') return inlineText(token.children ?? []);
      // A line break or block tag written in HTML separates words.
      if (token.type === 'html_inline') {
        const tag = /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(token.content)?.[1] ?? '';
        return BLOCK_TAG.test(tag) ? ' ' : '';
      }
      return '';
    })
    .join('');
}

/** A block written in HTML: its text, comments and tags dropped (a block tag as a space). */
function htmlText(html: string): string {
  return parser.utils.unescapeAll(
    html
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<\/?([A-Za-z][A-Za-z0-9-]*)[^<>]*>/g, (_, tag: string) =>
        BLOCK_TAG.test(tag) ? ' ' : '',
      ),
  );
}

/** `text` cut to at most `max` characters at a word boundary, with an ellipsis when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.lastIndexOf(' ');
  const head = space >= max * 0.6 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:.\u2014-]+$/, '')}…`;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
