/**
 * Asset refs: `racine:data-catalog:<type>/<path>` where the path is the dot-joined chain
 * data source id → database → schema → table → column. Scanned identifiers may contain
 * dots, slashes or percent signs, so each segment escapes exactly those three (`%2E`,
 * `%2F`, `%25`); every other character, unicode included, stays readable.
 */
export const assetTypes = ['datasource', 'database', 'schema', 'table', 'view', 'column'] as const;
export type AssetType = (typeof assetTypes)[number];

export function escapeSegment(segment: string): string {
  return segment.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\//g, '%2F');
}

export function unescapeSegment(segment: string): string {
  return segment.replace(/%2E/gi, '.').replace(/%2F/gi, '/').replace(/%25/g, '%');
}

export function assetRef(type: AssetType, segments: string[]): string {
  return `racine:data-catalog:${type}/${segments.map(escapeSegment).join('.')}`;
}

export function parseAssetRef(ref: string): { type: AssetType; segments: string[] } {
  const match = /^racine:data-catalog:([a-z]+)\/(.+)$/.exec(ref);
  if (!match || !(assetTypes as readonly string[]).includes(match[1])) {
    throw new TypeError(`"${ref}" is not a data catalog asset ref`);
  }
  return { type: match[1] as AssetType, segments: match[2].split('.').map(unescapeSegment) };
}

/** Refs of a table (or view) and of its columns, from the identifiers a scan found. */
export function tableRef(
  dataSourceId: string,
  database: string,
  schema: string,
  table: string,
  kind: 'table' | 'view' = 'table',
) {
  return assetRef(kind, [dataSourceId, database, schema, table]);
}

export function columnRef(
  dataSourceId: string,
  database: string,
  schema: string,
  table: string,
  column: string,
) {
  return assetRef('column', [dataSourceId, database, schema, table, column]);
}
