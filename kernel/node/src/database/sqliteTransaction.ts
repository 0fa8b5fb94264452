import type { Knex } from 'knex';

/** The parts of a better-sqlite3 statement a synchronous transaction uses. */
export interface SqliteStatementLike {
  run(...bindings: unknown[]): { changes: number };
  get(...bindings: unknown[]): Record<string, unknown> | undefined;
  all(...bindings: unknown[]): Record<string, unknown>[];
}

/** The parts of a better-sqlite3 connection a synchronous transaction uses. */
export interface SqliteConnectionLike {
  prepare(source: string): SqliteStatementLike;
  transaction<T>(fn: () => T): { immediate(): T };
}

/** Whether `knex` talks to SQLite through better-sqlite3 (so `sqliteTransaction` applies). */
export function isBetterSqlite(knex: Knex): boolean {
  return String(knex.client.config.client) === 'better-sqlite3';
}

/**
 * Runs `work` synchronously on knex's own SQLite connection: for the few statements a hot path
 * issues many times per second, where knex's builder and promise chain weigh more than the
 * statement itself. The connection comes from knex's pool, so it is serialized with every
 * other knex query; prepared statements are cached per connection (see `tuneSqlite`). Only
 * for better-sqlite3 (`isBetterSqlite`).
 */
export async function withSqliteConnection<T>(
  knex: Knex,
  work: (db: SqliteConnectionLike) => T,
): Promise<T> {
  const connection = (await knex.client.acquireConnection()) as SqliteConnectionLike;
  try {
    return work(connection);
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/** `withSqliteConnection` inside `BEGIN IMMEDIATE … COMMIT`, rolled back when `work` throws. */
export function sqliteTransaction<T>(
  knex: Knex,
  work: (db: SqliteConnectionLike) => T,
): Promise<T> {
  return withSqliteConnection(knex, db => db.transaction(() => work(db)).immediate());
}
