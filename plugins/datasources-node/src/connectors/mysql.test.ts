import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectorSession, UnknownColumnError, UnknownTableError } from '../connector.js';
import type { DiscoveredTable, Discovery, TableRef } from '../types.js';
import { type MysqlConfig, mysqlConnector, quoteMysqlIdentifier as q } from './mysql.js';
import { closedPort } from './testSupport.js';

// Runs against the MySQL/MariaDB server of the development machine and CI (override with
// RACINE_TEST_MYSQL_HOST / _PORT / _USER / _PASSWORD). Databases and the user are created for
// this run and dropped afterwards.
const host = process.env.RACINE_TEST_MYSQL_HOST ?? '127.0.0.1';
const port = Number(process.env.RACINE_TEST_MYSQL_PORT ?? 3306);
const user = process.env.RACINE_TEST_MYSQL_USER ?? 'root';
const password = process.env.RACINE_TEST_MYSQL_PASSWORD;
const suffix = randomBytes(4).toString('hex');
const DB = `racine_conn_test_${suffix}`;
const HOSTILE_DB = `racine_conn_test_${suffix} we"ird\`; sch`;
const PASSWORD_USER = `racine_pw_${suffix}`;
const config: MysqlConfig = { host, port, user, password, database: DB, ssl: 'disable' };

const HOSTILE_TABLES = [
  'x`; DROP TABLE victims; --',
  'x"; DROP TABLE victims; --',
  'select',
  'order',
  'user',
  'clients_é',
  '日本',
  'q?$1',
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
  '?',
];

let admin: mysql.Connection;
let session: ConnectorSession;
let discovery: Discovery;

const customers: TableRef = { schema: DB, name: 'customers' };

function table(schema: string, name: string): DiscoveredTable {
  const found = discovery.schemas.find(s => s.name === schema)?.tables.find(t => t.name === name);
  if (!found) throw new Error(`${schema}.${name} not discovered`);
  return found;
}

