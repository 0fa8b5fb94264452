import {
  CH_AT,
  CH_COLON,
  CH_COMMA,
  CH_DASH,
  CH_DIGIT,
  CH_DOLLAR,
  CH_DOT,
  CH_LETTER,
  CH_NON_ASCII,
  CH_PAREN,
  CH_PLUS,
  CH_SLASH,
  CH_SPACE,
  CH_UNDERSCORE,
  type ValueShape,
} from './types.js';

/** Every `CH_*` flag. */
const CH_ALL = (1 << 14) - 1;

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const SPECIAL_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const SPECIAL_FOLD_RE = /[ßæœøłđðþı]/g;
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

/** Whether a UTF-16 code unit is white space to `\s`, `split(/\s+/)` and `trim()`. */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Lower-cases and strips accents (`Zoë Müller` → `zoe muller`, `Straße` → `strasse`). */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  if (isAscii(lower)) return lower;
  return lower
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(SPECIAL_FOLD_RE, ch => SPECIAL_FOLDS[ch] ?? ch);
}

/** Accent-folded text of a shape, computed once per value. */
export function foldedText(shape: ValueShape): string {
  if (shape.folded === undefined) shape.folded = fold(shape.text);
  return shape.folded;
}

/** Values that mean "no value" in real databases; treated like null. */
const PLACEHOLDERS = new Set([
  'null',
  'nil',
  'none',
  'n/a',
  'na',
  'n.a.',
  '-',
  '--',
  '?',
  'unknown',
  'undefined',
  'tbd',
  'nan',
  '(null)',
  '<null>',
  '#n/a',
  'not available',
  'not applicable',
]);

/** First characters (ASCII-lower-cased with `| 32`) of the placeholders above, as a table. */
const PLACEHOLDER_FIRST = new Uint8Array(128);
for (const p of PLACEHOLDERS) PLACEHOLDER_FIRST[p.charCodeAt(0) | 32] = 1;

/**
 * Converts a sampled value to the trimmed text classifiers see, or undefined when it carries no
 * information (null, empty, placeholder, binary).
 */
export function valueToText(value: unknown): string | undefined {
  let text: string;
  switch (typeof value) {
    case 'string': {
      // Trim (allocate) only when there is surrounding whitespace.
      const n = value.length;
      text =
        n > 0 && value.charCodeAt(0) > 32 && value.charCodeAt(n - 1) > 32 ? value : value.trim();
      break;
    }
    case 'number':
      if (!Number.isFinite(value)) return undefined;
      text = String(value);
      break;
    case 'bigint':
      text = value.toString();
      break;
    case 'boolean':
      text = value ? 'true' : 'false';
      break;
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) return undefined;
        text = value.toISOString();
        break;
      }
      return undefined;
    default:
      return undefined;
  }
  if (text.length === 0) return undefined;
  // Only lower-case (allocate) when the first character can start a placeholder.
  if (
    text.length <= 15 &&
    PLACEHOLDER_FIRST[text.charCodeAt(0) | 32] === 1 &&
    PLACEHOLDERS.has(text.toLowerCase())
  ) {
    return undefined;
  }
  return text;
}

export function newShape(): ValueShape {
  return {
    text: '',
    length: 0,
    digits: 0,
    letters: 0,
    upper: 0,
    spaces: 0,
    flags: 0,
    folded: undefined,
    key: undefined,
  };
}

/**
 * Per ASCII character, what `computeShape` adds: `CH_*` flags in the low 14 bits, then one bit
 * each for the digit, letter, upper-case and space counts, and one for `\s` white space.
 */
