import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from '@racine/kernel-node';

/**
 * The scans plugin's schema, as knex migrations kept in code so they typecheck and ship with
 * the package. Append new migrations; never edit one that has shipped.
 */
const migrations: CodeMigration[] = [
  {
    name: '20261122_001_scans',
    async up(knex) {
      await knex.schema.createTable('scans_runs', table => {
        table.increments('seq').primary();
        table.string('id', 36).notNullable().unique();
        table.string('data_source_id', 200).notNullable();
        table.string('data_source_name', 255).notNullable();
        table.string('workspace', 64).notNullable();
        table.string('rule_set_id', 200).notNullable();
        table.string('rule_set_name', 255).notNullable();
        table.integer('rule_set_version').notNullable();
        // queued | running | succeeded | failed | canceled
        table.string('status', 16).notNullable();
        // planning | scanning | finalizing | done: where a running run is in its life
        table.string('phase', 16).notNullable();
        table.string('trigger', 16).notNullable();
        table.string('schedule_id', 36);
        table.string('requested_by', 255).notNullable();
        table.integer('tables_total').notNullable().defaultTo(0);
        table.integer('tables_done').notNullable().defaultTo(0);
        table.integer('tables_skipped').notNullable().defaultTo(0);
        table.integer('tables_failed').notNullable().defaultTo(0);
        table.bigInteger('rows_sampled').notNullable().defaultTo(0);
        table.integer('columns_classified').notNullable().defaultTo(0);
        table.integer('labels_found').notNullable().defaultTo(0);
        table.integer('errors').notNullable().defaultTo(0);
        table.boolean('full_scan');
        table.integer('plan_attempts').notNullable().defaultTo(0);
        table.boolean('notified').notNullable().defaultTo(false);
        table.text('error');
        // ISO-8601 UTC strings: they sort in time order on both engines.
        table.string('created_at', 32).notNullable();
        table.string('started_at', 32);
        table.string('ended_at', 32);
        table.string('updated_at', 32).notNullable();
        table.index(['data_source_id', 'seq']);
        table.index(['status', 'phase']);
      });

      await knex.schema.createTable('scans_run_tables', table => {
        table.increments('id').primary();
        table.string('run_id', 36).notNullable();
        table.text('table_ref').notNullable();
        table.text('schema_name').notNullable();
        table.text('table_name').notNullable();
        table.string('kind', 32).notNullable();
        // pending | running | succeeded | skipped | failed | canceled
        table.string('status', 16).notNullable();
        table.integer('attempts').notNullable().defaultTo(0);
        // Identifies the execution that owns a running table; final writes check it.
        table.string('token', 36);
        table.text('fingerprint');
        // The discovered structure (JSON): names, types, keys. Never sampled values.
        table.text('discovered').notNullable();
        table.string('started_at', 32);
        table.string('ended_at', 32);
        table.integer('duration_ms');
        table.integer('rows_sampled').notNullable().defaultTo(0);
        table.integer('columns').notNullable().defaultTo(0);
        table.integer('labels').notNullable().defaultTo(0);
        table.text('error');
        table.string('updated_at', 32).notNullable();
        table.unique(['run_id', 'table_ref']);
        table.index(['run_id', 'status']);
        table.index(['run_id', 'updated_at']);
      });

      await knex.schema.createTable('scans_run_logs', table => {
        table.increments('seq').primary();
        table.string('run_id', 36).notNullable();
        table.text('table_ref');
        table.string('level', 8).notNullable();
        table.text('message').notNullable();
        table.string('time', 32).notNullable();
        table.index(['run_id', 'seq']);
      });

      // The last successful scan of each table, for incremental rescans.
      await knex.schema.createTable('scans_table_state', table => {
        table.string('data_source_id', 200).notNullable();
        table.text('table_ref').notNullable();
        table.text('fingerprint').notNullable();
        table.string('rule_set_id', 200).notNullable();
        table.integer('rule_set_version').notNullable();
        table.string('run_id', 36).notNullable();
        table.string('scanned_at', 32).notNullable();
        table.primary(['data_source_id', 'table_ref']);
      });

      await knex.schema.createTable('scans_schedules', table => {
        table.string('id', 36).primary();
        table.string('name', 200).notNullable();
        table.string('data_source_id', 200).notNullable();
        table.string('rule_set_id', 200).notNullable();
        table.string('cron', 200).notNullable();
        table.string('timezone', 100).notNullable();
        table.boolean('paused').notNullable().defaultTo(false);
        table.string('workspace', 64).notNullable();
        table.string('next_run_at', 32);
        table.string('last_run_at', 32);
        table.string('last_run_id', 36);
        table.string('created_by', 255).notNullable();
        table.string('created_at', 32).notNullable();
        table.string('updated_at', 32).notNullable();
        table.index(['paused', 'next_run_at']);
        table.index(['data_source_id']);
      });

      // Per data source slots bounding concurrent scan work across every worker process.
      await knex.schema.createTable('scans_source_leases', table => {
        table.string('data_source_id', 200).notNullable();
        table.integer('slot').notNullable();
        table.string('holder', 64);
        // Epoch milliseconds; a lease whose holder stopped renewing it is free once expired.
        table.bigInteger('expires_at').notNullable().defaultTo(0);
        table.primary(['data_source_id', 'slot']);
      });
    },
    async down(knex) {
      for (const name of [
        'scans_source_leases',
        'scans_schedules',
        'scans_table_state',
        'scans_run_logs',
        'scans_run_tables',
        'scans_runs',
      ]) {
        await knex.schema.dropTableIfExists(name);
      }
    },
  },
];

export async function migrateScansDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'scans_knex_migrations', migrations);
}
