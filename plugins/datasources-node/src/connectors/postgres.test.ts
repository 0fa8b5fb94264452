import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorSession, UnknownColumnError, UnknownTableError } from '../connector.js';
import type { DiscoveredTable, Discovery, TableRef } from '../types.js';
import { closedPort } from './testSupport.js';
import {
  type PostgresConfig,
  postgresConnector,
  quotePostgresIdentifier as q,
} from './postgres.js';

// Runs against the PostgreSQL server of the development machine and CI (override with
// RACINE_TEST_PG_HOST / RACINE_TEST_PG_PORT / RACINE_TEST_PG_USER). Everything lives in a
// database created for this run and dropped afterwards.
const host = process.env.RACINE_TEST_PG_HOST ?? '127.0.0.1';
const port = Number(process.env.RACINE_TEST_PG_PORT ?? 5432);
const user = process.env.RACINE_TEST_PG_USER ?? 'postgres';
const password = process.env.RACINE_TEST_PG_PASSWORD;
const database = `racine_conn_test_${randomBytes(4).toString('hex')}`;
const config: PostgresConfig = { host, port, database, user, password, ssl: 'disable' };
/** Direct driver connection for fixtures and assertions (not through the connector). */
const driverConfig: pg.ClientConfig = { host, port, database, user, password };

const HOSTILE_SCHEMA = 'we"ird sch; ema';
const HOSTILE_TABLE = 'x"; DROP TABLE victims; --';
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
  '$1?',
];
const HOSTILE_TABLES = [HOSTILE_TABLE, 'select', 'order', 'user', 'clients_é', '日本', 'q?$1'];

let admin: pg.Client;
let session: ConnectorSession;
let discovery: Discovery;

/** Runs DDL/DML on a fresh connection that flushes its statistics before returning. */
async function write(sql: string): Promise<void> {
  const client = new pg.Client(driverConfig);
  await client.connect();
  try {
    await client.query(sql);
    // Backends publish their table counters lazily (within about a second in production);
    // forcing the flush makes fingerprint tests deterministic.
    await client.query('SELECT pg_stat_force_next_flush()');
  } finally {
    await client.end();
  }
}

function table(schema: string, name: string): DiscoveredTable {
  const found = discovery.schemas.find(s => s.name === schema)?.tables.find(t => t.name === name);
  if (!found) throw new Error(`${schema}.${name} not discovered`);
  return found;
}

const customers: TableRef = { schema: 'sales', name: 'customers' };

