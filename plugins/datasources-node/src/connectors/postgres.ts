import pg from 'pg';
import { z } from 'zod';
import {
  type Connector,
  type ConnectorSession,
  testConnectionWith,
  UnknownColumnError,
  UnknownTableError,
} from '../connector.js';
import { compileDiscoveryFilter } from '../filters.js';
import {
  boundRows,
  groupBy,
  hashParts,
  profileFromRow,
  profileRowLimit,
  type ResolvedConnectOptions,
  resolveConnectOptions,
  sampleLimit,
  selectColumns,
} from '../internal/util.js';
import type {
  ColumnProfile,
  ColumnTypeCategory,
  ConnectOptions,
  DiscoveredColumn,
  DiscoveredTable,
  DiscoverOptions,
  Discovery,
  ForeignKey,
  PartitionScheme,
  ProfileOptions,
  SampleMethod,
  SampleResult,
  SampleStrategy,
  TableKind,
  TableRef,
} from '../types.js';

export const postgresConfigSchema = z.object({
  host: z.string().min(1).describe('Host name or IP address of the PostgreSQL server'),
  port: z.number().int().min(1).max(65535).default(5432).describe('TCP port'),
  database: z.string().min(1).describe('Database to scan'),
  user: z.string().min(1).describe('User name; a role with read-only access is enough'),
  password: z.string().optional().describe('Password'),
  ssl: z
    .enum(['disable', 'require', 'verify-full'])
    .default('disable')
    .describe('TLS: off, encrypted without certificate checks, or encrypted and verified'),
  sslRootCert: z
    .string()
    .optional()
    .describe('PEM certificate of the CA that signed the server certificate (verify-full)'),
});

export type PostgresConfig = z.output<typeof postgresConfigSchema>;

/** Quotes a PostgreSQL identifier: wrap in double quotes, double any embedded double quote. */
export function quotePostgresIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function qualified(table: TableRef): string {
  return `${quotePostgresIdentifier(table.schema)}.${quotePostgresIdentifier(table.name)}`;
}

/** Below this many estimated rows `ORDER BY random()` is cheap enough; above it, TABLESAMPLE first. */
const SMALL_TABLE_ROWS = 10_000;

const TABLE_KINDS: Record<string, TableKind> = {
  r: 'table',
  v: 'view',
  m: 'materialized_view',
  p: 'partitioned_table',
  f: 'foreign_table',
};
const RELKINDS = Object.keys(TABLE_KINDS);

const PARTITION_STRATEGIES: Record<string, string> = { r: 'range', l: 'list', h: 'hash' };

const TYPE_CATEGORIES: Record<string, ColumnTypeCategory> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  oid: 'integer',
  numeric: 'decimal',
  money: 'decimal',
  float4: 'float',
  float8: 'float',
  bool: 'boolean',
  date: 'date',
  time: 'time',
  timetz: 'time',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  interval: 'interval',
  bytea: 'binary',
  json: 'json',
  jsonb: 'json',
  uuid: 'uuid',
  geometry: 'spatial',
  geography: 'spatial',
};

/** Fallback on `pg_type.typcategory` for types not listed by name (extensions, domains, ...). */
const CATEGORY_BY_TYPCATEGORY: Record<string, ColumnTypeCategory> = {
  A: 'array',
  B: 'boolean',
  D: 'timestamp',
  E: 'enum',
  G: 'spatial',
  N: 'decimal',
  S: 'string',
  T: 'interval',
};

function typeCategory(baseType: string, typcategory: string): ColumnTypeCategory {
  return TYPE_CATEGORIES[baseType] ?? CATEGORY_BY_TYPCATEGORY[typcategory] ?? 'other';
}

/** Categories whose types all have btree ordering (and so `min`/`max`): numeric, string, date/time, enum. */
const ORDERABLE_TYPCATEGORIES = new Set(['N', 'S', 'D', 'T', 'E']);
/** Additionally has equality, so `count(DISTINCT v)` works without a text cast. */
const EQUALITY_TYPCATEGORIES = new Set([...ORDERABLE_TYPCATEGORIES, 'B']);

