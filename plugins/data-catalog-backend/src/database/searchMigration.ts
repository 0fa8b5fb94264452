import { parseAssetRef } from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';

/**
 * Search, curation and the business glossary. Kept beside `migrations.ts`, which lists it
 * after the earlier migrations (append new ones there; never edit one that has shipped).
 */
export const FACETS_TABLE = 'catalog_asset_facets';
export const ASSET_HISTORY_TABLE = 'catalog_asset_history';
export const GLOSSARY_TABLE = 'catalog_glossary_terms';
/** SQLite only: the FTS5 trigram index over each asset's search document. */
export const FTS_TABLE = 'catalog_assets_fts';

const ASSETS = 'catalog_assets';
const LABELS = 'catalog_labels';

/**
 * The static part of the search ranking: well-described and owned assets first, then the
 * shortest (most general) names, then the ref. The search orders by exactly these
 * expressions so that both engines can walk `SEARCH_ORDER_INDEX` instead of sorting.
 */
export const SEARCH_ORDER_SQL = [
  `(case when description is not null and description <> '' then 1 else 0 end + case when owners <> '[]' then 1 else 0 end) desc`,
  'length(qualified_name)',
  'ref',
];
export const SEARCH_ORDER_INDEX = 'catalog_assets_search_order_idx';
/** Filter columns the ranking-order index also holds, so reading it tests them without the row. */
const SEARCH_ORDER_COVERED = ['type', 'status', 'data_source_id', 'sensitivity_rank'];

/** The SQL expression of an asset's search document (both engines index exactly this). */
export const SEARCH_DOCUMENT_SQL = `(search_ingested || ' ' || search_curated)`;

function isPostgres(knex: Knex): boolean {
  return ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));
}

