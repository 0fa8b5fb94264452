import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';

/**
 * Test databases for store and API suites. `RACINE_TEST_DB` picks the engine:
 * `sqlite` (default, a temp file) or `postgres` (a fresh database on RACINE_TEST_PG_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres, dropped afterwards).
 * CI runs every suite once per engine.
 */
export type TestDatabaseKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  kind: TestDatabaseKind;
  knex: Knex;
  /** Backstage `backend.database` config that points at the same database. */
  backendDatabaseConfig: Record<string, unknown>;
  /** Connection string (postgres) or file path (sqlite). */
  location: string;
  destroy(): Promise<void>;
}

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.RACINE_TEST_DB ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') {
    throw new Error(`RACINE_TEST_DB must be sqlite or postgres, not ${kind}`);
  }
  return kind;
}

export function testPostgresUrl(): string {
  return process.env.RACINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

function uniqueName(prefix: string) {
  return `${prefix}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
}

/** Creates an empty database of the configured kind (or the one asked for). */
export async function createTestDatabase(
  kind: TestDatabaseKind = testDatabaseKind(),
): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-test-'));
    const file = path.join(dir, 'racine.sqlite');
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    return {
      kind,
      knex,
      location: file,
      backendDatabaseConfig: {
        client: 'better-sqlite3',
        connection: { directory: dir },
      },
      async destroy() {
        await knex.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const adminUrl = new URL(testPostgresUrl());
  const name = uniqueName('racine_test');
  const admin = knexFactory({ client: 'pg', connection: adminUrl.toString() });
  await admin.raw('CREATE DATABASE ??', [name]);
  await admin.destroy();
  const url = new URL(adminUrl.toString());
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 5 } });
  return {
    kind,
    knex,
    location: url.toString(),
    backendDatabaseConfig: {
      client: 'pg',
      connection: {
        host: adminUrl.hostname,
        port: Number(adminUrl.port || 5432),
        user: decodeURIComponent(adminUrl.username || 'postgres'),
        password: decodeURIComponent(adminUrl.password),
        database: name,
      },
      // Backstage creates one database per plugin; keep them all inside this one via schemas.
      pluginDivisionMode: 'schema',
      ensureExists: false,
      ensureSchemaExists: true,
      // Every plugin gets its own pool; knex's default (min 2) keeps ~30 idle connections per
      // backend, and suites that start several backends (worker-kill tests) then exhaust
      // PostgreSQL's 100. Idle connections are released; a plugin uses at most 5 at once.
      knexConfig: { pool: { min: 0, max: 5, idleTimeoutMillis: 5_000 } },
    },
    async destroy() {
      await knex.destroy();
      const cleanup = knexFactory({ client: 'pg', connection: adminUrl.toString() });
      try {
        await cleanup.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}
