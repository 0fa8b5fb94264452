import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from '@racine/kernel-node';

/**
 * The plugin's schema as knex migrations kept in code, so they typecheck and ship with the
 * package. Append new migrations; never edit one that has shipped.
 */
const migrations: CodeMigration[] = [
  {
    name: '20261201_001_rule_sets_and_versions',
    async up(knex) {
      await knex.schema.createTable('scan_rulesets', table => {
        table.string('id', 64).primary();
        table.string('workspace', 64).notNullable();
        table.string('name', 200).notNullable();
        // Lower-cased NFC name: names are unique per workspace regardless of case.
        table.string('name_key', 400).notNullable();
        table.text('description').notNullable().defaultTo('');
        table.boolean('builtin').notNullable().defaultTo(false);
        table.integer('current_version').notNullable();
        // ISO-8601 UTC strings: they compare in time order on both engines.
        table.string('created_at', 32).notNullable();
        table.string('created_by', 255).notNullable();
        table.string('updated_at', 32).notNullable();
        table.string('updated_by', 255).notNullable();
        table.string('deleted_at', 32);
        table.string('deleted_by', 255);
      });
      // Deleted rule sets keep their row (scans name their versions) but free their name.
      await knex.raw(
        'CREATE UNIQUE INDEX scan_rulesets_workspace_name ON scan_rulesets (workspace, name_key) WHERE deleted_at IS NULL',
      );
      await knex.schema.createTable('scan_ruleset_versions', table => {
        table.string('rule_set_id', 64).notNullable().references('id').inTable('scan_rulesets');
        table.integer('version').notNullable();
        table.string('name', 200).notNullable();
        table.text('description').notNullable().defaultTo('');
        table.text('definition').notNullable();
        table.string('note', 500).notNullable().defaultTo('');
        table.string('created_at', 32).notNullable();
        table.string('created_by', 255).notNullable();
        table.primary(['rule_set_id', 'version']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable('scan_ruleset_versions');
      await knex.schema.dropTable('scan_rulesets');
    },
  },
];

export async function migrateScanRulesetsDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'scan_rulesets_knex_migrations', migrations);
}