/** Lower-cased words of what a scan found: name, qualified name, comment (and column names). */
export function ingestedSearchText(fields: {
  name: string;
  qualifiedName: string;
  comment?: string | null;
  columnNames?: string[];
}): string {
  return [fields.name, fields.qualifiedName, fields.comment ?? '', ...(fields.columnNames ?? [])]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

/** Path depth of each asset type found by scans: source → database → schema → table → column. */
const SCANNED_DEPTH: Record<string, number> = { schema: 3, table: 4, view: 4, column: 5 };

/**
 * The schema an asset lives in: null for data sources and databases, and for assets whose
 * path is not a scanned one (e.g. OpenLineage datasets, `namespace.name`).
 */
export function schemaNameOf(ref: string): string | null {
  const { type, segments } = parseAssetRef(ref);
  return SCANNED_DEPTH[type] === segments.length ? segments[2] : null;
}

/**
 * SQLite: the FTS5 trigram index of the search documents (as first shipped, without filter
 * keys). The FTS row shares the asset row's rowid; triggers keep it in step with the document.
 */
async function createDocumentFts(knex: Knex): Promise<void> {
  await knex.raw(`CREATE VIRTUAL TABLE ${FTS_TABLE} USING fts5(doc, tokenize = 'trigram')`);
  await knex.raw(
    `INSERT INTO ${FTS_TABLE}(rowid, doc) SELECT rowid, ${SEARCH_DOCUMENT_SQL} FROM ${ASSETS}`,
  );
  await knex.raw(`CREATE TRIGGER catalog_assets_fts_insert AFTER INSERT ON ${ASSETS} BEGIN
        INSERT INTO ${FTS_TABLE}(rowid, doc) VALUES (new.rowid, new.search_ingested || ' ' || new.search_curated);
      END`);
  await knex.raw(`CREATE TRIGGER catalog_assets_fts_update AFTER UPDATE OF search_ingested, search_curated ON ${ASSETS} BEGIN
        DELETE FROM ${FTS_TABLE} WHERE rowid = old.rowid;
        INSERT INTO ${FTS_TABLE}(rowid, doc) VALUES (new.rowid, new.search_ingested || ' ' || new.search_curated);
      END`);
  await knex.raw(`CREATE TRIGGER catalog_assets_fts_delete AFTER DELETE ON ${ASSETS} BEGIN
        DELETE FROM ${FTS_TABLE} WHERE rowid = old.rowid;
      END`);
}

/** SQLite: the FTS5 index and its triggers, gone. */
async function dropFts(knex: Knex): Promise<void> {
  for (const trigger of ['insert', 'update', 'delete'])
    await knex.raw(`DROP TRIGGER IF EXISTS catalog_assets_fts_${trigger}`);
  await knex.raw(`DROP TABLE IF EXISTS ${FTS_TABLE}`);
}

export const searchAndCurationMigration = {
  name: '20261220_003_search_and_curation',
  async up(knex: Knex): Promise<void> {
    const postgres = isPostgres(knex);
    await knex.schema.alterTable(ASSETS, table => {
      table.text('schema_name');
      /** Lower-cased search words of the scanned fields, and of the curated ones. */
      table.text('search_ingested').notNullable().defaultTo('');
      table.text('search_curated').notNullable().defaultTo('');
      /** Effective sensitivity: the curated override, else the highest label's. */
      table.string('sensitivity', 16);
      /** 0 unclassified, 1 PUBLIC … 4 RESTRICTED: what ABAC ceilings compare. */
      table.integer('sensitivity_rank').notNullable().defaultTo(0);
      table.string('sensitivity_override', 16);
      table.text('owners').notNullable().defaultTo('[]');
      table.text('stewards').notNullable().defaultTo('[]');
      /** Ids of the glossary terms attached to the asset. */
      table.text('terms').notNullable().defaultTo('[]');
      table.text('properties').notNullable().defaultTo('{}');
      /** Curation version: +1 on every curated change (see the history table). */
      table.integer('version').notNullable().defaultTo(0);
      table.index(['name_lower'], 'catalog_assets_name_lower_idx');
      table.index(['schema_name'], 'catalog_assets_schema_idx');
      table.index(['sensitivity_rank'], 'catalog_assets_sensitivity_idx');
      table.index(['updated_at'], 'catalog_assets_updated_idx');
    });
    await knex.schema.alterTable(LABELS, table => {
      /** What the classifier says about the data it found, when the scan sent it. */
      table.string('sensitivity', 16);
      table.text('categories').notNullable().defaultTo('[]');
    });
    // Multi-valued curated fields, one row per value: the tag, owner, steward and term facets.
    await knex.schema.createTable(FACETS_TABLE, table => {
      table.string('facet', 16).notNullable();
      table.text('value').notNullable();
      table.text('asset_ref').notNullable();
      table.primary(['facet', 'value', 'asset_ref']);
      table.index(['asset_ref'], 'catalog_asset_facets_asset_idx');
    });
    await knex.schema.createTable(ASSET_HISTORY_TABLE, table => {
      table.string('id', 36).primary();
      table.text('asset_ref').notNullable();
      table.integer('version').notNullable();
      table.string('actor', 255).notNullable();
      table.text('summary').notNullable();
      /** `{field: {from, to}}` */
      table.text('changes').notNullable();
      table.string('created_at', 32).notNullable();
      table.index(['asset_ref', 'version'], 'catalog_asset_history_asset_idx');
    });
    await knex.schema.createTable(GLOSSARY_TABLE, table => {
      table.string('id', 36).primary();
      table.text('name').notNullable();
      table.text('name_lower').notNullable();
      table.text('definition').notNullable().defaultTo('');
      table.text('synonyms').notNullable().defaultTo('[]');
      table.text('related').notNullable().defaultTo('[]');
      table.string('parent_id', 36);
      /** draft | approved */
      table.string('status', 16).notNullable();
      table.string('created_by', 255).notNullable();
      table.string('updated_by', 255).notNullable();
      table.string('approved_by', 255);
      table.string('approved_at', 32);
      table.integer('version').notNullable().defaultTo(1);
      table.string('created_at', 32).notNullable();
      table.string('updated_at', 32).notNullable();
      table.index(['parent_id', 'name_lower'], 'catalog_glossary_parent_idx');
      table.index(['name_lower'], 'catalog_glossary_name_idx');
    });

    // Backfill what the earlier schema already holds.
    let after = '';
    for (;;) {
      const rows: {
        ref: string;
        type: string;
        name: string;
        qualified_name: string;
        parent_ref: string | null;
        technical: string;
        description: string | null;
        owner: string | null;
        tags: string;
      }[] = await knex(ASSETS)
        .select(
          'ref',
          'type',
          'name',
          'qualified_name',
          'parent_ref',
          'technical',
          'description',
          'owner',
          'tags',
        )
        .where('ref', '>', after)
        .orderBy('ref')
        .limit(1000);
      if (rows.length === 0) break;
      after = rows[rows.length - 1].ref;
      for (const row of rows) {
        let comment: string | null = null;
        try {
          const technical = JSON.parse(row.technical) as { comment?: unknown };
          if (typeof technical.comment === 'string') comment = technical.comment;
        } catch {
          // unreadable technical metadata: no comment
        }
        const columnNames =
          row.type === 'table' || row.type === 'view'
            ? (
                (await knex(ASSETS)
                  .select('name')
                  .where({ parent_ref: row.ref, type: 'column' })) as { name: string }[]
              ).map(c => c.name)
            : [];
        let tags: string[] = [];
        try {
          tags = JSON.parse(row.tags) as string[];
        } catch {
          tags = [];
        }
        const owners = row.owner ? [row.owner] : [];
        await knex(ASSETS)
          .update({
            schema_name: schemaNameOf(row.ref),
            search_ingested: ingestedSearchText({
              name: row.name,
              qualifiedName: row.qualified_name,
              comment,
              columnNames,
            }),
            search_curated: [row.description ?? '', ...tags, ...owners].join(' ').toLowerCase(),
            owners: JSON.stringify(owners),
          })
          .where('ref', row.ref);
        const facets = [
          ...tags.map(value => ({ facet: 'tag', value, asset_ref: row.ref })),
          ...owners.map(value => ({ facet: 'owner', value, asset_ref: row.ref })),
        ];
        if (facets.length) await knex(FACETS_TABLE).insert(facets).onConflict().ignore();
      }
    }

    // The label filter matches classifier ids in any case.
    await knex.raw(
      `CREATE INDEX catalog_labels_lower_classifier_idx ON ${LABELS} (lower(classifier_id), status)`,
    );
    if (postgres) {
      await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
      await knex.raw(
        `CREATE INDEX catalog_assets_search_trgm_idx ON ${ASSETS} USING gin (${SEARCH_DOCUMENT_SQL} gin_trgm_ops)`,
      );
      await knex.raw(
        `CREATE INDEX catalog_assets_name_trgm_idx ON ${ASSETS} USING gin (name_lower gin_trgm_ops)`,
      );
    } else {
      await createDocumentFts(knex);
    }
  },
  async down(knex: Knex): Promise<void> {
    if (isPostgres(knex)) {
      await knex.raw('DROP INDEX IF EXISTS catalog_assets_search_trgm_idx');
      await knex.raw('DROP INDEX IF EXISTS catalog_assets_name_trgm_idx');
    } else await dropFts(knex);
    await knex.raw('DROP INDEX IF EXISTS catalog_labels_lower_classifier_idx');
    await knex.schema.dropTable(GLOSSARY_TABLE);
    await knex.schema.dropTable(ASSET_HISTORY_TABLE);
    await knex.schema.dropTable(FACETS_TABLE);
    await knex.schema.alterTable(LABELS, table => {
      table.dropColumns('sensitivity', 'categories');
    });
    await knex.schema.alterTable(ASSETS, table => {
      table.dropIndex(['name_lower'], 'catalog_assets_name_lower_idx');
      table.dropIndex(['schema_name'], 'catalog_assets_schema_idx');
      table.dropIndex(['sensitivity_rank'], 'catalog_assets_sensitivity_idx');
      table.dropIndex(['updated_at'], 'catalog_assets_updated_idx');
      table.dropColumns(
        'schema_name',
        'search_ingested',
        'search_curated',
        'sensitivity',
        'sensitivity_rank',
        'sensitivity_override',
        'owners',
        'stewards',
        'terms',
        'properties',
        'version',
      );
    });
  },
};

/** Search at scale: an index in ranking order, so broad searches read one page, not sort all. */
export const searchOrderMigration = {
  name: '20261223_search_order_index',
  async up(knex: Knex): Promise<void> {
    await knex.raw(
      `CREATE INDEX ${SEARCH_ORDER_INDEX} ON ${ASSETS} (${[
        ...SEARCH_ORDER_SQL.map(e => (e.endsWith(' desc') ? `(${e.slice(0, -5)}) desc` : `(${e})`)),
        ...SEARCH_ORDER_COVERED,
      ].join(', ')})`,
    );
    // The first ranks of a text search: names and qualified names that start with the query,
    // compared bytewise (PostgreSQL: in the "C" collation, whatever the database's).
    if (isPostgres(knex)) {
      await knex.raw(
        `CREATE INDEX catalog_assets_name_prefix_idx ON ${ASSETS} (name_lower COLLATE "C")`,
      );
      await knex.raw(
        `CREATE INDEX catalog_assets_qualified_name_prefix_idx ON ${ASSETS} (qualified_name_lower COLLATE "C")`,
      );
    } else {
      await knex.raw(
        `CREATE INDEX catalog_assets_qualified_name_prefix_idx ON ${ASSETS} (qualified_name_lower)`,
      );
    }
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw('DROP INDEX IF EXISTS catalog_assets_name_prefix_idx');
    await knex.raw('DROP INDEX IF EXISTS catalog_assets_qualified_name_prefix_idx');
    await knex.raw(`DROP INDEX IF EXISTS ${SEARCH_ORDER_INDEX}`);
  },
};

/** The ranking-order columns as index key parts (descending ones as `(expr) desc`). */
function searchOrderKeys(): string[] {
  return SEARCH_ORDER_SQL.map(e => (e.endsWith(' desc') ? `(${e.slice(0, -5)}) desc` : `(${e})`));
}

export const NAME_RANK_INDEX = 'catalog_assets_name_rank_idx';
export const QUALIFIED_NAME_RANK_INDEX = 'catalog_assets_qualified_name_rank_idx';

/**
 * Search at scale, the first ranks (names and qualified names equal to or starting with the
 * query): each name index carries the ranking order and the filter columns, so an exact
 * name is read in ranking order and a name prefix is sorted without reading the rows.
 */
export const searchNameRankMigration = {
  name: '20261224_search_name_rank_indexes',
  async up(knex: Knex): Promise<void> {
    const postgres = isPostgres(knex);
    const name = (column: string) => (postgres ? `${column} COLLATE "C"` : column);
    const covered = ['type', 'status', 'data_source_id', 'sensitivity_rank'];
    for (const [index, column, other] of [
      [NAME_RANK_INDEX, 'name_lower', 'qualified_name_lower'],
      [QUALIFIED_NAME_RANK_INDEX, 'qualified_name_lower', 'name_lower'],
    ]) {
      // PostgreSQL: the other name and the filters as INCLUDE columns; SQLite: as key columns.
      await knex.raw(
        postgres
          ? `CREATE INDEX ${index} ON ${ASSETS} (${[name(column), ...searchOrderKeys()].join(', ')}) INCLUDE (${[other, ...covered].join(', ')})`
          : `CREATE INDEX ${index} ON ${ASSETS} (${[column, ...searchOrderKeys(), other, ...covered].join(', ')})`,
      );
    }
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw(`DROP INDEX IF EXISTS ${NAME_RANK_INDEX}`);
    await knex.raw(`DROP INDEX IF EXISTS ${QUALIFIED_NAME_RANK_INDEX}`);
  },
};

const STATUS_INDEX = 'catalog_assets_status_idx';
const REF_FACETS_INDEX = 'catalog_assets_ref_facets_idx';
export const FACETS_BY_ASSET_INDEX = 'catalog_asset_facets_asset_value_idx';

/**
 * Search at scale, facet samples:
 * - assets by status, then type: the status facet's sample and a search for deleted assets
 *   read them from it (without it, SQLite scans the table for the 2 % that are deleted);
 * - assets by ref with their single-valued facet columns: a sample reached through labels,
 *   tags, owners or terms (or a list of refs) reads them from the index, not the wide rows
 *   (SQLite: 6.5 → 2.5 ms for 1,000 tagged assets);
 * - curated facet rows by asset, then facet and value (replacing the index by asset alone):
 *   the tag, owner and term counts of a sample read them from it (SQLite: 4 → 1.2 ms);
 * - labels by classifier (any case) and status, with the asset (replacing the one without):
 *   the label filter finds its assets from the index alone.
 * The price is on writes: a first SQLite ingestion of 1,000 tables (bench/catalog-ingest)
 * takes about 15 % longer; PostgreSQL's about 4 %.
 */
export const searchSampleIndexesMigration = {
  name: '20261225_search_sample_indexes',
  async up(knex: Knex): Promise<void> {
    const facets = [
      'type',
      'data_source_id',
      'schema_name',
      'sensitivity',
      'status',
      'sensitivity_rank',
    ];
    await knex.raw(`CREATE INDEX ${STATUS_INDEX} ON ${ASSETS} (status, type)`);
    await knex.raw(
      isPostgres(knex)
        ? `CREATE INDEX ${REF_FACETS_INDEX} ON ${ASSETS} (ref) INCLUDE (${facets.join(', ')})`
        : `CREATE INDEX ${REF_FACETS_INDEX} ON ${ASSETS} (ref, ${facets.join(', ')})`,
    );
    await knex.raw(
      `CREATE INDEX ${FACETS_BY_ASSET_INDEX} ON ${FACETS_TABLE} (asset_ref, facet, value)`,
    );
    await knex.raw('DROP INDEX catalog_asset_facets_asset_idx');
    await knex.raw(
      `CREATE INDEX catalog_labels_lower_classifier_asset_idx ON ${LABELS} (lower(classifier_id), status, asset_ref)`,
    );
    await knex.raw('DROP INDEX catalog_labels_lower_classifier_idx');
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw(
      `CREATE INDEX catalog_labels_lower_classifier_idx ON ${LABELS} (lower(classifier_id), status)`,
    );
    await knex.raw('DROP INDEX IF EXISTS catalog_labels_lower_classifier_asset_idx');
    await knex.raw(`CREATE INDEX catalog_asset_facets_asset_idx ON ${FACETS_TABLE} (asset_ref)`);
    await knex.raw(`DROP INDEX IF EXISTS ${FACETS_BY_ASSET_INDEX}`);
    await knex.raw(`DROP INDEX IF EXISTS ${REF_FACETS_INDEX}`);
    await knex.raw(`DROP INDEX IF EXISTS ${STATUS_INDEX}`);
  },
};

/**
 * SQLite only: the filter keys of the full-text index. Each value of the type, data source
 * and schema filters gets a code, and the asset's FTS row carries a three-character marker
 * per code in its `keys` column (one trigram: one posting list). A text search with a
 * selective filter then asks the index for both (`doc : "word" AND keys : "<marker>"`): a
 * common word in one data source's tables (41,000 matches, 389 kept) was read by looking up
 * every match's row, 34 ms; the index intersects them in 5. The codes also count their
 * assets, so the search uses a key only when it is selective (a broad one, e.g. every
 * column, costs the index more than it saves). The price is on writes: a first SQLite
 * ingestion of 1,000 tables (bench/catalog-ingest) takes about 8 % longer; replays, which
 * change nothing, are unchanged.
 */
export const SEARCH_KEYS_TABLE = 'catalog_search_keys';
/**
 * The search filters that have keys (SQLite) or GIN entries beside the text (PostgreSQL,
 * `searchFiltersGinMigration`), and the `catalog_assets` column of each.
 */
export const KEYED_FILTERS = {
  type: 'type',
  dataSourceId: 'data_source_id',
  schema: 'schema_name',
} as const;

/** A code's marker: a private-use prefix, then the code in two private-use digits. */
export function filterKeyMarker(code: number): string {
  return String.fromCodePoint(0xf8f0, 0xe000 + Math.floor(code / 4096), 0xe000 + (code % 4096));
}

/** `filterKeyMarker` in SQL, of an integer code expression. */
function markerSql(code: string): string {
  return `char(63728, 57344 + ${code} / 4096, 57344 + ${code} % 4096)`;
}

/** The key rows of an asset row (`alias`: new, old or a table alias). */
function keysOf(alias: string): string {
  return Object.entries(KEYED_FILTERS)
    .map(([dimension, column]) => `(k.dimension = '${dimension}' and k.value = ${alias}.${column})`)
    .join(' or ');
}

/** The FTS `keys` text of an asset row. */
function keysTextSql(alias: string): string {
  return `coalesce((select group_concat(${markerSql('k.code')}, ' ') from ${SEARCH_KEYS_TABLE} k where ${keysOf(alias)}), '')`;
}

/**
 * Trigger statements: codes for the row's values, then its key counts moved by `delta`. (A
 * code is inserted where missing, not `OR IGNORE`: an upsert's own conflict clause would
 * override the trigger's and fail on an existing code.)
 */
function countKeysSql(alias: 'new' | 'old', delta: '+ 1' | '- 1'): string {
  const ensure =
    alias === 'new'
      ? Object.entries(KEYED_FILTERS)
          .map(
            ([dimension, column]) =>
              `INSERT INTO ${SEARCH_KEYS_TABLE}(dimension, value) SELECT '${dimension}', new.${column} WHERE new.${column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${SEARCH_KEYS_TABLE} WHERE dimension = '${dimension}' AND value = new.${column});`,
          )
          .join('\n        ')
      : '';
  return `${ensure}
        UPDATE ${SEARCH_KEYS_TABLE} SET assets = assets ${delta} WHERE code IN (SELECT k.code FROM ${SEARCH_KEYS_TABLE} k WHERE ${keysOf(alias)});`;
}

export const searchFilterKeysMigration = {
  name: '20261226_search_filter_keys',
  async up(knex: Knex): Promise<void> {
    if (isPostgres(knex)) return;
    await knex.raw(`CREATE TABLE ${SEARCH_KEYS_TABLE} (
      code INTEGER PRIMARY KEY,
      dimension TEXT NOT NULL,
      value TEXT NOT NULL,
      assets INTEGER NOT NULL DEFAULT 0,
      UNIQUE (dimension, value)
    )`);
    for (const [dimension, column] of Object.entries(KEYED_FILTERS))
      await knex.raw(
        `INSERT INTO ${SEARCH_KEYS_TABLE}(dimension, value, assets)
           SELECT ?, ${column}, count(*) FROM ${ASSETS} WHERE ${column} IS NOT NULL GROUP BY ${column}`,
        [dimension],
      );
    await dropFts(knex);
    await knex.raw(`CREATE VIRTUAL TABLE ${FTS_TABLE} USING fts5(doc, keys, tokenize = 'trigram')`);
    await knex.raw(
      `INSERT INTO ${FTS_TABLE}(rowid, doc, keys) SELECT rowid, ${SEARCH_DOCUMENT_SQL}, ${keysTextSql(ASSETS)} FROM ${ASSETS}`,
    );
    const insertFts = `INSERT INTO ${FTS_TABLE}(rowid, doc, keys) VALUES (new.rowid, new.search_ingested || ' ' || new.search_curated, ${keysTextSql('new')});`;
    await knex.raw(`CREATE TRIGGER catalog_assets_fts_insert AFTER INSERT ON ${ASSETS} BEGIN
        ${countKeysSql('new', '+ 1')}
        ${insertFts}
      END`);
    await knex.raw(`CREATE TRIGGER catalog_assets_fts_update AFTER UPDATE OF search_ingested, search_curated, ${Object.values(KEYED_FILTERS).join(', ')} ON ${ASSETS} BEGIN
        ${countKeysSql('old', '- 1')}
        ${countKeysSql('new', '+ 1')}
        DELETE FROM ${FTS_TABLE} WHERE rowid = old.rowid;
        ${insertFts}
      END`);
    await knex.raw(`CREATE TRIGGER catalog_assets_fts_delete AFTER DELETE ON ${ASSETS} BEGIN
        ${countKeysSql('old', '- 1')}
        DELETE FROM ${FTS_TABLE} WHERE rowid = old.rowid;
      END`);
  },
  async down(knex: Knex): Promise<void> {
    if (isPostgres(knex)) return;
    await dropFts(knex);
    await knex.raw(`DROP TABLE ${SEARCH_KEYS_TABLE}`);
    await createDocumentFts(knex);
  },
};

/**
 * PostgreSQL only, the counterpart of the SQLite filter keys: the trigram index of the
 * search documents also indexes the data source, type and schema (`btree_gin`), replacing
 * the trigram-only one. A text search with those filters is then one GIN scan that
 * intersects the word's trigrams with the filters' values. Without them, the planner ANDed
 * the trigram bitmap with a btree bitmap of every asset of the type (100,000 entries, 29 ms
 * of a 37 ms statement): a common word in one data source's tables, 14–37 → 2–6 ms; in any
 * data source's tables, 31–50 → 23 ms. A search on the text alone reads only the trigram
 * entries, as before. The price: a broad type takes part in the scan too (a word among
 * every column: 10 → 17 ms for the GIN scan).
 */
export const SEARCH_FILTERS_GIN_INDEX = 'catalog_assets_search_filters_gin';
export const searchFiltersGinMigration = {
  name: '20261227_search_filters_gin',
  async up(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw('CREATE EXTENSION IF NOT EXISTS btree_gin');
    await knex.raw(
      `CREATE INDEX ${SEARCH_FILTERS_GIN_INDEX} ON ${ASSETS} USING gin (${SEARCH_DOCUMENT_SQL} gin_trgm_ops, ${Object.values(KEYED_FILTERS).join(', ')})`,
    );
    await knex.raw('DROP INDEX catalog_assets_search_trgm_idx');
  },
  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) return;
    await knex.raw(
      `CREATE INDEX catalog_assets_search_trgm_idx ON ${ASSETS} USING gin (${SEARCH_DOCUMENT_SQL} gin_trgm_ops)`,
    );
    await knex.raw(`DROP INDEX ${SEARCH_FILTERS_GIN_INDEX}`);
  },
};