beforeAll(async () => {
  const server = new pg.Client({ ...driverConfig, database: 'postgres' });
  await server.connect();
  await server.query(`CREATE DATABASE ${q(database)}`);
  await server.end();

  admin = new pg.Client(driverConfig);
  await admin.connect();
  const hostileColumns = HOSTILE_COLUMNS.map(c => `${q(c)} text`).join(', ');
  await admin.query(`
    CREATE TABLE public.victims (id int PRIMARY KEY);
    INSERT INTO public.victims VALUES (1), (2), (3);

    CREATE SCHEMA sales;
    COMMENT ON SCHEMA sales IS 'Sales data';
    CREATE TABLE sales.customers (
      id serial PRIMARY KEY,
      email text NOT NULL,
      name varchar(100),
      code char(3) DEFAULT 'abc',
      score numeric(5, 2),
      active boolean NOT NULL DEFAULT true,
      profile jsonb,
      avatar bytea,
      bio text
    );
    COMMENT ON TABLE sales.customers IS 'People who buy things';
    COMMENT ON COLUMN sales.customers.email IS 'Primary contact e-mail';
    INSERT INTO sales.customers (email, name, score, active, profile, avatar, bio)
      SELECT 'user' || g || '@example.com',
             CASE WHEN g % 10 = 0 THEN NULL ELSE 'Name ' || g END,
             (g % 50) + 0.5,
             g % 4 <> 0,
             jsonb_build_object('n', g % 3),
             '\\xdeadbeef'::bytea,
             CASE WHEN g = 1 THEN repeat('é', 5000) ELSE 'short' END
        FROM generate_series(1, 200) g;

    CREATE TABLE sales.orders (
      id bigint PRIMARY KEY,
      customer_id int NOT NULL REFERENCES sales.customers (id),
      total numeric(10, 2)
    );
    CREATE TABLE sales.order_lines (
      order_id bigint,
      line_no int,
      sku text,
      CONSTRAINT order_lines_pk PRIMARY KEY (order_id, line_no),
      CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES sales.orders (id)
    );
    CREATE VIEW sales.active_customers AS SELECT id, email FROM sales.customers WHERE active;
    CREATE MATERIALIZED VIEW sales.customer_counts AS
      SELECT active, count(*) AS n FROM sales.customers GROUP BY active;

    CREATE TABLE sales.events (id int, happened_on date NOT NULL, payload text)
      PARTITION BY RANGE (happened_on);
    CREATE TABLE sales.events_2024 PARTITION OF sales.events
      FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE sales.events_2025 PARTITION OF sales.events
      FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
    INSERT INTO sales.events SELECT g, date '2024-06-01' + g, 'e' || g FROM generate_series(1, 300) g;

    CREATE TABLE sales.big (id int PRIMARY KEY, v text);
    INSERT INTO sales.big SELECT g, 'v' || g FROM generate_series(1, 30000) g;

    CREATE TABLE sales.no_key (v text);
    INSERT INTO sales.no_key VALUES ('a'), ('b');

    -- Sampling a view runs its functions; a write must be refused by the read-only transaction.
    CREATE FUNCTION sales.write_victim() RETURNS int LANGUAGE sql AS
      'INSERT INTO public.victims VALUES (99) RETURNING id';
    CREATE VIEW sales.sneaky AS SELECT sales.write_victim() AS id;
    CREATE VIEW sales.slow AS SELECT pg_sleep(2)::text AS s;
    -- A view trying to lift the session's guards for the statements that follow it.
    CREATE FUNCTION sales.lift_guards() RETURNS int LANGUAGE plpgsql AS
      'BEGIN PERFORM set_config(''default_transaction_read_only'', ''off'', false);
             PERFORM set_config(''statement_timeout'', ''0'', false); RETURN 1; END';
    CREATE VIEW sales.lifter AS SELECT sales.lift_guards() AS id;

    CREATE SCHEMA ${q(HOSTILE_SCHEMA)};
    COMMENT ON SCHEMA ${q(HOSTILE_SCHEMA)} IS 'hostile';
  `);
  for (const name of HOSTILE_TABLES) {
    await admin.query(`CREATE TABLE ${q(HOSTILE_SCHEMA)}.${q(name)} (${hostileColumns})`);
    await admin.query(
      `INSERT INTO ${q(HOSTILE_SCHEMA)}.${q(name)} VALUES (${HOSTILE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
      HOSTILE_COLUMNS.map(c => `value of ${c}`),
    );
    await admin.query(
      `COMMENT ON TABLE ${q(HOSTILE_SCHEMA)}.${q(name)} IS '${`table ${name}`.replaceAll("'", "''")}'`,
    );
  }
  await admin.query('ANALYZE');

  session = await postgresConnector.connect(config);
  discovery = await session.discover();
});

afterAll(async () => {
  await session?.close();
  await admin?.end();
  const server = new pg.Client({ ...driverConfig, database: 'postgres' });
  await server.connect();
  await server.query(`DROP DATABASE IF EXISTS ${q(database)} WITH (FORCE)`);
  await server.end();
});

