import mysql from 'mysql2/promise';
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
  pickRandom,
  profileFromRow,
  profileRowLimit,
  type ResolvedConnectOptions,
  resolveConnectOptions,
  sampleLimit,
  selectColumns,
  toNumber,
} from '../internal/util.js';
import type {
  ColumnProfile,
  ColumnTypeCategory,
  ConnectOptions,
  DiscoveredTable,
  DiscoverOptions,
  Discovery,
  PartitionScheme,
  ProfileOptions,
  SampleMethod,
  SampleResult,
  SampleStrategy,
  TableRef,
} from '../types.js';

export const mysqlConfigSchema = z.object({
  host: z.string().min(1).describe('Host name or IP address of the MySQL or MariaDB server'),
  port: z.number().int().min(1).max(65535).default(3306).describe('TCP port'),
  database: z
    .string()
    .min(1)
    .optional()
    .describe('Database to scan; leave empty to scan every database the user can see'),
  user: z.string().min(1).describe('User name; SELECT privilege is enough'),
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

export type MysqlConfig = z.output<typeof mysqlConfigSchema>;

/** Quotes a MySQL identifier: wrap in backticks, double any embedded backtick. */
export function quoteMysqlIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

function qualified(table: TableRef): string {
  return `${quoteMysqlIdentifier(table.schema)}.${quoteMysqlIdentifier(table.name)}`;
}

const SYSTEM_SCHEMAS = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

/** `ORDER BY RAND()` sorts the whole table, so it is used only up to this many estimated rows. */
const SMALL_TABLE_ROWS = 10_000;

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const SPATIAL_TYPES = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);
const STRING_TYPES = new Set([
  'char',
  'varchar',
  'tinytext',
  'text',
  'mediumtext',
  'longtext',
  'set',
  'enum',
]);
const TEMPORAL_TYPES = new Set(['date', 'time', 'datetime', 'timestamp', 'year']);
const NUMERIC_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'real',
]);

function typeCategory(dataType: string, columnType: string): ColumnTypeCategory {
  if (columnType.startsWith('tinyint(1)') || columnType === 'bit(1)') return 'boolean';
  if (['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'year'].includes(dataType)) {
    return 'integer';
  }
  if (dataType === 'decimal' || dataType === 'numeric') return 'decimal';
  if (dataType === 'float' || dataType === 'double' || dataType === 'real') return 'float';
  if (dataType === 'date') return 'date';
  if (dataType === 'time') return 'time';
  if (dataType === 'datetime' || dataType === 'timestamp') return 'timestamp';
  if (dataType === 'enum') return 'enum';
  if (dataType === 'json') return 'json';
  if (dataType === 'uuid') return 'uuid';
  if (STRING_TYPES.has(dataType)) return 'string';
  if (BINARY_TYPES.has(dataType) || dataType === 'bit') return 'binary';
  if (SPATIAL_TYPES.has(dataType)) return 'spatial';
  return 'other';
}

type Row = mysql.RowDataPacket;

interface ColumnInfo {
  name: string;
  dataType: string;
}

interface TableInfo {
  columns: ColumnInfo[];
  rowEstimate: number | null;
}

/** Table structures kept per session, so sampling and profiling skip the catalog. */
const TABLE_CACHE_LIMIT = 20_000;

/** Errors a statement built from stale cached structure fails with (the table changed). */
const STALE_METADATA_CODES = new Set([
  'ER_NO_SUCH_TABLE',
  'ER_BAD_FIELD_ERROR',
  'ER_BAD_TABLE_ERROR',
]);

function isStaleMetadataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_METADATA_CODES.has(code);
}

const cacheKey = (table: TableRef) => `${table.schema}\u0000${table.name}`;

/** Tables fingerprinted per batch of catalog queries. */
const FINGERPRINT_BATCH = 500;
const INTEGER_TYPES = ['tinyint', 'smallint', 'mediumint', 'int', 'bigint'];

class MysqlSession implements ConnectorSession {
  private closed = false;
  /** Connections whose session settings have been applied (keyed by the driver's core connection). */
  private readonly prepared = new WeakSet<object>();
  /** Structure of the tables this session read or discovered, refreshed when found stale. */
  private readonly tables = new Map<string, TableInfo>();

