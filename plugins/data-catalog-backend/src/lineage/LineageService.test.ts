import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { columnRef, tableRef } from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { column, emailLabel, tableBatch } from '../__fixtures__/batches';
import { KnexCatalogStore } from '../database/CatalogStore';
import {
  ASSETS_TABLE,
  LABELS_TABLE,
  LINEAGE_EDGES_TABLE,
  OPENLINEAGE_RUNS_TABLE,
  migrateCatalogDatabase,
} from '../database/migrations';
import { CatalogIngestService } from '../services/CatalogIngestService';
import { jaffleShopManifest } from './__fixtures__/dbtManifest';
import {
  completeWithDatasetFacets,
  completeWithSingleOutput,
  loadTaskWithColumnLineage,
  startWithSingleInput,
} from './__fixtures__/openLineageSpecExamples';
import { dbtManifestSchema } from './dbtManifest';
import { LabelPropagation } from './LabelPropagation';
import { DATA_FLOW_KINDS, KnexLineageStore } from './LineageStore';
import { LineageService } from './LineageService';
import { datasetColumnRef, datasetRef, openLineageRunEventSchema } from './openLineage';
import { testLogger } from '../__fixtures__/logger';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

const customers = tableRef('ds-1', 'crm', 'public', 'customers');
const orders = tableRef('ds-1', 'crm', 'public', 'orders');
const customerOrders = tableRef('ds-1', 'crm', 'public', 'customer_orders', 'view');
const vip = tableRef('ds-1', 'crm', 'public', 'vip', 'view');
const col = (table: string, name: string) => columnRef('ds-1', 'crm', 'public', table, name);

const customersBatch = () =>
  tableBatch({
    table: { name: 'customers', foreignKeys: [], primaryKey: ['id'] },
    columns: [
      column('id', 1, { dataType: 'integer' }),
      column('name', 2),
      column('email', 3, { labels: [emailLabel(0.95)] }),
    ],
  });
const ordersBatch = () =>
  tableBatch({
    table: {
      name: 'orders',
      primaryKey: ['id'],
      foreignKeys: [
        {
          name: 'orders_customer_fk',
          columns: ['customer_id'],
          referencedSchema: 'public',
          referencedTable: 'customers',
          referencedColumns: ['id'],
        },
      ],
    },
    columns: [
      column('id', 1, { dataType: 'integer' }),
      column('customer_id', 2, { dataType: 'integer' }),
      column('amount', 3, { dataType: 'numeric' }),
    ],
  });
const customerOrdersBatch = () =>
  tableBatch({
    table: {
      name: 'customer_orders',
      kind: 'view',
      foreignKeys: [],
      primaryKey: [],
      viewSql: ` WITH totals AS (
         SELECT o.customer_id, sum(o.amount) AS total FROM orders o GROUP BY o.customer_id
       )
 SELECT c.id AS customer_id,
    c.email,
    t.total
   FROM (customers c
     JOIN totals t ON ((t.customer_id = c.id)));`,
    },
    columns: [column('customer_id', 1), column('email', 2), column('total', 3)],
  });
const vipBatch = () =>
  tableBatch({
    table: {
      name: 'vip',
      kind: 'view',
      foreignKeys: [],
      primaryKey: [],
      viewSql: 'SELECT * FROM customer_orders WHERE total > (SELECT avg(amount) FROM orders)',
    },
    columns: [column('customer_id', 1), column('email', 2), column('total', 3)],
  });