function isSystemSchema(name: string): boolean {
  // PostgreSQL reserves every `pg_` schema name (pg_catalog, pg_toast, pg_temp_N, ...).
  return name.startsWith('pg_') || name === 'information_schema';
}

/** Strips the `RANGE (...)` wrapper of `pg_get_partkeydef`, keeping the key expression. */
function partitionKey(partkeydef: string | null): string | null {
  if (!partkeydef) return null;
  const open = partkeydef.indexOf('(');
  const close = partkeydef.lastIndexOf(')');
  return open >= 0 && close > open ? partkeydef.slice(open + 1, close) : partkeydef;
}

interface RelationRow {
  oid: number;
  schema: string;
  name: string;
  relkind: string;
  reltuples: number;
  live_tuples: number | null;
  comment: string | null;
  definition: string | null;
  partstrat: string | null;
  partkeydef: string | null;
  partition_bound: string | null;
  parent_schema: string | null;
  parent_name: string | null;
}

interface ColumnRow {
  oid: number;
  name: string;
  data_type: string;
  nullable: boolean;
  default_value: string | null;
  comment: string | null;
  base_type: string;
  typcategory: string;
}

interface ConstraintRow {
  oid: number;
  contype: 'p' | 'f';
  name: string;
  columns: string[];
  ref_schema: string | null;
  ref_name: string | null;
  ref_columns: string[] | null;
}

interface TableColumnRow {
  name: string;
  base_type: string;
  typcategory: string;
}

interface ResolvedTable {
  oid: number;
  relkind: string;
  columns: TableColumnRow[];
  /** Planner estimate of the rows (leaf partitions summed), to choose a sampling method. */
  estimate: number;
}

/** Table metadata kept per session, so sampling and profiling cost one round trip each. */
const TABLE_CACHE_LIMIT = 20_000;

/** SQLSTATEs a statement built from stale cached metadata fails with (the table changed). */
const STALE_METADATA_CODES = new Set(['42P01', '42703', '42883', '42804', '42846']);

function isStaleMetadataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_METADATA_CODES.has(code);
}

const cacheKey = (table: TableRef) => `${table.schema}\u0000${table.name}`;

/** Rows of the fingerprint catalog query, in the shape hashed since the first release. */
interface FingerprintRow {
  ord: string;
  columns: unknown;
  definition: string | null;
  stats: unknown;
  key_column: string | null;
}

/** Tables fingerprinted per catalog query. */
const FINGERPRINT_BATCH = 250;
/** Fingerprint batches in flight at once. */
const FINGERPRINT_PARALLEL = 4;
/** Primary-key maxima per `UNION ALL` statement (planning time grows faster than linearly). */
const MAX_KEY_BATCH = 100;
/** The relkinds `pg_stat_all_tables` reports (PostgreSQL 12 to 17). */
const STAT_RELKINDS = `rc.relkind IN ('r', 't', 'm', 'p')`;

class PostgresSession implements ConnectorSession {
  private closed = false;
  /** Structure of the tables this session read or discovered, refreshed when found stale. */
  private readonly tables = new Map<string, ResolvedTable>();

  private constructor(
    private readonly pool: pg.Pool,
    readonly serverVersion: string,
    private readonly database: string,
    private readonly limits: ResolvedConnectOptions,
  ) {}

