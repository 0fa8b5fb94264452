import { describe, expect, it } from 'vitest';
import { markdownToText, truncateText } from './markdownToText';

describe('markdownToText', () => {
  it('keeps the words of headings and paragraphs, joined by spaces', () => {
    expect(
      markdownToText('## Customers\n\nOne row per **customer**,\nkept for _seven_ years. ##'),
    ).toBe('Customers One row per customer, kept for seven years. ##');
    expect(markdownToText('# Title #\n###### Deep\n#hashtag')).toBe('Title Deep #hashtag');
    expect(markdownToText('Setext\n======\n\nTwo\n---\nafter')).toBe('Setext Two after');
  });

  it('removes emphasis, strong, strikethrough and nested combinations', () => {
    expect(markdownToText('**bold** *em* __strong__ _em_ ~~gone~~ ***both***')).toBe(
      'bold em strong em gone both',
    );
    expect(markdownToText('**bold with *nested* em** and _under **star**_')).toBe(
      'bold with nested em and under star',
    );
  });

  it('leaves snake_case names, arithmetic and unpaired markers readable', () => {
    expect(markdownToText('Joins on customer_id and created_at_utc')).toBe(
      'Joins on customer_id and created_at_utc',
    );
    expect(markdownToText('price * quantity * 2')).toBe('price * quantity * 2');
    // An unpaired marker is text in CommonMark.
    expect(markdownToText('a **dangling marker')).toBe('a **dangling marker');
  });

  it('turns links and images into their text and drops reference definitions', () => {
    expect(
      markdownToText(
        'See [the wiki](https://wiki.example.com/a_(b) "Wiki") and ![a chart](chart.png) or ' +
          '[docs][ref] or <https://example.com/x>.\n\n[ref]: https://docs.example.com',
      ),
    ).toBe('See the wiki and a chart or docs or https://example.com/x.');
    expect(markdownToText('[![build](badge.svg)](https://ci) [spaced](<a b.html>)')).toBe(
      'build spaced',
    );
    expect(markdownToText('Mail <someone@example.com> or <mailto:a@b.io>')).toBe(
      'Mail someone@example.com or mailto:a@b.io',
    );
  });

  it('keeps code but not its fences or backticks', () => {
    expect(
      markdownToText('Run `select *` here:\n\n```sql\nselect **x** from t;\n```\n\nDone'),
    ).toBe('Run select * here: select **x** from t; Done');
    expect(markdownToText('~~~\n[not](a-link)\n~~~~\nafter')).toBe('[not](a-link) after');
    expect(markdownToText('``code with ` tick`` end')).toBe('code with ` tick end');
  });

  it('drops list bullets, task boxes, numbers, block quotes and rules', () => {
    expect(
      markdownToText('- one\n* two\n+ three\n1. four\n2) five\n  - [x] done\n- [ ] open'),
    ).toBe('one two three four five done open');
    expect(markdownToText('> quoted\n> > deeper\n\n***\n\n- - -\n___\nend')).toBe(
      'quoted deeper end',
    );
  });

  it('reads tables as their cells, row by row', () => {
    expect(
      markdownToText(
        'Columns:\n\n| name | meaning |\n|:-----|--------:|\n| `id` | **key** |\n| a \\| b | c |\n\nAfter',
      ),
    ).toBe('Columns: name · meaning id · key a | b · c After');
    expect(markdownToText('name | meaning\n--- | ---\nid | key')).toBe('name · meaning id · key');
  });

  it('removes HTML tags and comments and decodes entities', () => {
    expect(
      markdownToText(
        '<p>Hello<br/>world</p> <b>bold</b> <!-- hidden\nnote --> <span class="x">in</span>',
      ),
    ).toBe('Hello world bold in');
    expect(markdownToText('Tom &amp; Jerry &lt;3 &#169; &#x263A; &bogus; a < b > c')).toBe(
      'Tom & Jerry <3 © ☺ &bogus; a < b > c',
    );
  });

  it('keeps escaped characters literally', () => {
    expect(markdownToText('\\*not em\\* and \\# not a heading \\[x\\](y)')).toBe(
      '*not em* and # not a heading [x](y)',
    );
    expect(markdownToText('\\# Not a heading')).toBe('# Not a heading');
  });

  it('handles empty and plain input, CRLF and footnotes', () => {
    expect(markdownToText('')).toBe('');
    expect(markdownToText('   \n\n  ')).toBe('');
    expect(markdownToText('Plain text, nothing else.')).toBe('Plain text, nothing else.');
    expect(markdownToText('Line one\r\nline two')).toBe('Line one line two');
    // Footnotes are no CommonMark: their markers stay as written.
    expect(markdownToText('A claim[^1].\n\n[^1]: The source.')).toBe(
      'A claim[^1]. [^1]: The source.',
    );
  });

  it('reads only about four times maxLength of the source', () => {
    const long = Array.from({ length: 1000 }, (_, i) => `Paragraph ${i}`).join('\n\n');
    const text = markdownToText(long, { maxLength: 50 });
    expect(text.startsWith('Paragraph 0 Paragraph 1')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(200);
  });
});

describe('truncateText', () => {
  it('cuts at a word boundary with an ellipsis, only when needed', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('one two three four five', 14)).toBe('one two three…');
    expect(truncateText('one two, three', 10)).toBe('one two…');
    expect(truncateText('averyveryverylongword', 10)).toBe('averyvery…');
    expect(truncateText('one two three four five', 14).length).toBeLessThanOrEqual(14);
  });
});
