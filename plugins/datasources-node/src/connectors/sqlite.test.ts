import { basename } from 'node:path';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorSession, UnknownColumnError, UnknownTableError } from '../connector.js';
import type { DiscoveredTable, Discovery, TableRef } from '../types.js';
import { quoteSqliteIdentifier as q, sqliteConnector } from './sqlite.js';

const HOSTILE_TABLES = [
  'x"; DROP TABLE victims; --',
  'x`; DROP TABLE victims; --',
  'select',
  'order',
  'user',
  'clients_é',
  '日本',
  'q?$1 :a @b',
];
const HOSTILE_COLUMNS = [
  'select',
  'order',
  'user',
  'clients_é',
  '日本',
  'col with space',
  'semi;colon',
  'quote"d',
  'back`tick',
  '?1',
];

let dir: string;
let path: string;
let writer: Database.Database;
let session: ConnectorSession;
let discovery: Discovery;

const customers: TableRef = { schema: 'main', name: 'customers' };

function table(name: string): DiscoveredTable {
  const found = discovery.schemas.find(s => s.name === 'main')?.tables.find(t => t.name === name);
  if (!found) throw new Error(`${name} not discovered`);
  return found;
}

function victimCount(): number {
  return (writer.prepare('SELECT count(*) AS n FROM victims').get() as { n: number }).n;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'racine-sqlite-'));
  path = join(dir, 'shop.db');
  writer = new Database(path);
  writer.exec(`
    CREATE TABLE victims (id INTEGER PRIMARY KEY);
    INSERT INTO victims VALUES (1), (2), (3);
    CREATE TABLE customers (
      id INTEGER PRIMARY KEY,
      email TEXT NOT NULL,
      name VARCHAR(100),
      code CHAR(3) DEFAULT 'abc',
      score NUMERIC(5, 2),
      active BOOLEAN NOT NULL DEFAULT 1,
      avatar BLOB,
      bio TEXT,
      created_at DATETIME DEFAULT CURRENT_TIMESTAMP
    );
    CREATE INDEX customers_email ON customers (email);
    CREATE TABLE orders (
      id INTEGER PRIMARY KEY,
      customer_id INTEGER NOT NULL REFERENCES customers,
      total REAL
    );
    CREATE TABLE order_lines (
      order_id INTEGER REFERENCES orders (id),
      line_no INTEGER,
      sku TEXT,
      PRIMARY KEY (order_id, line_no)
    ) WITHOUT ROWID;
    CREATE TABLE no_key (v TEXT);
    INSERT INTO no_key VALUES ('a'), ('b');
    CREATE VIEW active_customers AS SELECT id, email FROM customers WHERE active;
  `);
  const insert = writer.prepare(
    'INSERT INTO customers (email, name, score, active, avatar, bio) VALUES (?, ?, ?, ?, ?, ?)',
  );
  writer.transaction(() => {
    for (let g = 1; g <= 200; g++) {
      insert.run(
        `user${g}@example.com`,
        g % 10 === 0 ? null : `Name ${g}`,
        (g % 50) + 0.5,
        g % 4 !== 0 ? 1 : 0,
        Buffer.from('deadbeef', 'hex'),
        g === 1 ? 'é'.repeat(5000) : 'short',
      );
    }
  })();
  writer.exec('ANALYZE customers');
  const columns = HOSTILE_COLUMNS.map(c => `${q(c)} TEXT`).join(', ');
  for (const name of HOSTILE_TABLES) {
    writer.exec(`CREATE TABLE ${q(name)} (${columns})`);
    writer
      .prepare(`INSERT INTO ${q(name)} VALUES (${HOSTILE_COLUMNS.map(() => '?').join(', ')})`)
      .run(...HOSTILE_COLUMNS.map(c => `value of ${c}`));
  }
  session = await sqliteConnector.connect({ path });
  discovery = await session.discover();
});