const DIGIT_BIT = 1 << 14;
const LETTER_BIT = 1 << 15;
const UPPER_BIT = 1 << 16;
const SPACE_BIT = 1 << 17;
const WHITE_BIT = 1 << 18;
const ASCII_CLASS = ((): Int32Array => {
  const table = new Int32Array(128);
  for (let c = 48; c <= 57; c++) table[c] = DIGIT_BIT;
  for (let c = 97; c <= 122; c++) table[c] = LETTER_BIT;
  for (let c = 65; c <= 90; c++) table[c] = LETTER_BIT | UPPER_BIT;
  for (const c of [32, 9, 10, 13]) table[c] = SPACE_BIT;
  for (const c of [32, 9, 10, 11, 12, 13]) table[c] |= WHITE_BIT;
  table[64] = CH_AT;
  table[46] = CH_DOT;
  table[45] = CH_DASH;
  table[58] = CH_COLON;
  table[47] = CH_SLASH;
  table[43] = CH_PLUS;
  table[36] = CH_DOLLAR;
  table[95] = CH_UNDERSCORE;
  table[44] = CH_COMMA;
  table[40] = CH_PAREN;
  table[41] = CH_PAREN;
  return table;
})();

/** Fills `shape` in place with the character statistics of `text` (single pass, no allocation). */
export function computeShape(text: string, shape: ValueShape): ValueShape {
  computeShapeAndRuns(text, shape);
  return shape;
}

/**
 * `computeShape`, also returning the number of runs of white space (as `\s` matches it) in the
 * text, so `text.split(/\s+/).length` is that plus one.
 */
export function computeShapeAndRuns(text: string, shape: ValueShape): number {
  let runs = 0;
  let inWhite = 0;
  let digits = 0;
  let letters = 0;
  let upper = 0;
  let spaces = 0;
  let flags = 0;
  let nonAscii = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let white: number;
    if (c < 128) {
      const k = ASCII_CLASS[c]!;
      flags |= k;
      digits += (k >>> 14) & 1;
      letters += (k >>> 15) & 1;
      upper += (k >>> 16) & 1;
      spaces += (k >>> 17) & 1;
      white = (k >>> 18) & 1;
    } else {
      // Treat non-ASCII letters (é, ß, Ж) as letters; good enough for shape pre-filters.
      nonAscii++;
      white = isSpace(c) ? 1 : 0;
    }
    runs += white & (inWhite ^ 1);
    inWhite = white;
  }
  flags &= CH_ALL;
  if (nonAscii > 0) flags |= CH_NON_ASCII;
  letters += nonAscii;
  if (spaces > 0) flags |= CH_SPACE;
  if (digits > 0) flags |= CH_DIGIT;
  if (letters > 0) flags |= CH_LETTER;
  shape.text = text;
  shape.length = n;
  shape.digits = digits;
  shape.letters = letters;
  shape.upper = upper;
  shape.spaces = spaces;
  shape.flags = flags;
  shape.folded = undefined;
  shape.key = undefined;
  return runs;
}

/** Convenience for tests and one-off callers. */
export function shapeOf(text: string): ValueShape {
  return computeShape(text, newShape());
}

const NON_DIGITS_RE = /[^0-9]/g;

/** Keeps only ASCII digits (`415-555-0100` → `4155550100`). */
export function digitsOnly(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // One pass of the regular expression builds the result without a string per character.
    if (c < 48 || c > 57) return text.replace(NON_DIGITS_RE, '');
  }
  return text;
}

/** Removes spaces, dashes and dots used as group separators. */
export function stripSeparators(text: string): string {
  return text.replace(/[\s.-]/g, '');
}

/**
 * Splits an identifier into lower-case, accent-folded tokens:
 * `customerEmailAddress` → [customer, email, address]; `DOB_2` → [dob, 2].
 */
export function tokenizeName(name: string): string[] {
  const spaced = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return fold(spaced)
    .split(/[^a-z0-9]+/)
    .filter(t => t.length > 0);
}

/** Splits free text (comments) into folded word tokens. */
export function tokenizeText(text: string): string[] {
  return tokenizeName(text);
}

/** Splits a whitespace-separated word list (keeps long vocabularies compact and readable). */
export function words(text: string): string[] {
  return text.trim().split(/\s+/);
}