  private constructor(
    private readonly pool: mysql.Pool,
    readonly serverVersion: string,
    private readonly isMariaDb: boolean,
    private readonly database: string | undefined,
    private readonly limits: ResolvedConnectOptions,
  ) {}

  static async open(config: MysqlConfig, options?: ConnectOptions): Promise<MysqlSession> {
    const limits = resolveConnectOptions(options);
    const pool = mysql.createPool({
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      database: config.database,
      ssl:
        config.ssl === 'disable'
          ? undefined
          : config.ssl === 'require'
            ? { rejectUnauthorized: false }
            : {
                rejectUnauthorized: true,
                ...(config.sslRootCert ? { ca: config.sslRootCert } : {}),
              },
      connectionLimit: limits.maxConnections,
      connectTimeout: limits.connectTimeoutMs,
      charset: 'UTF8MB4_GENERAL_CI',
      // Keep every value as text: we never compute on values, and text avoids float/date drift.
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      multipleStatements: false,
      // Server-side prepared statements are only used for the fixed catalog queries.
      maxPreparedStatements: 64,
    });
    try {
      const [rows] = await pool.query<Row[]>('SELECT VERSION() AS version');
      const version = String(rows[0]!.version);
      const session = new MysqlSession(
        pool,
        version,
        /mariadb/i.test(version),
        config.database,
        limits,
      );
      return session;
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
    return this.withConnection(async conn => {
      const [rows] = await conn.query<Row[]>(
        'SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME',
      );
      return rows.map(row => String(row.name));
    });
  }

  async discover(options: DiscoverOptions = {}): Promise<Discovery> {
    const filter = compileDiscoveryFilter(options);
    const databases = await this.listDatabases();
    const schemaNames = databases.filter(
      name =>
        (this.database === undefined || name === this.database) &&
        (options.includeSystemSchemas || !SYSTEM_SCHEMAS.has(name.toLowerCase())) &&
        filter.schema(name),
    );
    const tables = schemaNames.length ? await this.discoverTables(schemaNames) : [];
    const kept = tables.filter(table => filter.table({ schema: table.schema, name: table.name }));
    const bySchema = groupBy(kept, table => table.schema);
    return {
      connectorType: 'mysql',
      serverVersion: this.serverVersion,
      database: null,
      databases,
      schemas: schemaNames.map(name => ({ name, comment: null, tables: bySchema.get(name) ?? [] })),
      discoveredAt: new Date().toISOString(),
    };
  }

  private async discoverTables(schemaNames: readonly string[]): Promise<DiscoveredTable[]> {
    const inList = schemaNames.map(() => '?').join(', ');
    return this.withConnection(async conn => {
      // Bulk catalog queries (not per table); names travel as bound parameters.
      const query = async (sql: string) => (await conn.execute<Row[]>(sql, [...schemaNames]))[0];
      const tables = await query(
        `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_TYPE AS table_type,
                TABLE_ROWS AS table_rows, TABLE_COMMENT AS table_comment
           FROM information_schema.TABLES
          WHERE TABLE_SCHEMA IN (${inList}) AND TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VIEW', 'SYSTEM VERSIONED')
          ORDER BY TABLE_SCHEMA, TABLE_NAME`,
      );
      const views = await query(
        `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, VIEW_DEFINITION AS definition
           FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN (${inList})`,
      );
      const columns = await query(
        `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name,
                ORDINAL_POSITION AS ordinal, COLUMN_DEFAULT AS column_default, IS_NULLABLE AS is_nullable,
                DATA_TYPE AS data_type, COLUMN_TYPE AS column_type, COLUMN_COMMENT AS column_comment
           FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA IN (${inList})
          ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
      );
      const keys = await query(
        `SELECT k.TABLE_SCHEMA AS table_schema, k.TABLE_NAME AS table_name,
                k.CONSTRAINT_NAME AS constraint_name, c.CONSTRAINT_TYPE AS constraint_type,
                k.COLUMN_NAME AS column_name, k.REFERENCED_TABLE_SCHEMA AS ref_schema,
                k.REFERENCED_TABLE_NAME AS ref_table, k.REFERENCED_COLUMN_NAME AS ref_column
           FROM information_schema.KEY_COLUMN_USAGE k
           JOIN information_schema.TABLE_CONSTRAINTS c
             ON c.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND c.TABLE_NAME = k.TABLE_NAME
            AND c.CONSTRAINT_NAME = k.CONSTRAINT_NAME
          WHERE k.TABLE_SCHEMA IN (${inList}) AND c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'FOREIGN KEY')
          ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      );
      const partitions = await query(
        `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, PARTITION_NAME AS partition_name,
                PARTITION_METHOD AS method, PARTITION_EXPRESSION AS expression,
                PARTITION_DESCRIPTION AS description, TABLE_ROWS AS table_rows
           FROM information_schema.PARTITIONS
          WHERE TABLE_SCHEMA IN (${inList}) AND PARTITION_NAME IS NOT NULL
          ORDER BY TABLE_SCHEMA, TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION`,
      );

      const key = (row: Row) => `${row.table_schema}\u0000${row.table_name}`;
      const viewsByKey = new Map(views.map(row => [key(row), row.definition as string | null]));
      const columnsByKey = groupBy(columns, key);
      const keysByKey = groupBy(keys, key);
      const partitionsByKey = groupBy(partitions, key);

      // Sampling and profiling what was just discovered need no further catalog query.
      if (this.tables.size + tables.length > TABLE_CACHE_LIMIT) this.tables.clear();
      for (const row of tables.slice(0, TABLE_CACHE_LIMIT)) {
        this.tables.set(key(row), {
          columns: (columnsByKey.get(key(row)) ?? []).map(column => ({
            name: String(column.column_name),
            dataType: String(column.data_type).toLowerCase(),
          })),
          rowEstimate: String(row.table_type).includes('VIEW') ? null : toNumber(row.table_rows),
        });
      }

      return tables.map((row): DiscoveredTable => {
        const k = key(row);
        const isView = String(row.table_type).includes('VIEW');
        const tableKeys = keysByKey.get(k) ?? [];
        const primary = tableKeys.filter(r => r.constraint_type === 'PRIMARY KEY');
        const foreign = groupBy(
          tableKeys.filter(r => r.constraint_type === 'FOREIGN KEY'),
          r => String(r.constraint_name),
        );
        const partitioning = partitionScheme(partitionsByKey.get(k) ?? []);
        return {
          schema: String(row.table_schema),
          name: String(row.table_name),
          kind: isView ? 'view' : partitioning ? 'partitioned_table' : 'table',
          comment: isView || !row.table_comment ? null : String(row.table_comment),
          rowEstimate: isView ? null : toNumber(row.table_rows),
          definition: isView ? (viewsByKey.get(k) ?? null) : null,
          columns: (columnsByKey.get(k) ?? []).map((column, index) => ({
            name: String(column.column_name),
            ordinal: index + 1,
            dataType: String(column.column_type),
            typeCategory: typeCategory(
              String(column.data_type).toLowerCase(),
              String(column.column_type),
            ),
            nullable: column.is_nullable === 'YES',
            defaultValue: this.normalizeDefault(column.column_default),
            comment: column.column_comment ? String(column.column_comment) : null,
          })),
          primaryKey: primary.length
            ? { name: null, columns: primary.map(r => String(r.column_name)) }
            : null,
          foreignKeys: [...foreign.entries()].map(([name, rows]) => ({
            name,
            columns: rows.map(r => String(r.column_name)),
            referencedTable: {
              schema: String(rows[0]!.ref_schema),
              name: String(rows[0]!.ref_table),
            },
            referencedColumns: rows.map(r => String(r.ref_column)),
          })),
          partitioning,
          partitionOf: null,
        };
      });
    });
  }