/**
 * How many search documents hold each trigram (`catalog_search_trigrams`), refreshed by the
 * nightly search index upkeep: on SQLite from the full-text index's own vocabulary
 * (`catalog_assets_fts_vocab`, an `fts5vocab` view of it), on PostgreSQL from a sample of
 * the documents. A text search then looks a long word up in the trigram index by its
 * rarest trigram and checks the whole word on the rows found (`KnexSearchStore.textClauses`):
 * both indexes otherwise read every trigram of the word, common ones ('ion', 'ent') included.
 */
export const SEARCH_TRIGRAMS_TABLE = 'catalog_search_trigrams';
export const FTS_VOCAB_TABLE = 'catalog_assets_fts_vocab';
export const searchTrigramsMigration = {
  name: '20261228_search_trigrams',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable(SEARCH_TRIGRAMS_TABLE, table => {
      table.text('trigram').primary();
      table.integer('docs').notNullable();
    });
    if (!isPostgres(knex))
      await knex.raw(`CREATE VIRTUAL TABLE ${FTS_VOCAB_TABLE} USING fts5vocab(${FTS_TABLE}, col)`);
  },
  async down(knex: Knex): Promise<void> {
    if (!isPostgres(knex)) await knex.raw(`DROP TABLE ${FTS_VOCAB_TABLE}`);
    await knex.schema.dropTable(SEARCH_TRIGRAMS_TABLE);
  },
};