afterAll(async () => {
  await session?.close();
  writer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sqlite discovery', () => {
  it('reports the file name, the attached databases and hides sqlite_ tables', () => {
    expect(discovery).toMatchObject({
      connectorType: 'sqlite',
      database: basename(path).replace(/\.(sqlite3?|db3?)$/i, ''),
      databases: ['main'],
    });
    expect(discovery.serverVersion).toMatch(/^SQLite 3\./);
    const names = discovery.schemas[0]!.tables.map(t => t.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'customers',
        'orders',
        'order_lines',
        'active_customers',
        ...HOSTILE_TABLES,
      ]),
    );
    expect(names.some(n => n.startsWith('sqlite_'))).toBe(false);
  });

  it('describes columns: ordinal, declared type, nullability, default', () => {
    const t = table('customers');
    expect(
      t.columns.map(c => [
        c.ordinal,
        c.name,
        c.dataType,
        c.typeCategory,
        c.nullable,
        c.defaultValue,
      ]),
    ).toEqual([
      [1, 'id', 'INTEGER', 'integer', false, null],
      [2, 'email', 'TEXT', 'string', false, null],
      [3, 'name', 'VARCHAR(100)', 'string', true, null],
      [4, 'code', 'CHAR(3)', 'string', true, "'abc'"],
      [5, 'score', 'NUMERIC(5, 2)', 'decimal', true, null],
      [6, 'active', 'BOOLEAN', 'boolean', false, '1'],
      [7, 'avatar', 'BLOB', 'binary', true, null],
      [8, 'bio', 'TEXT', 'string', true, null],
      [9, 'created_at', 'DATETIME', 'timestamp', true, 'CURRENT_TIMESTAMP'],
    ]);
  });

  it('reports keys, including implicit foreign-key targets and WITHOUT ROWID tables', () => {
    expect(table('customers').primaryKey).toEqual({ name: null, columns: ['id'] });
    expect(table('order_lines').primaryKey).toEqual({
      name: null,
      columns: ['order_id', 'line_no'],
    });
    expect(table('orders').foreignKeys).toEqual([
      {
        name: null,
        columns: ['customer_id'],
        referencedTable: customers,
        referencedColumns: ['id'],
      },
    ]);
    expect(table('order_lines').foreignKeys).toEqual([
      {
        name: null,
        columns: ['order_id'],
        referencedTable: { schema: 'main', name: 'orders' },
        referencedColumns: ['id'],
      },
    ]);
    expect(table('no_key').primaryKey).toBeNull();
  });

  it('reports views with their SQL and row counts (ANALYZE statistics or count)', () => {
    const view = table('active_customers');
    expect(view).toMatchObject({ kind: 'view', rowEstimate: null });
    expect(view.definition).toBe(
      'CREATE VIEW active_customers AS SELECT id, email FROM customers WHERE active',
    );
    expect(table('customers').rowEstimate).toBe(200);
    expect(table('no_key').rowEstimate).toBe(2);
  });

  it('applies filters and can show internal tables', async () => {
    const filtered = await session.discover({
      includeTables: t => /^orders?_|^orders$/.test(t.name),
    });
    expect(filtered.schemas[0]!.tables.map(t => t.name)).toEqual(['order_lines', 'orders']);
    const internal = await session.discover({
      includeSystemSchemas: true,
      includeTables: 'sqlite_*',
    });
    expect(internal.schemas[0]!.tables.map(t => t.name)).toContain('sqlite_stat1');
  });
});

describe('sqlite sampling and profiling', () => {
  it('samples first and random rows, as text, blobs as hex, truncated', async () => {
    const first = await session.sample(customers, [], 10);
    expect(first.method).toBe('first');
    expect(first.rows[9]).toEqual([
      '10',
      'user10@example.com',
      null,
      'abc',
      '10.5',
      '1',
      'DEADBEEF',
      'short',
      expect.any(String),
    ]);
    expect(first.rows[0]![7]).toBe('é'.repeat(1024));
    expect(first.truncatedValues).toBe(1);

    const random = await session.sample(customers, ['id'], 20, 'random');
    expect(random.method).toBe('order_by_random');
    expect(new Set(random.rows.map(r => r[0])).size).toBe(20);
    expect(random.rows.some(r => Number(r[0]) > 20)).toBe(true);
    expect((await session.sample(customers, ['id'], 500)).rows).toHaveLength(200);
    expect(
      (await session.sample({ schema: 'main', name: 'active_customers' }, [], 3)).rows,
    ).toHaveLength(3);
  });

  it('rejects unknown tables, schemas and columns', async () => {
    await expect(session.sample({ schema: 'main', name: 'nope' }, [], 1)).rejects.toBeInstanceOf(
      UnknownTableError,
    );
    await expect(
      session.sample({ schema: 'other', name: 'customers' }, [], 1),
    ).rejects.toBeInstanceOf(UnknownTableError);
    await expect(session.profile(customers, 'nope')).rejects.toBeInstanceOf(UnknownColumnError);
  });

  it('profiles columns', async () => {
    const lengths = Array.from({ length: 200 }, (_, i) => `user${i + 1}@example.com`.length);
    const email = await session.profile(customers, 'email');
    expect(email).toMatchObject({
      rowCount: 200,
      nullCount: 0,
      distinctCount: 200,
      minLength: Math.min(...lengths),
      maxLength: Math.max(...lengths),
    });
    expect(email.avgLength).toBeCloseTo(lengths.reduce((a, b) => a + b, 0) / 200, 6);
    expect(await session.profile(customers, 'name')).toMatchObject({
      nullCount: 20,
      distinctCount: 180,
    });
    expect(await session.profile(customers, 'score')).toMatchObject({
      min: '0.5',
      max: '49.5',
      distinctCount: 50,
    });
    expect(await session.profile(customers, 'avatar')).toMatchObject({
      distinctCount: 1,
      min: null,
      max: null,
      maxLength: 4,
    });
    expect(await session.profile(customers, 'bio')).toMatchObject({
      max: 'é'.repeat(1024),
      maxLength: 5000,
    });
    expect(await session.profile(customers, 'id', { maxRows: 10 })).toMatchObject({
      rowCount: 10,
      limitedToRows: 10,
    });
  });
});

