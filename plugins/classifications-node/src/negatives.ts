import { computeShapeAndRuns, isSpace, newShape, words } from './text.js';
import { ean13, isbn10 } from './validators.js';
import {
  CH_COLON,
  CH_DASH,
  CH_DIGIT,
  CH_DOT,
  CH_LETTER,
  CH_SLASH,
  CH_SPACE,
  type NegativeSignal,
  type ValueShape,
} from './types.js';

// Column-wide shapes that explain a column without it being sensitive. Each is computed once per
// column over its distinct values; classifiers list the ones that should lower their confidence.

const DATETIME_RE =
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?\s?(?:Z|[+-]\d{2}:?\d{2}|UTC)?$/i;
const DATE_TIME_US_RE = /^\d{1,2}\/\d{1,2}\/\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?$/i;
const VERSION_RE = /^v?\d{1,2}\.\d{1,3}\.\d{1,5}(?:[-+][A-Za-z][0-9A-Za-z.-]*)?$/;
/** Four-part versions (1.2.3.4) look like IPv4; only small components count as a version. */
const VERSION4_RE = /^v?\d\.\d{1,2}\.\d{1,2}\.\d{1,5}$/;
const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const ISBN_RE = /^(?:97[89][- ]?)?\d{1,5}[- ]?\d{1,7}[- ]?\d{1,7}[- ]?[\dX]$/;
const ACADEMIC_RE = /^(?:(\d{2})(\d{2})|(?:19|20)(\d{2})\s?[/-]\s?(?:19|20)?(\d{2}))$/;
const PREFIXED_ID_RE = /^([A-Za-z]{2,6})[-_#/]?\d{2,}(?:[-_/]\d+)*$/;
/** Function words that appear in prose but hardly ever in names, addresses or codes. */
const STOPWORDS = new Set(
  words(`
  the and to of a is was for in on with please not be this that it we you i he she they are at
  from have has will would can but if or my your our when after before about
`),
);

const LONGEST_STOPWORD = Math.max(...[...STOPWORDS].map(w => w.length));

/** Prose: many words, or several words including function words (`pieces` = word count). */
function isProse(v: string, pieces: number): boolean {
  if (v.length < 20) return false;
  if (pieces >= 10) return true;
  if (pieces < 4) return false;
  // Each word of `lower.split(/\s+/)` without its trailing punctuation, without splitting.
  const lower = v.toLowerCase();
  const n = lower.length;
  let end = 0;
  for (;;) {
    let start = end;
    while (start < n && isSpace(lower.charCodeAt(start))) start++;
    if (start >= n) return false;
    end = start + 1;
    while (end < n && !isSpace(lower.charCodeAt(end))) end++;
    let last = end;
    while (last > start && isTrailingPunctuation(lower.charCodeAt(last - 1))) last--;
    if (last - start <= LONGEST_STOPWORD && STOPWORDS.has(lower.slice(start, last))) return true;
  }
}

/** `[.,!?;:]` */
function isTrailingPunctuation(c: number): boolean {
  return c === 46 || c === 44 || c === 33 || c === 63 || c === 59 || c === 58;
}

export interface ColumnSignals {
  /** Present signals with a short human description each. */
  readonly found: ReadonlyMap<NegativeSignal, string>;
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

/** Bits of `SignalCounter` needs: which signals a set of classifiers can be lowered by. */
export const SIGNAL_BITS: Readonly<Record<NegativeSignal, number>> = {
  FREE_TEXT: 1,
  TIMESTAMPS: 2,
  VERSION_STRINGS: 4,
  UUIDS: 8,
  ISBNS: 16,
  SMALL_INT_RANGE: 32,
  ACADEMIC_YEARS: 64,
  PREFIXED_IDS: 128,
  DECIMAL_AMOUNTS: 256,
  SEQUENTIAL_IDS: 512,
};
export const ALL_SIGNALS = 1023;
const INTS = SIGNAL_BITS.SMALL_INT_RANGE | SIGNAL_BITS.SEQUENTIAL_IDS;
const ACADEMIC = SIGNAL_BITS.ACADEMIC_YEARS;

const EMPTY: ColumnSignals = { found: new Map() };

/**
 * Accumulates the column signals value by value, reusing the shape the engine already computed
 * for each value: cheap character and length checks rule most values out before any regex runs.
 * Only the signals in `needs` are computed (the others are never reported). Reusable: `reset`
 * starts a new column.
 */
export class SignalCounter {
  private n = 0;
  private longText = 0;
  private words = 0;
  private timestamps = 0;
  private epochs = 0;
  private versions = 0;
  private uuids = 0;
  private isbns = 0;
  private academic = 0;
  private fourDigit = 0;
  private ints = 0;
  private min = Infinity;
  private max = -Infinity;
  private prefixes: Map<string, number> | undefined;
  private prefixed = 0;

  constructor(readonly needs: number = ALL_SIGNALS) {}

  reset(): void {
    this.n = 0;
    this.longText = 0;
    this.words = 0;
    this.timestamps = 0;
    this.epochs = 0;
    this.versions = 0;
    this.uuids = 0;
    this.isbns = 0;
    this.academic = 0;
    this.fourDigit = 0;
    this.ints = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.prefixes = undefined;
    this.prefixed = 0;
  }

  /** Counts one value; `shape` and `whiteRuns` are what `computeShapeAndRuns(v)` gave. */
  add(v: string, shape: ValueShape, whiteRuns: number): void {
    const needs = this.needs;
    const n = v.length;
    const c0 = n > 0 ? v.charCodeAt(0) : 0;
    const flags = shape.flags;
    this.n++;
    if (needs & SIGNAL_BITS.FREE_TEXT) {
      if (n >= 20) {
        const pieces = whiteRuns + 1; // v.split(/\s+/).length
        this.words += n > 20 ? pieces : 1;
        if (isProse(v, pieces)) this.longText++;
      } else this.words++;
    }
    if (needs & SIGNAL_BITS.TIMESTAMPS) {
      // Both timestamp patterns contain a colon; epochs are 10 or 13 digits starting with 1.
      if ((flags & CH_COLON) !== 0 && (DATETIME_RE.test(v) || DATE_TIME_US_RE.test(v)))
        this.timestamps++;
      else if ((n === 10 || n === 13) && c0 === 49 && shape.digits === n) this.epochs++;
    }
    // Versions hold dots and at least three digits, never white space.
    if (
      needs & SIGNAL_BITS.VERSION_STRINGS &&
      (flags & CH_DOT) !== 0 &&
      shape.digits >= 3 &&
      shape.spaces === 0 &&
      (VERSION_RE.test(v) || VERSION4_RE.test(v))
    )
      this.versions++;
    if (needs & SIGNAL_BITS.UUIDS && n >= 32 && UUID_RE.test(v)) this.uuids++;
    // ISBNs start with a digit and hold only digits, dashes, spaces and at most one letter (X):
    // 13 of them starting with 9 (978/979), or 10 with separators.
    const isbnChars = shape.digits + shape.letters;
    if (
      needs & SIGNAL_BITS.ISBNS &&
      n >= 10 &&
      c0 >= 48 &&
      c0 <= 57 &&
      shape.letters <= 1 &&
      (flags & ~(CH_DIGIT | CH_LETTER | CH_DASH | CH_SPACE)) === 0 &&
      ((isbnChars === 13 && c0 === 57) ||
        (isbnChars === 10 && (flags & (CH_DASH | CH_SPACE)) !== 0)) &&
      isIsbn(v)
    )
      this.isbns++;
    // `^-?\d{1,15}$` from the character counts.
    const isInt =
      shape.digits === n
        ? n >= 1 && n <= 15
        : c0 === 45 && n >= 2 && n <= 16 && shape.digits === n - 1;
    if (
      needs & ACADEMIC &&
      (n === 4 || (n >= 5 && n <= 9 && (flags & (CH_SLASH | CH_DASH)) !== 0))
    ) {
      if (n === 4 && isInt) this.fourDigit++;
      if (isAcademicYear(v)) this.academic++;
    }
    // Integer signals need every value to be an integer: after one that is not, stop counting.
    if (needs & INTS && isInt && this.ints === this.n - 1) {
      this.ints++;
      const x = Number(v);
      if (x < this.min) this.min = x;
      if (x > this.max) this.max = x;
    }
    // Prefixed ids start with two ASCII letters and hold no space and at least two digits.
    if (
      needs & SIGNAL_BITS.PREFIXED_IDS &&
      shape.digits >= 2 &&
      shape.spaces === 0 &&
      (c0 | 32) >= 97 &&
      (c0 | 32) <= 122
    ) {
      const m = PREFIXED_ID_RE.exec(v);
      if (m) {
        this.prefixed++;
        const p = m[1]!.toUpperCase();
        const prefixes = (this.prefixes ??= new Map<string, number>());
        prefixes.set(p, (prefixes.get(p) ?? 0) + 1);
      }
    }
  }

  /**
   * The signals of the values counted since `reset`. With `shared`, a column without any signal
   * gets one shared empty (never to be modified) result instead of a new one.
   */
  result(shared = false): ColumnSignals {
    const n = this.n;
    if (n === 0) return shared ? EMPTY : { found: new Map() };
    const needs = this.needs;
    let found: Map<NegativeSignal, string> | undefined;
    const set = (signal: NegativeSignal, description: string): void => {
      (found ??= new Map()).set(signal, description);
    };
    if (needs & SIGNAL_BITS.FREE_TEXT && this.longText / n >= 0.3)
      set('FREE_TEXT', `free text (${(this.words / n).toFixed(1)} words per value on average)`);
    // Bare epoch numbers share their shape with other 10/13-digit ids (NPIs start with 1 too), so
    // they only count when (nearly) the whole column is epoch-like.
    if (
      needs & SIGNAL_BITS.TIMESTAMPS &&
      (this.timestamps / n >= MOST || (this.timestamps + this.epochs) / n >= 0.9)
    ) {
      set('TIMESTAMPS', 'values look like timestamps');
    }
    if (needs & SIGNAL_BITS.VERSION_STRINGS && this.versions / n >= MOST)
      set('VERSION_STRINGS', 'values look like version strings');
    if (needs & SIGNAL_BITS.UUIDS && this.uuids / n >= MOST) set('UUIDS', 'values are UUIDs');
    if (needs & SIGNAL_BITS.ISBNS && this.isbns >= 3 && this.isbns / n >= 0.5)
      set('ISBNS', 'values pass the ISBN check');
    if (
      needs & ACADEMIC &&
      (this.academic / n >= 0.5 || (this.fourDigit >= 3 && this.academic / this.fourDigit >= 0.5))
    ) {
      set('ACADEMIC_YEARS', 'values look like academic-year codes (e.g. 2324 = 2023/24)');
    }
    const { ints, min, max } = this;
    if (needs & INTS) {
      if (ints === n && n >= 2 && max - min <= 10 && max <= 20) {
        set('SMALL_INT_RANGE', `small integer range ${min}..${max}`);
      }
      if (ints === n && n >= 10 && min >= 100 && (max - min) / (n - 1) <= 3) {
        set('SEQUENTIAL_IDS', 'values form a dense sequence (auto-increment ids)');
      }
    }
    if (needs & SIGNAL_BITS.PREFIXED_IDS && this.prefixed / n >= MOST && this.prefixes) {
      let top = 0;
      let topPrefix = '';
      for (const [p, c] of this.prefixes) {
        if (c > top) {
          top = c;
          topPrefix = p;
        }
      }
      if (top / n >= 0.5) set('PREFIXED_IDS', `values are '${topPrefix}'-prefixed identifiers`);
    }
    return found ? { found } : shared ? EMPTY : { found: new Map() };
  }
}

export function detectSignals(values: readonly string[]): ColumnSignals {
  const counter = new SignalCounter();
  const shape = newShape();
  for (const v of values) counter.add(v, shape, computeShapeAndRuns(v, shape));
  return counter.result();
}
