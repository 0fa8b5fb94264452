import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * Real databases to scan in tests: a PostgreSQL database with several schemas, tables, a view
 * and hostile identifiers, and a SQLite file. Every test source gets a unique name and is
 * dropped by its own `drop()`.
 */
export const PG_ADMIN_URL =
  process.env.RACINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A value the classifiers must label but that must never be stored or logged by scans. */
export const SECRET_EMAIL = 'margaux.delacroix.0@example.org';

export interface PostgresSource {
  database: string;
  config: { host: string; port: number; database: string; user: string; password?: string };
  /** Runs SQL as the superuser on the source database. */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  drop(): Promise<void>;
}

export const HOSTILE_SCHEMA = 'My "Odd" Schema';
export const HOSTILE_TABLE = 'weird.name; DROP TABLE x; --';

export async function createPostgresSource(prefix = 'scans_src'): Promise<PostgresSource> {
  const admin = new URL(PG_ADMIN_URL);
  const database = `${prefix}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const adminClient = new pg.Client({ connectionString: admin.toString() });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE "${database}"`);
  await adminClient.end();
  const url = new URL(admin.toString());
  url.pathname = `/${database}`;
  // One connection, so its writes' statistics can be flushed right away (see `sql`).
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => undefined);
  await client.connect();
  /**
   * PostgreSQL publishes a backend's table statistics up to ~10 s after its writes, and the
   * connector's fingerprint reads them: flush them now so fingerprints settle at once.
   */
  const sql = async (text: string, values?: unknown[]) => {
    const result = await client.query(text, values);
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1');
    return result;
  };
  await sql(`
    CREATE SCHEMA sales;
    CREATE TABLE sales.customers (
      id serial PRIMARY KEY,
      email text NOT NULL,
      full_name text,
      phone text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    COMMENT ON TABLE sales.customers IS 'People who bought something';
    INSERT INTO sales.customers (email, full_name, phone)
      SELECT (ARRAY['margaux.delacroix','jean.martin','ana.silva','li.wei','omar.haddad'])[1 + g % 5] || '.' || g || '@example.org',
             (ARRAY['Margaux Delacroix','Jean Martin','Ana Silva','Li Wei','Omar Haddad'])[1 + g % 5],
             '+33 6 ' || lpad((g * 7919 % 100)::text, 2, '0') || ' ' || lpad((g * 104729 % 100)::text, 2, '0') || ' 12 34'
        FROM generate_series(0, 59) g;
    CREATE TABLE sales.orders (
      id integer PRIMARY KEY,
      customer_id integer REFERENCES sales.customers (id),
      amount numeric(10, 2),
      card_number text
    );
    INSERT INTO sales.orders
      SELECT g, 1 + g % 60, (g * 13.37)::numeric(10, 2),
             (ARRAY['4111111111111111','5500005555555559','340000000000009','6011000000000004'])[1 + g % 4]
        FROM generate_series(1, 80) g;
    CREATE VIEW public.customer_emails AS SELECT id, email FROM sales.customers;
    CREATE SCHEMA "${HOSTILE_SCHEMA.replaceAll('"', '""')}";
    CREATE TABLE "${HOSTILE_SCHEMA.replaceAll('"', '""')}"."${HOSTILE_TABLE}" (
      "id" integer PRIMARY KEY,
      "e-mail ""work""" text,
      "Straße" text
    );
    INSERT INTO "${HOSTILE_SCHEMA.replaceAll('"', '""')}"."${HOSTILE_TABLE}"
      SELECT g, 'user' || g || '@corp.example.com', 'Hauptstraße ' || g FROM generate_series(1, 30) g;
  `);
  return {
    database,
    config: {
      host: admin.hostname,
      port: Number(admin.port || 5432),
      database,
      user: decodeURIComponent(admin.username || 'postgres'),
    },
    sql,
    async drop() {
      await client.end();
      const dropper = new pg.Client({ connectionString: admin.toString() });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export interface SqliteSource {
  path: string;
  exec(sql: string): void;
  drop(): void;
}

export function createSqliteSource(): SqliteSource {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scans-sqlite-src-'));
  const file = path.join(dir, 'shop.sqlite');
  const db = new Database(file);
  db.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, iban TEXT);
    CREATE TABLE "line items" (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), sku TEXT, qty INTEGER);
    CREATE VIEW big_spenders AS SELECT c.email FROM customers c JOIN "line items" l ON l.customer_id = c.id WHERE l.qty > 3;
  `);
  const insert = db.prepare('INSERT INTO customers (email, name, iban) VALUES (?, ?, ?)');
  const ibans = ['FR1420041010050500013M02606', 'DE89370400440532013000', 'GB29NWBK60161331926819'];
  for (let i = 0; i < 40; i++) insert.run(`buyer${i}@shop.example.net`, `Buyer ${i}`, ibans[i % 3]);
  const line = db.prepare('INSERT INTO "line items" (customer_id, sku, qty) VALUES (?, ?, ?)');
  for (let i = 0; i < 100; i++) line.run(1 + (i % 40), `SKU-${1000 + i}`, i % 7);
  db.close();
  return {
    path: file,
    exec(sql: string) {
      const handle = new Database(file);
      try {
        handle.exec(sql);
      } finally {
        handle.close();
      }
    },
    drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
