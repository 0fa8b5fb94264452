import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { columnRef, type TableBatch } from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, emailLabel, tableBatch } from '../__fixtures__/batches';
import { testLogger } from '../__fixtures__/logger';
import { CatalogIngestService } from '../services/CatalogIngestService';
import { KnexCatalogStore } from './CatalogStore';
import { ASSETS_TABLE, migrateCatalogDatabase } from './migrations';
import { KnexSearchStore, type SearchInput } from './SearchStore';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

/** A migrated catalog database holding `batches`, ingested as a scan publishes them. */
async function ingestedCatalog(batches: TableBatch[]): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await migrateCatalogDatabase(db.knex);
  await new CatalogIngestService({
    store: new KnexCatalogStore(db.knex),
    logger: testLogger(),
    events: { publish: async () => {} },
  }).ingestTables(batches);
  return db;
}

/** Ingests one table per name, each with a column `amount` and a column `<name>_code`. */
function ingestNamedTables(db: TestDatabase, names: string[]): Promise<unknown> {
  return new CatalogIngestService({
    store: new KnexCatalogStore(db.knex),
    logger: testLogger(),
    events: { publish: async () => {} },
  }).ingestTables(
    names.map(name =>
      tableBatch({
        table: { name, foreignKeys: [], primaryKey: [] },
        columns: [column('amount', 1), column(`${name}_code`, 2)],
      }),
    ),
  );
}

