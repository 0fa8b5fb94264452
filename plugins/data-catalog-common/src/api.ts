import type { AssetType } from './refs';
import type { SensitivityLevel, TableBatch } from './ingest';

/**
 * The catalog's read model as served by `/api/data-catalog`. Field names are public API:
 * add fields, never rename them.
 */

/** An asset is `deleted` once a full scan no longer finds it; it is kept, not erased. */
export const assetStatuses = ['active', 'deleted'] as const;
export type AssetStatus = (typeof assetStatuses)[number];

/**
 * Lifecycle of a classification label. Scans only ever write `suggested` labels and only
 * ever replace their own suggestions; `propagated` labels flowed along column-level lineage
 * from an approved or manual label upstream (the lineage service owns them); the other
 * statuses belong to people.
 */
export const labelStatuses = ['suggested', 'approved', 'rejected', 'manual', 'propagated'] as const;
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
  sensitivity?: SensitivityLevel | null;
  categories?: string[];
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
  /** The first of `owners` (kept for earlier clients). */
  owner: string | null;
  /** Entity refs of the owning users or groups, e.g. `user:default/ada`, `group:default/finance`. */
  owners: string[];
  stewards: string[];
  tags: string[];
  /** Ids of the glossary terms attached to the asset. */
  terms: string[];
  /** Custom properties a curator set. */
  properties: Record<string, unknown>;
  /** Curated override, else the highest sensitivity of the asset's (not rejected) labels. */
  sensitivity: SensitivityLevel | null;
  /** Curation version: +1 on every curated change. */
  version: number;
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
  /**
   * The sensitivity a steward set on the asset, null when none: then `sensitivity` is the
   * highest sensitivity of the labels.
   */
  sensitivityOverride: SensitivityLevel | null;
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
  /** The scan run behind the change; empty for a curation change or a deleted data source. */
  runId: string;
  /**
   * Why the assets changed: a batch was ingested, a completed scan no longer saw them (or
   * their data source was deleted: `runId` empty), or someone curated them (description,
   * owners, stewards, tags, terms, properties, sensitivity).
   */
  reason: 'ingested' | 'deleted' | 'curated';
  refs: string[];
  /** Curation only: who changed them. */
  actor?: string;
}

/** `GET /search` */
export interface SearchFacetValue {
  value: string;
  count: number;
  /** A readable name where the value is an id (glossary terms). */
  title?: string;
}

export const searchFacetNames = [
  'type',
  'dataSourceId',
  'schema',
  'label',
  'sensitivity',
  'tag',
  'owner',
  'term',
  'status',
] as const;
export type SearchFacetName = (typeof searchFacetNames)[number];

export interface SearchAssetsResponse {
  items: AssetSummary[];
  /** Counts per value of each dimension, with every other filter applied. */
  facets: Partial<Record<SearchFacetName, SearchFacetValue[]>>;
  /**
   * True when the facet counts were taken over a bounded sample of the matches (the first
   * 1,000 the database finds), not all of them: read them as proportions.
   */
  facetsApproximate: boolean;
  /** Exact when `totalExact`; otherwise a lower bound (counting stops at 10,000). */
  total: number;
  totalExact: boolean;
  nextCursor: string | null;
  /** True when no asset matched every word and these are the closest spellings. */
  fuzzy: boolean;
}

/** One curated change of an asset (`GET /assets/:ref/history`). */
export interface AssetHistoryEntry {
  version: number;
  actor: string;
  summary: string;
  changes: Record<string, { from: unknown; to: unknown }>;
  changedAt: string;
}

export interface AssetHistoryResponse {
  items: AssetHistoryEntry[];
  /** Pass as `before` for older entries. */
  nextBefore: number | null;
}

/** `PATCH /assets/:ref` and the `set` of `POST /assets/bulk`. */
export interface CurationResponse {
  ref: string;
  version: number;
  changed: string[];
}

export const glossaryStatuses = ['draft', 'approved'] as const;
export type GlossaryStatus = (typeof glossaryStatuses)[number];

export interface GlossaryTerm {
  id: string;
  name: string;
  /** Markdown. */
  definition: string;
  synonyms: string[];
  /** Ids of related terms. */
  related: string[];
  parentId: string | null;
  status: GlossaryStatus;
  createdBy: string;
  updatedBy: string;
  approvedBy: string | null;
  approvedAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Number of child terms. */
  childCount: number;
  /** Number of assets the term is attached to. */
  assetCount: number;
}

export interface GlossaryTermDetails extends GlossaryTerm {
  /** From the root down to the parent. */
  ancestors: { id: string; name: string }[];
  children: GlossaryTerm[];
  relatedTerms: { id: string; name: string; status: GlossaryStatus }[];
}

export interface ListGlossaryResponse {
  items: GlossaryTerm[];
}

/** `GET /facts`: the catalog as compliance rules read it (service tokens only). */
export interface AssetFact {
  ref: string;
  type: string;
  name: string;
  qualifiedName: string;
  parentRef: string | null;
  dataSourceId: string;
  workspace: string;
  status: AssetStatus;
  description: string | null;
  owners: string[];
  stewards: string[];
  tags: string[];
  /** Names of the attached glossary terms. */
  terms: string[];
  properties: Record<string, unknown>;
  sensitivity: SensitivityLevel | null;
  /** Every label, rejected ones included. */
  labels: {
    classifierId: string;
    status: LabelStatus;
    confidence: number;
    categories: string[];
    sensitivity: SensitivityLevel | null;
  }[];
  updatedAt: string;
}

export interface AssetFactsResponse {
  items: AssetFact[];
  nextCursor: string | null;
}

/** App path of an asset's page. */
export function assetPagePath(ref: string): string {
  return `/catalog/asset/${encodeURIComponent(ref)}`;
}
