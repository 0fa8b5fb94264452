import crypto from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * Real databases to register as data sources in tests: the PostgreSQL and MariaDB servers of
 * the development machine and CI. Each fixture creates its own uniquely named database (and
 * MariaDB user) and drops only that.
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

export interface PostgresFixture {
  config: { host: string; port: number; database: string; user: string; password?: string };
  drop(): Promise<void>;
}

export async function createPostgresFixture(): Promise<PostgresFixture> {
  const database = unique('ds_test_pg');
  const admin = new pg.Client({ ...PG, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  await client.query(`CREATE TABLE public.people (id int PRIMARY KEY, email text NOT NULL)`);
  await client.end();
  return {
    config: {
      host: PG.host,
      port: PG.port,
      database,
      user: PG.user,
      ...(PG.password ? { password: PG.password } : {}),
    },
    async drop() {
      const cleanup = new pg.Client({ ...PG, database: 'postgres' });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

export interface MariaDbFixture {
  config: { host: string; port: number; database: string; user: string; password: string };
  drop(): Promise<void>;
}

/** A database and a user with a password that may read it. */
export async function createMariaDbFixture(): Promise<MariaDbFixture> {
  const database = unique('ds_test_my');
  const user = unique('dsu').slice(0, 32);
  const password = `pw-${crypto.randomBytes(9).toString('base64url')}`;
  const admin = await mysql.createConnection({ ...MARIADB, multipleStatements: false });
  try {
    await admin.query(`CREATE DATABASE \`${database}\``);
    await admin.query(
      `CREATE TABLE \`${database}\`.customers (id INT PRIMARY KEY, email VARCHAR(255) NOT NULL)`,
    );
    await admin.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
    await admin.query(`CREATE USER ?@'localhost' IDENTIFIED BY ?`, [user, password]);
    await admin.query(`GRANT SELECT ON \`${database}\`.* TO ?@'%'`, [user]);
    await admin.query(`GRANT SELECT ON \`${database}\`.* TO ?@'localhost'`, [user]);
  } finally {
    await admin.end();
  }
  return {
    config: { host: MARIADB.host, port: MARIADB.port, database, user, password },
    async drop() {
      const cleanup = await mysql.createConnection(MARIADB);
      try {
        await cleanup.query(`DROP USER IF EXISTS ?@'%'`, [user]);
        await cleanup.query(`DROP USER IF EXISTS ?@'localhost'`, [user]);
        await cleanup.query(`DROP DATABASE IF EXISTS \`${database}\``);
      } finally {
        await cleanup.end();
      }
    },
  };
}
