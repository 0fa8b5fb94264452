import { dictionaryKey } from '../dictionaries/index.js';
import { foldedText } from '../text.js';
import type { ValueShape } from '../types.js';

/** Typed identity: keeps classifier literals checked against the interface. */
export function defineClassifier<T>(c: T): T {
  return c;
}

/** Dictionary key of a value, cached on the shape so several dictionaries share one computation. */
export function shapeKey(shape: ValueShape): string {
  if (shape.key === undefined) shape.key = dictionaryKey(foldedText(shape));
  return shape.key;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const ISO_DATE_RE =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMERIC_DATE_RE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$/;
const TEXT_DATE_DMY_RE = /^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([a-z]{3,9})\.?,?[\s-]+(\d{4})$/i;
const TEXT_DATE_MDY_RE = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/i;
const COMPACT_DATE_RE = /^(19|20)(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/;
/** Airline/mainframe style: 12MAR1985, 03JUL90. */
const DDMMMYYYY_RE = /^(\d{2})([A-Za-z]{3})(\d{4}|\d{2})$/;

export interface ParsedDate {
  year: number;
  /** True when the value carries a time of day other than midnight. */
  hasTime: boolean;
  /** Parsed from an 8-digit run (`19850312`), which is weaker evidence. */
  compact: boolean;
}

function validDay(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/** Recognises calendar dates in the usual database and spreadsheet renderings. */
export function parseDate(text: string): ParsedDate | undefined {
  let m = ISO_DATE_RE.exec(text);
  if (m) {
    if (!validDay(Number(m[2]), Number(m[3]))) return undefined;
    const hasTime =
      m[4] !== undefined && (m[4] !== '00' || m[5] !== '00' || (m[6] ?? '00') !== '00');
    return { year: Number(m[1]), hasTime, compact: false };
  }
  m = NUMERIC_DATE_RE.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (!validDay(a, b) && !validDay(b, a)) return undefined;
    let year = Number(m[3]);
    // Two-digit years: assume the most recent century that is not in the future.
    if (m[3]!.length === 2) year += year > new Date().getFullYear() % 100 ? 1900 : 2000;
    return { year, hasTime: false, compact: false };
  }
  m = TEXT_DATE_DMY_RE.exec(text);
  if (m) {
    const month = MONTHS[m[2]!.slice(0, 3).toLowerCase()];
    if (month === undefined || Number(m[1]) > 31 || Number(m[1]) < 1) return undefined;
    return { year: Number(m[3]), hasTime: false, compact: false };
  }
  m = TEXT_DATE_MDY_RE.exec(text);
  if (m) {
    const month = MONTHS[m[1]!.slice(0, 3).toLowerCase()];
    if (month === undefined || Number(m[2]) > 31 || Number(m[2]) < 1) return undefined;
    return { year: Number(m[3]), hasTime: false, compact: false };
  }
  m = DDMMMYYYY_RE.exec(text);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month === undefined || Number(m[1]) > 31 || Number(m[1]) < 1) return undefined;
    let year = Number(m[3]);
    if (m[3]!.length === 2) year += year > new Date().getFullYear() % 100 ? 1900 : 2000;
    return { year, hasTime: false, compact: false };
  }
  m = COMPACT_DATE_RE.exec(text);
  if (m) return { year: Number(m[1]! + m[2]!), hasTime: false, compact: true };
  return undefined;
}

/** Parses a plain or formatted number (`85,000.00`, `$120 000`, `72.5`); undefined otherwise. */
const MONEY_RE =
  /^[-+]?(?:[$€£¥]|USD|EUR|GBP|CAD|AUD|CHF|INR)?\s?[-+]?\d{1,3}(?:([,.\s'])\d{3})*(?:[.,]\d{1,4})?\s?(?:[$€£¥]|USD|EUR|GBP|CAD|AUD|CHF|INR|k|K)?$/;
const PLAIN_NUMBER_RE = /^[-+]?\d+(?:\.\d+)?$/;

export function parseAmount(text: string): number | undefined {
  if (PLAIN_NUMBER_RE.test(text)) return Number(text);
  if (!MONEY_RE.test(text)) return undefined;
  const k = /k$/i.test(text) ? 1000 : 1;
  const cleaned = text.replace(/[^\d.,-]/g, '');
  // Decide which of , and . is the decimal separator: the last one followed by 1–2 digits.
  const lastSep = Math.max(cleaned.lastIndexOf(','), cleaned.lastIndexOf('.'));
  let normal: string;
  if (lastSep >= 0 && cleaned.length - lastSep - 1 <= 2) {
    normal = cleaned.slice(0, lastSep).replace(/[.,]/g, '') + '.' + cleaned.slice(lastSep + 1);
  } else normal = cleaned.replace(/[.,]/g, '');
  const n = Number(normal);
  return Number.isFinite(n) ? n * k : undefined;
}

export const CURRENT_YEAR = new Date().getFullYear();