async function victimCount(): Promise<number> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${q(DB)}.victims`,
  );
  return Number(rows[0]!.n);
}

beforeAll(async () => {
  admin = await mysql.createConnection({
    host,
    port,
    user,
    password,
    charset: 'UTF8MB4_GENERAL_CI',
  });
  const run = (sql: string, values?: unknown[]) => admin.query(sql, values);
  await run(`CREATE DATABASE ${q(DB)} CHARACTER SET utf8mb4`);
  await run(`CREATE DATABASE ${q(HOSTILE_DB)} CHARACTER SET utf8mb4`);
  await run(`USE ${q(DB)}`);
  await run('CREATE TABLE victims (id INT PRIMARY KEY)');
  await run('INSERT INTO victims VALUES (1), (2), (3)');
  await run(`CREATE TABLE customers (
      id INT AUTO_INCREMENT PRIMARY KEY,
      email VARCHAR(255) NOT NULL COMMENT 'Primary contact e-mail',
      name VARCHAR(100) NULL,
      code CHAR(3) DEFAULT 'abc',
      score DECIMAL(5, 2),
      active TINYINT(1) NOT NULL DEFAULT 1,
      avatar BLOB,
      bio TEXT
    ) ENGINE = InnoDB COMMENT = 'People who buy things'`);
  const values = Array.from({ length: 200 }, (_, i) => {
    const g = i + 1;
    return [
      `user${g}@example.com`,
      g % 10 === 0 ? null : `Name ${g}`,
      (g % 50) + 0.5,
      g % 4 !== 0 ? 1 : 0,
      Buffer.from('deadbeef', 'hex'),
      g === 1 ? 'é'.repeat(5000) : 'short',
    ];
  });
  await run('INSERT INTO customers (email, name, score, active, avatar, bio) VALUES ?', [values]);
  await run(`CREATE TABLE orders (
      id BIGINT PRIMARY KEY,
      customer_id INT NOT NULL,
      total DECIMAL(10, 2),
      CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
    ) ENGINE = InnoDB`);
  await run(`CREATE TABLE order_lines (
      order_id BIGINT, line_no INT, sku VARCHAR(20),
      PRIMARY KEY (order_id, line_no),
      CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id)
    ) ENGINE = InnoDB`);
  await run('CREATE VIEW active_customers AS SELECT id, email FROM customers WHERE active = 1');
  await run(`CREATE TABLE events (id INT, y INT) PARTITION BY RANGE (y) (
      PARTITION p2024 VALUES LESS THAN (2025), PARTITION pmax VALUES LESS THAN MAXVALUE)`);
  await run('INSERT INTO events VALUES (1, 2024), (2, 2024), (3, 2030)');
  await run('CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(20))');
  // 30 000 rows: well over the 10 000-row threshold above which ORDER BY RAND() is avoided, even
  // allowing for InnoDB's sampled row estimate.
  for (let start = 0; start < 30_000; start += 3_000) {
    await run('INSERT INTO big VALUES ?', [
      Array.from({ length: 3_000 }, (_, i) => [start + i + 1, `v${start + i + 1}`]),
    ]);
  }
  await run('CREATE TABLE no_key (v VARCHAR(10))');
  await run("INSERT INTO no_key VALUES ('a'), ('b')");
  // Sampling a view runs its functions; a write must be refused by the read-only transaction.
  await run(
    'CREATE FUNCTION write_victim() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO victims VALUES (99); RETURN 1; END',
  );
  await run('CREATE VIEW sneaky AS SELECT write_victim() AS w');
  await run('CREATE VIEW slow AS SELECT SLEEP(2) AS s');

  const hostileColumns = HOSTILE_COLUMNS.map(c => `${q(c)} VARCHAR(100)`).join(', ');
  for (const name of HOSTILE_TABLES) {
    // Values are inlined with the driver's escaping: placeholders next to identifiers containing `?`
    // would be ambiguous.
    await run(
      `CREATE TABLE ${q(HOSTILE_DB)}.${q(name)} (${hostileColumns}) COMMENT = ${admin.escape(`table ${name}`)}`,
    );
    await run(
      `INSERT INTO ${q(HOSTILE_DB)}.${q(name)} VALUES (${HOSTILE_COLUMNS.map(c => admin.escape(`value of ${c}`)).join(', ')})`,
    );
  }
  await run(`CREATE USER ${admin.escape(PASSWORD_USER)}@'%' IDENTIFIED BY 'right-password'`);
  await run(`ANALYZE TABLE ${q(DB)}.customers, ${q(DB)}.big`);

  session = await mysqlConnector.connect({ ...config, database: undefined });
  discovery = await session.discover({ includeSchemas: [DB, HOSTILE_DB] });
});

afterAll(async () => {
  await session?.close();
  if (admin) {
    await admin.query(`DROP DATABASE IF EXISTS ${q(DB)}`);
    await admin.query(`DROP DATABASE IF EXISTS ${q(HOSTILE_DB)}`);
    await admin.query(`DROP USER IF EXISTS ${admin.escape(PASSWORD_USER)}@'%'`);
    await admin.end();
  }
});

describe('mysql discovery', () => {
  it('reports the server and lists databases as schemas, hiding system ones by default', async () => {
    expect(discovery.connectorType).toBe('mysql');
    expect(discovery.database).toBeNull();
    expect(discovery.databases).toEqual(expect.arrayContaining([DB, HOSTILE_DB, 'mysql']));
    expect(discovery.schemas.map(s => s.name).sort()).toEqual([DB, HOSTILE_DB].sort());
    const all = await session.discover({ excludeTables: () => true });
    expect(all.schemas.map(s => s.name)).not.toContain('mysql');
    expect(all.schemas.map(s => s.name)).not.toContain('information_schema');
  });

  it('restricts discovery to the configured database', async () => {
    const bound = await mysqlConnector.connect(config);
    try {
      const result = await bound.discover();
      expect(result.schemas.map(s => s.name)).toEqual([DB]);
    } finally {
      await bound.close();
    }
  });

  it('describes columns: ordinal, type, nullability, default, comment', () => {
    const t = table(DB, 'customers');
    expect(t).toMatchObject({ kind: 'table', comment: 'People who buy things', rowEstimate: 200 });
    expect(t.columns.map(c => c.name)).toEqual([
      'id',
      'email',
      'name',
      'code',
      'score',
      'active',
      'avatar',
      'bio',
    ]);
    const [id, email, name, code, score, active, avatar] = t.columns;
    expect(id).toMatchObject({
      ordinal: 1,
      dataType: 'int(11)',
      typeCategory: 'integer',
      nullable: false,
      defaultValue: null,
    });
    expect(email).toMatchObject({
      ordinal: 2,
      dataType: 'varchar(255)',
      typeCategory: 'string',
      nullable: false,
      comment: 'Primary contact e-mail',
    });
    expect(name).toMatchObject({ nullable: true, defaultValue: null, comment: null });
    expect(code!.defaultValue).toMatch(/^'?abc'?$/); // MariaDB quotes literal defaults, MySQL does not
    expect(score).toMatchObject({ dataType: 'decimal(5,2)', typeCategory: 'decimal' });
    expect(active).toMatchObject({ typeCategory: 'boolean', defaultValue: '1' });
    expect(avatar).toMatchObject({ typeCategory: 'binary' });
  });

  it('reports primary keys (including composite) and foreign keys', () => {
    expect(table(DB, 'customers').primaryKey).toEqual({ name: null, columns: ['id'] });
    expect(table(DB, 'order_lines').primaryKey).toEqual({
      name: null,
      columns: ['order_id', 'line_no'],
    });
    expect(table(DB, 'orders').foreignKeys).toEqual([
      {
        name: 'orders_customer_fk',
        columns: ['customer_id'],
        referencedTable: customers,
        referencedColumns: ['id'],
      },
    ]);
    expect(table(DB, 'order_lines').foreignKeys).toEqual([
      {
        name: 'order_lines_order_fk',
        columns: ['order_id'],
        referencedTable: { schema: DB, name: 'orders' },
        referencedColumns: ['id'],
      },
    ]);
    expect(table(DB, 'no_key').primaryKey).toBeNull();
  });

  it('reports views with their SQL', () => {
    const view = table(DB, 'active_customers');
    expect(view).toMatchObject({ kind: 'view', rowEstimate: null, comment: null });
    expect(view.definition).toMatch(
      /select .*`email`.* from .*`customers`.* where .*`active` = 1/i,
    );
    expect(view.columns.map(c => c.name)).toEqual(['id', 'email']);
  });

  it('reports partitions', () => {
    const events = table(DB, 'events');
    expect(events.kind).toBe('partitioned_table');
    expect(events.partitioning).toMatchObject({ strategy: 'range', key: '`y`' });
    expect(events.partitioning!.partitions.map(p => [p.name, p.table, p.bound])).toEqual([
      ['p2024', null, '2025'],
      ['pmax', null, 'MAXVALUE'],
    ]);
  });

  it('applies table filters', async () => {
    const filtered = await session.discover({
      includeSchemas: DB,
      includeTables: ['cust*', /^order/],
      excludeTables: 'order_lines',
    });
    expect(filtered.schemas[0]!.tables.map(t => t.name)).toEqual(['customers', 'orders']);
  });
});

describe('mysql sampling', () => {
  it('returns the first n rows of the requested columns', async () => {
    const result = await session.sample(customers, ['email', 'id'], 5);
    expect(result).toMatchObject({ columns: ['email', 'id'], method: 'first' });
    expect(result.rows).toHaveLength(5);
    for (const [email, id] of result.rows) expect(email).toBe(`user${id}@example.com`);
  });

  it('samples every column as text, binary as hex, NULL as null', async () => {
    const result = await session.sample(customers, [], 200);
    const row = result.rows.find(r => r[0] === '10')!;
    expect(row).toEqual([
      '10',
      'user10@example.com',
      null,
      'abc',
      '10.50',
      '1',
      'DEADBEEF',
      'short',
    ]);
  });

  it('truncates long values to maxValueLength and counts them', async () => {
    const result = await session.sample(customers, ['id', 'bio'], 200);
    expect(result.rows.find(r => r[0] === '1')![1]).toBe('é'.repeat(1024));
    expect(result.truncatedValues).toBe(1);
  });

  it('samples random rows: ORDER BY RAND() on small tables, one Bernoulli pass on large ones', async () => {
    const small = await session.sample(customers, ['id'], 20, 'random');
    expect(small.method).toBe('order_by_random');
    expect(new Set(small.rows.map(r => r[0])).size).toBe(20);
    expect(small.rows.some(r => Number(r[0]) > 20)).toBe(true);

    const large = await session.sample({ schema: DB, name: 'big' }, ['id', 'v'], 50, 'random');
    expect(large.method).toBe('bernoulli');
    expect(large.rows).toHaveLength(50);
    expect(new Set(large.rows.map(r => r[0])).size).toBe(50);
    for (const [id, v] of large.rows) expect(v).toBe(`v${id}`);
  });

  it('is bounded by n, and samples views and partitioned tables', async () => {
    expect((await session.sample(customers, ['id'], 1000)).rows).toHaveLength(200);
    expect((await session.sample(customers, ['id'], 0)).rows).toEqual([]);
    expect(
      (await session.sample({ schema: DB, name: 'active_customers' }, [], 3)).rows,
    ).toHaveLength(3);
    expect(
      (await session.sample({ schema: DB, name: 'events' }, [], 10, 'random')).rows,
    ).toHaveLength(3);
  });

  it('rejects unknown tables and columns', async () => {
    await expect(session.sample({ schema: DB, name: 'nope' }, [], 1)).rejects.toBeInstanceOf(
      UnknownTableError,
    );
    await expect(session.sample(customers, ['nope'], 1)).rejects.toBeInstanceOf(UnknownColumnError);
  });

  it('runs read-only: a view whose function writes cannot write', async () => {
    // In a read-only session MariaDB cannot even open the view to list its columns.
    await expect(session.sample({ schema: DB, name: 'sneaky' }, [], 1)).rejects.toThrow(
      /READ ONLY|no columns visible/i,
    );
    await expect(session.profile({ schema: DB, name: 'sneaky' }, 'w')).rejects.toThrow();
    expect(await victimCount()).toBe(3);
  });

  it('enforces the statement timeout', async () => {
    const quick = await mysqlConnector.connect(config, { statementTimeoutMs: 200 });
    try {
      const started = Date.now();
      const attempt = quick.sample({ schema: DB, name: 'slow' }, [], 1);
      // MariaDB aborts with an error; MySQL's max_execution_time interrupts SLEEP, which then returns 1.
      await attempt.then(
        result => expect(result.rows).toEqual([['1']]),
        (error: Error) =>
          expect(error.message).toMatch(/max_statement_time|maximum statement execution time/i),
      );
      expect(Date.now() - started).toBeLessThan(1_500);
      expect((await quick.sample(customers, ['id'], 1)).rows).toHaveLength(1);
    } finally {
      await quick.close();
    }
  });
});

describe('mysql profiling', () => {
  it('computes counts, extremes and lengths in SQL', async () => {
    const lengths = Array.from({ length: 200 }, (_, i) => `user${i + 1}@example.com`.length);
    const email = await session.profile(customers, 'email');
    expect(email).toMatchObject({
      rowCount: 200,
      nullCount: 0,
      distinctCount: 200,
      minLength: Math.min(...lengths),
      maxLength: Math.max(...lengths),
    });
    expect(email.avgLength).toBeCloseTo(lengths.reduce((a, b) => a + b, 0) / 200, 3);
    expect(await session.profile(customers, 'name')).toMatchObject({
      nullCount: 20,
      distinctCount: 180,
    });
    expect(await session.profile(customers, 'score')).toMatchObject({
      min: '0.50',
      max: '49.50',
      distinctCount: 50,
    });
    expect(await session.profile(customers, 'avatar')).toMatchObject({
      distinctCount: 1,
      min: null,
      maxLength: 4,
    });
    expect(await session.profile(customers, 'id', { maxRows: 10 })).toMatchObject({
      rowCount: 10,
      limitedToRows: 10,
    });
    const bio = await session.profile(customers, 'bio');
    // 'é' sorts as 'e' in the default collation, so the long value is the minimum.
    expect(bio).toMatchObject({ min: 'é'.repeat(1024), max: 'short', maxLength: 5000 });
  });
});

describe('mysql fingerprints', () => {
  it('is stable while nothing changes', async () => {
    const first = await session.fingerprint(customers);
    await session.sample(customers, [], 10, 'random');
    await session.profile(customers, 'email');
    expect(await session.fingerprint(customers)).toBe(first);
    const other = await mysqlConnector.connect(config);
    try {
      expect(await other.fingerprint(customers)).toBe(first);
    } finally {
      await other.close();
    }
  });

  it('changes after inserts (with and without a primary key) and DDL', async () => {
    const orders: TableRef = { schema: DB, name: 'orders' };
    const before = await session.fingerprint(orders);
    await admin.query(`INSERT INTO ${q(DB)}.orders VALUES (1, 1, 9.99)`);
    const afterInsert = await session.fingerprint(orders);
    expect(afterInsert).not.toBe(before);

    const noKey: TableRef = { schema: DB, name: 'no_key' };
    const noKeyBefore = await session.fingerprint(noKey);
    await admin.query(`INSERT INTO ${q(DB)}.no_key VALUES ('c')`);
    expect(await session.fingerprint(noKey)).not.toBe(noKeyBefore);

    await admin.query(`ALTER TABLE ${q(DB)}.orders ADD COLUMN note VARCHAR(10)`);
    expect(await session.fingerprint(orders)).not.toBe(afterInsert);

    const view: TableRef = { schema: DB, name: 'active_customers' };
    const viewBefore = await session.fingerprint(view);
    await admin.query(
      `CREATE OR REPLACE VIEW ${q(DB)}.active_customers AS SELECT id, email FROM ${q(DB)}.customers WHERE active = 0`,
    );
    expect(await session.fingerprint(view)).not.toBe(viewBefore);
  });

  it('rejects unknown tables', async () => {
    await expect(session.fingerprint({ schema: DB, name: 'nope' })).rejects.toBeInstanceOf(
      UnknownTableError,
    );
  });

  it('fingerprints many tables at once, equal to one at a time, null for unknown ones', async () => {
    const tables: TableRef[] = [
      ...discovery.schemas.flatMap(s => s.tables.map(t => ({ schema: t.schema, name: t.name }))),
      { schema: DB, name: 'nope' },
      { schema: `${DB}_nope`, name: 'customers' },
    ];
    const many = await session.fingerprintMany!(tables);
    expect(many).toHaveLength(tables.length);
    for (const [i, ref] of tables.entries()) {
      if (ref.name === 'nope' || ref.schema.endsWith('_nope')) expect(many[i]).toBeNull();
      else expect(many[i]).toBe(await session.fingerprint(ref));
    }
    expect(await session.fingerprintMany!([])).toEqual([]);
  });
});

describe('mysql structure cache', () => {
  it('notices a table that changed since its structure was cached', async () => {
    const morphing: TableRef = { schema: DB, name: 'morphing' };
    await admin.query(`CREATE TABLE ${q(DB)}.morphing (id INT PRIMARY KEY, a TEXT, b BLOB)`);
    await admin.query(`INSERT INTO ${q(DB)}.morphing VALUES (1, 'x', x'01')`);
    const own = await mysqlConnector.connect(config);
    try {
      await own.discover({ includeSchemas: [DB] });
      expect((await own.sample(morphing, ['a', 'b'], 5)).rows).toEqual([['x', '01']]);
      await admin.query(
        `ALTER TABLE ${q(DB)}.morphing DROP COLUMN a, MODIFY b TEXT, ADD COLUMN c TEXT`,
      );
      expect((await own.sample(morphing, ['c'], 5)).rows).toEqual([[null]]);
      await expect(own.sample(morphing, ['a'], 5)).rejects.toBeInstanceOf(UnknownColumnError);
      expect((await own.profile(morphing, 'c')).rowCount).toBe(1);
      await admin.query(`DROP TABLE ${q(DB)}.morphing`);
      await expect(own.sample(morphing, [], 5)).rejects.toBeInstanceOf(UnknownTableError);
    } finally {
      await own.close();
      await admin.query(`DROP TABLE IF EXISTS ${q(DB)}.morphing`);
    }
  });
});

describe('mysql hostile identifiers', () => {
  it('discovers every hostile database, table and column name verbatim', () => {
    const schema = discovery.schemas.find(s => s.name === HOSTILE_DB)!;
    expect(schema.tables.map(t => t.name).sort()).toEqual([...HOSTILE_TABLES].sort());
    for (const t of schema.tables) {
      expect(t.columns.map(c => c.name)).toEqual(HOSTILE_COLUMNS);
      expect(t.comment).toBe(`table ${t.name}`);
    }
  });

  it('samples, profiles and fingerprints them without injection', async () => {
    for (const name of HOSTILE_TABLES) {
      const ref = { schema: HOSTILE_DB, name };
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
      expect(await session.fingerprint(ref)).toMatch(/^mysql1:[0-9a-f]{32}$/);
    }
    expect(await victimCount()).toBe(3);
  });

  it('treats a hostile name as a name, not as SQL, when it does not exist', async () => {
    await expect(
      session.sample({ schema: DB, name: 'victims`; DROP TABLE victims; --' }, [], 1),
    ).rejects.toBeInstanceOf(UnknownTableError);
    await expect(
      session.profile({ schema: DB, name: 'victims' }, 'id` FROM victims; --'),
    ).rejects.toBeInstanceOf(UnknownColumnError);
    expect(await victimCount()).toBe(3);
  });
});