describe('postgres discovery', () => {
  it('reports the server, the bound database and the other databases', () => {
    expect(discovery.connectorType).toBe('postgres');
    expect(discovery.serverVersion).toMatch(/^PostgreSQL \d+/);
    expect(discovery.database).toBe(database);
    expect(discovery.databases).toContain(database);
  });

  it('lists user schemas with comments and hides system schemas', () => {
    const names = discovery.schemas.map(s => s.name);
    expect(names).toEqual(expect.arrayContaining(['public', 'sales', HOSTILE_SCHEMA]));
    expect(names).not.toContain('pg_catalog');
    expect(names).not.toContain('information_schema');
    expect(discovery.schemas.find(s => s.name === 'sales')?.comment).toBe('Sales data');
  });

  it('describes columns: ordinal, type, nullability, default, comment', () => {
    const t = table('sales', 'customers');
    expect(t.kind).toBe('table');
    expect(t.comment).toBe('People who buy things');
    expect(t.rowEstimate).toBe(200);
    expect(t.columns.map(c => c.name)).toEqual([
      'id',
      'email',
      'name',
      'code',
      'score',
      'active',
      'profile',
      'avatar',
      'bio',
    ]);
    const [id, email, name, code, score, active, profile, avatar] = t.columns;
    expect(id).toMatchObject({
      ordinal: 1,
      dataType: 'integer',
      typeCategory: 'integer',
      nullable: false,
    });
    expect(id!.defaultValue).toContain('nextval(');
    expect(email).toMatchObject({
      ordinal: 2,
      dataType: 'text',
      typeCategory: 'string',
      nullable: false,
      comment: 'Primary contact e-mail',
    });
    expect(name).toMatchObject({
      dataType: 'character varying(100)',
      nullable: true,
      defaultValue: null,
      comment: null,
    });
    expect(code).toMatchObject({ dataType: 'character(3)', defaultValue: "'abc'::bpchar" });
    expect(score).toMatchObject({ dataType: 'numeric(5,2)', typeCategory: 'decimal' });
    expect(active).toMatchObject({ typeCategory: 'boolean', defaultValue: 'true' });
    expect(profile).toMatchObject({ typeCategory: 'json' });
    expect(avatar).toMatchObject({ typeCategory: 'binary' });
  });

  it('reports primary keys (including composite) and foreign keys', () => {
    expect(table('sales', 'customers').primaryKey).toEqual({
      name: 'customers_pkey',
      columns: ['id'],
    });
    expect(table('sales', 'order_lines').primaryKey).toEqual({
      name: 'order_lines_pk',
      columns: ['order_id', 'line_no'],
    });
    expect(table('sales', 'orders').foreignKeys).toEqual([
      {
        name: 'orders_customer_id_fkey',
        columns: ['customer_id'],
        referencedTable: customers,
        referencedColumns: ['id'],
      },
    ]);
    expect(table('sales', 'order_lines').foreignKeys).toEqual([
      {
        name: 'order_lines_order_fk',
        columns: ['order_id'],
        referencedTable: { schema: 'sales', name: 'orders' },
        referencedColumns: ['id'],
      },
    ]);
    expect(table('sales', 'no_key').primaryKey).toBeNull();
  });

  it('reports views and materialized views with their SQL', () => {
    const view = table('sales', 'active_customers');
    expect(view.kind).toBe('view');
    expect(view.rowEstimate).toBeNull();
    expect(view.definition).toMatch(
      /SELECT[\s\S]*FROM sales\.customers[\s\S]*WHERE customers\.active/,
    );
    expect(view.columns.map(c => c.name)).toEqual(['id', 'email']);
    const materialized = table('sales', 'customer_counts');
    expect(materialized.kind).toBe('materialized_view');
    expect(materialized.definition).toMatch(/count\(\*\)[\s\S]*GROUP BY customers\.active/);
    expect(materialized.rowEstimate).toBe(2);
  });

  it('reports declarative partitions from both sides', () => {
    const parent = table('sales', 'events');
    expect(parent.kind).toBe('partitioned_table');
    expect(parent.partitioning).toMatchObject({ strategy: 'range', key: 'happened_on' });
    expect(parent.partitioning!.partitions).toEqual([
      {
        name: 'events_2024',
        table: { schema: 'sales', name: 'events_2024' },
        bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        rowEstimate: 213,
      },
      {
        name: 'events_2025',
        table: { schema: 'sales', name: 'events_2025' },
        bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        rowEstimate: 87,
      },
    ]);
    expect(parent.rowEstimate).toBe(300);
    const child = table('sales', 'events_2025');
    expect(child.kind).toBe('table');
    expect(child.partitionOf).toEqual({
      parent: { schema: 'sales', name: 'events' },
      bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
    });
  });

  it('applies include/exclude filters on schemas and tables, including predicates', async () => {
    const filtered = await session.discover({
      includeSchemas: ['sal*'],
      excludeTables: [/^events/, t => t.name.endsWith('_lines')],
    });
    expect(filtered.schemas.map(s => s.name)).toEqual(['sales']);
    const names = filtered.schemas[0]!.tables.map(t => t.name);
    expect(names).toContain('customers');
    expect(names).not.toContain('events');
    expect(names).not.toContain('events_2024');
    expect(names).not.toContain('order_lines');

    const system = await session.discover({
      includeSystemSchemas: true,
      includeSchemas: 'pg_catalog',
      includeTables: 'pg_class',
    });
    expect(system.schemas[0]!.tables.map(t => t.name)).toEqual(['pg_class']);
  });
});

