import type { AssetType } from '@racine/plugin-data-catalog-common';

/**
 * The asset ref of an asset page, read from the raw (still encoded) path: React Router's
 * params turn an encoded `%2F` back into `/`, which would corrupt refs whose scanned
 * identifiers contain escaped slashes.
 */
export function refFromPathname(pathname: string): string | undefined {
  const match = /\/asset\/([^/?#]+)\/?$/.exec(pathname);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

export const typeTitles: Record<AssetType, string> = {
  datasource: 'Data source',
  database: 'Database',
  schema: 'Schema',
  table: 'Table',
  view: 'View',
  column: 'Column',
};

export const tableKindTitles: Record<string, string> = {
  table: 'Table',
  view: 'View',
  materialized_view: 'Materialized view',
  partitioned_table: 'Partitioned table',
  partition: 'Partition',
  foreign_table: 'Foreign table',
};

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat().format(value);
}

export function formatPercent(ratio: number | null | undefined, digits = 0): string {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)}%`;
}

export function formatDecimal(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return Number.isInteger(value)
    ? formatCount(value)
    : value.toLocaleString(undefined, { maximumFractionDigits: 2 });
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}