describe('mysql connection tests', () => {
  it('succeeds with the server version', async () => {
    expect(await mysqlConnector.testConnection(config)).toMatchObject({
      ok: true,
      serverVersion: expect.any(String),
    });
  });

  it('reports an unreachable host', async () => {
    const result = await mysqlConnector.testConnection({ ...config, port: await closedPort() });
    expect(result).toMatchObject({
      ok: false,
      errorCode: 'ECONNREFUSED',
      error: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('reports a wrong password', async () => {
    const target = { ...config, user: PASSWORD_USER, database: undefined };
    const wrong = await mysqlConnector.testConnection({ ...target, password: 'wrong-password' });
    expect(wrong).toMatchObject({
      ok: false,
      errorCode: 'ER_ACCESS_DENIED_ERROR',
      error: expect.stringMatching(
        new RegExp(`^Access denied for user '${PASSWORD_USER}'@.*\\(using password: YES\\)$`),
      ),
    });
    expect(
      await mysqlConnector.testConnection({ ...target, password: 'right-password' }),
    ).toMatchObject({ ok: true });
  });

  it('reports an unknown database', async () => {
    const result = await mysqlConnector.testConnection({ ...config, database: `${DB}_missing` });
    expect(result).toMatchObject({
      ok: false,
      errorCode: 'ER_BAD_DB_ERROR',
      error: `Unknown database '${DB}_missing'`,
    });
  });
});