describe('postgres sampling', () => {
  it('returns the first n rows of the requested columns', async () => {
    const result = await session.sample(customers, ['email', 'id'], 5);
    expect(result.columns).toEqual(['email', 'id']);
    expect(result.method).toBe('first');
    expect(result.rows).toHaveLength(5);
    for (const [email, id] of result.rows) expect(email).toBe(`user${id}@example.com`);
  });

  it('samples every column when none are named, as text, binary as hex, NULL as null', async () => {
    const result = await session.sample(customers, [], 200);
    expect(result.columns).toHaveLength(9);
    const row = result.rows.find(r => r[0] === '10')!;
    expect(row).toEqual([
      '10',
      'user10@example.com',
      null,
      'abc',
      '10.50',
      'true',
      '{"n": 1}',
      'deadbeef',
      'short',
    ]);
  });

  it('truncates long values to maxValueLength and counts them', async () => {
    const result = await session.sample(customers, ['id', 'bio'], 200);
    const first = result.rows.find(r => r[0] === '1')!;
    expect(first[1]).toBe('é'.repeat(1024));
    expect(result.truncatedValues).toBe(1);

    const narrow = await postgresConnector.connect(config, { maxValueLength: 4 });
    try {
      const cut = await narrow.sample(customers, ['email', 'avatar'], 1);
      expect(cut.rows[0]).toEqual(['user', 'dead']);
      expect(cut.truncatedValues).toBe(2);
    } finally {
      await narrow.close();
    }
  });

  it('samples random rows with ORDER BY random() on small tables', async () => {
    const result = await session.sample(customers, ['id'], 20, 'random');
    expect(result).toMatchObject({ strategy: 'random', method: 'order_by_random' });
    const ids = result.rows.map(r => Number(r[0]));
    expect(new Set(ids).size).toBe(20);
    // The first 20 ids in physical order would be 1..20; a random draw almost never is.
    expect(ids.some(id => id > 20)).toBe(true);
  });

  it('samples large tables with TABLESAMPLE', async () => {
    const result = await session.sample(
      { schema: 'sales', name: 'big' },
      ['id', 'v'],
      50,
      'random',
    );
    expect(result.method).toBe('tablesample');
    expect(result.rows).toHaveLength(50);
    for (const [id, v] of result.rows) expect(v).toBe(`v${id}`);
  });

  it('is bounded by n and by MAX_SAMPLE_ROWS, and accepts n = 0', async () => {
    expect((await session.sample(customers, ['id'], 1000)).rows).toHaveLength(200);
    expect(
      (await session.sample({ schema: 'sales', name: 'big' }, ['id'], 1_000_000)).rows,
    ).toHaveLength(10_000);
    expect((await session.sample(customers, ['id'], 0)).rows).toEqual([]);
    await expect(session.sample(customers, ['id'], -1)).rejects.toThrow(RangeError);
  });

  it('samples views, materialized views and partitioned tables', async () => {
    expect(
      (await session.sample({ schema: 'sales', name: 'active_customers' }, [], 3)).rows,
    ).toHaveLength(3);
    expect(
      (await session.sample({ schema: 'sales', name: 'customer_counts' }, [], 5, 'random')).rows,
    ).toHaveLength(2);
    expect(
      (await session.sample({ schema: 'sales', name: 'events' }, ['id'], 7, 'random')).rows,
    ).toHaveLength(7);
  });

  it('rejects unknown tables and columns', async () => {
    await expect(session.sample({ schema: 'sales', name: 'nope' }, [], 1)).rejects.toBeInstanceOf(
      UnknownTableError,
    );
    await expect(session.sample(customers, ['id', 'nope'], 1)).rejects.toBeInstanceOf(
      UnknownColumnError,
    );
  });

  it('runs read-only: a view whose function writes cannot write', async () => {
    await expect(session.sample({ schema: 'sales', name: 'sneaky' }, [], 1)).rejects.toThrow(
      /read-only transaction/,
    );
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM public.victims');
    expect(rows[0].n).toBe(3);
  });

  it('keeps its guards when a sampled view tries to lift them', async () => {
    const guarded = await postgresConnector.connect(config, { maxConnections: 1 });
    try {
      expect((await guarded.sample({ schema: 'sales', name: 'lifter' }, [], 1)).rows).toEqual([
        ['1'],
      ]);
      // Same (only) connection: still read-only.
      await expect(guarded.sample({ schema: 'sales', name: 'sneaky' }, [], 1)).rejects.toThrow(
        /read-only transaction/,
      );
    } finally {
      await guarded.close();
    }
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM public.victims');
    expect(rows[0].n).toBe(3);
  });

  it('notices a table that changed since its structure was cached', async () => {
    await write('CREATE TABLE sales.morphing (id int PRIMARY KEY, a text, b bytea)');
    await write("INSERT INTO sales.morphing VALUES (1, 'x', '\\x01')");
    const morphing: TableRef = { schema: 'sales', name: 'morphing' };
    const own = await postgresConnector.connect(config);
    try {
      await own.discover({ includeSchemas: ['sales'] });
      expect((await own.sample(morphing, ['a', 'b'], 5)).rows).toEqual([['x', '01']]);
      // b becomes text, c is new, a is gone: the cached structure is stale three ways.
      await write(
        "ALTER TABLE sales.morphing DROP COLUMN a, ALTER COLUMN b TYPE text USING 't', ADD COLUMN c text",
      );
      expect((await own.sample(morphing, ['b'], 5)).rows).toEqual([['t']]);
      expect((await own.sample(morphing, ['c'], 5)).rows).toEqual([[null]]);
      await expect(own.sample(morphing, ['a'], 5)).rejects.toBeInstanceOf(UnknownColumnError);
      expect((await own.profile(morphing, 'b')).rowCount).toBe(1);
      await write('DROP TABLE sales.morphing');
      await expect(own.sample(morphing, [], 5)).rejects.toBeInstanceOf(UnknownTableError);
      await expect(own.profile(morphing, 'b')).rejects.toBeInstanceOf(UnknownTableError);
    } finally {
      await own.close();
      await write('DROP TABLE IF EXISTS sales.morphing');
    }
  });

  it('enforces the statement timeout', async () => {
    const quick = await postgresConnector.connect(config, { statementTimeoutMs: 200 });
    try {
      await expect(quick.sample({ schema: 'sales', name: 'slow' }, [], 1)).rejects.toThrow(
        /statement timeout/,
      );
      // The session stays usable after a cancelled statement.
      expect((await quick.sample(customers, ['id'], 1)).rows).toHaveLength(1);
    } finally {
      await quick.close();
    }
  });
});

