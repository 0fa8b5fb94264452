import type { AssetType } from './refs';
import type { TableBatch } from './ingest';

/**
 * The catalog's read model as served by `/api/data-catalog`. Field names are public API:
 * add fields, never rename them.
 */

/** An asset is `deleted` once a full scan no longer finds it; it is kept, not erased. */
export const assetStatuses = ['active', 'deleted'] as const;
export type AssetStatus = (typeof assetStatuses)[number];

/**
 * Lifecycle of a classification label. Scans only ever write `suggested` labels and only
 * ever replace their own suggestions; the other statuses belong to people.
 */
export const labelStatuses = ['suggested', 'approved', 'rejected', 'manual'] as const;
export type LabelStatus = (typeof labelStatuses)[number];

export type TableKind = TableBatch['table']['kind'];

/** Views and materialized views are `view` assets; every other kind is a `table` asset. */
export function tableAssetType(kind: TableKind): 'table' | 'view' {
  return kind === 'view' || kind === 'materialized_view' ? 'view' : 'table';
}

export interface LabelEvidence {
  signals: { kind: string; description: string; weight?: number }[];
  maskedExamples: string[];
  matchRatio?: number;
  sampleSize?: number;
}

export interface AssetLabelSummary {
  classifierId: string;
  confidence: number;
  status: LabelStatus;
}

export interface AssetLabel extends AssetLabelSummary {
  evidence: LabelEvidence;
  /** The scan run that suggested the label. */
  runId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ForeignKeyReference {
  name?: string;
  referencedSchema: string;
  referencedTable: string;
  referencedColumn: string;
  /** Ref of the referenced table when it lives in the same database. */
  referencedTableRef: string;
}

/** Technical metadata of a table or view, as the scan found it. */
export interface TableTechnicalMetadata {
  kind: TableKind;
  comment: string | null;
  rowCount: number | null;
  viewSql: string | null;
  primaryKey: string[];
  foreignKeys: {
    name?: string;
    columns: string[];
    referencedSchema: string;
    referencedTable: string;
    referencedColumns: string[];
  }[];
  partitionOf: string | null;
  /** Ref of the partitioned parent table, for a partition. */
  partitionParentRef: string | null;
  fingerprint: string | null;
  columnCount: number;
}

/** Technical metadata of a column, as the scan found it. */
export interface ColumnTechnicalMetadata {
  ordinal: number;
  dataType: string;
  nullable: boolean;
  default: string | null;
  comment: string | null;
  isPrimaryKey: boolean;
  foreignKey: ForeignKeyReference | null;
}

export type AssetTechnicalMetadata =
  TableTechnicalMetadata | ColumnTechnicalMetadata | Record<string, never>;

export interface ColumnProfile {
  rowCount?: number | null;
  nullCount?: number | null;
  distinctCount?: number | null;
  min?: string | number | null;
  max?: string | number | null;
  avgLength?: number | null;
  maxLength?: number | null;
  mean?: number | null;
}

/** An asset as listed (`GET /assets`). */
export interface AssetSummary {
  ref: string;
  type: AssetType;
  name: string;
  /** `schema.table` for tables and views, `schema.table.column` for columns, the name otherwise. */
  qualifiedName: string;
  dataSourceId: string;
  parentRef: string | null;
  status: AssetStatus;
  workspace: string;
  /** Curated description, falling back to the comment found in the source. */
  description: string | null;
  owner: string | null;
  tags: string[];
  /** Column data type, or the table kind; null for containers. */
  dataType: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  updatedAt: string;
  labels: AssetLabelSummary[];
}

/** An asset with everything the catalog knows about it (`GET /assets/:ref`). */
export interface AssetDetails extends Omit<AssetSummary, 'labels'> {
  technical: AssetTechnicalMetadata;
  profile: ColumnProfile | null;
  labels: AssetLabel[];
  /** The scan run that last saw the asset. */
  lastRunId: string | null;
}

export interface Breadcrumb {
  ref: string;
  type: AssetType;
  name: string;
}

export interface AssetChild extends AssetSummary {
  childCount: number;
}

export interface AssetDetailsResponse extends AssetDetails {
  /** From the data source down to the asset's parent. */
  breadcrumbs: Breadcrumb[];
  /** Tables and views: their columns, in ordinal order, with labels and evidence. */
  columns?: AssetDetails[];
  /** Data sources, databases and schemas: their child assets. */
  children?: AssetChild[];
}

export interface ListAssetsResponse {
  items: AssetSummary[];
  nextCursor: string | null;
}

export interface TreeNode {
  ref: string;
  type: AssetType;
  name: string;
  qualifiedName: string;
  status: AssetStatus;
  dataType: string | null;
  childCount: number;
  lastSeenAt: string;
  updatedAt: string;
}

export interface TreeResponse {
  items: TreeNode[];
  nextCursor: string | null;
}

export interface IngestTablesResponse {
  tables: number;
  columns: number;
  /** Assets created or changed by the call (replays change none). */
  changed: number;
  /** Columns that vanished from tables that are still there. */
  deletedColumns: number;
}

export interface CompleteScanResponse {
  /** Tables and views the run no longer found, now `deleted`. */
  deleted: number;
  /** Their columns, now `deleted` too. */
  deletedColumns: number;
}

/** Payload of the `asset.changed` event. */
export interface AssetChangedEventPayload {
  dataSourceId: string;
  runId: string;
  /** Why the assets changed: a batch was ingested, or a completed scan no longer saw them. */
  reason: 'ingested' | 'deleted';
  refs: string[];
}

/** App path of an asset's page. */
export function assetPagePath(ref: string): string {
  return `/catalog/asset/${encodeURIComponent(ref)}`;
}