  static async open(config: PostgresConfig, options?: ConnectOptions): Promise<PostgresSession> {
    const limits = resolveConnectOptions(options);
    const pool = new pg.Pool({
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password: config.password,
      ssl:
        config.ssl === 'disable'
          ? false
          : config.ssl === 'require'
            ? { rejectUnauthorized: false }
            : {
                rejectUnauthorized: true,
                ...(config.sslRootCert ? { ca: config.sslRootCert } : {}),
              },
      max: limits.maxConnections,
      connectionTimeoutMillis: limits.connectTimeoutMs,
      // Server-side guards: every statement is bounded in time and every transaction is read-only.
      statement_timeout: limits.statementTimeoutMs,
      idle_in_transaction_session_timeout: limits.statementTimeoutMs,
      // Client-side backstop for a server that stops answering altogether.
      query_timeout: limits.statementTimeoutMs + 5_000,
      options: '-c default_transaction_read_only=on',
      application_name: 'racine-datasources',
    });
    // An idle connection dropped by the server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    // A checked-out client whose backend is terminated (restart, failover) emits 'error' after
    // its query failed; unhandled, that would crash the whole Racine process.
    pool.on('connect', client => client.on('error', () => undefined));
    try {
      const { rows } = await pool.query<{ version: string; database: string }>(
        'SELECT version() AS version, current_database() AS database',
      );
      return new PostgresSession(pool, rows[0]!.version, rows[0]!.database, limits);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  async listDatabases(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      'SELECT datname AS name FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname',
    );
    return rows.map(row => row.name);
  }

  async discover(options: DiscoverOptions = {}): Promise<Discovery> {
    const filter = compileDiscoveryFilter(options);
    const databases = await this.listDatabases();
    const { rows: schemaRows } = await this.pool.query<{ name: string; comment: string | null }>(
      `SELECT n.nspname AS name, obj_description(n.oid, 'pg_namespace') AS comment
         FROM pg_namespace n ORDER BY n.nspname`,
    );
    const schemas = schemaRows.filter(
      s => (options.includeSystemSchemas || !isSystemSchema(s.name)) && filter.schema(s.name),
    );
    const schemaNames = schemas.map(s => s.name);

    // Three catalog queries for the whole database (not per table), restricted to kept schemas.
    const [relations, columns, constraints] = await Promise.all([
      this.pool.query<RelationRow>(
        `SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
                c.reltuples::float8 AS reltuples, s.n_live_tup::float8 AS live_tuples,
                obj_description(c.oid, 'pg_class') AS comment,
                CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition,
                pt.partstrat::text AS partstrat,
                CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkeydef,
                CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
                pn.nspname AS parent_schema, pc.relname AS parent_name
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
           LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
           LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
           LEFT JOIN pg_class pc ON pc.oid = i.inhparent
           LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
          WHERE c.relkind = ANY($1::text[]) AND n.nspname = ANY($2::text[])
          ORDER BY n.nspname, c.relname`,
        [RELKINDS, schemaNames],
      ),
      this.pool.query<ColumnRow>(
        `SELECT a.attrelid AS oid, a.attname AS name,
                format_type(a.atttypid, a.atttypmod) AS data_type,
                NOT a.attnotnull AS nullable,
                COALESCE(pg_get_expr(d.adbin, d.adrelid),
                         CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY'
                                            WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END) AS default_value,
                col_description(a.attrelid, a.attnum) AS comment,
                COALESCE(bt.typname, t.typname) AS base_type,
                COALESCE(bt.typcategory, t.typcategory)::text AS typcategory
           FROM pg_attribute a
           JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_type t ON t.oid = a.atttypid
           LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attnum > 0 AND NOT a.attisdropped
            AND c.relkind = ANY($1::text[]) AND n.nspname = ANY($2::text[])
          ORDER BY a.attrelid, a.attnum`,
        [RELKINDS, schemaNames],
      ),
      this.pool.query<ConstraintRow>(
        `SELECT con.conrelid AS oid, con.contype::text AS contype, con.conname AS name,
                (SELECT json_agg(a.attname ORDER BY k.ord)
                   FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
                fn.nspname AS ref_schema, fc.relname AS ref_name,
                (SELECT json_agg(a.attname ORDER BY k.ord)
                   FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
           FROM pg_constraint con
           JOIN pg_class c ON c.oid = con.conrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           LEFT JOIN pg_class fc ON fc.oid = con.confrelid
           LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
          WHERE con.contype IN ('p', 'f') AND n.nspname = ANY($1::text[])
            -- A foreign key to a partitioned table is cloned once per referenced partition; keep
            -- only the one pointing at the partitioned table itself.
            AND NOT (con.contype = 'f' AND con.conparentid <> 0 AND fc.relispartition)
          ORDER BY con.conrelid, con.conname`,
        [schemaNames],
      ),
    ]);

    const columnsByOid = groupBy(columns.rows, row => row.oid);
    const constraintsByOid = groupBy(constraints.rows, row => row.oid);
    const relationsByOid = new Map(relations.rows.map(row => [row.oid, row]));
    const estimate = (row: RelationRow): number | null =>
      row.relkind === 'v' || row.relkind === 'f'
        ? null
        : row.reltuples >= 0
          ? row.reltuples
          : row.live_tuples;
    const children = groupBy(
      relations.rows.filter(row => row.parent_name !== null),
      row => `${row.parent_schema}\u0000${row.parent_name}`,
    );

    const tables: DiscoveredTable[] = [];
    for (const row of relations.rows) {
      if (!filter.table({ schema: row.schema, name: row.name })) continue;
      const tableColumns: DiscoveredColumn[] = (columnsByOid.get(row.oid) ?? []).map(
        (column, index) => ({
          name: column.name,
          ordinal: index + 1,
          dataType: column.data_type,
          typeCategory: typeCategory(column.base_type, column.typcategory),
          nullable: column.nullable,
          defaultValue: column.default_value,
          comment: column.comment,
        }),
      );
      const tableConstraints = constraintsByOid.get(row.oid) ?? [];
      const primary = tableConstraints.find(c => c.contype === 'p');
      const foreignKeys: ForeignKey[] = tableConstraints
        .filter(c => c.contype === 'f' && c.ref_schema !== null && c.ref_name !== null)
        .map(c => ({
          name: c.name,
          columns: c.columns,
          referencedTable: { schema: c.ref_schema!, name: c.ref_name! },
          referencedColumns: c.ref_columns ?? [],
        }));
      let partitioning: PartitionScheme | null = null;
      let rowEstimate = estimate(row);
      if (row.relkind === 'p') {
        const parts = children.get(`${row.schema}\u0000${row.name}`) ?? [];
        partitioning = {
          strategy: PARTITION_STRATEGIES[row.partstrat ?? ''] ?? row.partstrat ?? 'unknown',
          key: partitionKey(row.partkeydef),
          partitions: parts.map(part => ({
            name: part.name,
            table: { schema: part.schema, name: part.name },
            bound: part.partition_bound,
            rowEstimate: estimate(part),
          })),
        };
        // A partitioned parent stores no rows; its estimate is the sum over its partitions.
        if (rowEstimate === null || rowEstimate <= 0) {
          rowEstimate = sumEstimates(row.oid, relationsByOid, relations.rows, estimate);
        }
      }
      tables.push({
        schema: row.schema,
        name: row.name,
        kind: TABLE_KINDS[row.relkind] ?? 'table',
        comment: row.comment,
        rowEstimate,
        definition: row.definition,
        columns: tableColumns,
        primaryKey: primary ? { name: primary.name, columns: primary.columns } : null,
        foreignKeys,
        partitioning,
        partitionOf:
          row.parent_schema !== null && row.parent_name !== null
            ? {
                parent: { schema: row.parent_schema, name: row.parent_name },
                bound: row.partition_bound,
              }
            : null,
      });
    }

    // Sampling and profiling what was just discovered need no further catalog query.
    if (this.tables.size + relations.rows.length > TABLE_CACHE_LIMIT) this.tables.clear();
    for (const row of relations.rows) {
      if (this.tables.size >= TABLE_CACHE_LIMIT) break;
      this.tables.set(cacheKey(row), {
        oid: row.oid,
        relkind: row.relkind,
        columns: (columnsByOid.get(row.oid) ?? []).map(column => ({
          name: column.name,
          base_type: column.base_type,
          typcategory: column.typcategory,
        })),
        estimate:
          row.relkind === 'p'
            ? (sumEstimates(row.oid, relationsByOid, relations.rows, estimate) ?? 0)
            : (estimate(row) ?? 0),
      });
    }

    const tablesBySchema = groupBy(tables, table => table.schema);
    return {
      connectorType: 'postgres',
      serverVersion: this.serverVersion,
      database: this.database,
      databases,
      schemas: schemas.map(schema => ({
        name: schema.name,
        comment: schema.comment,
        tables: tablesBySchema.get(schema.name) ?? [],
      })),
      discoveredAt: new Date().toISOString(),
    };
  }

  async sample(
    table: TableRef,
    columns: readonly string[],
    n: number,
    strategy: SampleStrategy = 'first',
  ): Promise<SampleResult> {
    const limit = sampleLimit(n);
    return this.withTable(table, async resolved => {
      const selected = selectColumns(resolved.columns, table, columns);
      const max = this.limits.maxValueLength;
      // Values are cut in SQL (one character over the limit, to detect truncation) so a huge
      // value never crosses the wire.
      const expressions = selected.map(column => {
        const q = quotePostgresIdentifier(column.name);
        return column.base_type === 'bytea'
          ? `encode(substring(${q} FROM 1 FOR ${Math.ceil((max + 1) / 2)}), 'hex')`
          : `left(${q}::text, ${max + 1})`;
      });
      const select = `SELECT ${expressions.join(', ')} FROM ${qualified(table)}`;

      let rows: unknown[][] = [];
      let method: SampleMethod = 'first';
      if (limit > 0 && strategy === 'random') {
        method = 'order_by_random';
        const sampleable = ['r', 'm', 'p'].includes(resolved.relkind);
        const estimate = sampleable ? resolved.estimate : 0;
        if (estimate > SMALL_TABLE_ROWS) {
          // TABLESAMPLE SYSTEM reads whole random pages: cheap, but it may return fewer rows than
          // expected, so oversample and widen until enough rows come back (100 % reads everything).
          for (let factor = 3; ; factor *= 10) {
            const percent = Math.min(100, ((limit * factor) / estimate) * 100);
            // A finite number rendered by JavaScript, so it is safe to inline.
            rows = await this.readOnlyRows(
              `${select} TABLESAMPLE SYSTEM (${String(percent)}) ORDER BY random() LIMIT ${limit}`,
            );
            if (rows.length >= limit || percent >= 100) break;
          }
          method = 'tablesample';
        } else {
          rows = await this.readOnlyRows(`${select} ORDER BY random() LIMIT ${limit}`);
        }
      } else if (limit > 0) {
        rows = await this.readOnlyRows(`${select} LIMIT ${limit}`);
      }
      const bounded = boundRows(rows, max);
      return {
        columns: selected.map(column => column.name),
        rows: bounded.rows,
        strategy,
        method,
        truncatedValues: bounded.truncatedValues,
      };
    });
  }

  async profile(
    table: TableRef,
    column: string,
    options: ProfileOptions = {},
  ): Promise<ColumnProfile> {
    const maxRows = profileRowLimit(options.maxRows);
    return this.withTable(table, async resolved => {
      const [target] = selectColumns(resolved.columns, table, [column]);
      const isBinary = target!.base_type === 'bytea';
      const orderable = ORDERABLE_TYPCATEGORIES.has(target!.typcategory);
      const distinct =
        EQUALITY_TYPCATEGORIES.has(target!.typcategory) || target!.base_type === 'uuid'
          ? 'v'
          : 'v::text';
      const length = isBinary
        ? 'octet_length(v)'
        : target!.typcategory === 'S'
          ? 'length(v)'
          : 'length(v::text)';
      const max = this.limits.maxValueLength + 1;
      const source = `SELECT ${quotePostgresIdentifier(target!.name)} AS v FROM ${qualified(table)}${
        maxRows === null ? '' : ` LIMIT ${maxRows}`
      }`;
      const rows = await this.readOnlyRows<Record<string, unknown>>(
        `SELECT count(*)::float8 AS row_count,
                (count(*) - count(v))::float8 AS null_count,
                count(DISTINCT ${distinct})::float8 AS distinct_count,
                ${orderable ? `left(min(v)::text, ${max})` : 'NULL'} AS min_value,
                ${orderable ? `left(max(v)::text, ${max})` : 'NULL'} AS max_value,
                min(${length})::float8 AS min_length,
                max(${length})::float8 AS max_length,
                avg(${length})::float8 AS avg_length
           FROM (${source}) AS profiled`,
        'object',
      );
      return profileFromRow(target!.name, rows[0]!, this.limits.maxValueLength, maxRows);
    });
  }

  async fingerprint(table: TableRef): Promise<string> {
    const [fingerprint] = await this.fingerprintMany([table]);
    if (fingerprint === null || fingerprint === undefined) throw new UnknownTableError(table);
    return fingerprint;
  }

  async fingerprintMany(tables: readonly TableRef[]): Promise<(string | null)[]> {
    const batches: TableRef[][] = [];
    for (let start = 0; start < tables.length; start += FINGERPRINT_BATCH)
      batches.push(tables.slice(start, start + FINGERPRINT_BATCH));
    // A few batches at once on the session's pooled connections (the server works on each).
    const results: (string | null)[][] = new Array(batches.length);
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const i = next++;
        results[i] = await this.fingerprintBatch(batches[i]!);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(FINGERPRINT_PARALLEL, batches.length) }, worker),
    );
    return results.flat();
  }

  /** Two round trips for the whole batch: the catalog, then every integer primary key's maximum. */
  private async fingerprintBatch(tables: readonly TableRef[]): Promise<(string | null)[]> {
    const { rows } = await this.pool.query<FingerprintRow>(
      `SELECT t.ord::text AS ord,
         (SELECT json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                                           pg_get_expr(d.adbin, d.adrelid)) ORDER BY a.attnum)
            FROM pg_attribute a
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
         CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS definition,
         -- relfilenode changes on TRUNCATE, VACUUM FULL, REFRESH and table rewrites; the
         -- cumulative tuple counters change on every committed write (no vacuum/analyze resets).
         -- The counters are read as pg_stat_all_tables does (null for relkinds it leaves out),
         -- without the view, which aggregates over every relation of the database. Only a
         -- partitioned table has more than itself to report (its partition tree).
         CASE WHEN c.relkind = 'p' THEN
           (SELECT json_agg(json_build_array(rc.oid, rc.relfilenode,
                                             CASE WHEN ${STAT_RELKINDS} THEN pg_stat_get_tuples_inserted(rc.oid) END,
                                             CASE WHEN ${STAT_RELKINDS} THEN pg_stat_get_tuples_updated(rc.oid) END,
                                             CASE WHEN ${STAT_RELKINDS} THEN pg_stat_get_tuples_deleted(rc.oid) END)
                            ORDER BY rc.oid)
              FROM pg_class rc
             WHERE rc.oid IN (SELECT c.oid UNION SELECT relid FROM pg_partition_tree(c.oid)))
         ELSE
           json_build_array(json_build_array(c.oid, c.relfilenode,
             CASE WHEN c.relkind IN ('r', 't', 'm', 'p') THEN pg_stat_get_tuples_inserted(c.oid) END,
             CASE WHEN c.relkind IN ('r', 't', 'm', 'p') THEN pg_stat_get_tuples_updated(c.oid) END,
             CASE WHEN c.relkind IN ('r', 't', 'm', 'p') THEN pg_stat_get_tuples_deleted(c.oid) END))
         END AS stats,
         (SELECT a.attname
            FROM pg_constraint con
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
           WHERE con.conrelid = c.oid AND con.contype = 'p' AND cardinality(con.conkey) = 1
             AND a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
           LIMIT 1) AS key_column
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(schema_name, table_name, ord)
         JOIN pg_namespace n ON n.nspname = t.schema_name
         JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name
                        AND c.relkind = ANY($3::text[])`,
      [tables.map(t => t.schema), tables.map(t => t.name), RELKINDS],
    );
    const found = new Map(rows.map(row => [Number(row.ord) - 1, row]));
    // Statistics reach pg_stat_* with a short delay; the maximum of an integer primary key is an
    // index lookup that sees an insert immediately.
    const keyed = [...found].filter(([, row]) => row.key_column !== null);
    const maxKeys = await this.maxIntegerKeys(
      keyed.map(([index, row]) => ({ index, table: tables[index]!, column: row.key_column! })),
    );
    return tables.map((_, index) => {
      const row = found.get(index);
      if (!row) return null;
      const { columns, definition, stats } = row;
      return hashParts('pg1', [{ columns, definition, stats }, maxKeys.get(index) ?? null]);
    });
  }

  /** `max(key)::text` of each table, in one statement (one per table if that one fails). */
  private async maxIntegerKeys(
    keys: readonly { index: number; table: TableRef; column: string }[],
  ): Promise<Map<number, string | null>> {
    const result = new Map<number, string | null>();
    if (keys.length > MAX_KEY_BATCH) {
      for (let start = 0; start < keys.length; start += MAX_KEY_BATCH) {
        const part = await this.maxIntegerKeys(keys.slice(start, start + MAX_KEY_BATCH));
        for (const [index, max] of part) result.set(index, max);
      }
      return result;
    }
    if (keys.length === 0) return result;
    const statement = (key: { index: number; table: TableRef; column: string }) =>
      `SELECT ${key.index} AS i, max(${quotePostgresIdentifier(key.column)})::text AS max FROM ${qualified(key.table)}`;
    try {
      const { rows } = await this.pool.query<{ i: number; max: string | null }>(
        keys.map(key => `(${statement(key)})`).join(' UNION ALL '),
      );
      for (const row of rows) result.set(Number(row.i), row.max);
    } catch (error) {
      if (!isStaleMetadataError(error)) throw error;
      // A table vanished between the two queries: find out which, one at a time.
      for (const key of keys) {
        try {
          const { rows } = await this.pool.query<{ max: string | null }>(statement(key));
          result.set(key.index, rows[0]?.max ?? null);
        } catch (inner) {
          if (!isStaleMetadataError(inner)) throw inner;
        }
      }
    }
    return result;
  }

  /**
   * Runs `fn` with the table's structure, from the session cache when it has it. When the cached
   * structure turns out stale (a requested column it lacks, or a statement failing on a missing
   * relation, column or function), it is read again from the catalog and `fn` runs once more, so
   * callers see exactly the errors a fresh read would give (`UnknownTableError`, ...).
   */
  private async withTable<T>(
    table: TableRef,
    fn: (resolved: ResolvedTable) => Promise<T>,
  ): Promise<T> {
    const cached = this.tables.get(cacheKey(table));
    if (cached) {
      try {
        return await fn(cached);
      } catch (error) {
        if (!(error instanceof UnknownColumnError) && !isStaleMetadataError(error)) throw error;
        this.tables.delete(cacheKey(table));
      }
    }
    return fn(await this.resolveTable(table));
  }

  /** Reads a table's structure and row estimate (one query) and caches it. */
  private async resolveTable(table: TableRef): Promise<ResolvedTable> {
    const { rows } = await this.pool.query<{
      oid: number;
      relkind: string;
      columns: TableColumnRow[] | null;
      estimate: number | null;
    }>(
      `SELECT c.oid, c.relkind::text AS relkind,
              (SELECT json_agg(json_build_object(
                        'name', a.attname,
                        'base_type', COALESCE(bt.typname, t.typname),
                        'typcategory', COALESCE(bt.typcategory, t.typcategory)::text) ORDER BY a.attnum)
                 FROM pg_attribute a
                 JOIN pg_type t ON t.oid = a.atttypid
                 LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
              CASE WHEN c.relkind IN ('r', 'm', 'p') THEN
                (SELECT sum(CASE WHEN lc.reltuples >= 0 THEN lc.reltuples ELSE s.n_live_tup END)::float8
                   FROM (SELECT c.oid AS relid UNION SELECT relid FROM pg_partition_tree(c.oid) WHERE isleaf) r
                   JOIN pg_class lc ON lc.oid = r.relid
                   LEFT JOIN pg_stat_all_tables s ON s.relid = r.relid
                  WHERE lc.relkind IN ('r', 'm'))
              END AS estimate
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = ANY($3::text[])`,
      [table.schema, table.name, RELKINDS],
    );
    const relation = rows[0];
    if (!relation) {
      this.tables.delete(cacheKey(table));
      throw new UnknownTableError(table);
    }
    const resolved: ResolvedTable = {
      oid: relation.oid,
      relkind: relation.relkind,
      columns: relation.columns ?? [],
      estimate: relation.estimate ?? 0,
    };
    if (this.tables.size >= TABLE_CACHE_LIMIT) this.tables.clear();
    this.tables.set(cacheKey(table), resolved);
    return resolved;
  }

  /**
   * Runs one SELECT inside `BEGIN READ ONLY ... ROLLBACK`, sent as a single message (one round
   * trip). The session already defaults to read-only transactions; the explicit block also undoes
   * any `SET` a function called by a view might make, so no statement can turn the session's
   * guards (read-only, statement timeout) off for the next one.
   */
  private async readOnlyRows<R = unknown[]>(
    sql: string,
    rowMode: 'array' | 'object' = 'array',
  ): Promise<R[]> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      const results = (await client.query({
        text: `BEGIN READ ONLY; ${sql}; ROLLBACK`,
        ...(rowMode === 'array' ? { rowMode: 'array' as const } : {}),
      })) as unknown as pg.QueryResult[];
      return results[1]!.rows as R[];
    } catch (error) {
      // The block stopped at the failing statement: end the aborted transaction.
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable; destroy it rather than return it to the pool.
        failure = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      }
      throw error;
    } finally {
      client.release(failure);
    }
  }
}

function sumEstimates(
  oid: number,
  relationsByOid: Map<number, RelationRow>,
  relations: readonly RelationRow[],
  estimate: (row: RelationRow) => number | null,
): number | null {
  const parent = relationsByOid.get(oid);
  if (!parent) return null;
  let total: number | null = null;
  for (const row of relations) {
    if (row.parent_schema !== parent.schema || row.parent_name !== parent.name) continue;
    const part =
      row.relkind === 'p'
        ? sumEstimates(row.oid, relationsByOid, relations, estimate)
        : estimate(row);
    if (part !== null) total = (total ?? 0) + part;
  }
  return total;
}

function connectPostgres(
  config: PostgresConfig,
  options?: ConnectOptions,
): Promise<ConnectorSession> {
  return PostgresSession.open(config, options);
}

export const postgresConnector: Connector<PostgresConfig> = {
  type: 'postgres',
  title: 'PostgreSQL',
  description:
    'PostgreSQL 12 or later: schemas, tables, views, materialized views, partitions, keys and comments.',
  configSchema: postgresConfigSchema,
  secretFields: ['password'],
  connect: connectPostgres,
  testConnection: (config, options) => testConnectionWith(() => connectPostgres(config, options)),
};