describe('postgres profiling', () => {
  it('computes counts, extremes and lengths in SQL', async () => {
    const email = await session.profile(customers, 'email');
    const lengths = Array.from({ length: 200 }, (_, i) => `user${i + 1}@example.com`.length);
    expect(email).toMatchObject({
      column: 'email',
      rowCount: 200,
      nullCount: 0,
      distinctCount: 200,
      minLength: Math.min(...lengths),
      maxLength: Math.max(...lengths),
      limitedToRows: null,
    });
    expect(email.avgLength).toBeCloseTo(lengths.reduce((a, b) => a + b, 0) / 200, 6);

    const name = await session.profile(customers, 'name');
    expect(name).toMatchObject({ rowCount: 200, nullCount: 20, distinctCount: 180 });

    const score = await session.profile(customers, 'score');
    expect(score).toMatchObject({ min: '0.50', max: '49.50', distinctCount: 50 });

    const id = await session.profile(customers, 'id', { maxRows: 10 });
    expect(id).toMatchObject({ rowCount: 10, distinctCount: 10, limitedToRows: 10 });
  });

  it('handles types without ordering or equality (jsonb, bytea, boolean)', async () => {
    expect(await session.profile(customers, 'profile')).toMatchObject({
      distinctCount: 3,
      min: null,
      max: null,
    });
    expect(await session.profile(customers, 'avatar')).toMatchObject({
      distinctCount: 1,
      minLength: 4,
      maxLength: 4,
    });
    expect(await session.profile(customers, 'active')).toMatchObject({
      distinctCount: 2,
      min: null,
    });
  });

  it('truncates min/max to maxValueLength', async () => {
    const bio = await session.profile(customers, 'bio');
    expect(bio.max).toBe('é'.repeat(1024));
    expect(bio.maxLength).toBe(5000);
  });
});

