import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBetterSqlite, sqliteTransaction } from './sqliteTransaction';
import { STATEMENT_CACHE_SIZE, tuneSqlite } from './sqliteTuning';

/** SQLite only: the tuning and the synchronous transactions are no-ops or unused elsewhere. */
describe('SQLite tuning and synchronous transactions', () => {
  let dir: string;
  let knex: Knex;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-sqlite-'));
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'db.sqlite') },
      useNullAsDefault: true,
    });
    await tuneSqlite(knex);
    await knex.schema.createTable('items', table => {
      table.string('id').primary();
      table.integer('n').notNullable();
    });
  });
  afterEach(async () => {
    await knex.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sets WAL, memory-mapped reads and a larger page cache', async () => {
    const pragma = async (name: string) =>
      Object.values(((await knex.raw(`PRAGMA ${name}`)) as Record<string, unknown>[])[0]!)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(Number(await pragma('mmap_size'))).toBeGreaterThan(0);
    expect(Number(await pragma('cache_size'))).toBe(-64 * 1024);
  });

  it('gives the planner statistics for tables that grew, when a connection opens', async () => {
    await knex.schema.alterTable('items', table => table.index(['n'], 'items_n_idx'));
    await knex.batchInsert(
      'items',
      Array.from({ length: 2000 }, (_, i) => ({ id: `k${i}`, n: i % 10 })),
      500,
    );
    const stats = () =>
      knex.raw(`SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'items' ORDER BY idx`);
    expect(await knex.schema.hasTable('sqlite_stat1')).toBe(false);
    // A restart opens a new connection: the never-analysed table is analysed.
    await knex.destroy();
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'db.sqlite') },
      useNullAsDefault: true,
    });
    await tuneSqlite(knex);
    expect(await stats()).toContainEqual({ idx: 'items_n_idx', stat: '2000 200' });
  });

  it('reuses prepared statements, and still sees schema changes', async () => {
    const connection = (await knex.client.acquireConnection()) as {
      prepare(sql: string): unknown;
    };
    try {
      expect(connection.prepare('SELECT n FROM items')).toBe(
        connection.prepare('SELECT n FROM items'),
      );
      expect(connection.prepare('SELECT n FROM items')).not.toBe(
        connection.prepare('SELECT id FROM items'),
      );
    } finally {
      await knex.client.releaseConnection(connection);
    }
    await knex('items').insert({ id: 'a', n: 1 });
    expect(await knex('items').select('n')).toEqual([{ n: 1 }]);
    await knex.schema.alterTable('items', table => table.string('label'));
    await knex('items').update({ label: 'x' });
    // The same SQL text as before the new column: SQLite re-prepares the cached statement.
    expect(await knex.raw('SELECT * FROM items')).toEqual([{ id: 'a', n: 1, label: 'x' }]);
    // Many distinct statements: the cache stays bounded and queries keep working.
    for (let i = 0; i < STATEMENT_CACHE_SIZE + 10; i++) await knex.raw(`SELECT ${i} AS v`);
    expect(await knex('items').count({ c: '*' })).toEqual([{ c: 1 }]);
  });

  it('runs a synchronous transaction on the pool connection, rolled back when it throws', async () => {
    expect(isBetterSqlite(knex)).toBe(true);
    const inserted = await sqliteTransaction(knex, db => {
      db.prepare('INSERT INTO items (id, n) VALUES (?, ?)').run('b', 2);
      return db.prepare('SELECT n FROM items WHERE id = ?').get('b');
    });
    expect(inserted).toEqual({ n: 2 });
    await expect(
      sqliteTransaction(knex, db => {
        db.prepare('INSERT INTO items (id, n) VALUES (?, ?)').run('c', 3);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await knex('items').pluck('id')).toEqual(['b']);
    // Serialized with knex's own queries and transactions on the same pool.
    await Promise.all([
      knex.transaction(async trx => {
        await trx('items').insert({ id: 'd', n: 4 });
        await trx('items').where({ id: 'd' }).update({ n: 5 });
      }),
      sqliteTransaction(knex, db => db.prepare('UPDATE items SET n = n + 10').run()),
    ]);
    const rows = Object.fromEntries(
      ((await knex('items')) as { id: string; n: number }[]).map(r => [r.id, r.n]),
    );
    expect(rows.b).toBe(12);
    // Whichever ran first, each ran whole: 5, or 5 then +10.
    expect([5, 15]).toContain(rows.d);
  });
});
