import nodePath from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import {
  type Connector,
  type ConnectorSession,
  testConnectionWith,
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
  toNumber,
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
  ProfileOptions,
  SampleResult,
  SampleStrategy,
  TableRef,
} from '../types.js';

export const sqliteConfigSchema = z.object({
  path: z.string().min(1).describe('Path of the SQLite database file on the Racine backend host'),
});

export type SqliteConfig = z.output<typeof sqliteConfigSchema>;

/** Quotes a SQLite identifier: wrap in double quotes, double any embedded double quote. */
export function quoteSqliteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function qualified(table: TableRef): string {
  return `${quoteSqliteIdentifier(table.schema)}.${quoteSqliteIdentifier(table.name)}`;
}

/**
 * Category from a declared type, following SQLite's own affinity rules (section 3.1 of
 * https://www.sqlite.org/datatype3.html) refined with common type names.
 */
function typeCategory(declared: string): ColumnTypeCategory {
  const type = declared.toUpperCase();
  if (type === '') return 'other';
  if (/^(BOOL|BOOLEAN)\b/.test(type)) return 'boolean';
  if (/\bUUID\b/.test(type)) return 'uuid';
  if (/\bJSONB?\b/.test(type)) return 'json';
  if (/^DATETIME|^TIMESTAMP/.test(type)) return 'timestamp';
  if (/^DATE\b/.test(type)) return 'date';
  if (/^TIME\b/.test(type)) return 'time';
  if (type.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(type)) return 'string';
  if (type.includes('BLOB')) return 'binary';
  if (/REAL|FLOA|DOUB/.test(type)) return 'float';
  if (/DECIMAL|NUMERIC/.test(type)) return 'decimal';
  return 'other';
}

interface SchemaObjectRow {
  type: 'table' | 'view';
  name: string;
  sql: string | null;
}

interface ColumnRow {
  cid: number;
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  hidden: number;
}

interface ForeignKeyRow {
  id: number;
  seq: number;
  table: string;
  from: string;
  to: string | null;
}

/**
 * better-sqlite3 is synchronous: calls block the event loop for their duration. Sampling and
 * profiling are bounded by LIMIT; there is no statement timeout to rely on.
 */
class SqliteSession implements ConnectorSession {
  private constructor(
    private readonly db: Database.Database,
    readonly serverVersion: string,
    private readonly path: string,
    private readonly limits: ResolvedConnectOptions,
  ) {}