describe('postgres fingerprints', () => {
  it('is stable while nothing changes, across sessions', async () => {
    const first = await session.fingerprint(customers);
    expect(await session.fingerprint(customers)).toBe(first);
    const other = await postgresConnector.connect(config);
    try {
      expect(await other.fingerprint(customers)).toBe(first);
    } finally {
      await other.close();
    }
    await session.sample(customers, [], 10, 'random');
    await session.profile(customers, 'email');
    expect(await session.fingerprint(customers)).toBe(first);
  });

  it('changes after inserts, updates, deletes and DDL', async () => {
    const orders: TableRef = { schema: 'sales', name: 'orders' };
    const noKey: TableRef = { schema: 'sales', name: 'no_key' };
    const before = await session.fingerprint(orders);
    await write('INSERT INTO sales.orders VALUES (1, 1, 9.99)');
    const afterInsert = await session.fingerprint(orders);
    expect(afterInsert).not.toBe(before);

    const noKeyBefore = await session.fingerprint(noKey);
    await write("UPDATE sales.no_key SET v = 'c' WHERE v = 'a'");
    const afterUpdate = await session.fingerprint(noKey);
    expect(afterUpdate).not.toBe(noKeyBefore);
    await write("DELETE FROM sales.no_key WHERE v = 'c'");
    expect(await session.fingerprint(noKey)).not.toBe(afterUpdate);

    await write('ALTER TABLE sales.orders ADD COLUMN note text');
    expect(await session.fingerprint(orders)).not.toBe(afterInsert);
  });

  it('tracks partitioned tables through their partitions and views through their definition', async () => {
    const events: TableRef = { schema: 'sales', name: 'events' };
    const before = await session.fingerprint(events);
    await write("INSERT INTO sales.events VALUES (1000, '2025-03-01', 'late')");
    expect(await session.fingerprint(events)).not.toBe(before);

    const view: TableRef = { schema: 'sales', name: 'active_customers' };
    const viewBefore = await session.fingerprint(view);
    expect(await session.fingerprint(view)).toBe(viewBefore);
    await write(
      'CREATE OR REPLACE VIEW sales.active_customers AS SELECT id, email FROM sales.customers WHERE NOT active',
    );
    expect(await session.fingerprint(view)).not.toBe(viewBefore);
  });

  it('rejects unknown tables', async () => {
    await expect(session.fingerprint({ schema: 'sales', name: 'nope' })).rejects.toBeInstanceOf(
      UnknownTableError,
    );
  });

  it('fingerprints many tables at once, equal to one at a time, null for unknown ones', async () => {
    const tables: TableRef[] = [
      ...discovery.schemas.flatMap(s => s.tables.map(t => ({ schema: t.schema, name: t.name }))),
      { schema: 'sales', name: 'nope' },
      { schema: 'nope', name: 'customers' },
    ];
    const many = await session.fingerprintMany!(tables);
    expect(many).toHaveLength(tables.length);
    for (const [i, ref] of tables.entries()) {
      if (ref.name === 'nope' || ref.schema === 'nope') expect(many[i]).toBeNull();
      else expect(many[i]).toBe(await session.fingerprint(ref));
    }
    expect(await session.fingerprintMany!([])).toEqual([]);
  });
});