describe(`lineage (${engine})`, () => {
  let db: TestDatabase;
  let store: KnexCatalogStore;
  let lineageStore: KnexLineageStore;
  let lineage: LineageService;
  let propagation: LabelPropagation;
  let ingest: CatalogIngestService;
  const logger = testLogger();

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateCatalogDatabase(db.knex);
  });
  afterAll(() => db?.destroy());

  beforeEach(async () => {
    for (const table of [LINEAGE_EDGES_TABLE, OPENLINEAGE_RUNS_TABLE, LABELS_TABLE, ASSETS_TABLE]) {
      await db.knex(table).delete();
    }
    store = new KnexCatalogStore(db.knex);
    lineageStore = new KnexLineageStore(db.knex);
    lineage = new LineageService({ knex: db.knex, store: lineageStore, catalog: store, logger });
    propagation = new LabelPropagation({ knex: db.knex, store: lineageStore, logger });
    lineage.onChange(async () => void (await propagation.reevaluate()));
    ingest = new CatalogIngestService({
      store,
      logger,
      events: { publish: async () => undefined },
      afterIngest: batches => lineage.deriveFromBatches(batches),
    });
  });

  const graph = (ref: string, extra: Partial<Parameters<LineageService['graph']>[0]> = {}) =>
    lineage.graph({
      ref,
      direction: 'downstream',
      depth: 5,
      kinds: DATA_FLOW_KINDS,
      includeColumns: false,
      ...extra,
    });
  const edgeSet = (edges: { from: string; to: string; kind: string }[]) =>
    edges.map(e => `${e.from} -> ${e.to} (${e.kind})`).sort();
  const approve = (ref: string, classifierId = 'pii.email') =>
    db
      .knex(LABELS_TABLE)
      .update({ status: 'approved' })
      .where({ asset_ref: ref, classifier_id: classifierId });

  it('derives table and column lineage from view definitions at ingest, idempotently', async () => {
    await ingest.ingestTables([customersBatch(), ordersBatch(), customerOrdersBatch(), vipBatch()]);
    const down = await graph(customers);
    expect(edgeSet(down.edges)).toEqual(
      edgeSet([
        { from: customers, to: customerOrders, kind: 'view' },
        { from: customerOrders, to: vip, kind: 'view' },
      ]),
    );
    expect(down.nodes.map(n => [n.ref, n.type, n.qualifiedName, n.depth])).toEqual(
      expect.arrayContaining([
        [customers, 'table', 'public.customers', 0],
        [customerOrders, 'view', 'public.customer_orders', 1],
        [vip, 'view', 'public.vip', 2],
      ]),
    );
    // The subquery in vip's WHERE reads orders: upstream of vip are both tables.
    const up = await graph(vip, { direction: 'upstream' });
    expect(up.nodes.map(n => n.ref).sort()).toEqual(
      [customerOrders, customers, orders, vip].sort(),
    );
    expect(up.nodes.find(n => n.ref === customers)?.depth).toBe(-2);

    // Column level: email flows customers -> customer_orders -> vip (SELECT * expanded).
    const email = await graph(col('customers', 'email'));
    expect(edgeSet(email.edges)).toEqual(
      edgeSet([
        { from: col('customers', 'email'), to: col('customer_orders', 'email'), kind: 'view' },
        { from: col('customer_orders', 'email'), to: col('vip', 'email'), kind: 'view' },
      ]),
    );
    const total = await graph(col('customer_orders', 'total'), { direction: 'upstream' });
    expect(total.nodes.map(n => n.ref).sort()).toEqual(
      [col('customer_orders', 'total'), col('orders', 'amount')].sort(),
    );

    const before = await db.knex(LINEAGE_EDGES_TABLE).select('id', 'edge_key').orderBy('id');
    await ingest.ingestTables([customersBatch(), ordersBatch(), customerOrdersBatch(), vipBatch()]);
    expect(await db.knex(LINEAGE_EDGES_TABLE).select('id', 'edge_key').orderBy('id')).toEqual(
      before,
    );

    // A changed definition replaces the view's edges.
    const changed = customerOrdersBatch();
    changed.table.viewSql = 'select id as customer_id, email, 0 as total from customers';
    await ingest.ingestTables([changed]);
    // orders now only feeds vip (the subquery in its WHERE), no longer customer_orders.
    const after = await graph(orders);
    expect(edgeSet(after.edges)).toEqual(edgeSet([{ from: orders, to: vip, kind: 'view' }]));
  });

  it('keeps foreign keys as relations, returned only when asked for', async () => {
    await ingest.ingestTables([customersBatch(), ordersBatch()]);
    expect((await graph(orders, { direction: 'both' })).edges).toEqual([]);
    const withKeys = await graph(orders, {
      direction: 'both',
      kinds: [...DATA_FLOW_KINDS, 'foreign_key'],
      includeColumns: true,
    });
    expect(edgeSet(withKeys.edges)).toEqual(
      edgeSet([
        { from: orders, to: customers, kind: 'foreign_key' },
        { from: col('orders', 'customer_id'), to: col('customers', 'id'), kind: 'foreign_key' },
      ]),
    );
  });

  it('expands SELECT * again once the table it reads arrives', async () => {
    await ingest.ingestTables([
      tableBatch({
        table: { name: 'all_customers', kind: 'view', viewSql: 'select * from customers' },
        columns: [column('id', 1), column('name', 2), column('email', 3)],
      }),
    ]);
    const early = await graph(col('customers', 'email'));
    // Unknown columns: the view's columns still map by position once the table is known.
    expect(early.edges).toEqual([]);
    await ingest.ingestTables([customersBatch()]);
    const late = await graph(col('customers', 'email'));
    expect(late.edges.map(e => e.to)).toEqual([col('all_customers', 'email')]);
  });

  it('lists everything downstream with the owners to notify', async () => {
    await ingest.ingestTables([customersBatch(), ordersBatch(), customerOrdersBatch(), vipBatch()]);
    await db
      .knex(ASSETS_TABLE)
      .update({
        owner: 'group:default/sales',
        owners: JSON.stringify(['group:default/sales', 'user:default/ada']),
      })
      .where('ref', vip);
    const impact = await lineage.impact(customers);
    expect(impact.assets.map(a => [a.ref, a.depth, a.owners])).toEqual([
      [customerOrders, 1, []],
      [vip, 2, ['group:default/sales', 'user:default/ada']],
    ]);
    expect(impact.owners).toEqual([
      { owner: 'group:default/sales', refs: [vip] },
      { owner: 'user:default/ada', refs: [vip] },
    ]);
    expect(impact.unowned).toEqual([customerOrders]);
    // A column nobody owns is its table's owners' concern.
    const columnImpact = await lineage.impact(col('customers', 'email'));
    expect(columnImpact.assets.find(a => a.ref === col('vip', 'email'))?.owners).toEqual([
      'group:default/sales',
      'user:default/ada',
    ]);
  });

  it('propagates approved labels along column lineage with provenance, blockable per edge', async () => {
    await ingest.ingestTables([customersBatch(), ordersBatch(), customerOrdersBatch(), vipBatch()]);
    // A suggestion does not flow.
    await propagation.reevaluate();
    expect(await propagation.propagatedLabels([col('vip', 'email')])).toEqual([]);

    await approve(col('customers', 'email'));
    await db
      .knex(LABELS_TABLE)
      .update({ sensitivity: 'CONFIDENTIAL', categories: '["PII"]' })
      .where({ asset_ref: col('customers', 'email') });
    expect(await propagation.reevaluate()).toEqual({
      added: 2,
      updated: 0,
      removed: 0,
      refs: [col('customer_orders', 'email'), col('vip', 'email')].sort(),
    });
    const [onVip] = await propagation.propagatedLabels([col('vip', 'email')]);
    expect(onVip).toMatchObject({
      classifierId: 'pii.email',
      confidence: 0.95,
      sourceRef: col('customers', 'email'),
      path: [col('customers', 'email'), col('customer_orders', 'email'), col('vip', 'email')],
    });
    const labels = await store.labelsOf([col('vip', 'email')]);
    expect(labels.map(l => [l.classifierId, l.status])).toEqual([['pii.email', 'propagated']]);
    // The source label's sensitivity travels with it.
    expect(
      await db
        .knex(LABELS_TABLE)
        .first('sensitivity', 'categories')
        .where({ asset_ref: col('vip', 'email') }),
    ).toEqual({ sensitivity: 'CONFIDENTIAL', categories: '["PII"]' });
    // Idempotent.
    expect(await propagation.reevaluate()).toEqual({ added: 0, updated: 0, removed: 0, refs: [] });

    // Blocking the middle edge stops the flow beyond it; unblocking restores it.
    const email = await graph(col('customer_orders', 'email'));
    const edge = email.edges.find(e => e.to === col('vip', 'email'))!;
    await lineage.setPropagationBlocked(edge.id, true);
    expect(await propagation.propagatedLabels([col('vip', 'email')])).toEqual([]);
    expect(await propagation.propagatedLabels([col('customer_orders', 'email')])).toHaveLength(1);
    // The block survives re-derivation of the view.
    await ingest.ingestTables([vipBatch()]);
    expect((await lineageStore.getEdge(edge.id))?.propagationBlocked).toBe(true);
    await lineage.setPropagationBlocked(edge.id, false);
    expect(await propagation.propagatedLabels([col('vip', 'email')])).toHaveLength(1);

    // A rejected label stops the flow there; the label's removal upstream removes them all.
    await db
      .knex(LABELS_TABLE)
      .update({ status: 'rejected' })
      .where({ asset_ref: col('customer_orders', 'email') });
    await propagation.reevaluate();
    expect(await propagation.propagatedLabels([col('vip', 'email')])).toEqual([]);
    await db
      .knex(LABELS_TABLE)
      .delete()
      .where({ asset_ref: col('customers', 'email') });
    expect((await propagation.reevaluate()).added).toBe(0);
    expect(await db.knex(LABELS_TABLE).where('status', 'propagated')).toEqual([]);
  });

  it('ingests the OpenLineage specification examples as assets and lineage', async () => {
    const parse = (e: unknown) => openLineageRunEventSchema.parse(e);
    const taxes = datasetRef('postgres://workshop-db:None', 'workshop.public.taxes');
    const unpaid = datasetRef('postgres://workshop-db:None', 'workshop.public.unpaid_taxes');
    const started = await lineage.ingestOpenLineage(parse(startWithSingleInput));
    expect(started).toEqual({ datasets: [taxes], edges: 0, columnEdges: 0 });
    // The COMPLETE event of the same run names the output: the run read taxes, wrote unpaid.
    const completed = await lineage.ingestOpenLineage(parse(completeWithSingleOutput));
    expect(completed.edges).toBe(1);
    const down = await graph(taxes);
    expect(edgeSet(down.edges)).toEqual(
      edgeSet([{ from: taxes, to: unpaid, kind: 'openlineage' }]),
    );
    // Datasets are catalog assets, named by their dataset name, under their namespace.
    const [asset] = await store.getAssets([unpaid]);
    expect(asset).toMatchObject({
      type: 'table',
      name: 'workshop.public.unpaid_taxes',
      qualifiedName: 'workshop.public.unpaid_taxes',
      dataSourceId: 'postgres://workshop-db:None',
      status: 'active',
    });
    expect(asset.technical).toMatchObject({
      uri: 'postgres://workshop-db:None/workshop.public.unpaid_taxes',
    });
    const listed = await store.listAssets(
      { query: 'unpaid_taxes', status: 'active', types: ['table'] },
      { limit: 10 },
    );
    expect(listed.items.map(a => a.ref)).toEqual([unpaid]);

    // The schema facet makes columns; a later event without it keeps them.
    await lineage.ingestOpenLineage(parse(completeWithDatasetFacets));
    const columns = await store.listChildren(unpaid, { status: 'active', limit: 50 });
    expect(columns.items.map(c => c.name).sort()).toEqual(
      ['amount', 'comment', 'id', 'ref_id', 'tax_dt', 'tax_item_id'].sort(),
    );
    // Numbered from 1 in the facet's order, as scanned columns are.
    const ordinals = Object.fromEntries(
      columns.items.map(c => [c.name, (c.technical as { ordinal: number }).ordinal]),
    );
    expect(ordinals).toMatchObject({ id: 1, tax_dt: 2, comment: 6 });
    await lineage.ingestOpenLineage(parse(completeWithSingleOutput));
    expect((await store.listChildren(unpaid, { status: 'active', limit: 50 })).items).toHaveLength(
      6,
    );

    // A finished run leaves no accumulated record behind.
    expect(await db.knex(OPENLINEAGE_RUNS_TABLE).select()).toEqual([]);
    // A namespace may not take over a scanned data source.
    await ingest.ingestTables([customersBatch()]);
    await expect(
      lineage.ingestOpenLineage(
        parse({ ...startWithSingleInput, inputs: [{ namespace: 'ds-1', name: 'crm.public.x' }] }),
      ),
    ).rejects.toThrow(/scanned data source/);

    // The column-lineage facet gives column edges.
    const load = await lineage.ingestOpenLineage(parse(loadTaskWithColumnLineage));
    expect(load).toMatchObject({ edges: 1, columnEdges: 2 });
    const columnA = datasetColumnRef('test://example1.com:443/myDir', 'Dataset1', 'ColumnA');
    const colGraph = await graph(columnA);
    expect(edgeSet(colGraph.edges)).toEqual(
      edgeSet([
        {
          from: columnA,
          to: datasetColumnRef('inmemory://', 'Dataset3.Load task', '_0'),
          kind: 'openlineage',
        },
      ]),
    );
  });

  it('imports a dbt manifest: dependencies as table edges, compiled SQL as column edges', async () => {
    const dbt = (name: string, schema: string, columns: string[]) =>
      tableBatch({
        dataSourceId: 'wh',
        database: 'analytics',
        schema,
        table: { name, foreignKeys: [], primaryKey: [] },
        columns: columns.map((c, i) =>
          column(c, i + 1, c === 'email' && schema === 'raw' ? { labels: [emailLabel()] } : {}),
        ),
      });
    await ingest.ingestTables([
      dbt('customers', 'raw', ['id', 'first_name', 'last_name', 'email']),
      dbt('orders', 'raw', ['id', 'user_id', 'order_date', 'status']),
      dbt('customers', 'dbt_prod', ['customer_id', 'first_name', 'email', 'number_of_orders']),
    ]);
    const result = await lineage.importDbt('wh', dbtManifestSchema.parse(jaffleShopManifest));
    expect(result).toMatchObject({ nodes: 5, matched: 3, edges: 4 });
    expect(result.columnEdges).toBeGreaterThan(8);
    const raw = tableRef('wh', 'analytics', 'raw', 'customers');
    const model = tableRef('wh', 'analytics', 'dbt_prod', 'customers');
    const stg = tableRef('wh', 'analytics', 'dbt_prod', 'stg_customers', 'view');
    const down = await graph(raw);
    expect(down.nodes.map(n => [n.ref, n.depth, n.inCatalog])).toEqual(
      expect.arrayContaining([
        [stg, 1, false],
        [model, 2, true],
      ]),
    );
    const email = columnRef('wh', 'analytics', 'raw', 'customers', 'email');
    const emailDown = await graph(email);
    expect(emailDown.nodes.map(n => n.ref)).toEqual(
      expect.arrayContaining([columnRef('wh', 'analytics', 'dbt_prod', 'customers', 'email')]),
    );
    const orders = await graph(
      columnRef('wh', 'analytics', 'dbt_prod', 'customers', 'number_of_orders'),
      {
        direction: 'upstream',
      },
    );
    expect(orders.nodes.map(n => n.ref)).toContain(
      columnRef('wh', 'analytics', 'raw', 'orders', 'id'),
    );
    // Approved upstream, the label reaches the model column through the (uncatalogued) view.
    await approve(email);
    await propagation.reevaluate();
    const [propagated] = await propagation.propagatedLabels([
      columnRef('wh', 'analytics', 'dbt_prod', 'customers', 'email'),
    ]);
    expect(propagated.path).toHaveLength(3);
    // Importing the same manifest again changes nothing.
    const again = await lineage.importDbt('wh', dbtManifestSchema.parse(jaffleShopManifest));
    expect(again).toEqual(result);
  });
});
