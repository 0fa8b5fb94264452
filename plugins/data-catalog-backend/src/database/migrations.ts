import type { Knex } from 'knex';
import { migrateFromCode, type CodeMigration } from '@racine/kernel-node';
import {
  searchAndCurationMigration,
  searchNameRankMigration,
  searchOrderMigration,
  searchFilterKeysMigration,
  searchFiltersGinMigration,
  searchSampleIndexesMigration,
  searchTrigramsMigration,
  searchTypeOrderMigration,
  searchUpkeepMigration,
} from './searchMigration';

/**
 * The catalog's schema as knex migrations kept in code (they typecheck and ship with the
 * package). Append new migrations; never edit one that has shipped.
 */
export const ASSETS_TABLE = 'catalog_assets';
export const LABELS_TABLE = 'catalog_labels';
export const LABEL_HISTORY_TABLE = 'catalog_label_history';
export const LINEAGE_EDGES_TABLE = 'catalog_lineage_edges';
export const OPENLINEAGE_RUNS_TABLE = 'catalog_openlineage_runs';

const migrations: CodeMigration[] = [
  {
    name: '20261201_001_assets_and_labels',
    async up(knex) {
      // One table for every asset type: the hierarchy is parent_ref, the type-specific
      // technical metadata is JSON. Times are ISO-8601 UTC strings (they sort in time order
      // on both engines).
      await knex.schema.createTable(ASSETS_TABLE, table => {
        table.text('ref').primary();
        table.string('type', 16).notNullable();
        table.text('name').notNullable();
        table.text('qualified_name').notNullable();
        // Lower-cased (unicode-aware, in JS) copies for case-insensitive matching on both engines.
        table.text('name_lower').notNullable();
        table.text('qualified_name_lower').notNullable();
        table.text('parent_ref');
        /** The ref's path: escaped segments data source → … → asset, dot-joined. */
        table.text('path').notNullable();
        table.string('data_source_id', 255).notNullable();
        table.string('workspace', 64).notNullable();
        table.text('description');
        table.string('owner', 255);
        table.text('tags').notNullable().defaultTo('[]');
        table.text('technical').notNullable().defaultTo('{}');
        table.text('profile');
        /** Digest of the ingested fields (labels excluded) and of the ingested labels. */
        table.string('content_hash', 64).notNullable();
        table.string('labels_hash', 64).notNullable();
        table.string('status', 16).notNullable().defaultTo('active');
        table.string('last_run_id', 255);
        table.string('first_seen_at', 32).notNullable();
        table.string('last_seen_at', 32).notNullable();
        table.string('created_at', 32).notNullable();
        table.string('updated_at', 32).notNullable();
        table.index(['parent_ref', 'type', 'status'], 'catalog_assets_parent_idx');
        table.index(['data_source_id', 'type', 'status'], 'catalog_assets_source_idx');
        table.index(['type', 'status', 'qualified_name'], 'catalog_assets_type_idx');
      });
      await knex.schema.createTable(LABELS_TABLE, table => {
        table.string('id', 36).primary();
        table.text('asset_ref').notNullable();
        table.string('data_source_id', 255).notNullable();
        table.string('classifier_id', 255).notNullable();
        table.double('confidence').notNullable();
        table.string('status', 16).notNullable().defaultTo('suggested');
        /** Signals and masked examples only; raw sample values are never stored. */
        table.text('evidence').notNullable();
        table.string('run_id', 255);
        table.string('created_at', 32).notNullable();
        table.string('updated_at', 32).notNullable();
        // One current label per classifier and asset; its history is a later table.
        table.unique(['asset_ref', 'classifier_id'], {
          indexName: 'catalog_labels_asset_classifier_uq',
        });
        table.index(['classifier_id', 'status'], 'catalog_labels_classifier_idx');
      });
    },
    async down(knex) {
      await knex.schema.dropTable(LABELS_TABLE);
      await knex.schema.dropTable(ASSETS_TABLE);
    },
  },
  {
    // Label review (decided through the classifications plugin): who decided what and why,
    // and every decision and re-suggestion as history.
    name: '20261210_002_label_review',
    async up(knex) {
      await knex.schema.alterTable(LABELS_TABLE, table => {
        /** approved | auto_approved | rejected | relabelled | added | resuggested; null: nobody decided. */
        table.string('decision', 16);
        table.string('decided_by', 255);
        table.string('decided_at', 32);
        table.text('decision_reason');
        table.index(['status', 'confidence'], 'catalog_labels_review_idx');
      });
      await knex.schema.createTable(LABEL_HISTORY_TABLE, table => {
        table.string('id', 36).primary();
        table.text('asset_ref').notNullable();
        table.string('classifier_id', 255).notNullable();
        table.string('event', 16).notNullable();
        table.string('from_status', 16);
        table.string('to_status', 16).notNullable();
        table.double('confidence');
        table.string('actor', 255).notNullable();
        table.text('reason');
        table.text('details');
        table.string('created_at', 32).notNullable();
        table.index(['asset_ref', 'created_at'], 'catalog_label_history_asset_idx');
      });
    },
    async down(knex) {
      await knex.schema.dropTable(LABEL_HISTORY_TABLE);
      await knex.schema.alterTable(LABELS_TABLE, table => {
        table.dropIndex(['status', 'confidence'], 'catalog_labels_review_idx');
        table.dropColumns('decision', 'decided_by', 'decided_at', 'decision_reason');
      });
    },
  },
  // Search, curation and the business glossary (catalog search issue).
  searchAndCurationMigration,
  {
    // Lineage (src/lineage): table- and column-level edges, and where propagated labels came from.
    name: '20261221_004_lineage',
    async up(knex) {
      await knex.schema.createTable(LINEAGE_EDGES_TABLE, table => {
        table.string('id', 36).primary();
        /** sha256 of origin, from, to and kind: one edge per source of truth, kept across re-derivations. */
        table.string('edge_key', 64).notNullable().unique({ indexName: 'catalog_lineage_key_uq' });
        table.text('from_ref').notNullable();
        table.text('to_ref').notNullable();
        /** For column edges: the tables (or views, datasets) the two columns belong to. */
        table.text('from_parent');
        table.text('to_parent');
        /** view | openlineage | dbt | manual | foreign_key */
        table.string('kind', 16).notNullable();
        /** table | column */
        table.string('level', 8).notNullable();
        /** What derived the edge (a view's ref, an OpenLineage job, a dbt project): replaced as a whole. */
        table.text('origin').notNullable();
        table.boolean('propagation_blocked').notNullable().defaultTo(false);
        table.text('details');
        table.string('created_at', 32).notNullable();
        table.string('updated_at', 32).notNullable();
        table.index(['from_ref', 'kind'], 'catalog_lineage_from_idx');
        table.index(['to_ref', 'kind'], 'catalog_lineage_to_idx');
        table.index(['origin'], 'catalog_lineage_origin_idx');
        table.index(['from_parent'], 'catalog_lineage_from_parent_idx');
      });
      // What the events of one OpenLineage run reported so far, until it finishes (a START may
      // name the inputs and the COMPLETE the outputs): edges join all it read to all it wrote.
      await knex.schema.createTable(OPENLINEAGE_RUNS_TABLE, table => {
        table.string('run_id', 255).primary();
        table.text('job').notNullable();
        table.text('inputs').notNullable().defaultTo('[]');
        table.text('outputs').notNullable().defaultTo('[]');
        table.text('column_edges').notNullable().defaultTo('[]');
        table.string('updated_at', 32).notNullable();
      });
      await knex.schema.alterTable(LABELS_TABLE, table => {
        /** For `propagated` labels: JSON `{sourceRef, path}` (the refs the label flowed along). */
        table.text('propagated_from');
      });
    },
    async down(knex) {
      await knex.schema.alterTable(LABELS_TABLE, table => {
        table.dropColumn('propagated_from');
      });
      await knex.schema.dropTable(OPENLINEAGE_RUNS_TABLE);
      await knex.schema.dropTable(LINEAGE_EDGES_TABLE);
    },
  },
  // Search at scale: an index in ranking order (catalog search latency).
  searchOrderMigration,
  // Search at scale: name indexes in ranking order for the first ranks (catalog search latency).
  searchNameRankMigration,
  // Search at scale: indexes the facet samples read (by status; by ref, covering the facets).
  searchSampleIndexesMigration,
  // Search at scale (SQLite): filter keys in the full-text index (text with selective filters).
  searchFilterKeysMigration,
  // Search at scale (PostgreSQL): the trigram index also indexes the data source, type and schema.
  searchFiltersGinMigration,
  searchTrigramsMigration,
  searchTypeOrderMigration,
  // The search index upkeep's last count, so that a catalog outgrowing it is upkept sooner.
  searchUpkeepMigration,
];

export async function migrateCatalogDatabase(knex: Knex): Promise<void> {
  await migrateFromCode(knex, 'data_catalog_knex_migrations', migrations);
}