/** Bounded counting: exact totals and facets for small match sets, capped and sampled past them. */
describe(`search store counts (${engine})`, () => {
  let db: TestDatabase;
  const columns = Array.from({ length: 12 }, (_, i) => `col${String(i).padStart(2, '0')}`);
  const labelled = columns.slice(0, 3);
  const hidden = columnRef('ds-1', 'crm', 'public', 'orders', 'col00');

  beforeAll(async () => {
    db = await ingestedCatalog([
      tableBatch({
        table: { name: 'orders', foreignKeys: [], primaryKey: [] },
        columns: columns.map((name, i) =>
          column(name, i + 1, labelled.includes(name) ? { labels: [emailLabel()] } : {}),
        ),
      }),
    ]);
  });
  afterAll(() => db?.destroy());

  const columnsSearch = (extra: Partial<SearchInput> = {}): SearchInput => ({
    query: '',
    filters: { type: ['column'] },
    access: { result: 'all' },
    limit: 5,
    facets: true,
    ...extra,
  });
  const sum = (values: { count: number }[] | undefined) =>
    (values ?? []).reduce((total, v) => total + v.count, 0);

  async function allPages(store: KnexSearchStore, input: SearchInput): Promise<string[]> {
    const refs: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const found = await store.search({ ...input, cursor });
      refs.push(...found.refs);
      if (!found.nextCursor) break;
      cursor = found.nextCursor;
    }
    return refs;
  }

  it('counts exactly when the matches are fewer than the caps', async () => {
    const store = new KnexSearchStore(db.knex);
    const found = await store.search(columnsSearch());
    expect(found).toMatchObject({ total: 12, totalExact: true, facetsApproximate: false });
    expect(found.refs).toHaveLength(5);
    // Each dimension is counted without its own filter: the type facet sees every type.
    expect(found.facets.type).toContainEqual({ value: 'column', count: 12 });
    expect(found.facets.type).toContainEqual({ value: 'table', count: 1 });
    expect(found.facets.label).toEqual([{ value: 'pii.email', count: 3 }]);
    expect(found.facets.status).toEqual([{ value: 'active', count: 12 }]);
    const refs = await allPages(store, columnsSearch());
    expect(new Set(refs).size).toBe(12);
  });

  it('caps the total and samples the facets past the caps, and says so', async () => {
    const store = new KnexSearchStore(db.knex, { totalCap: 5, facetSample: 4 });
    const found = await store.search(columnsSearch({ limit: 3 }));
    expect(found).toMatchObject({ total: 5, totalExact: false, facetsApproximate: true });
    expect(found.nextCursor).not.toBeNull();
    // Every facet is counted over a sample of 4 matches.
    expect(sum(found.facets.type)).toBe(4);
    expect(sum(found.facets.status)).toBe(4);
    expect(sum(found.facets.dataSourceId)).toBe(4);
    // Paging still reaches every match, and stops after the last one.
    const refs = await allPages(store, columnsSearch());
    expect(new Set(refs).size).toBe(12);

    const text = await store.search(columnsSearch({ query: 'col0' }));
    expect(text).toMatchObject({ total: 5, totalExact: false, facetsApproximate: true });
    expect(text.refs.every(ref => ref.includes('col0'))).toBe(true);
    // A narrow search stays exact with the same caps.
    const narrow = await store.search(columnsSearch({ query: 'col11' }));
    expect(narrow).toMatchObject({ total: 1, totalExact: true, facetsApproximate: false });
  });

  it('pages past the cap in the same order as a full sort', async () => {
    // Past the cap the store reads the ranking-order index (and the name indexes for the
    // first ranks) instead of sorting every match: the pages must not change.
    const indexed = new KnexSearchStore(db.knex, { totalCap: 2 });
    // Name-prefix buckets read by walking the ranking-order index instead of sorting them
    // (the default store merges the few names of a bucket, each in ranking order).
    const walked = new KnexSearchStore(db.knex, {
      totalCap: 2,
      bucketWalkSize: 1,
      prefixMergeNames: 0,
    });
    const sorted = new KnexSearchStore(db.knex, { totalCap: 1_000_000 });
    const cases: Partial<SearchInput>[] = [
      { query: 'col', filters: {} },
      { query: 'orders', filters: {} },
      { query: 'public', filters: { type: ['column', 'table'] } },
      { query: 'col0', filters: { type: ['column'] } },
      { query: 'col1', filters: {} },
      { query: 'orders col', filters: {} },
      { query: '', filters: { type: ['column'] } },
      { query: '', filters: { label: ['PII.EMAIL'] } },
      { query: 'col', filters: { label: ['pii.email'] } },
      // One type: its own ranking-order index (SQLite).
      { query: '', filters: { type: ['column'], label: ['pii.email'] } },
      { query: 'orders', filters: { type: ['column'] } },
    ];
    for (const extra of cases) {
      const input = columnsSearch({ ...extra, limit: 4, facets: false });
      const expected = await allPages(sorted, input);
      expect(expected.length).toBeGreaterThan(2);
      expect(await allPages(indexed, input)).toEqual(expected);
      expect(await allPages(walked, input)).toEqual(expected);
    }
  });

  it('applies the access filter to items, totals and facets, bounded or not', async () => {
    const access: SearchInput['access'] = {
      result: 'some',
      criteria: query => {
        query.whereNot(`${ASSETS_TABLE}.ref`, hidden);
      },
    };
    const exact = await new KnexSearchStore(db.knex).search(columnsSearch({ access, limit: 20 }));
    expect(exact).toMatchObject({ total: 11, totalExact: true });
    expect(exact.refs).not.toContain(hidden);
    expect(exact.facets.label).toEqual([{ value: 'pii.email', count: 2 }]);
    expect(exact.facets.type).toContainEqual({ value: 'column', count: 11 });

    const bounded = new KnexSearchStore(db.knex, { totalCap: 5, facetSample: 11 });
    const found = await bounded.search(columnsSearch({ access, limit: 20 }));
    expect(found).toMatchObject({ total: 5, totalExact: false });
    expect(found.refs).toHaveLength(11);
    expect(found.refs).not.toContain(hidden);
    // The label facet's matches (without the type filter) are the 11 visible columns plus
    // the table, schema, database and source: sampled, yet only visible assets counted.
    expect(found.facetsApproximate).toBe(true);
    expect(sum(found.facets.type)).toBe(11);
    expect(found.facets.label?.[0]?.count ?? 0).toBeLessThanOrEqual(2);
    const label = await bounded.search(
      columnsSearch({ access, filters: { type: ['column'], label: ['pii.email'] } }),
    );
    expect(label.refs).toHaveLength(2);
    expect(label.refs).not.toContain(hidden);
    expect(label.facets.label).toEqual([{ value: 'pii.email', count: 2 }]);
  });

  it('counts the same whether matches are read in one pass or per dimension', async () => {
    // Two columns deleted, so the status facet and the status filter have something to do.
    const deleted = [columnRef('ds-1', 'crm', 'public', 'orders', 'col10'), hidden];
    await db.knex(ASSETS_TABLE).whereIn('ref', deleted).update({ status: 'deleted' });
    try {
      // One pass over the text matches (SQLite) and the status-free first read, against a
      // store that reads each dimension on its own.
      const onePass = new KnexSearchStore(db.knex);
      const perDimension = new KnexSearchStore(db.knex, { firstReadRows: 0, totalCap: 3 });
      const cases: Partial<SearchInput>[] = [
        { query: 'col', filters: {} },
        { query: 'col', filters: { type: ['column'], status: ['active', 'deleted'] } },
        { query: 'col', filters: { status: ['deleted'] } },
        { query: 'orders', filters: { type: ['table', 'column'], dataSourceId: ['ds-1'] } },
        { query: 'col0', filters: { label: ['pii.email'], schema: ['public'] } },
        { query: '', filters: { type: ['column'], status: ['deleted'] } },
        { query: '', filters: { label: ['pii.email'] } },
        { query: '', filters: { label: ['pii.email'], type: ['column'], status: ['deleted'] } },
        { query: 'nothing-like-this', filters: {} },
        { query: 'col10', filters: {} },
      ];
      for (const extra of cases) {
        const input = columnsSearch({ ...extra, limit: 50 });
        const a = await onePass.search(input);
        const b = await new KnexSearchStore(db.knex, { firstReadRows: 0 }).search(input);
        expect(a).toEqual(b);
        // With a tiny total cap the facets are still exact (fewer matches than the sample).
        const c = await perDimension.search(input);
        expect(c.facets).toEqual(a.facets);
        expect(c.facetsApproximate).toBe(false);
      }
      // A first read too small to hold every match: samples it can fill come from it, the
      // rest is queried; either way totals are capped and facets flagged as sampled.
      const partial = new KnexSearchStore(db.knex, {
        firstReadRows: 6,
        totalCap: 3,
        facetSample: 2,
      });
      const sampled = await partial.search(columnsSearch({ query: 'col', limit: 2 }));
      expect(sampled).toMatchObject({ total: 3, totalExact: false, facetsApproximate: true });
      expect(sum(sampled.facets.type)).toBe(2);
      expect(sum(sampled.facets.status)).toBe(2);
      expect(new Set(await allPages(partial, columnsSearch({ query: 'col', limit: 2 })))).toEqual(
        new Set(await allPages(onePass, columnsSearch({ query: 'col', limit: 2 }))),
      );
      const deletedOnly = await onePass.search(
        columnsSearch({ query: 'col', filters: { status: ['deleted'] } }),
      );
      expect(deletedOnly.refs.sort()).toEqual([...deleted].sort());
      // Every match is counted by status: the 10 active columns and the table, 2 deleted.
      expect(deletedOnly.facets.status).toEqual([
        { value: 'active', count: 11 },
        { value: 'deleted', count: 2 },
      ]);
      // A word only deleted columns hold: no closest spellings, the status facet counts them.
      const onlyDeleted = await onePass.search(columnsSearch({ query: 'col10' }));
      expect(onlyDeleted).toMatchObject({ refs: [], total: 0, fuzzy: false });
      expect(onlyDeleted.facets.status).toEqual([{ value: 'deleted', count: 1 }]);
      expect((await onePass.search(columnsSearch({ query: 'col1O' }))).fuzzy).toBe(true);
    } finally {
      await db.knex(ASSETS_TABLE).whereIn('ref', deleted).update({ status: 'active' });
    }
  });

  it('finds the same with the full-text filter keys as without, as assets move and go', async () => {
    // SQLite asks its full-text index for the filters' keys (PostgreSQL has none): the
    // results must not depend on it, and the keys must follow every change of the row.
    const keyed = new KnexSearchStore(db.knex, { filterKeyShare: 1, firstReadRows: 0 });
    const plain = new KnexSearchStore(db.knex, { filterKeyShare: 0, firstReadRows: 0 });
    const cases: Partial<SearchInput>[] = [
      { query: 'col', filters: { type: ['column'] } },
      { query: 'col0', filters: { dataSourceId: ['ds-1'], schema: ['public'] } },
      { query: 'orders', filters: { type: ['table', 'view'], dataSourceId: ['ds-1', 'ds-2'] } },
      { query: 'col', filters: { schema: ['elsewhere'] } },
      { query: 'col', filters: { dataSourceId: ['ds-2', 'unknown'] } },
      { query: 'col0 public', filters: { type: ['column'], dataSourceId: ['ds-1'] } },
    ];
    const same = async () => {
      for (const extra of cases) {
        const input = columnsSearch({ ...extra, limit: 50 });
        expect(await keyed.search(input)).toEqual(await plain.search(input));
      }
    };
    await same();
    const moved = columnRef('ds-1', 'crm', 'public', 'orders', 'col05');
    await db
      .knex(ASSETS_TABLE)
      .where('ref', moved)
      .update({ data_source_id: 'ds-2', schema_name: 'elsewhere' });
    const inSource = (source: string) =>
      keyed.search(
        columnsSearch({ query: 'col05', filters: { type: ['column'], dataSourceId: [source] } }),
      );
    expect((await inSource('ds-2')).refs).toEqual([moved]);
    // (Nothing left matches exactly: the closest spellings, never the moved column.)
    expect(await inSource('ds-1')).toMatchObject({ fuzzy: true });
    expect((await inSource('ds-1')).refs).not.toContain(moved);
    await same();
    await db.knex(ASSETS_TABLE).where('ref', moved).delete();
    expect((await inSource('ds-2')).refs).not.toContain(moved);
    await same();
    if (engine === 'sqlite') {
      // Each key counts the assets that have its value (what decides whether it is used).
      const keys = (await db
        .knex('catalog_search_keys')
        .select('dimension', 'value', 'assets')) as {
        dimension: string;
        value: string;
        assets: number;
      }[];
      for (const [dimension, column] of [
        ['type', 'type'],
        ['dataSourceId', 'data_source_id'],
        ['schema', 'schema_name'],
      ]) {
        const actual = (await db
          .knex(ASSETS_TABLE)
          .whereNotNull(column)
          .select({ value: column })
          .count({ assets: '*' })
          .groupBy(column)) as { value: string; assets: number }[];
        const counted = keys.filter(key => key.dimension === dimension && key.assets > 0);
        expect(counted.map(key => [key.value, key.assets]).sort()).toEqual(
          actual.map(row => [row.value, Number(row.assets)]).sort(),
        );
      }
    }
  });
});

