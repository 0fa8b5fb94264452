import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * Real databases to preview rule sets against: the PostgreSQL and MariaDB servers of the
 * development machine and CI, and SQLite files. Each fixture creates its own uniquely named
 * database (and MariaDB user) and drops only that.
 */
const PG = {
  host: process.env.RACINE_TEST_PG_HOST ?? '127.0.0.1',
  port: Number(process.env.RACINE_TEST_PG_PORT ?? 5432),
  user: process.env.RACINE_TEST_PG_USER ?? 'postgres',
  password: process.env.RACINE_TEST_PG_PASSWORD,
};
const MARIADB = {
  host: process.env.RACINE_TEST_MYSQL_HOST ?? '127.0.0.1',
  port: Number(process.env.RACINE_TEST_MYSQL_PORT ?? 3306),
  user: process.env.RACINE_TEST_MYSQL_USER ?? 'root',
  password: process.env.RACINE_TEST_MYSQL_PASSWORD ?? '',
};

const unique = (prefix: string) =>
  `${prefix}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

export const WEIRD_SCHEMA = 'we"ird sch; ema';
export const WEIRD_TABLE = 'x"; DROP TABLE victims; --';

export interface PostgresFixture {
  config: {
    host: string;
    port: number;
    database: string;
    user: string;
    password?: string;
    ssl: 'disable';
  };
  drop(): Promise<void>;
}

/**
 * Schemas public (customers, orders, tmp_import, a view), sales (leads, "Quarterly.Report"),
 * hr (people) and a hostile schema with a hostile table: 8 tables and views, 22 columns.
 */
export async function createPostgresFixture(): Promise<PostgresFixture> {
  const database = unique('racine_srs_pg');
  const admin = new pg.Client({ ...PG, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${q(database)}`);
  await admin.end();
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE public.customers (id serial PRIMARY KEY, email text, full_name text, password_hash text);
      CREATE TABLE public.orders (id serial PRIMARY KEY, customer_id int REFERENCES public.customers(id), card_number text, amount numeric(10,2));
      CREATE TABLE public.tmp_import (x text);
      CREATE VIEW public.customer_emails AS SELECT id, email FROM public.customers;
      CREATE SCHEMA sales;
      CREATE TABLE sales.leads (id int, email text, phone text);
      CREATE TABLE sales."Quarterly.Report" (id int, total numeric);
      CREATE SCHEMA hr;
      CREATE TABLE hr.people (id int, ssn text, salary numeric);
      CREATE SCHEMA ${q(WEIRD_SCHEMA)};
      CREATE TABLE ${q(WEIRD_SCHEMA)}.${q(WEIRD_TABLE)} (${q('quote"d')} text, ${q('日本')} text, ${q('col with space')} int);
      INSERT INTO public.customers (email, full_name) VALUES ('a@example.com', 'Ada');
    `);
  } finally {
    await client.end();
  }
  return {
    config: {
      host: PG.host,
      port: PG.port,
      database,
      user: PG.user,
      ssl: 'disable',
      ...(PG.password ? { password: PG.password } : {}),
    },
    async drop() {
      const cleanup = new pg.Client({ ...PG, database: 'postgres' });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${q(database)} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

export interface SqliteFixture {
  config: { path: string };
  drop(): Promise<void>;
}

/** customers (id, email, card_number), "order items" (id, sku, "unit.price"), tmp_x (a). */
export async function createSqliteFixture(): Promise<SqliteFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-srs-'));
  const file = path.join(dir, 'shop.sqlite');
  const sqlite = new Database(file);
  sqlite.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, card_number TEXT);
    CREATE TABLE "order items" (id INTEGER PRIMARY KEY AUTOINCREMENT, sku TEXT, "unit.price" REAL);
    CREATE TABLE tmp_x (a TEXT);
  `);
  sqlite.close();
  return {
    config: { path: file },
    async drop() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface MariaDbFixture {
  config: {
    host: string;
    port: number;
    database: string;
    user: string;
    password: string;
    ssl: 'disable';
  };
  drop(): Promise<void>;
}

/**
 * A database with payments (id, card_number, cvv, company) and audit_log (id, message), and a
 * user with a password that may read it (so previews prove stored secrets reach the connector).
 * Undefined when no MariaDB server answers.
 */
export async function createMariaDbFixture(): Promise<MariaDbFixture | undefined> {
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ ...MARIADB });
  } catch {
    return undefined;
  }
  const database = unique('racine_srs_my');
  const user = unique('srs');
  const password = crypto.randomBytes(12).toString('hex');
  try {
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.query(
      `CREATE TABLE \`${database}\`.payments (id INT PRIMARY KEY, card_number VARCHAR(32), cvv VARCHAR(4), company VARCHAR(100))`,
    );
    await admin.query(`CREATE TABLE \`${database}\`.audit_log (id INT, message TEXT)`);
    await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
    await admin.query(`GRANT SELECT ON \`${database}\`.* TO ?@'%'`, [user]);
  } finally {
    await admin.end();
  }
  return {
    config: { host: MARIADB.host, port: MARIADB.port, database, user, password, ssl: 'disable' },
    async drop() {
      const cleanup = await mysql.createConnection({ ...MARIADB });
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS \`${database}\``);
        await cleanup.query(`DROP USER IF EXISTS ?@'%'`, [user]);
      } finally {
        await cleanup.end();
      }
    },
  };
}
