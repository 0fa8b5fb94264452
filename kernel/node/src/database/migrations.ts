import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from './codeMigrations';

/**
 * The kernel's schema, as knex migrations kept in code so they typecheck and ship with the
 * package. Append new migrations; never edit one that has shipped.
 */
const migrations: CodeMigration[] = [
  {
    name: '20261122_001_audit_and_workspaces',
    async up(knex) {
      await knex.schema.createTable('racine_activity', table => {
        table.increments('seq').primary();
        table.string('id', 36).notNullable().unique();
        // ISO-8601 UTC strings compare in time order on both engines and hash exactly.
        table.string('time', 32).notNullable().index();
        table.string('actor', 255).notNullable().index();
        table.string('workspace', 64).notNullable();
        table.string('resource', 1024).notNullable().defaultTo('');
        table.string('verb', 255).notNullable().index();
        table.string('outcome', 16).notNullable();
        table.text('summary').notNullable();
        table.string('plugin_id', 64).notNullable();
        table.text('details');
        table.string('prev_hash', 64).notNullable();
        table.string('hash', 64).notNullable();
        table.index(['resource']);
      });
      await knex.schema.createTable('racine_workspaces', table => {
        table.string('name', 64).primary();
        table.string('title', 255).notNullable();
        table.text('description').notNullable().defaultTo('');
        table.string('created_by', 255).notNullable();
        table.string('created_at', 32).notNullable();
      });
      await knex('racine_workspaces').insert({
        name: 'default',
        title: 'Default',
        description: 'The workspace every resource belongs to unless another is chosen.',
        created_by: 'plugin:kernel',
        created_at: new Date().toISOString(),
      });
    },
    async down(knex) {
      await knex.schema.dropTable('racine_workspaces');
      await knex.schema.dropTable('racine_activity');
    },
  },
];

export async function migrateKernelDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'racine_kernel_migrations', migrations);
}
