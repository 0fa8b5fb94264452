import crypto from 'node:crypto';
import {
  assetRef,
  columnRef,
  tableAssetType,
  tableRef,
  type AssetType,
  type ColumnTechnicalMetadata,
  type SensitivityLevel,
  type TableBatch,
  type TableTechnicalMetadata,
} from '@racine/plugin-data-catalog-common';

/** A label as a scan suggests it. */
export interface IngestedLabel {
  classifierId: string;
  confidence: number;
  evidence: TableBatch['columns'][number]['labels'][number]['evidence'];
  sensitivity?: SensitivityLevel;
  categories?: string[];
}

/** The fields of one asset that a scan batch sets, with the digests used to skip replays. */
export interface IngestedAsset {
  ref: string;
  type: AssetType;
  name: string;
  qualifiedName: string;
  parentRef: string | null;
  /** The ref's path (everything after `<type>/`). */
  path: string;
  dataSourceId: string;
  workspace: string;
  technical: Record<string, unknown>;
  profile: Record<string, unknown> | null;
  labels: IngestedLabel[];
  contentHash: string;
  labelsHash: string;
}

/** The path part of an asset ref: identical for a table and a view of the same name. */
export function refPath(ref: string): string {
  return ref.slice(ref.indexOf('/') + 1);
}

/** JSON with object keys sorted, so equal content always digests the same. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function digest(value: unknown): string {
  return crypto.createHash('sha256').update(stableStringify(value)).digest('hex');
}

const NO_LABELS_HASH = digest([]);

function asset(
  fields: Omit<IngestedAsset, 'path' | 'contentHash' | 'labelsHash' | 'labels'> & {
    labels?: IngestedLabel[];
  },
): IngestedAsset {
  const labels = fields.labels ?? [];
  const { labels: _labels, ...content } = fields;
  return {
    ...content,
    labels,
    path: refPath(fields.ref),
    contentHash: digest(content),
    labelsHash: labels.length === 0 ? NO_LABELS_HASH : digest(labels),
  };
}

/** One label per classifier (the most confident wins), in a stable order. */
function normalizeLabels(labels: IngestedLabel[]): IngestedLabel[] {
  const best = new Map<string, IngestedLabel>();
  for (const label of labels) {
    const current = best.get(label.classifierId);
    if (!current || label.confidence > current.confidence) best.set(label.classifierId, label);
  }
  return [...best.values()].sort((a, b) => (a.classifierId < b.classifierId ? -1 : 1));
}

/**
 * The smallest and largest values of a column are values of the data itself; for a column a
 * classifier recognised (an e-mail address, a salary) they are exactly what must not leak
 * into the catalog, so they are not kept.
 */
function profileToKeep(
  profile: NonNullable<TableBatch['columns'][number]['profile']>,
  classified: boolean,
): Record<string, unknown> {
  if (!classified) return { ...profile };
  const { min: _min, max: _max, ...rest } = profile;
  return rest;
}

/**
 * The assets one scanned table contributes to the catalog, parents first: its data source,
 * database, schema, the table (or view) itself and its columns.
 */
export function assetsOfBatch(batch: TableBatch): IngestedAsset[] {
  const { dataSourceId, workspace, database, schema, table } = batch;
  const common = { dataSourceId, workspace, profile: null };
  const dataSourceRef = assetRef('datasource', [dataSourceId]);
  const databaseRef = assetRef('database', [dataSourceId, database]);
  const schemaRef = assetRef('schema', [dataSourceId, database, schema]);
  const type = tableAssetType(table.kind);
  const ownRef = tableRef(dataSourceId, database, schema, table.name, type);
  const qualifiedTable = `${schema}.${table.name}`;

  const columnForeignKeys = new Map<string, ColumnTechnicalMetadata['foreignKey']>();
  for (const fk of table.foreignKeys) {
    fk.columns.forEach((column, i) => {
      const referencedColumn = fk.referencedColumns[i];
      if (referencedColumn === undefined || columnForeignKeys.has(column)) return;
      columnForeignKeys.set(column, {
        ...(fk.name ? { name: fk.name } : {}),
        referencedSchema: fk.referencedSchema,
        referencedTable: fk.referencedTable,
        referencedColumn,
        referencedTableRef: tableRef(
          dataSourceId,
          database,
          fk.referencedSchema,
          fk.referencedTable,
        ),
      });
    });
  }
  const primaryKey = new Set(table.primaryKey);

  const technical: TableTechnicalMetadata = {
    kind: table.kind,
    comment: table.comment ?? null,
    rowCount: table.rowCount ?? null,
    viewSql: table.viewSql ?? null,
    primaryKey: table.primaryKey,
    foreignKeys: table.foreignKeys,
    partitionOf: table.partitionOf ?? null,
    partitionParentRef: table.partitionOf
      ? tableRef(dataSourceId, database, schema, table.partitionOf)
      : null,
    fingerprint: table.fingerprint ?? null,
    columnCount: batch.columns.length,
  };

  const assets: IngestedAsset[] = [
    asset({
      ...common,
      ref: dataSourceRef,
      type: 'datasource',
      name: batch.dataSourceName,
      qualifiedName: batch.dataSourceName,
      parentRef: null,
      technical: {},
    }),
    asset({
      ...common,
      ref: databaseRef,
      type: 'database',
      name: database,
      qualifiedName: database,
      parentRef: dataSourceRef,
      technical: {},
    }),
    asset({
      ...common,
      ref: schemaRef,
      type: 'schema',
      name: schema,
      qualifiedName: schema,
      parentRef: databaseRef,
      technical: {},
    }),
    asset({
      ...common,
      ref: ownRef,
      type,
      name: table.name,
      qualifiedName: qualifiedTable,
      parentRef: schemaRef,
      technical: { ...technical },
    }),
  ];

  const seen = new Set<string>();
  for (const column of batch.columns) {
    if (seen.has(column.name)) continue;
    seen.add(column.name);
    const columnTechnical: ColumnTechnicalMetadata = {
      ordinal: column.ordinal,
      dataType: column.dataType,
      nullable: column.nullable,
      default: column.default ?? null,
      comment: column.comment ?? null,
      isPrimaryKey: column.isPrimaryKey || primaryKey.has(column.name),
      foreignKey: columnForeignKeys.get(column.name) ?? null,
    };
    assets.push(
      asset({
        ...common,
        ref: columnRef(dataSourceId, database, schema, table.name, column.name),
        type: 'column',
        name: column.name,
        qualifiedName: `${qualifiedTable}.${column.name}`,
        parentRef: ownRef,
        technical: { ...columnTechnical },
        profile: column.profile ? profileToKeep(column.profile, column.labels.length > 0) : null,
        labels: normalizeLabels(column.labels),
      }),
    );
  }
  return assets;
}
