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

/** First characters (ASCII-lower-cased with `| 32`) of the placeholders above. */
const PLACEHOLDER_FIRST = new Set([...PLACEHOLDERS].map(p => p.charCodeAt(0) | 32));

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
    PLACEHOLDER_FIRST.has(text.charCodeAt(0) | 32) &&
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

/** Fills `shape` in place with the character statistics of `text` (single pass, no allocation). */
export function computeShape(text: string, shape: ValueShape): ValueShape {
  let digits = 0;
  let letters = 0;
  let upper = 0;
  let spaces = 0;
  let flags = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 97 && c <= 122) letters++;
    else if (c >= 65 && c <= 90) {
      letters++;
      upper++;
    } else if (c === 32 || c === 9 || c === 10 || c === 13) {
      spaces++;
    } else if (c === 64) flags |= CH_AT;
    else if (c === 46) flags |= CH_DOT;
    else if (c === 45) flags |= CH_DASH;
    else if (c === 58) flags |= CH_COLON;
    else if (c === 47) flags |= CH_SLASH;
    else if (c === 43) flags |= CH_PLUS;
    else if (c === 36) flags |= CH_DOLLAR;
    else if (c === 95) flags |= CH_UNDERSCORE;
    else if (c === 44) flags |= CH_COMMA;
    else if (c === 40 || c === 41) flags |= CH_PAREN;
    else if (c > 127) {
      flags |= CH_NON_ASCII;
      // Treat non-ASCII letters (é, ß, Ж) as letters; good enough for shape pre-filters.
      letters++;
    }
  }
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
  return shape;
}

/** Convenience for tests and one-off callers. */
export function shapeOf(text: string): ValueShape {
  return computeShape(text, newShape());
}

/** Keeps only ASCII digits (`415-555-0100` → `4155550100`). */
export function digitsOnly(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) out += text[i];
  }
  return out;
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
