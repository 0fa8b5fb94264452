import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from '@racine/kernel-node';

/**
 * The plugin's schema as knex migrations kept in code (they typecheck and ship with the
 * package). Append new migrations; never edit one that has shipped.
 */
export const RULES_TABLE = 'classifications_rules';
export const RULE_VERSIONS_TABLE = 'classifications_rule_versions';
export const CLASSIFIER_SETTINGS_TABLE = 'classifications_classifier_settings';
export const SETTINGS_TABLE = 'classifications_settings';

const migrations: CodeMigration[] = [
  {
    name: '20261210_001_rules_and_settings',
    async up(knex) {
      // Times are ISO-8601 UTC strings: they compare in time order on both engines.
      await knex.schema.createTable(RULES_TABLE, table => {
        // The classifier id labels carry (`ACME.EMPLOYEE_BADGE`); never reused once deleted.
        table.string('id', 100).primary();
        table.integer('current_version').notNullable();
        table.boolean('enabled').notNullable().defaultTo(true);
        table.string('created_at', 32).notNullable();
        table.string('created_by', 255).notNullable();
        table.string('updated_at', 32).notNullable();
        table.string('updated_by', 255).notNullable();
        table.string('deleted_at', 32);
        table.string('deleted_by', 255);
      });
      await knex.schema.createTable(RULE_VERSIONS_TABLE, table => {
        table.string('rule_id', 100).notNullable().references('id').inTable(RULES_TABLE);
        table.integer('version').notNullable();
        table.string('name', 200).notNullable();
        table.text('description').notNullable().defaultTo('');
        table.text('categories').notNullable();
        table.string('sensitivity', 16).notNullable();
        table.string('type', 32).notNullable();
        /** The rule definition (JSON); dictionaries carry their terms. */
        table.text('definition').notNullable();
        table.string('note', 500).notNullable().defaultTo('');
        table.string('created_at', 32).notNullable();
        table.string('created_by', 255).notNullable();
        table.primary(['rule_id', 'version']);
      });
      // Stewards' overrides of built-in classifiers; a missing row means "defaults".
      await knex.schema.createTable(CLASSIFIER_SETTINGS_TABLE, table => {
        table.string('classifier_id', 100).primary();
        table.boolean('enabled');
        table.double('threshold');
        table.string('sensitivity', 16);
        table.text('categories');
        table.string('updated_at', 32).notNullable();
        table.string('updated_by', 255).notNullable();
      });
      await knex.schema.createTable(SETTINGS_TABLE, table => {
        table.string('key', 100).primary();
        table.text('value').notNullable();
        table.string('updated_at', 32).notNullable();
        table.string('updated_by', 255).notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(SETTINGS_TABLE);
      await knex.schema.dropTable(CLASSIFIER_SETTINGS_TABLE);
      await knex.schema.dropTable(RULE_VERSIONS_TABLE);
      await knex.schema.dropTable(RULES_TABLE);
    },
  },
];

export async function migrateClassificationsDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'classifications_knex_migrations', migrations);
}