  static async open(config: SqliteConfig, options?: ConnectOptions): Promise<SqliteSession> {
    const limits = resolveConnectOptions(options);
    const db = new Database(config.path, {
      readonly: true,
      fileMustExist: true,
      timeout: limits.connectTimeoutMs,
    });
    try {
      // Belt and braces on top of the read-only handle: refuse any statement that writes.
      db.pragma('query_only = ON');
      const { version } = db.prepare('SELECT sqlite_version() AS version').get() as {
        version: string;
      };
      return new SqliteSession(db, `SQLite ${version}`, config.path, limits);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async listDatabases(): Promise<string[]> {
    return this.databaseNames();
  }

  private databaseNames(): string[] {
    return (
      this.db.prepare('SELECT name FROM pragma_database_list ORDER BY seq').all() as {
        name: string;
      }[]
    ).map(row => row.name);
  }

  async discover(options: DiscoverOptions = {}): Promise<Discovery> {
    const filter = compileDiscoveryFilter(options);
    const databases = this.databaseNames();
    const schemaNames = databases.filter(
      name => (options.includeSystemSchemas || name !== 'temp') && filter.schema(name),
    );
    return {
      connectorType: 'sqlite',
      serverVersion: this.serverVersion,
      // The file's name, not its path: catalog refs must not change when the file moves.
      database: sqliteDatabaseName(this.path),
      databases,
      schemas: schemaNames.map(schema => ({
        name: schema,
        comment: null,
        tables: this.discoverSchema(schema, options.includeSystemSchemas ?? false).filter(table =>
          filter.table({ schema, name: table.name }),
        ),
      })),
      discoveredAt: new Date().toISOString(),
    };
  }

  private discoverSchema(schema: string, includeInternal: boolean): DiscoveredTable[] {
    const objects = this.db
      .prepare(
        `SELECT type, name, sql FROM ${quoteSqliteIdentifier(schema)}.sqlite_schema
          WHERE type IN ('table', 'view') ORDER BY name`,
      )
      .all() as SchemaObjectRow[];
    // `sqlite_` names are reserved for SQLite's own tables (sqlite_sequence, sqlite_stat1, ...).
    const visible = objects.filter(o => includeInternal || !o.name.startsWith('sqlite_'));
    const statistics = this.rowStatistics(schema, objects);
    return visible.map(object => {
      const columns = this.columns(schema, object.name);
      const primaryKey = columns
        .filter(column => column.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map(column => column.name);
      const isView = object.type === 'view';
      return {
        schema,
        name: object.name,
        kind: isView ? 'view' : 'table',
        comment: null,
        rowEstimate: isView
          ? null
          : (statistics.get(object.name) ?? this.countRows({ schema, name: object.name })),
        definition: isView ? object.sql : null,
        columns: columns.map((column, index): DiscoveredColumn => ({
          name: column.name,
          ordinal: index + 1,
          dataType: column.type,
          typeCategory: typeCategory(column.type),
          nullable: column.notnull === 0 && column.pk === 0,
          defaultValue: column.dflt_value,
          comment: null,
        })),
        primaryKey: primaryKey.length ? { name: null, columns: primaryKey } : null,
        foreignKeys: isView ? [] : this.foreignKeys(schema, object.name),
        partitioning: null,
        partitionOf: null,
      };
    });
  }

  /** Row counts recorded by ANALYZE in `sqlite_stat1`, when that table exists. */
  private rowStatistics(schema: string, objects: readonly SchemaObjectRow[]): Map<string, number> {
    const statistics = new Map<string, number>();
    if (!objects.some(o => o.name === 'sqlite_stat1')) return statistics;
    const rows = this.db
      .prepare(`SELECT tbl, stat FROM ${quoteSqliteIdentifier(schema)}.sqlite_stat1`)
      .all() as { tbl: string; stat: string | null }[];
    for (const row of rows) {
      const count = toNumber(String(row.stat ?? '').split(' ')[0]);
      if (count !== null && !statistics.has(row.tbl)) statistics.set(row.tbl, count);
    }
    return statistics;
  }

  private columns(schema: string, table: string): ColumnRow[] {
    // Table-valued pragma functions take the names as bound parameters: no quoting involved.
    // hidden = 1 marks hidden columns of virtual tables; 2 and 3 are generated columns, kept.
    return (
      this.db
        .prepare(
          'SELECT cid, name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?, ?)',
        )
        .all(table, schema) as ColumnRow[]
    ).filter(column => column.hidden !== 1);
  }

  private foreignKeys(schema: string, table: string): ForeignKey[] {
    const rows = this.db
      .prepare(
        'SELECT id, seq, "table", "from", "to" FROM pragma_foreign_key_list(?, ?) ORDER BY id, seq',
      )
      .all(table, schema) as ForeignKeyRow[];
    return [...groupBy(rows, row => row.id).values()].map(group => {
      const referenced = group[0]!.table;
      // `REFERENCES parent` without columns means the parent's primary key.
      const implicit = group.some(row => row.to === null)
        ? this.columns(schema, referenced)
            .filter(column => column.pk > 0)
            .sort((a, b) => a.pk - b.pk)
            .map(column => column.name)
        : [];
      return {
        name: null,
        columns: group.map(row => row.from),
        referencedTable: { schema, name: referenced },
        referencedColumns: group.map((row, index) => row.to ?? implicit[index] ?? ''),
      };
    });
  }

  private countRows(table: TableRef): number {
    const row = this.db.prepare(`SELECT count(*) AS n FROM ${qualified(table)}`).get() as {
      n: number;
    };
    return row.n;
  }

  private resolveTable(table: TableRef): {
    type: 'table' | 'view';
    sql: string | null;
    columns: ColumnRow[];
  } {
    if (!this.databaseNames().includes(table.schema)) throw new UnknownTableError(table);
    const object = this.db
      .prepare(
        `SELECT type, name, sql FROM ${quoteSqliteIdentifier(table.schema)}.sqlite_schema
          WHERE type IN ('table', 'view') AND name = ?`,
      )
      .get(table.name) as SchemaObjectRow | undefined;
    if (!object) throw new UnknownTableError(table);
    return { type: object.type, sql: object.sql, columns: this.columns(table.schema, table.name) };
  }

  async sample(
    table: TableRef,
    columns: readonly string[],
    n: number,
    strategy: SampleStrategy = 'first',
  ): Promise<SampleResult> {
    const limit = sampleLimit(n);
    const resolved = this.resolveTable(table);
    const selected = selectColumns(resolved.columns, table, columns);
    const max = this.limits.maxValueLength;
    // Values are cut in SQL (one character over the limit, to detect truncation); SQLite columns
    // can hold any storage class, so blobs are recognised per value rather than per column.
    const expressions = selected.map(column => {
      const q = quoteSqliteIdentifier(column.name);
      return `CASE WHEN typeof(${q}) = 'blob' THEN hex(substr(${q}, 1, ${Math.ceil((max + 1) / 2)}))
                   ELSE substr(CAST(${q} AS TEXT), 1, ${max + 1}) END`;
    });
    // A local file: sorting by random() is bounded by LIMIT's top-N heap and costs one scan.
    const order = strategy === 'random' ? ' ORDER BY random()' : '';
    const rows =
      limit === 0
        ? []
        : (this.db
            .prepare(
              `SELECT ${expressions.join(', ')} FROM ${qualified(table)}${order} LIMIT ${limit}`,
            )
            .raw(true)
            .all() as unknown[][]);
    const bounded = boundRows(rows, max);
    return {
      columns: selected.map(column => column.name),
      rows: bounded.rows,
      strategy,
      method: strategy === 'random' ? 'order_by_random' : 'first',
      truncatedValues: bounded.truncatedValues,
    };
  }

  async profile(
    table: TableRef,
    column: string,
    options: ProfileOptions = {},
  ): Promise<ColumnProfile> {
    const maxRows = profileRowLimit(options.maxRows);
    const resolved = this.resolveTable(table);
    const [target] = selectColumns(resolved.columns, table, [column]);
    const max = this.limits.maxValueLength + 1;
    const source = `SELECT ${quoteSqliteIdentifier(target!.name)} AS v FROM ${qualified(table)}${
      maxRows === null ? '' : ` LIMIT ${maxRows}`
    }`;
    // min/max of blobs are not meaningful as text; SQLite orders every other storage class.
    const bound = (aggregate: string) =>
      `CASE WHEN typeof(${aggregate}(v)) = 'blob' THEN NULL ELSE substr(CAST(${aggregate}(v) AS TEXT), 1, ${max}) END`;
    const row = this.db
      .prepare(
        `SELECT count(*) AS row_count, count(*) - count(v) AS null_count, count(DISTINCT v) AS distinct_count,
                ${bound('min')} AS min_value, ${bound('max')} AS max_value,
                min(length(v)) AS min_length, max(length(v)) AS max_length, avg(length(v)) AS avg_length
           FROM (${source})`,
      )
      .get() as Record<string, unknown>;
    return profileFromRow(target!.name, row, this.limits.maxValueLength, maxRows);
  }

  async fingerprint(table: TableRef): Promise<string> {
    const resolved = this.resolveTable(table);
    let data: unknown[] = [];
    if (resolved.type === 'table') {
      // count(*) walks the smallest b-tree; max(rowid) is one seek. WITHOUT ROWID tables have no rowid.
      const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(resolved.sql ?? '');
      const row = this.db
        .prepare(
          `SELECT count(*) AS n${withoutRowid ? '' : ', max(rowid) AS max_rowid'} FROM ${qualified(table)}`,
        )
        .get() as Record<string, unknown>;
      data = [row.n, row.max_rowid ?? null];
    }
    return hashParts('sqlite1', [
      resolved.sql,
      resolved.columns.map(c => [c.name, c.type, c.notnull, c.dflt_value, c.pk]),
      data,
    ]);
  }

  /** In-process, so no round trips to save: `fingerprint` per table, `null` for unknown ones. */
  async fingerprintMany(tables: readonly TableRef[]): Promise<(string | null)[]> {
    const results: (string | null)[] = [];
    for (const table of tables) {
      try {
        results.push(await this.fingerprint(table));
      } catch (error) {
        if (!(error instanceof UnknownTableError)) throw error;
        results.push(null);
      }
    }
    return results;
  }
}

function connectSqlite(config: SqliteConfig, options?: ConnectOptions): Promise<ConnectorSession> {
  return SqliteSession.open(config, options);
}

export const sqliteConnector: Connector<SqliteConfig> = {
  type: 'sqlite',
  title: 'SQLite',
  description: 'A SQLite database file readable by the Racine backend, opened read-only.',
  configSchema: sqliteConfigSchema,
  secretFields: [],
  connect: connectSqlite,
  testConnection: (config, options) => testConnectionWith(() => connectSqlite(config, options)),
};

/** `/data/sample-retail.sqlite` → `sample-retail`. */
export function sqliteDatabaseName(file: string): string {
  return nodePath.basename(file).replace(/\.(sqlite3?|db3?)$/i, '') || 'main';
}