  /** MariaDB reports "no default" as the literal text `NULL` (a string default would be `'NULL'`). */
  private normalizeDefault(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    const text = String(value);
    return this.isMariaDb && text === 'NULL' ? null : text;
  }

  async sample(
    table: TableRef,
    columns: readonly string[],
    n: number,
    strategy: SampleStrategy = 'first',
  ): Promise<SampleResult> {
    const limit = sampleLimit(n);
    return this.withTable(table, async (conn, info) => {
      const selected = selectColumns(info.columns, table, columns);
      const max = this.limits.maxValueLength;
      // Values are cut in SQL (one character over the limit, to detect truncation) so a huge
      // value never crosses the wire. Binary values are hex-encoded, geometries rendered as WKT.
      const expressions = selected.map(column => {
        const q = quoteMysqlIdentifier(column.name);
        if (BINARY_TYPES.has(column.dataType))
          return `HEX(LEFT(${q}, ${Math.ceil((max + 1) / 2)}))`;
        if (SPATIAL_TYPES.has(column.dataType)) return `LEFT(ST_AsText(${q}), ${max + 1})`;
        if (column.dataType === 'bit') return `BIN(${q})`;
        return `LEFT(CAST(${q} AS CHAR), ${max + 1})`;
      });
      const select = `SELECT ${expressions.join(', ')} FROM ${qualified(table)}`;
      // Dynamic SQL carries quoted identifiers and only validated integers, never bound values,
      // so the driver's placeholder expansion can never touch an identifier containing `?`.
      const run = async (sql: string) =>
        (await conn.query<mysql.RowDataPacket[][]>({ sql, rowsAsArray: true }))[0] as unknown[][];

      let rows: unknown[][] = [];
      let method: SampleMethod = 'first';
      if (limit > 0 && strategy === 'random') {
        const estimate = info.rowEstimate ?? 0;
        if (estimate > SMALL_TABLE_ROWS) {
          // One pass keeping each row with probability p (no sort), oversampled, then n picked
          // at random; widened when the estimate was too high and too few rows came back.
          method = 'bernoulli';
          for (let factor = 3; ; factor *= 10) {
            const probability = Math.min(1, (limit * factor) / estimate);
            rows = await run(
              `${select} WHERE RAND() < ${probability.toFixed(12)} LIMIT ${limit * factor}`,
            );
            if (rows.length >= limit || probability >= 1) break;
          }
          rows = pickRandom(rows, limit);
        } else {
          method = 'order_by_random';
          rows = await run(`${select} ORDER BY RAND() LIMIT ${limit}`);
        }
      } else if (limit > 0) {
        rows = await run(`${select} LIMIT ${limit}`);
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
    return this.withTable(table, async (conn, info) => {
      const [target] = selectColumns(info.columns, table, [column]);
      const type = target!.dataType;
      const orderable =
        NUMERIC_TYPES.has(type) || STRING_TYPES.has(type) || TEMPORAL_TYPES.has(type);
      const length =
        BINARY_TYPES.has(type) || SPATIAL_TYPES.has(type) ? 'LENGTH(v)' : 'CHAR_LENGTH(v)';
      const max = this.limits.maxValueLength + 1;
      const source = `SELECT ${quoteMysqlIdentifier(target!.name)} AS v FROM ${qualified(table)}${
        maxRows === null ? '' : ` LIMIT ${maxRows}`
      }`;
      const [rows] = await conn.query<Row[]>(
        `SELECT COUNT(*) AS row_count, COUNT(*) - COUNT(v) AS null_count,
                COUNT(DISTINCT v) AS distinct_count,
                ${orderable ? `LEFT(CAST(MIN(v) AS CHAR), ${max})` : 'NULL'} AS min_value,
                ${orderable ? `LEFT(CAST(MAX(v) AS CHAR), ${max})` : 'NULL'} AS max_value,
                MIN(${length}) AS min_length, MAX(${length}) AS max_length, AVG(${length}) AS avg_length
           FROM (${source}) AS profiled`,
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
    const results: (string | null)[] = [];
    for (let start = 0; start < tables.length; start += FINGERPRINT_BATCH) {
      const batch = tables.slice(start, start + FINGERPRINT_BATCH);
      results.push(...(await this.withConnection(conn => this.fingerprintBatch(conn, batch))));
    }
    return results;
  }

  /**
   * Four catalog queries for the whole batch (tables, columns, views, primary keys; only the
   * schemas involved), then one statement with every integer primary key's maximum.
   */
  private async fingerprintBatch(
    conn: mysql.PoolConnection,
    tables: readonly TableRef[],
  ): Promise<(string | null)[]> {
    const schemas = [...new Set(tables.map(t => t.schema))];
    // The schema list lets the server open only those schemas' metadata; the pairs keep the
    // rows to the batch's tables.
    const where = (prefix: string) =>
      `${prefix}TABLE_SCHEMA IN (${schemas.map(() => '?').join(', ')}) AND (${prefix}TABLE_SCHEMA, ${prefix}TABLE_NAME) IN (${tables.map(() => '(?, ?)').join(', ')})`;
    const params = [...schemas, ...tables.flatMap(t => [t.schema, t.name])];
    const query = async (sql: string) => (await conn.query<Row[]>(sql, params))[0];
    const meta = await query(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, TABLE_TYPE AS table_type, ENGINE AS engine,
              CREATE_TIME AS create_time, UPDATE_TIME AS update_time, TABLE_ROWS AS table_rows,
              AUTO_INCREMENT AS auto_increment
         FROM information_schema.TABLES WHERE ${where('')}`,
    );
    const columns = await query(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, COLUMN_NAME AS name, COLUMN_TYPE AS type,
              IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt
         FROM information_schema.COLUMNS WHERE ${where('')}
        ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    );
    const views = await query(
      `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t, VIEW_DEFINITION AS definition
         FROM information_schema.VIEWS WHERE ${where('')}`,
    );
    // UPDATE_TIME has one-second resolution and TABLE_ROWS is an estimate; the maximum of an
    // integer primary key (one index lookup) pins down inserts exactly.
    const keys = await query(
      `SELECT k.TABLE_SCHEMA AS s, k.TABLE_NAME AS t, k.COLUMN_NAME AS name, col.DATA_TYPE AS data_type
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.COLUMNS col
           ON col.TABLE_SCHEMA = k.TABLE_SCHEMA AND col.TABLE_NAME = k.TABLE_NAME AND col.COLUMN_NAME = k.COLUMN_NAME
        WHERE ${where('k.')} AND k.CONSTRAINT_NAME = 'PRIMARY'`,
    );
    // Names are matched exactly as given (they come from discovery).
    const key = (schema: unknown, name: unknown) => `${String(schema)}\u0000${String(name)}`;
    const strip = ({ s: _s, t: _t, ...rest }: Row) => rest;
    const metaByKey = groupBy(meta, row => key(row.s, row.t));
    const columnsByKey = groupBy(columns, row => key(row.s, row.t));
    const viewsByKey = groupBy(views, row => key(row.s, row.t));
    const keysByKey = groupBy(keys, row => key(row.s, row.t));

    const maxKeys = new Map<number, string | null>();
    const keyed = tables.flatMap((table, index) => {
      const pk = keysByKey.get(key(table.schema, table.name)) ?? [];
      const only = pk.length === 1 ? pk[0]! : undefined;
      return only && INTEGER_TYPES.includes(String(only.data_type).toLowerCase())
        ? [{ index, table, column: String(only.name) }]
        : [];
    });
    const statement = (k: { index: number; table: TableRef; column: string }) =>
      `SELECT ${k.index} AS i, MAX(${quoteMysqlIdentifier(k.column)}) AS max_key FROM ${qualified(k.table)}`;
    const read = async (sql: string) =>
      (await conn.query<Row[]>({ sql }))[0].forEach(row =>
        maxKeys.set(Number(row.i), row.max_key === null ? null : String(row.max_key)),
      );
    if (keyed.length > 0) {
      try {
        await read(keyed.map(k => `(${statement(k)})`).join(' UNION ALL '));
      } catch (error) {
        if (!isStaleMetadataError(error)) throw error;
        // A table vanished between the queries: find out which, one at a time.
        for (const k of keyed)
          await read(statement(k)).catch(inner => {
            if (!isStaleMetadataError(inner)) throw inner;
          });
      }
    }
    return tables.map((table, index) => {
      const k = key(table.schema, table.name);
      const tableMeta = metaByKey.get(k);
      if (!tableMeta) return null;
      return hashParts('mysql1', [
        tableMeta.map(strip),
        (columnsByKey.get(k) ?? []).map(strip),
        (viewsByKey.get(k) ?? []).map(row => row.definition),
        maxKeys.get(index) ?? null,
      ]);
    });
  }

  /**
   * Runs `fn` in a read-only transaction with the table's structure, from the session cache when
   * it has it. When the cached structure turns out stale (a requested column it lacks, or a
   * statement failing on a missing table or column), it is read again and `fn` runs once more,
   * so callers see exactly the errors a fresh read gives (`UnknownTableError`, ...).
   */
  private async withTable<T>(
    table: TableRef,
    fn: (conn: mysql.PoolConnection, info: TableInfo) => Promise<T>,
  ): Promise<T> {
    const cached = this.tables.get(cacheKey(table));
    if (cached) {
      try {
        return await this.readOnly(conn => fn(conn, cached));
      } catch (error) {
        if (!(error instanceof UnknownColumnError) && !isStaleMetadataError(error)) throw error;
        this.tables.delete(cacheKey(table));
      }
    }
    return this.readOnly(async conn => fn(conn, await this.resolveTable(conn, table)));
  }

  private async resolveTable(conn: mysql.PoolConnection, table: TableRef): Promise<TableInfo> {
    const [tables] = await conn.execute<Row[]>(
      `SELECT TABLE_TYPE AS table_type, TABLE_ROWS AS table_rows
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
      [table.schema, table.name],
    );
    if (tables.length === 0) {
      this.tables.delete(cacheKey(table));
      throw new UnknownTableError(table);
    }
    const [columns] = await conn.execute<Row[]>(
      `SELECT COLUMN_NAME AS name, DATA_TYPE AS data_type
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
        ORDER BY ORDINAL_POSITION`,
      [table.schema, table.name],
    );
    const info: TableInfo = {
      columns: columns.map(row => ({
        name: String(row.name),
        dataType: String(row.data_type).toLowerCase(),
      })),
      rowEstimate: String(tables[0]!.table_type).includes('VIEW')
        ? null
        : toNumber(tables[0]!.table_rows),
    };
    if (this.tables.size >= TABLE_CACHE_LIMIT) this.tables.clear();
    this.tables.set(cacheKey(table), info);
    return info;
  }

  /** Borrows a pooled connection with the session settings applied (once per physical connection). */
  private async withConnection<T>(fn: (conn: mysql.PoolConnection) => Promise<T>): Promise<T> {
    const conn = await this.pool.getConnection();
    try {
      if (!this.prepared.has(conn.connection)) {
        await conn.query('SET SESSION TRANSACTION READ ONLY');
        const seconds = this.limits.statementTimeoutMs / 1000;
        if (this.isMariaDb) {
          await conn.query(`SET SESSION max_statement_time = ${seconds}`);
        } else {
          await conn.query(`SET SESSION max_execution_time = ${this.limits.statementTimeoutMs}`);
          // MySQL 8 caches information_schema statistics for a day by default; fingerprints need
          // current values. Older servers lack the variable, which is fine.
          await conn
            .query('SET SESSION information_schema_stats_expiry = 0')
            .catch(() => undefined);
        }
        this.prepared.add(conn.connection);
      }
      return await fn(conn);
    } finally {
      conn.release();
    }
  }

  /**
   * Runs `fn` inside `START TRANSACTION READ ONLY`, always rolling back. The driver sends a
   * connection's commands in order, so the transaction start is pipelined with `fn`'s first
   * statement and the rollback with the next borrower's: no round trip waits on either.
   */
  private async readOnly<T>(fn: (conn: mysql.PoolConnection) => Promise<T>): Promise<T> {
    return this.withConnection(async conn => {
      const started = conn.query('START TRANSACTION READ ONLY');
      started.catch(() => undefined);
      try {
        const [result] = await Promise.all([fn(conn), started]);
        return result;
      } finally {
        conn.query('ROLLBACK').catch(() => undefined);
      }
    });
  }
}

function partitionScheme(rows: readonly Row[]): PartitionScheme | null {
  if (rows.length === 0) return null;
  // Sub-partitions repeat their partition's row; fold them into one entry per partition.
  const byName = groupBy(rows, row => String(row.partition_name));
  return {
    strategy: String(rows[0]!.method).toLowerCase(),
    key: rows[0]!.expression === null ? null : String(rows[0]!.expression),
    partitions: [...byName.entries()].map(([name, parts]) => ({
      name,
      table: null,
      bound: parts[0]!.description === null ? null : String(parts[0]!.description),
      rowEstimate: parts.reduce<number | null>((sum, part) => {
        const rowsInPart = toNumber(part.table_rows);
        return rowsInPart === null ? sum : (sum ?? 0) + rowsInPart;
      }, null),
    })),
  };
}

function connectMysql(config: MysqlConfig, options?: ConnectOptions): Promise<ConnectorSession> {
  return MysqlSession.open(config, options);
}

export const mysqlConnector: Connector<MysqlConfig> = {
  type: 'mysql',
  title: 'MySQL / MariaDB',
  description:
    'MySQL 5.7+ and MariaDB 10.3+: databases, tables, views, partitions, keys and comments.',
  configSchema: mysqlConfigSchema,
  secretFields: ['password'],
  connect: connectMysql,
  testConnection: (config, options) => testConnectionWith(() => connectMysql(config, options)),
};
