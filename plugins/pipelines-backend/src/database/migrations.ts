import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from '@racine/kernel-node';

/**
 * The pipelines schema, as knex migrations kept in code. Times are epoch milliseconds
 * (bigint) so the engine compares them in SQL on both engines; JSON is stored as text.
 * Append new migrations; never edit one that has shipped.
 */
const migrations: CodeMigration[] = [
  {
    name: '20261123_001_jobs_runs_templates',
    async up(knex) {
      await knex.schema.createTable('pipelines_jobs', table => {
        table.string('id', 36).primary();
        table.string('workspace', 64).notNullable();
        table.string('name', 255).notNullable();
        table.string('owner', 255).notNullable();
        table.integer('version').notNullable();
        /** The current version's definition (also kept in pipelines_job_versions). */
        table.text('definition').notNullable();
        table.text('tags').notNullable().defaultTo('[]');
        table.bigInteger('next_fire_at').nullable().index();
        table.bigInteger('created_at').notNullable();
        table.string('created_by', 255).notNullable();
        table.bigInteger('updated_at').notNullable();
        table.string('updated_by', 255).notNullable();
        table.index(['workspace', 'name']);
      });
      await knex.schema.createTable('pipelines_job_versions', table => {
        table.string('job_id', 36).notNullable();
        table.integer('version').notNullable();
        table.text('definition').notNullable();
        table.string('note', 500).notNullable().defaultTo('');
        table.bigInteger('created_at').notNullable();
        table.string('created_by', 255).notNullable();
        table.primary(['job_id', 'version']);
      });
      await knex.schema.createTable('pipelines_job_triggers', table => {
        table.string('job_id', 36).notNullable();
        table.integer('position').notNullable();
        table.string('topic', 200).notNullable().index();
        table.primary(['job_id', 'position']);
      });
      await knex.schema.createTable('pipelines_runs', table => {
        table.string('id', 36).primary();
        table.string('job_id', 36).notNullable();
        table.integer('job_version').notNullable();
        table.string('job_name', 255).notNullable();
        table.string('workspace', 64).notNullable();
        table.string('run_as', 255).notNullable();
        table.string('trigger_type', 16).notNullable();
        table.string('triggered_by', 255).notNullable();
        table.text('parameters').notNullable();
        table.string('status', 16).notNullable();
        table.string('result', 32).nullable();
        table.text('state_message').notNullable().defaultTo('');
        table.boolean('cancel_requested').notNullable().defaultTo(false);
        table.boolean('timed_out').notNullable().defaultTo(false);
        table.string('parent_run_id', 36).nullable().index();
        table.string('parent_task_key', 220).nullable();
        table.integer('parent_attempt').nullable();
        table.integer('depth').notNullable().defaultTo(0);
        table.integer('repair_count').notNullable().defaultTo(0);
        table.string('dedupe_key', 300).nullable().unique();
        table.bigInteger('created_at').notNullable();
        table.bigInteger('started_at').nullable();
        table.bigInteger('ended_at').nullable();
        table.bigInteger('updated_at').notNullable();
        table.index(['job_id', 'created_at']);
        table.index(['status']);
      });
      await knex.schema.createTable('pipelines_task_runs', table => {
        table.string('run_id', 36).notNullable();
        /** `<key>` for tasks, `<key>[<index>]` for for-each iterations. */
        table.string('task_key', 220).notNullable();
        table.string('parent_key', 100).nullable();
        table.integer('iteration').nullable();
        table.text('item').nullable();
        table.string('state', 24).notNullable();
        table.string('result', 24).nullable();
        table.string('outcome', 16).nullable();
        /** The latest attempt number (0 before the first). */
        table.integer('attempt').notNullable().defaultTo(0);
        /** Attempts before the current execution (a repair starts a new retry count). */
        table.integer('round_start').notNullable().defaultTo(0);
        table.text('task_values').nullable();
        table.text('error').nullable();
        table.string('waiting_for', 16).nullable();
        table.string('child_run_id', 36).nullable();
        table.bigInteger('started_at').nullable();
        table.bigInteger('ended_at').nullable();
        table.primary(['run_id', 'task_key']);
      });
      await knex.schema.createTable('pipelines_attempts', table => {
        table.string('run_id', 36).notNullable();
        table.string('task_key', 220).notNullable();
        table.integer('attempt').notNullable();
        table.string('repair_id', 64).nullable();
        /** PENDING, RUNNING, SUCCESS, FAILED, TIMEDOUT, CANCELED */
        table.string('state', 16).notNullable();
        table.bigInteger('run_at').notNullable();
        table.bigInteger('queued_at').notNullable();
        table.bigInteger('started_at').nullable();
        table.bigInteger('ended_at').nullable();
        table.string('worker', 255).nullable();
        table.bigInteger('lease_expires_at').nullable();
        /** approval | timer | childRun | iterations | event: running without holding a worker. */
        table.string('waiting_for', 16).nullable();
        table.bigInteger('resume_at').nullable();
        table.string('wait_topic', 200).nullable();
        table.text('wait_filter').nullable();
        table.bigInteger('deadline_at').nullable();
        table.text('error').nullable();
        table.primary(['run_id', 'task_key', 'attempt']);
        table.index(['state', 'run_at']);
        table.index(['wait_topic']);
      });
      await knex.schema.createTable('pipelines_repairs', table => {
        table.string('id', 64).primary();
        table.string('run_id', 36).notNullable().index();
        table.integer('number').notNullable();
        table.text('request').notNullable();
        table.text('tasks').notNullable();
        table.bigInteger('created_at').notNullable();
        table.string('created_by', 255).notNullable();
      });
      await knex.schema.createTable('pipelines_logs', table => {
        table.bigIncrements('id').primary();
        table.string('run_id', 36).notNullable();
        table.string('task_key', 220).nullable();
        table.integer('attempt').nullable();
        table.bigInteger('time').notNullable();
        table.string('level', 8).notNullable();
        table.text('message').notNullable();
        table.index(['run_id', 'id']);
      });
      await knex.schema.createTable('pipelines_approvals', table => {
        table.string('run_id', 36).notNullable();
        table.string('task_key', 220).notNullable();
        table.integer('attempt').notNullable();
        table.string('job_id', 36).notNullable();
        table.string('job_name', 255).notNullable();
        table.string('workspace', 64).notNullable();
        table.text('approvers').notNullable();
        table.text('message').notNullable();
        table.string('state', 16).notNullable();
        table.string('decided_by', 255).nullable();
        table.bigInteger('decided_at').nullable();
        table.text('comment').nullable();
        table.bigInteger('created_at').notNullable();
        table.primary(['run_id', 'task_key', 'attempt']);
        table.index(['state', 'created_at']);
      });
      await knex.schema.createTable('pipelines_events', table => {
        table.bigIncrements('id').primary();
        table.string('topic', 200).notNullable();
        table.text('payload').notNullable();
        table.bigInteger('received_at').notNullable();
        table.index(['topic', 'received_at']);
      });
      await knex.schema.createTable('pipelines_notifications', table => {
        table.string('id', 36).primary();
        table.string('recipient', 255).notNullable();
        /** Makes a re-delivered notification a no-op. */
        table.string('dedupe_key', 400).notNullable().unique();
        table.string('workspace', 64).notNullable();
        table.string('job_id', 36).nullable();
        table.string('run_id', 36).nullable();
        table.string('title', 255).notNullable();
        table.text('message').notNullable();
        table.bigInteger('created_at').notNullable();
        table.bigInteger('read_at').nullable();
        table.index(['recipient', 'created_at']);
      });
      await knex.schema.createTable('pipelines_templates', table => {
        table.string('id', 36).primary();
        table.string('workspace', 64).notNullable();
        table.string('name', 255).notNullable();
        table.string('visibility', 16).notNullable();
        table.string('owner', 255).notNullable();
        table.text('definition').notNullable();
        table.bigInteger('created_at').notNullable();
        table.bigInteger('updated_at').notNullable();
        table.index(['workspace', 'name']);
      });
    },
    async down(knex) {
      for (const table of [
        'pipelines_templates',
        'pipelines_notifications',
        'pipelines_events',
        'pipelines_approvals',
        'pipelines_logs',
        'pipelines_repairs',
        'pipelines_attempts',
        'pipelines_task_runs',
        'pipelines_runs',
        'pipelines_job_triggers',
        'pipelines_job_versions',
        'pipelines_jobs',
      ]) {
        await knex.schema.dropTable(table);
      }
    },
  },
];

export async function migratePipelinesDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'pipelines_knex_migrations', migrations);
}