/**
 * The ranking order within one asset type. A search without text filtered to one type
 * (every column with a label, say) reads its page from here instead of walking the
 * ranking-order index past every asset of the other types (1M assets, a label's columns:
 * SQLite 6 → 2 ms, PostgreSQL 24 → 16 ms for the page). Both engines.
 */
export const TYPE_ORDER_INDEX = 'catalog_assets_type_order_idx';
export const searchTypeOrderMigration = {
  name: '20261229_search_type_order_index',
  async up(knex: Knex): Promise<void> {
    await knex.raw(
      `CREATE INDEX ${TYPE_ORDER_INDEX} ON ${ASSETS} (${[
        'type',
        ...searchOrderKeys(),
        ...SEARCH_ORDER_COVERED.filter(column => column !== 'type'),
      ].join(', ')})`,
    );
  },
  async down(knex: Knex): Promise<void> {
    await knex.raw(`DROP INDEX IF EXISTS ${TYPE_ORDER_INDEX}`);
  },
};

/**
 * The search index upkeep's last trigram count: when, and over how many assets
 * (`catalog_search_upkeep`, one row). A catalog grown past twice that size is due for an
 * upkeep before the nightly one (`KnexSearchStore.upkeepDue`).
 */
export const SEARCH_UPKEEP_TABLE = 'catalog_search_upkeep';
export const searchUpkeepMigration = {
  name: '20261230_search_upkeep',
  async up(knex: Knex): Promise<void> {
    await knex.schema.createTable(SEARCH_UPKEEP_TABLE, table => {
      // Always 1: the table holds the last count only.
      table.integer('id').primary();
      table.integer('catalog_assets').notNullable();
      table.string('counted_at', 32).notNullable();
    });
  },
  async down(knex: Knex): Promise<void> {
    await knex.schema.dropTable(SEARCH_UPKEEP_TABLE);
  },
};
