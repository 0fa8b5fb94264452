import type { Knex } from 'knex';

/**
 * A knex migration kept in code, so it typechecks and ships with its package. Append new
 * migrations to a list; never edit one that has shipped.
 */
export interface CodeMigration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Applies the migrations of `migrations` not yet recorded in `tableName`, in list order. */
export async function migrateFromCode(
  knex: Knex,
  tableName: string,
  migrations: readonly CodeMigration[],
): Promise<void> {
  const migrationSource: Knex.MigrationSource<CodeMigration> = {
    getMigrations: async () => [...migrations],
    getMigrationName: migration => migration.name,
    getMigration: async migration => migration,
  };
  await knex.migrate.latest({ migrationSource, tableName });
}