describe('postgres hostile identifiers', () => {
  it('discovers every hostile schema, table and column name verbatim', () => {
    const schema = discovery.schemas.find(s => s.name === HOSTILE_SCHEMA)!;
    expect(schema.comment).toBe('hostile');
    expect(schema.tables.map(t => t.name).sort()).toEqual([...HOSTILE_TABLES].sort());
    for (const t of schema.tables) {
      expect(t.columns.map(c => c.name)).toEqual(HOSTILE_COLUMNS);
      expect(t.comment).toBe(`table ${t.name}`);
    }
  });

  it('samples, profiles and fingerprints them without injection', async () => {
    for (const name of HOSTILE_TABLES) {
      const ref = { schema: HOSTILE_SCHEMA, name };
      const first = await session.sample(ref, HOSTILE_COLUMNS, 5);
      expect(first.rows).toEqual([HOSTILE_COLUMNS.map(c => `value of ${c}`)]);
      const random = await session.sample(ref, [], 5, 'random');
      expect(random.columns).toEqual(HOSTILE_COLUMNS);
      for (const column of HOSTILE_COLUMNS) {
        expect(await session.profile(ref, column)).toMatchObject({
          column,
          rowCount: 1,
          nullCount: 0,
          distinctCount: 1,
          min: `value of ${column}`,
          max: `value of ${column}`,
        });
      }
      expect(await session.fingerprint(ref)).toMatch(/^pg1:[0-9a-f]{32}$/);
    }
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM public.victims');
    expect(rows[0].n).toBe(3);
  });

  it('treats a hostile name as a name, not as SQL, when it does not exist', async () => {
    await expect(
      session.sample({ schema: 'public', name: 'victims"; DROP TABLE victims; --' }, [], 1),
    ).rejects.toBeInstanceOf(UnknownTableError);
    await expect(
      session.profile({ schema: 'public', name: 'victims' }, 'id" FROM victims; --'),
    ).rejects.toBeInstanceOf(UnknownColumnError);
    const { rows } = await admin.query('SELECT count(*)::int AS n FROM public.victims');
    expect(rows[0].n).toBe(3);
  });
});

describe('postgres connection tests', () => {
  it('succeeds with the server version and a latency', async () => {
    const result = await postgresConnector.testConnection(config);
    expect(result).toMatchObject({ ok: true, serverVersion: expect.stringMatching(/^PostgreSQL/) });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('reports an unreachable host', async () => {
    const refused = await postgresConnector.testConnection({ ...config, port: await closedPort() });
    expect(refused).toMatchObject({
      ok: false,
      errorCode: 'ECONNREFUSED',
      error: expect.stringContaining('ECONNREFUSED'),
    });
    const unknown = await postgresConnector.testConnection({
      ...config,
      host: 'racine-no-such-host.invalid',
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/),
    });
  });

  it('reports an unknown database', async () => {
    const result = await postgresConnector.testConnection({
      ...config,
      database: `${database}_missing`,
    });
    expect(result).toEqual({
      ok: false,
      latencyMs: expect.any(Number),
      error: `database "${database}_missing" does not exist`,
      errorCode: '3D000',
    });
  });

  it('reports a wrong password (throwaway cluster with scram-sha-256 authentication)', async ctx => {
    const cluster = await startPasswordCluster();
    if (!cluster) {
      ctx.skip(); // needs root, a `postgres` OS user and the PostgreSQL server binaries
      return;
    }
    try {
      const target = { ...config, port: cluster.port, database: 'postgres' };
      const wrong = await postgresConnector.testConnection({ ...target, password: 'wrong' });
      expect(wrong).toMatchObject({
        ok: false,
        errorCode: '28P01',
        error: 'password authentication failed for user "postgres"',
      });
      expect(
        await postgresConnector.testConnection({ ...target, password: cluster.password }),
      ).toMatchObject({ ok: true });
    } finally {
      cluster.stop();
    }
  });
});

/**
 * The shared server trusts local connections, so a wrong password can only be observed on a
 * private cluster: initdb + start take about a second.
 */
async function startPasswordCluster(): Promise<{
  port: number;
  password: string;
  stop(): void;
} | null> {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').sort().reverse()
    : [];
  const bin = versions
    .map(v => `/usr/lib/postgresql/${v}/bin`)
    .find(dir => existsSync(join(dir, 'initdb')));
  if (!bin || process.getuid?.() !== 0) return null;
  let uid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'racine-pg-'));
  const password = randomBytes(8).toString('hex');
  // stdio is ignored and the server logs to a file: a server holding an inherited pipe open would
  // make execFileSync wait for it forever.
  const asPostgres = (command: string, args: string[]) =>
    execFileSync('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], {
      stdio: 'ignore',
      timeout: 30_000,
    });
  chownSync(dir, uid, -1);
  writeFileSync(join(dir, 'pw'), password);
  chownSync(join(dir, 'pw'), uid, -1);
  const port = await closedPort();
  const data = join(dir, 'data');
  try {
    asPostgres('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=scram-sha-256',
      `--pwfile=${join(dir, 'pw')}`,
      '--no-sync',
    ]);
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'server.log'),
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      '-w',
      'start',
    ]);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    port,
    password,
    stop() {
      try {
        asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
