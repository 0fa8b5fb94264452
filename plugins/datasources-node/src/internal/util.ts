import { createHash } from 'node:crypto';
import { ConnectorError, MAX_SAMPLE_ROWS, UnknownColumnError } from '../connector.js';
import type { ColumnProfile, ConnectOptions, SampleValue, TableRef } from '../types.js';

/** `ConnectOptions` with every default filled in. */
export type ResolvedConnectOptions = Required<ConnectOptions>;

export function resolveConnectOptions(options: ConnectOptions = {}): ResolvedConnectOptions {
  const resolved = {
    statementTimeoutMs: options.statementTimeoutMs ?? 30_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    maxValueLength: options.maxValueLength ?? 1024,
    maxConnections: options.maxConnections ?? 4,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`ConnectOptions.${key} must be a positive integer, got ${value}`);
    }
  }
  return resolved;
}

/** Validates and caps a requested sample size; it is inlined into SQL, so it must be an integer. */
export function sampleLimit(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Sample size must be a non-negative integer, got ${n}`);
  }
  return Math.min(n, MAX_SAMPLE_ROWS);
}

/** Validates `ProfileOptions.maxRows`; it is inlined into SQL, so it must be an integer. */
export function profileRowLimit(maxRows: number | undefined): number | null {
  if (maxRows === undefined) return null;
  if (!Number.isSafeInteger(maxRows) || maxRows < 1) {
    throw new RangeError(`ProfileOptions.maxRows must be a positive integer, got ${maxRows}`);
  }
  return maxRows;
}

/**
 * Renders whatever a driver returned as sample text. Queries already cast values to text in SQL,
 * so this mostly passes strings through; the other branches cover driver quirks (Buffers from
 * binary-charset results, numbers from SQLite aggregates).
 */
export function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Cuts text to `max` characters (by code point, so a surrogate pair is never split). */
export function truncate(
  value: string | null,
  max: number,
): { value: SampleValue; truncated: boolean } {
  if (value === null || value.length <= max) return { value, truncated: false };
  const codePoints = Array.from(value);
  if (codePoints.length <= max) return { value, truncated: false };
  return { value: codePoints.slice(0, max).join(''), truncated: true };
}

/** Converts driver rows (arrays) to bounded sample rows, counting cut values. */
export function boundRows(
  rows: readonly (readonly unknown[])[],
  maxValueLength: number,
): { rows: SampleValue[][]; truncatedValues: number } {
  let truncatedValues = 0;
  const bounded = rows.map(row =>
    row.map(raw => {
      const { value, truncated } = truncate(toText(raw), maxValueLength);
      if (truncated) truncatedValues++;
      return value;
    }),
  );
  return { rows: bounded, truncatedValues };
}

/** Picks `n` random elements (Fisher–Yates on a copy). */
export function pickRandom<T>(items: readonly T[], n: number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** Short stable hash of structured parts, used to build fingerprints. */
export function hashParts(prefix: string, parts: unknown): string {
  return `${prefix}:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/** Converts numeric driver output (number, bigint string, null) to a number or null. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Keeps only unique values in order. */
export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Groups items by a key, keeping insertion order. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** Picks the requested columns (all when none requested) in the requested order, or throws. */
export function selectColumns<T extends { name: string }>(
  available: readonly T[],
  table: TableRef,
  requested: readonly string[],
): T[] {
  if (available.length === 0) {
    // MySQL hides the columns of a view it cannot open (e.g. one calling a function that writes,
    // refused in a read-only session); an empty SELECT list would only be a syntax error.
    throw new ConnectorError(
      `${JSON.stringify(table.schema)}.${JSON.stringify(table.name)} has no columns visible to this session`,
    );
  }
  if (requested.length === 0) return [...available];
  return requested.map(name => {
    const column = available.find(c => c.name === name);
    if (!column) throw new UnknownColumnError(table, name);
    return column;
  });
}

/** Builds a `ColumnProfile` from an aggregate row with the shared column aliases. */
export function profileFromRow(
  column: string,
  row: Record<string, unknown>,
  maxValueLength: number,
  limitedToRows: number | null,
): ColumnProfile {
  return {
    column,
    rowCount: toNumber(row.row_count) ?? 0,
    nullCount: toNumber(row.null_count) ?? 0,
    distinctCount: toNumber(row.distinct_count) ?? 0,
    min: truncate(toText(row.min_value), maxValueLength).value,
    max: truncate(toText(row.max_value), maxValueLength).value,
    minLength: toNumber(row.min_length),
    maxLength: toNumber(row.max_length),
    avgLength: toNumber(row.avg_length),
    limitedToRows,
  };
}