/**
 * Name-prefix buckets whose names repeat across tables (columns `amount_1` … in every table):
 * read per name and merged (in two rounds on PostgreSQL), they must page exactly as a sort.
 */
describe(`search store name-prefix buckets (${engine})`, () => {
  let db: TestDatabase;
  const tables = ['invoices', 'refunds', 'payments', 'ledger', 'budgets', 'credits'];

  beforeAll(async () => {
    db = await ingestedCatalog(
      tables.map((name, n) =>
        tableBatch({
          table: { name, foreignKeys: [], primaryKey: [] },
          // amount_0 … amount_3 in every table, then amount_0_<table> … as tables grow.
          columns: Array.from({ length: 4 + (n % 3) }, (_, i) =>
            column(i < 4 ? `amount_${i}` : `amount_${i % 4}_${name}`, i + 1),
          ),
        }),
      ),
    );
    // Ranking keys that differ within a name: some columns described, some owned too.
    const refs = (await db
      .knex(ASSETS_TABLE)
      .where('type', 'column')
      .orderBy('ref')
      .pluck('ref')) as string[];
    await db
      .knex(ASSETS_TABLE)
      .whereIn(
        'ref',
        refs.filter((_, i) => i % 3 === 0),
      )
      .update({ description: 'Amount in the ledger currency' });
    await db
      .knex(ASSETS_TABLE)
      .whereIn(
        'ref',
        refs.filter((_, i) => i % 5 === 0),
      )
      .update({ owners: JSON.stringify(['group:default/finance']) });
  });
  afterAll(() => db?.destroy());

  it('pages a merged bucket in the same order as a full sort', async () => {
    const merged = new KnexSearchStore(db.knex, { totalCap: 2 });
    const sorted = new KnexSearchStore(db.knex, { totalCap: 1_000_000 });
    const walked = new KnexSearchStore(db.knex, {
      totalCap: 2,
      bucketWalkSize: 1,
      prefixMergeNames: 0,
    });
    for (const query of ['amount', 'amo', 'amount_1', 'amount_2_']) {
      for (const limit of [1, 3, 7]) {
        const input: SearchInput = {
          query,
          filters: { type: ['column'] },
          access: { result: 'all' },
          limit,
          facets: false,
        };
        const expected: string[] = [];
        let cursor: string | undefined;
        const pages = async (store: KnexSearchStore) => {
          const refs: string[] = [];
          cursor = undefined;
          for (;;) {
            const found = await store.search({ ...input, cursor });
            refs.push(...found.refs);
            if (!found.nextCursor) return refs;
            cursor = found.nextCursor;
          }
        };
        expected.push(...(await pages(sorted)));
        // More matches than the total cap: the page is read bucket by bucket.
        expect(expected.length).toBeGreaterThan(2);
        expect(await pages(merged)).toEqual(expected);
        expect(await pages(walked)).toEqual(expected);
      }
    }
  });
});

