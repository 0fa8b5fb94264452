import path from 'node:path';
import knexFactory from 'knex';
import type { TestDatabase } from '@racine/kernel-node/testing';

/**
 * Reads rows of the datasources plugin's own tables straight from the database the test
 * server uses (SQLite: `<directory>/datasources.sqlite`; PostgreSQL: schema `datasources`),
 * to prove what is actually stored.
 */
export async function readPluginRows(
  database: TestDatabase,
  table: string,
): Promise<Record<string, unknown>[]> {
  if (database.kind === 'postgres') {
    return database.knex.withSchema('datasources').select('*').from(table);
  }
  const directory = (database.backendDatabaseConfig.connection as { directory: string }).directory;
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: path.join(directory, 'datasources.sqlite'), readonly: true } as never,
    useNullAsDefault: true,
  });
  try {
    return await knex.select('*').from(table);
  } finally {
    await knex.destroy();
  }
}