describe('sqlite fingerprints', () => {
  it('is stable while nothing changes and changes after inserts, deletes and DDL', async () => {
    const before = await session.fingerprint(customers);
    expect(await session.fingerprint(customers)).toBe(before);
    writer.prepare("INSERT INTO customers (email) VALUES ('new@example.com')").run();
    const afterInsert = await session.fingerprint(customers);
    expect(afterInsert).not.toBe(before);
    writer.exec("DELETE FROM customers WHERE email = 'new@example.com'");
    const afterDelete = await session.fingerprint(customers);
    expect(afterDelete).not.toBe(afterInsert);
    writer.exec('ALTER TABLE customers ADD COLUMN note TEXT');
    expect(await session.fingerprint(customers)).not.toBe(afterDelete);

    const lines: TableRef = { schema: 'main', name: 'order_lines' };
    const linesBefore = await session.fingerprint(lines);
    writer.exec(
      "INSERT INTO orders VALUES (1, 2, 9.5); INSERT INTO order_lines VALUES (1, 1, 'sku')",
    );
    expect(await session.fingerprint(lines)).not.toBe(linesBefore);
  });

  it('fingerprints many tables at once, equal to one at a time, null for unknown ones', async () => {
    const tables: TableRef[] = [
      ...discovery.schemas.flatMap(s => s.tables.map(t => ({ schema: t.schema, name: t.name }))),
      { schema: 'main', name: 'nope' },
      { schema: 'other', name: 'customers' },
    ];
    const many = await session.fingerprintMany!(tables);
    expect(many).toHaveLength(tables.length);
    for (const [i, ref] of tables.entries()) {
      if (i >= tables.length - 2) expect(many[i]).toBeNull();
      else expect(many[i]).toBe(await session.fingerprint(ref));
    }
  });
});

describe('sqlite hostile identifiers', () => {
  it('discovers, samples, profiles and fingerprints them without injection', async () => {
    for (const name of HOSTILE_TABLES) {
      const ref = { schema: 'main', name };
      expect(table(name).columns.map(c => c.name)).toEqual(HOSTILE_COLUMNS);
      expect((await session.sample(ref, HOSTILE_COLUMNS, 5)).rows).toEqual([
        HOSTILE_COLUMNS.map(c => `value of ${c}`),
      ]);
      expect((await session.sample(ref, [], 5, 'random')).columns).toEqual(HOSTILE_COLUMNS);
      for (const column of HOSTILE_COLUMNS) {
        expect(await session.profile(ref, column)).toMatchObject({
          column,
          rowCount: 1,
          distinctCount: 1,
          min: `value of ${column}`,
        });
      }
      expect(await session.fingerprint(ref)).toMatch(/^sqlite1:[0-9a-f]{32}$/);
    }
    await expect(
      session.sample({ schema: 'main', name: 'victims"; DROP TABLE victims; --' }, [], 1),
    ).rejects.toBeInstanceOf(UnknownTableError);
    expect(victimCount()).toBe(3);
  });
});

describe('sqlite connections', () => {
  it('succeeds with the SQLite version', async () => {
    expect(await sqliteConnector.testConnection({ path })).toMatchObject({
      ok: true,
      serverVersion: expect.stringMatching(/^SQLite 3\./),
    });
  });

  it('reports a missing file without creating it', async () => {
    const missing = join(dir, 'missing.db');
    const result = await sqliteConnector.testConnection({ path: missing });
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/unable to open database file|does not exist/i),
    });
    expect(existsSync(missing)).toBe(false);
  });

  it('reports a file that is not a database', async () => {
    const garbage = join(dir, 'notes.txt');
    writeFileSync(
      garbage,
      'this is not a database, just some text that is long enough to have a header '.repeat(20),
    );
    const result = await sqliteConnector.testConnection({ path: garbage });
    expect(result).toMatchObject({
      ok: false,
      error: 'file is not a database',
      errorCode: 'SQLITE_NOTADB',
    });
  });
});
