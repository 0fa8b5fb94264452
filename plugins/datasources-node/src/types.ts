/**
 * The data model every connector produces. It is engine-neutral: a scanner, the catalog and the
 * classifiers consume it without knowing whether it came from PostgreSQL, MySQL or SQLite.
 */

/** Addresses one table-like object (table, view, materialized view, partition, ...) in a session. */
export interface TableRef {
  /** Namespace inside the session: PostgreSQL schema, MySQL database, SQLite attached database (`main`). */
  readonly schema: string;
  readonly name: string;
}

export type TableKind =
  'table' | 'view' | 'materialized_view' | 'partitioned_table' | 'foreign_table';

/** Engine-neutral family of a column type, so classifiers need not parse every dialect's type names. */
export type ColumnTypeCategory =
  | 'string'
  | 'integer'
  | 'decimal'
  | 'float'
  | 'boolean'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'interval'
  | 'binary'
  | 'json'
  | 'uuid'
  | 'array'
  | 'enum'
  | 'spatial'
  | 'other';

export interface DiscoveredColumn {
  name: string;
  /** 1-based position among the table's visible columns (gap-free, even after dropped columns). */
  ordinal: number;
  /** The engine's own type spelling, e.g. `character varying(20)`, `varchar(20)`, `TEXT`. */
  dataType: string;
  typeCategory: ColumnTypeCategory;
  nullable: boolean;
  /** Default expression exactly as the engine reports it; `null` when there is none. */
  defaultValue: string | null;
  comment: string | null;
}

export interface PrimaryKey {
  /** Constraint name; `null` where the engine has none (SQLite, MySQL's implicit `PRIMARY`). */
  name: string | null;
  columns: string[];
}

export interface ForeignKey {
  name: string | null;
  columns: string[];
  referencedTable: TableRef;
  /** Same length and order as `columns`. */
  referencedColumns: string[];
}

export interface PartitionInfo {
  name: string;
  /** The partition as an addressable table (PostgreSQL); `null` where partitions are not tables (MySQL). */
  table: TableRef | null;
  /** Partition bound as the engine spells it, e.g. `FOR VALUES FROM ('2024-01-01') TO (...)` or `2025`. */
  bound: string | null;
  rowEstimate: number | null;
}

export interface PartitionScheme {
  /** Lower-case strategy: `range`, `list`, `hash`, `key`, ... */
  strategy: string;
  /** Partition key expression, e.g. `created_at` or `year(created_at)`. */
  key: string | null;
  partitions: PartitionInfo[];
}

export interface DiscoveredTable {
  schema: string;
  name: string;
  kind: TableKind;
  comment: string | null;
  /** Planner statistics estimate (exact `count(*)` on SQLite without `sqlite_stat1`); `null` if unknown. */
  rowEstimate: number | null;
  /** SQL of views and materialized views: the SELECT body on PostgreSQL/MySQL, the CREATE VIEW statement on SQLite. */
  definition: string | null;
  columns: DiscoveredColumn[];
  primaryKey: PrimaryKey | null;
  foreignKeys: ForeignKey[];
  /** Set on partitioned parents. */
  partitioning: PartitionScheme | null;
  /** Set on partitions that are tables themselves (PostgreSQL declarative partitioning). */
  partitionOf: { parent: TableRef; bound: string | null } | null;
}

export interface DiscoveredSchema {
  name: string;
  comment: string | null;
  tables: DiscoveredTable[];
}

export interface Discovery {
  /** `Connector.type` that produced it. */
  connectorType: string;
  serverVersion: string;
  /** Catalog the session is bound to: PostgreSQL current database, SQLite file path; `null` for MySQL. */
  database: string | null;
  /** Every database visible on the server (MySQL: every database, which are also its schemas). */
  databases: string[];
  schemas: DiscoveredSchema[];
  /** ISO-8601 timestamp. */
  discoveredAt: string;
}

/** Matches a schema name: exact string or glob (`*`, `?`), RegExp, or predicate. */
export type NamePattern = string | RegExp | ((name: string) => boolean);
/** Matches a table: strings and RegExps test the table name; a predicate receives the full ref. */
export type TablePattern = string | RegExp | ((table: TableRef) => boolean);

export interface DiscoverOptions {
  /** Only schemas matching any pattern. Applied before tables are read, so excluded schemas cost nothing. */
  includeSchemas?: NamePattern | readonly NamePattern[];
  excludeSchemas?: NamePattern | readonly NamePattern[];
  /** Only tables matching any pattern. */
  includeTables?: TablePattern | readonly TablePattern[];
  excludeTables?: TablePattern | readonly TablePattern[];
  /** Also report engine schemas (`pg_catalog`, `information_schema`, `mysql`, `sqlite_*` tables, ...). */
  includeSystemSchemas?: boolean;
}

export type SampleStrategy = 'first' | 'random';

/** How rows were actually picked, for audit trails and to explain a short sample. */
export type SampleMethod = 'first' | 'order_by_random' | 'tablesample' | 'bernoulli';

/**
 * Sampled values are always text (or `null`): the engine renders each value as text, binary values
 * as lower- or upper-case hex, and the result is cut to `ConnectOptions.maxValueLength` characters.
 */
export type SampleValue = string | null;

export interface SampleResult {
  columns: string[];
  /** At most `n` rows, each aligned with `columns`. */
  rows: SampleValue[][];
  strategy: SampleStrategy;
  method: SampleMethod;
  /** Number of values that were longer than `maxValueLength` and were cut. */
  truncatedValues: number;
}

export interface ProfileOptions {
  /** Profile only the first `maxRows` rows instead of the whole table (bounds cost on huge tables). */
  maxRows?: number;
}

export interface ColumnProfile {
  column: string;
  rowCount: number;
  nullCount: number;
  distinctCount: number;
  /** Smallest/largest value rendered as text; `null` for types without a meaningful order (json, blobs, ...). */
  min: string | null;
  max: string | null;
  /** Length of non-null values rendered as text (characters; bytes for binary types). */
  minLength: number | null;
  maxLength: number | null;
  avgLength: number | null;
  /** `ProfileOptions.maxRows` when the profile covered only that many rows, otherwise `null`. */
  limitedToRows: number | null;
}

export interface ConnectOptions {
  /** Server-side limit per statement (PostgreSQL `statement_timeout`, MySQL `max_execution_time`). Default 30 000. */
  statementTimeoutMs?: number;
  /** Default 10 000. */
  connectTimeoutMs?: number;
  /** Sampled values and profile min/max longer than this are cut. Default 1024 characters. */
  maxValueLength?: number;
  /** Connections the session may open at once (SQLite ignores it). Default 4. */
  maxConnections?: number;
}

export type ConnectionTestResult =
  | { ok: true; latencyMs: number; serverVersion: string }
  | { ok: false; latencyMs: number; error: string; errorCode?: string };
