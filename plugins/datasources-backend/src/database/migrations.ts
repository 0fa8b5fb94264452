import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from '@racine/kernel-node';

/**
 * The datasources plugin's schema, as knex migrations kept in code so they typecheck and ship
 * with the package. Append new migrations; never edit one that has shipped.
 */
export const DATA_SOURCES_TABLE = 'datasources';
export const HEALTH_CHECKS_TABLE = 'datasource_health_checks';
export const MARKERS_TABLE = 'datasource_markers';

const migrations: CodeMigration[] = [
  {
    name: '20261122_001_datasources',
    async up(knex) {
      await knex.schema.createTable(DATA_SOURCES_TABLE, table => {
        table.string('id', 36).primary();
        table.string('workspace', 64).notNullable();
        table.string('name', 200).notNullable();
        table.string('type', 64).notNullable().index();
        table.text('description').notNullable().defaultTo('');
        table.string('environment', 64).notNullable().defaultTo('').index();
        table.string('owner', 255).notNullable().defaultTo('');
        // JSON arrays/objects as text: the same on SQLite and PostgreSQL, and never queried by key.
        table.text('tags').notNullable().defaultTo('[]');
        // The connector configuration without secret fields.
        table.text('config').notNullable();
        // The secret fields, sealed as one JSON object (AES-256-GCM); null when there are none.
        table.text('secrets');
        // Names of the sealed fields, in the clear, so reads never need to decrypt.
        table.text('secret_fields').notNullable().defaultTo('[]');
        // ISO-8601 UTC strings sort in time order on both engines.
        table.string('created_at', 32).notNullable();
        table.string('created_by', 255).notNullable();
        table.string('updated_at', 32).notNullable();
        table.string('updated_by', 255).notNullable();
        table.unique(['workspace', 'name']);
      });
      await knex.schema.createTable(HEALTH_CHECKS_TABLE, table => {
        table.increments('id').primary();
        table
          .string('datasource_id', 36)
          .notNullable()
          .references('id')
          .inTable(DATA_SOURCES_TABLE)
          .onDelete('CASCADE');
        table.string('checked_at', 32).notNullable();
        table.boolean('ok').notNullable();
        table.double('latency_ms').notNullable();
        table.string('server_version', 255);
        table.text('error');
        table.string('error_code', 64);
        table.string('triggered_by', 16).notNullable();
        table.index(['datasource_id', 'id']);
      });
      // One-time facts shared by every replica, e.g. "the demo source was registered".
      await knex.schema.createTable(MARKERS_TABLE, table => {
        table.string('key', 128).primary();
        table.string('created_at', 32).notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(MARKERS_TABLE);
      await knex.schema.dropTable(HEALTH_CHECKS_TABLE);
      await knex.schema.dropTable(DATA_SOURCES_TABLE);
    },
  },
];

export async function migrateDatasourcesDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'datasources_knex_migrations', migrations);
}