describe(`search index maintenance (${engine})`, () => {
  let db: TestDatabase;
  const ingest = (names: string[]) => ingestNamedTables(db, names);

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateCatalogDatabase(db.knex);
    // Several ingestions, so that SQLite's full-text index has several segments to merge.
    for (const batch of [['invoices', 'refunds'], ['payments'], ['ledger', 'budgets']])
      await ingest(batch);
  });
  afterAll(() => db?.destroy());

  it('finds the same after the upkeep, and what is ingested after it', async () => {
    const store = new KnexSearchStore(db.knex);
    const inputs: SearchInput[] = [
      'amount',
      'refunds_code',
      'ledg',
      'amount invoices',
      'paymnets',
    ].map(query => ({ query, filters: {}, access: { result: 'all' }, limit: 10, facets: true }));
    const before = await Promise.all(inputs.map(input => store.search(input)));
    // Each table's column named amount, and each table (its document holds its column names).
    expect(before[0].total).toBe(10);
    await store.optimize();
    expect(await Promise.all(inputs.map(input => store.search(input)))).toEqual(before);
    if (engine === 'sqlite')
      await db.knex.raw(
        `INSERT INTO catalog_assets_fts(catalog_assets_fts) VALUES ('integrity-check')`,
      );
    await ingest(['credits']);
    const credits = await store.search({ ...inputs[0], query: 'credits_code' });
    // The column by its exact name first, then its table (whose document holds the name).
    expect(credits.total).toBe(2);
    expect(credits.refs[0]).toBe(columnRef('ds-1', 'crm', 'public', 'credits', 'credits_code'));
    expect((await store.search(inputs[0])).total).toBe(12);
  });

  it('looks long words up by their counted trigrams and checks them whole', async () => {
    const store = new KnexSearchStore(db.knex);
    // 'scold_corner' holds every trigram of 'score' but not the word; 'records' holds 'cor'.
    await ingest(['scold_corner', 'score_cards', 'records', 'score_records']);
    const tables = async (query: string) =>
      (
        await store.search({
          query,
          filters: { type: ['table'] },
          access: { result: 'all' },
          limit: 10,
          facets: true,
        })
      ).refs.map(ref => ref.split('/').pop());
    const queries = ['score', 'score records', 'corner', 'scold_c', 'ds rec'];
    const before = await Promise.all(queries.map(tables));
    expect(before.slice(0, 2)).toEqual([
      ['ds-1.crm.public.score_cards', 'ds-1.crm.public.score_records'],
      ['ds-1.crm.public.score_records'],
    ]);
    await store.optimize();
    const [sco] = await db.knex('catalog_search_trigrams').where('trigram', 'sco');
    // Its tables, their columns (their documents hold the table name) and 'scold_corner'.
    expect(sco.docs).toBe(9);
    expect(await Promise.all(queries.map(tables))).toEqual(before);
    // A trigram no upkeep has counted yet ('zeb').
    await ingest(['zebra_quota']);
    expect(await tables('zebra quota')).toEqual(['ds-1.crm.public.zebra_quota']);
  });
});

