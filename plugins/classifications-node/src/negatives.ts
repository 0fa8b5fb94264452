import { words } from './text.js';
import { ean13, isbn10 } from './validators.js';
import type { NegativeSignal } from './types.js';

// Column-wide shapes that explain a column without it being sensitive. Each is computed once per
// column over its distinct values; classifiers list the ones that should lower their confidence.

const DATETIME_RE =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?\s?(?:Z|[+-]\d{2}:?\d{2}|UTC)?$/i;
const DATE_TIME_US_RE = /^\d{1,2}\/\d{1,2}\/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?$/i;
const EPOCH_SECONDS_RE = /^1\d{9}$/;
const EPOCH_MILLIS_RE = /^1\d{12}$/;
const VERSION_RE = /^v?\d{1,2}\.\d{1,3}\.\d{1,5}(?:[-+][A-Za-z][0-9A-Za-z.-]*)?$/;
/** Four-part versions (1.2.3.4) look like IPv4; only small components count as a version. */
const VERSION4_RE = /^v?\d\.\d{1,2}\.\d{1,2}\.\d{1,5}$/;
const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const ISBN_RE = /^(?:97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dX]$/;
const INT_RE = /^-?\d{1,15}$/;
const ACADEMIC_RE = /^(?:(\d{2})(\d{2})|(?:19|20)(\d{2})\s?[/-]\s?(?:19|20)?(\d{2}))$/;
const PREFIXED_ID_RE = /^([A-Za-z]{2,6})[-_#/]?\d{2,}(?:[-_/]\d+)*$/;
const SENTENCE_WORD_RE = /\s+/;
/** Function words that appear in prose but hardly ever in names, addresses or codes. */
const STOPWORDS = new Set(
  words(`
  the and to of a is was for in on with please not be this that it we you i he she they are at
  from have has will would can but if or my your our when after before about
`),
);

/** Prose: many words, or several words including function words. */
function isProse(v: string): boolean {
  if (v.length < 20) return false;
  const words = v.toLowerCase().split(SENTENCE_WORD_RE);
  if (words.length >= 10) return true;
  if (words.length < 4) return false;
  for (const w of words) if (STOPWORDS.has(w.replace(/[.,!?;:]+$/, ''))) return true;
  return false;
}

export interface ColumnSignals {
  /** Present signals with a short human description each. */
  readonly found: ReadonlyMap<NegativeSignal, string>;
}

function isDateTime(v: string): boolean {
  return DATETIME_RE.test(v) || DATE_TIME_US_RE.test(v);
}

function isEpoch(v: string): boolean {
  return EPOCH_SECONDS_RE.test(v) || EPOCH_MILLIS_RE.test(v);
}

function isIsbn(v: string): boolean {
  if (!ISBN_RE.test(v)) return false;
  const compact = v.replace(/[- ]/g, '');
  if (compact.length === 13)
    return (compact.startsWith('978') || compact.startsWith('979')) && ean13(compact);
  // A bare 10-digit ISBN is indistinguishable from any mod-11 number (NHS numbers pass too);
  // only the hyphenated form is distinctive.
  return compact.length === 10 && compact !== v && isbn10(compact);
}

function isAcademicYear(v: string): boolean {
  const m = ACADEMIC_RE.exec(v);
  if (!m) return false;
  const a = Number(m[1] ?? m[3]);
  const b = Number(m[2] ?? m[4]);
  return (a + 1) % 100 === b;
}

/** Share thresholds: a signal needs most of the column to agree before it counts. */
const MOST = 0.6;

export function detectSignals(values: readonly string[]): ColumnSignals {
  const found = new Map<NegativeSignal, string>();
  const n = values.length;
  if (n === 0) return { found };
  let longText = 0;
  let words = 0;
  let timestamps = 0;
  let epochs = 0;
  let versions = 0;
  let uuids = 0;
  let isbns = 0;
  let academic = 0;
  let fourDigit = 0;
  let ints = 0;
  let min = Infinity;
  let max = -Infinity;
  const prefixes = new Map<string, number>();
  let prefixed = 0;
  for (const v of values) {
    words += v.length > 20 ? v.split(SENTENCE_WORD_RE).length : 1;
    if (isProse(v)) longText++;
    if (isDateTime(v)) timestamps++;
    else if (isEpoch(v)) epochs++;
    if (VERSION_RE.test(v) || VERSION4_RE.test(v)) versions++;
    if (v.length >= 32 && UUID_RE.test(v)) uuids++;
    if (v.length >= 10 && isIsbn(v)) isbns++;
    if (
      v.length === 4 ||
      (v.length >= 5 && v.length <= 9 && (v.includes('/') || v.includes('-')))
    ) {
      if (v.length === 4 && INT_RE.test(v)) fourDigit++;
      if (isAcademicYear(v)) academic++;
    }
    if (INT_RE.test(v)) {
      ints++;
      const x = Number(v);
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const m = PREFIXED_ID_RE.exec(v);
    if (m) {
      prefixed++;
      const p = m[1]!.toUpperCase();
      prefixes.set(p, (prefixes.get(p) ?? 0) + 1);
    }
  }
  if (longText / n >= 0.3)
    found.set('FREE_TEXT', `free text (${(words / n).toFixed(1)} words per value on average)`);
  // Bare epoch numbers share their shape with other 10/13-digit ids (NPIs start with 1 too), so
  // they only count when (nearly) the whole column is epoch-like.
  if (timestamps / n >= MOST || (timestamps + epochs) / n >= 0.9) {
    found.set('TIMESTAMPS', 'values look like timestamps');
  }
  if (versions / n >= MOST) found.set('VERSION_STRINGS', 'values look like version strings');
  if (uuids / n >= MOST) found.set('UUIDS', 'values are UUIDs');
  if (isbns >= 3 && isbns / n >= 0.5) found.set('ISBNS', 'values pass the ISBN check');
  if (academic / n >= 0.5 || (fourDigit >= 3 && academic / fourDigit >= 0.5)) {
    found.set('ACADEMIC_YEARS', 'values look like academic-year codes (e.g. 2324 = 2023/24)');
  }
  if (ints === n && n >= 2 && max - min <= 10 && max <= 20) {
    found.set('SMALL_INT_RANGE', `small integer range ${min}..${max}`);
  }
  if (ints === n && n >= 10 && min >= 100 && (max - min) / (n - 1) <= 3) {
    found.set('SEQUENTIAL_IDS', 'values form a dense sequence (auto-increment ids)');
  }
  if (prefixed / n >= MOST) {
    let top = 0;
    let topPrefix = '';
    for (const [p, c] of prefixes) {
      if (c > top) {
        top = c;
        topPrefix = p;
      }
    }
    if (top / n >= 0.5) found.set('PREFIXED_IDS', `values are '${topPrefix}'-prefixed identifiers`);
  }
  return { found };
}
