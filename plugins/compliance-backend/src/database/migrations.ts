import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from '@racine/kernel-node';

/**
 * The compliance schema as knex migrations kept in code. Times are ISO-8601 UTC strings
 * (they sort in time order on both engines). Append new migrations; never edit shipped ones.
 */
export const RULES_TABLE = 'compliance_rules';
export const FRAMEWORKS_TABLE = 'compliance_frameworks';
export const FINDINGS_TABLE = 'compliance_findings';
export const FINDING_EVENTS_TABLE = 'compliance_finding_events';
export const WAIVERS_TABLE = 'compliance_waivers';
export const EVALUATIONS_TABLE = 'compliance_evaluations';
export const SCOPE_COUNTS_TABLE = 'compliance_scope_counts';
export const SCORES_TABLE = 'compliance_score_snapshots';
export const NOTIFICATIONS_TABLE = 'compliance_notifications';

const migrations: CodeMigration[] = [
  {
    name: '20261223_001_compliance',
    async up(knex) {
      await knex.schema.createTable(RULES_TABLE, table => {
        table.string('id', 64).primary();
        table.text('name').notNullable();
        table.text('description').notNullable();
        table.string('severity', 16).notNullable();
        table.string('subject', 16).notNullable();
        table.text('scope').notNullable();
        table.text('assert').notNullable();
        table.text('label_statuses');
        table.integer('sla_days');
        table.text('remediation').notNullable();
        table.boolean('enabled').notNullable();
        table.boolean('builtin').notNullable();
        table.integer('version').notNullable();
        table.string('updated_by', 255).notNullable();
        table.string('updated_at', 32).notNullable();
      });
      await knex.schema.createTable(FRAMEWORKS_TABLE, table => {
        table.string('id', 64).primary();
        table.text('name').notNullable();
        table.string('version', 50).notNullable();
        table.text('description').notNullable();
        table.text('requirements').notNullable();
        table.string('created_by', 255).notNullable();
        table.string('created_at', 32).notNullable();
      });
      await knex.schema.createTable(FINDINGS_TABLE, table => {
        table.increments('id').primary();
        table.string('rule_id', 64).notNullable();
        /** The asset (or, for data source rules, the data source) the finding is about. */
        table.text('asset_ref').notNullable();
        table.text('asset_name').notNullable();
        table.string('asset_type', 16).notNullable();
        table.string('data_source_id', 255).notNullable();
        table.string('workspace', 64).notNullable();
        table.string('status', 16).notNullable();
        table.string('severity', 16).notNullable();
        table.string('owner', 255);
        table.text('evidence').notNullable();
        table.string('due_at', 32).notNullable();
        table.string('first_seen_at', 32).notNullable();
        table.string('last_seen_at', 32).notNullable();
        table.string('resolved_at', 32);
        table.string('acknowledged_by', 255);
        table.string('waiver_id', 36);
        table.string('last_evaluation_id', 36).notNullable();
        table.string('updated_at', 32).notNullable();
        table.unique(['rule_id', 'asset_ref'], { indexName: 'compliance_findings_rule_asset_uq' });
        table.index(['status', 'rule_id'], 'compliance_findings_status_idx');
        table.index(['asset_ref'], 'compliance_findings_asset_idx');
      });
      await knex.schema.createTable(FINDING_EVENTS_TABLE, table => {
        table.increments('id').primary();
        table.integer('finding_id').notNullable();
        table.string('rule_id', 64).notNullable();
        table.text('asset_ref').notNullable();
        table.string('from_status', 16);
        table.string('to_status', 16).notNullable();
        table.string('actor', 255).notNullable();
        table.text('note');
        table.string('at', 32).notNullable();
        table.index(['finding_id', 'id'], 'compliance_finding_events_finding_idx');
        table.index(['at'], 'compliance_finding_events_at_idx');
      });
      await knex.schema.createTable(WAIVERS_TABLE, table => {
        table.string('id', 36).primary();
        table.integer('finding_id').notNullable();
        table.string('status', 16).notNullable();
        table.text('reason').notNullable();
        table.string('expires_at', 32).notNullable();
        table.string('requested_by', 255).notNullable();
        table.string('requested_at', 32).notNullable();
        table.string('decided_by', 255);
        table.string('decided_at', 32);
        table.text('decision_note');
        table.index(['status', 'expires_at'], 'compliance_waivers_status_idx');
        table.index(['finding_id'], 'compliance_waivers_finding_idx');
      });
      await knex.schema.createTable(EVALUATIONS_TABLE, table => {
        table.string('id', 36).primary();
        table.string('trigger', 16).notNullable();
        table.string('kind', 16).notNullable();
        table.string('framework_id', 64);
        table.string('status', 16).notNullable();
        table.string('requested_by', 255).notNullable();
        table.integer('assets_evaluated').notNullable().defaultTo(0);
        table.integer('rules_evaluated').notNullable().defaultTo(0);
        table.integer('findings_opened').notNullable().defaultTo(0);
        table.integer('findings_resolved').notNullable().defaultTo(0);
        table.string('created_at', 32).notNullable();
        table.string('started_at', 32);
        table.string('ended_at', 32);
        table.integer('duration_ms');
        table.text('error');
        table.index(['created_at'], 'compliance_evaluations_created_idx');
      });
      // How many assets (or data sources) each rule had in scope at the last full evaluation,
      // per data source and workspace: the denominators of the scores.
      await knex.schema.createTable(SCOPE_COUNTS_TABLE, table => {
        table.string('rule_id', 64).notNullable();
        table.string('data_source_id', 255).notNullable();
        table.string('workspace', 64).notNullable();
        table.integer('in_scope').notNullable();
        table.primary(['rule_id', 'data_source_id', 'workspace']);
      });
      await knex.schema.createTable(SCORES_TABLE, table => {
        table.increments('id').primary();
        table.string('framework_id', 64).notNullable();
        /** framework | requirement | dataSource | workspace */
        table.string('scope_kind', 16).notNullable();
        table.string('scope_id', 255).notNullable();
        table.double('score');
        table.integer('in_scope').notNullable();
        table.integer('failing').notNullable();
        table.string('taken_at', 32).notNullable();
        table.index(
          ['framework_id', 'scope_kind', 'scope_id', 'taken_at'],
          'compliance_scores_idx',
        );
      });
    },
    async down(knex) {
      for (const t of [
        SCORES_TABLE,
        SCOPE_COUNTS_TABLE,
        EVALUATIONS_TABLE,
        WAIVERS_TABLE,
        FINDING_EVENTS_TABLE,
        FINDINGS_TABLE,
        FRAMEWORKS_TABLE,
        RULES_TABLE,
      ])
        await knex.schema.dropTableIfExists(t);
    },
  },
  {
    // In-app notifications of remediation tasks (a finding opened on what someone owns).
    name: '20261223_002_notifications',
    async up(knex) {
      await knex.schema.createTable(NOTIFICATIONS_TABLE, table => {
        table.string('id', 36).primary();
        table.string('recipient', 255).notNullable();
        table.string('dedupe_key', 255).notNullable().unique();
        table.integer('finding_id').notNullable();
        table.text('title').notNullable();
        table.text('message').notNullable();
        table.string('created_at', 32).notNullable();
        table.string('read_at', 32);
        table.index(['recipient', 'created_at'], 'compliance_notifications_recipient_idx');
      });
    },
    async down(knex) {
      await knex.schema.dropTableIfExists(NOTIFICATIONS_TABLE);
    },
  },
];

export async function migrateComplianceDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'compliance_knex_migrations', migrations);
}