describe(`search index upkeep before the night (${engine})`, () => {
  let db: TestDatabase;
  const ingest = (names: string[]) => ingestNamedTables(db, names);
  const assets = async () =>
    Number((await db.knex(ASSETS_TABLE).count({ n: '*' }))[0].n as number | string);

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateCatalogDatabase(db.knex);
  });
  afterAll(() => db?.destroy());

  it('is due once the catalog holds more than twice the assets of the last upkeep', async () => {
    const store = new KnexSearchStore(db.knex, { upkeepMinimumAssets: 10 });
    expect(await store.upkeepDue()).toBe(false);
    await ingest(['invoices']);
    const few = await assets();
    expect(few).toBeGreaterThan(0);
    expect(few).toBeLessThan(10);
    // Below the minimum, never counted: it waits for the night.
    expect(await store.upkeepDue()).toBe(false);
    await ingest(['refunds', 'payments']);
    const counted = await assets();
    expect(await store.upkeepDue()).toBe(true);
    await store.optimize();
    expect(await db.knex('catalog_search_upkeep').select('catalog_assets')).toEqual([
      { catalog_assets: counted },
    ]);
    expect(await store.upkeepDue()).toBe(false);
    // Grown table by table: due only past twice the count.
    const dues: boolean[] = [];
    for (const name of ['ledger', 'budgets', 'credits', 'debits', 'payouts', 'taxes', 'fees']) {
      await ingest([name]);
      const due = await store.upkeepDue();
      expect(due).toBe((await assets()) > 2 * counted);
      dues.push(due);
      if (due) break;
    }
    expect(dues[0]).toBe(false);
    expect(await store.upkeepDue()).toBe(true);
    // A later upkeep replaces the count.
    await store.optimize();
    expect(await db.knex('catalog_search_upkeep').count({ n: '*' })).toEqual([
      { n: engine === 'postgres' ? '1' : 1 },
    ]);
    expect(await store.upkeepDue()).toBe(false);
    // A large minimum: no early upkeep, whatever the growth.
    await ingest(['grants', 'loans', 'rates', 'bonds']);
    expect(await new KnexSearchStore(db.knex, { upkeepMinimumAssets: 10_000 }).upkeepDue()).toBe(
      false,
    );
  });
});
