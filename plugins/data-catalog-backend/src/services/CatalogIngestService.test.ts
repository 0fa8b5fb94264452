import type { EventParams } from '@backstage/plugin-events-node';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import {
  assetRef,
  columnRef,
  tableRef,
  type AssetChangedEventPayload,
} from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { column, emailLabel, label, tableBatch } from '../__fixtures__/batches';
import { KnexCatalogStore } from '../database/CatalogStore';
import { ASSETS_TABLE, LABELS_TABLE, migrateCatalogDatabase } from '../database/migrations';
import { KnexSearchStore } from '../database/SearchStore';
import { CatalogIngestService, EVENT_CHUNK_SIZE } from './CatalogIngestService';
import { CatalogQueryService } from './CatalogQueryService';
import { testLogger } from '../__fixtures__/logger';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

describe(`catalog ingestion (${engine})`, () => {
  let db: TestDatabase;
  let events: EventParams[];
  let ingest: CatalogIngestService;
  let catalog: CatalogQueryService;
  let clock: Date;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateCatalogDatabase(db.knex);
    await migrateCatalogDatabase(db.knex); // migrating twice is a no-op
  });
  afterAll(() => db?.destroy());

  beforeEach(async () => {
    await db.knex(LABELS_TABLE).delete();
    await db.knex(ASSETS_TABLE).delete();
    events = [];
    clock = new Date('2026-01-10T10:05:00.000Z');
    const store = new KnexCatalogStore(db.knex);
    const logger = testLogger();
    ingest = new CatalogIngestService({
      store,
      logger,
      events: { publish: async e => void events.push(e) },
      now: () => clock,
    });
    catalog = new CatalogQueryService(store);
  });

  const snapshot = async () => ({
    assets: await db.knex(ASSETS_TABLE).select('*').orderBy('ref'),
    labels: await db.knex(LABELS_TABLE).select('*').orderBy('id'),
  });
  const changedRefs = () => events.flatMap(e => (e.eventPayload as AssetChangedEventPayload).refs);
  const customers = tableRef('ds-1', 'crm', 'public', 'customers');
  const email = columnRef('ds-1', 'crm', 'public', 'customers', 'email');

  it('creates the whole chain of assets from one batch and announces it', async () => {
    const result = await ingest.ingestTables([tableBatch()]);
    expect(result).toMatchObject({ tables: 1, columns: 3, changed: 7, deletedColumns: 0 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      topic: 'asset.changed',
      eventPayload: { dataSourceId: 'ds-1', runId: 'run-1', reason: 'ingested' },
    });
    expect(changedRefs()).toEqual([
      assetRef('datasource', ['ds-1']),
      assetRef('database', ['ds-1', 'crm']),
      assetRef('schema', ['ds-1', 'crm', 'public']),
      customers,
      columnRef('ds-1', 'crm', 'public', 'customers', 'id'),
      email,
      columnRef('ds-1', 'crm', 'public', 'customers', 'company_id'),
    ]);

    const table = await catalog.details(customers, { includeDeleted: false });
    expect(table).toMatchObject({
      type: 'table',
      name: 'customers',
      qualifiedName: 'public.customers',
      dataSourceId: 'ds-1',
      status: 'active',
      dataType: 'table',
      firstSeenAt: '2026-01-10T10:00:00.000Z',
      lastSeenAt: '2026-01-10T10:00:00.000Z',
      updatedAt: '2026-01-10T10:05:00.000Z',
      lastRunId: 'run-1',
      technical: { kind: 'table', rowCount: 50, primaryKey: ['id'], columnCount: 3, viewSql: null },
      breadcrumbs: [
        { type: 'datasource', name: 'CRM production' },
        { type: 'database', name: 'crm' },
        { type: 'schema', name: 'public' },
      ],
    });
    expect(table.columns!.map(c => c.name)).toEqual(['id', 'email', 'company_id']);
    expect(table.columns![0]).toMatchObject({
      qualifiedName: 'public.customers.id',
      technical: { isPrimaryKey: true, nullable: false, dataType: 'integer' },
    });
    expect(table.columns![2].technical).toMatchObject({
      foreignKey: {
        referencedTable: 'companies',
        referencedColumn: 'id',
        referencedTableRef: tableRef('ds-1', 'crm', 'public', 'companies'),
      },
    });
    expect(table.columns![1]).toMatchObject({
      profile: { rowCount: 50, nullCount: 2, distinctCount: 48, maxLength: 31 },
      labels: [
        {
          classifierId: 'pii.email',
          confidence: 0.92,
          status: 'suggested',
          runId: 'run-1',
          evidence: { maskedExamples: ['j***@example.com', 'a***@example.org'], sampleSize: 50 },
        },
      ],
    });
  });

  it('changes nothing and emits nothing when the same batch is replayed', async () => {
    await ingest.ingestTables([tableBatch()]);
    const before = await snapshot();
    events = [];
    clock = new Date('2026-01-10T11:00:00.000Z');
    const replay = await ingest.ingestTables([tableBatch(), tableBatch()]);
    expect(replay).toMatchObject({ tables: 2, columns: 6, changed: 0, deletedColumns: 0 });
    expect(events).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('moves last-seen forward on a later unchanged scan but reports and updates only what changed', async () => {
    await ingest.ingestTables([tableBatch()]);
    events = [];
    clock = new Date('2026-01-11T10:05:00.000Z');
    const next = tableBatch({
      runId: 'run-2',
      scannedAt: '2026-01-11T10:00:00.000Z',
      columns: [
        column('id', 1, { dataType: 'integer', nullable: false, isPrimaryKey: true }),
        column('email', 2, {
          dataType: 'varchar(255)',
          labels: [emailLabel()],
          profile: { rowCount: 60, nullCount: 2, distinctCount: 58, maxLength: 31 },
        }),
        column('company_id', 3, { dataType: 'integer' }),
      ],
    });
    expect(await ingest.ingestTables([next])).toMatchObject({ changed: 1 });
    expect(changedRefs()).toEqual([email]);
    const table = await catalog.details(customers, { includeDeleted: false });
    expect(table.updatedAt).toBe('2026-01-10T10:05:00.000Z');
    expect(table.lastSeenAt).toBe('2026-01-11T10:00:00.000Z');
    expect(table.lastRunId).toBe('run-2');
    const emailColumn = table.columns!.find(c => c.name === 'email')!;
    expect(emailColumn).toMatchObject({
      updatedAt: '2026-01-11T10:05:00.000Z',
      profile: { rowCount: 60 },
      firstSeenAt: '2026-01-10T10:00:00.000Z',
    });
  });

  it('marks a column that vanished from a table still there as deleted, and revives it when it returns', async () => {
    await ingest.ingestTables([tableBatch()]);
    events = [];
    const without = tableBatch({
      runId: 'run-2',
      scannedAt: '2026-01-11T10:00:00.000Z',
      columns: [
        column('id', 1, { dataType: 'integer', nullable: false, isPrimaryKey: true }),
        column('company_id', 3, { dataType: 'integer' }),
      ],
    });
    const result = await ingest.ingestTables([without]);
    expect(result.deletedColumns).toBe(1);
    // The table changed too (its column count).
    expect(changedRefs()).toEqual(expect.arrayContaining([email, customers]));
    const [gone] = (await catalog.list({ status: 'deleted', types: ['column'] }, { limit: 10 }))
      .items;
    expect(gone).toMatchObject({ ref: email, status: 'deleted' });
    const active = await catalog.details(customers, { includeDeleted: false });
    expect(active.columns!.map(c => c.name)).toEqual(['id', 'company_id']);
    const all = await catalog.details(customers, { includeDeleted: true });
    expect(all.columns!.map(c => [c.name, c.status])).toEqual([
      ['id', 'active'],
      ['email', 'deleted'],
      ['company_id', 'active'],
    ]);
    // Its labels are kept with it.
    expect(all.columns![1].labels.map(l => l.classifierId)).toEqual(['pii.email']);

    events = [];
    expect((await ingest.ingestTables([without])).changed).toBe(0);
    expect(events).toEqual([]);

    const back = await ingest.ingestTables([
      tableBatch({ runId: 'run-3', scannedAt: '2026-01-12T10:00:00.000Z' }),
    ]);
    expect(back.changed).toBeGreaterThan(0);
    expect((await catalog.details(email, { includeDeleted: false })).status).toBe('active');
  });

  it('replaces only the suggested labels of a scan and never touches decided ones', async () => {
    const withLabels = (runId: string, scannedAt: string, labels: ReturnType<typeof label>[]) =>
      tableBatch({ runId, scannedAt, columns: [column('email', 1, { labels })] });
    await ingest.ingestTables([
      withLabels('run-1', '2026-01-10T10:00:00.000Z', [
        label('pii.email', 0.9),
        label('pii.person_name', 0.7),
        label('pii.phone', 0.65),
      ]),
    ]);
    // A later issue lets stewards decide; simulate their decisions and a manual label.
    await db
      .knex(LABELS_TABLE)
      .where({ asset_ref: email, classifier_id: 'pii.person_name' })
      .update({ status: 'approved' });
    await db
      .knex(LABELS_TABLE)
      .where({ asset_ref: email, classifier_id: 'pii.phone' })
      .update({ status: 'rejected' });
    await db.knex(LABELS_TABLE).insert({
      id: 'manual-1',
      asset_ref: email,
      data_source_id: 'ds-1',
      classifier_id: 'custom.customer_contact',
      confidence: 1,
      status: 'manual',
      evidence: JSON.stringify({ signals: [], maskedExamples: [] }),
      run_id: null,
      created_at: '2026-01-10T12:00:00.000Z',
      updated_at: '2026-01-10T12:00:00.000Z',
    });

    events = [];
    await ingest.ingestTables([
      withLabels('run-2', '2026-01-11T10:00:00.000Z', [
        label('pii.email', 0.95),
        label('pii.phone', 0.99),
        label('fin.iban', 0.61),
      ]),
    ]);
    expect(changedRefs()).toContain(email);
    const labels = async () =>
      Object.fromEntries(
        (await catalog.details(email, { includeDeleted: false })).labels.map(l => [
          l.classifierId,
          [l.status, l.confidence, l.runId],
        ]),
      );
    expect(await labels()).toEqual({
      'pii.email': ['suggested', 0.95, 'run-2'],
      'fin.iban': ['suggested', 0.61, 'run-2'],
      'pii.person_name': ['approved', 0.7, 'run-1'],
      'pii.phone': ['rejected', 0.65, 'run-1'],
      'custom.customer_contact': ['manual', 1, null],
    });

    await ingest.ingestTables([withLabels('run-3', '2026-01-12T10:00:00.000Z', [])]);
    expect(await labels()).toEqual({
      'pii.person_name': ['approved', 0.7, 'run-1'],
      'pii.phone': ['rejected', 0.65, 'run-1'],
      'custom.customer_contact': ['manual', 1, null],
    });
    // A label filter finds decided labels but not rejected ones.
    expect(
      (
        await catalog.list({ status: 'active', classifierId: 'pii.person_name' }, { limit: 10 })
      ).items.map(a => a.ref),
    ).toEqual([email]);
    expect(
      (await catalog.list({ status: 'active', classifierId: 'pii.phone' }, { limit: 10 })).items,
    ).toEqual([]);
  });

  it('marks the tables a completed scan did not see as deleted, not the seen or skipped ones', async () => {
    const at = (name: string, runId: string, scannedAt: string, dataSourceId = 'ds-1') =>
      tableBatch({ runId, scannedAt, dataSourceId, table: { name, foreignKeys: [] } });
    await ingest.ingestTables([
      at('kept', 'run-1', '2026-01-10T10:00:00.000Z'),
      at('skipped', 'run-1', '2026-01-10T10:00:00.000Z'),
      at('dropped', 'run-1', '2026-01-10T10:00:00.000Z'),
      at('dropped', 'run-1', '2026-01-10T10:00:00.000Z', 'ds-2'),
      tableBatch({
        runId: 'run-1',
        scannedAt: '2026-01-10T10:00:00.000Z',
        schema: 'legacy',
        table: { name: 'old', foreignKeys: [] },
      }),
    ]);
    // A second run starts; it publishes `kept`, skips `skipped` as unchanged, and a
    // concurrent later run already published `fresh` (seen after this run started).
    await ingest.ingestTables([
      at('kept', 'run-2', '2026-01-11T10:01:00.000Z'),
      at('fresh', 'run-3', '2026-01-11T10:30:00.000Z'),
    ]);
    events = [];
    const ref = (name: string) => tableRef('ds-1', 'crm', 'public', name);
    const result = await ingest.completeScan({
      dataSourceId: 'ds-1',
      runId: 'run-2',
      startedAt: '2026-01-11T10:00:00.000Z',
      seenTableRefs: [ref('kept'), ref('skipped')],
    });
    expect(result).toMatchObject({ deleted: 2, deletedColumns: 6 });
    const status = async (r: string) => (await catalog.details(r, { includeDeleted: true })).status;
    expect(await status(ref('kept'))).toBe('active');
    expect(await status(ref('skipped'))).toBe('active');
    expect(await status(ref('fresh'))).toBe('active');
    expect(await status(ref('dropped'))).toBe('deleted');
    expect(await status(columnRef('ds-1', 'crm', 'public', 'dropped', 'email'))).toBe('deleted');
    expect(await status(tableRef('ds-1', 'crm', 'legacy', 'old'))).toBe('deleted');
    // The schema left without tables goes too; the other data source is untouched.
    expect(await status(assetRef('schema', ['ds-1', 'crm', 'legacy']))).toBe('deleted');
    expect(await status(assetRef('schema', ['ds-1', 'crm', 'public']))).toBe('active');
    expect(await status(tableRef('ds-2', 'crm', 'public', 'dropped'))).toBe('active');
    expect(events.map(e => (e.eventPayload as AssetChangedEventPayload).reason)).toEqual([
      'deleted',
    ]);
    expect(changedRefs()).toEqual(
      expect.arrayContaining([ref('dropped'), tableRef('ds-1', 'crm', 'legacy', 'old')]),
    );
    // Deleted assets are kept, and listing them needs asking.
    expect(
      (
        await catalog.list(
          { status: 'active', dataSourceId: 'ds-1', types: ['table'] },
          { limit: 50 },
        )
      ).items.map(a => a.name),
    ).toEqual(['fresh', 'kept', 'skipped']);

    events = [];
    expect(
      await ingest.completeScan({
        dataSourceId: 'ds-1',
        runId: 'run-2',
        startedAt: '2026-01-11T10:00:00.000Z',
        seenTableRefs: [ref('kept'), ref('skipped')],
      }),
    ).toMatchObject({ deleted: 0 });
    expect(events).toEqual([]);
  });

  it('keeps a table that became a view as seen, and rejects bad input', async () => {
    await ingest.ingestTables([
      tableBatch({ table: { name: 'report', kind: 'view', viewSql: 'select 1', foreignKeys: [] } }),
    ]);
    const view = tableRef('ds-1', 'crm', 'public', 'report', 'view');
    expect(await catalog.details(view, { includeDeleted: false })).toMatchObject({
      type: 'view',
      dataType: 'view',
      technical: { viewSql: 'select 1' },
    });
    const result = await ingest.completeScan({
      dataSourceId: 'ds-1',
      runId: 'run-2',
      startedAt: '2026-02-01T00:00:00.000Z',
      seenTableRefs: [tableRef('ds-1', 'crm', 'public', 'report', 'table')],
    });
    expect(result.deleted).toBe(0);
    await expect(
      ingest.completeScan({
        dataSourceId: 'ds-1',
        runId: 'r',
        startedAt: 'yesterday',
        seenTableRefs: [],
      }),
    ).rejects.toThrow(/startedAt/);
    await expect(
      ingest.completeScan({
        dataSourceId: 'ds-1',
        runId: 'r',
        startedAt: '2026-02-01T00:00:00Z',
        seenTableRefs: ['nope'],
      }),
    ).rejects.toThrow(/seenTableRefs.0/);
    await expect(ingest.ingestTables([tableBatch({ scannedAt: 'soon' })])).rejects.toThrow(
      /batches.0.scannedAt/,
    );
  });

  it('keeps no smallest or largest value of a classified column', async () => {
    await ingest.ingestTables([
      tableBatch({
        columns: [
          column('email', 1, {
            labels: [emailLabel()],
            profile: {
              rowCount: 10,
              min: 'aaron@example.com',
              max: 'zoe@example.com',
              maxLength: 18,
            },
          }),
          column('quantity', 2, {
            dataType: 'integer',
            profile: { rowCount: 10, min: 1, max: 40, mean: 7.5 },
          }),
        ],
      }),
    ]);
    const table = await catalog.details(customers, { includeDeleted: false });
    expect(table.columns![0].profile).toEqual({ rowCount: 10, maxLength: 18 });
    expect(table.columns![1].profile).toEqual({ rowCount: 10, min: 1, max: 40, mean: 7.5 });
  });

  it('round-trips hostile identifiers through refs, storage and lookups', async () => {
    const schema = 'my.schema/x';
    const table = 'x"; DROP TABLE t; --';
    const col = 'clients_é.100%_ü';
    await ingest.ingestTables([
      tableBatch({
        database: "db'1",
        schema,
        table: { name: table, foreignKeys: [], primaryKey: [] },
        columns: [column(col, 1)],
      }),
    ]);
    const ref = columnRef('ds-1', "db'1", schema, table, col);
    const details = await catalog.details(ref, { includeDeleted: false });
    expect(details).toMatchObject({ name: col, qualifiedName: `${schema}.${table}.${col}` });
    expect(details.breadcrumbs.map(b => b.name)).toEqual(['CRM production', "db'1", schema, table]);
    // `%` and `_` in a query match literally; matching ignores case, unicode included.
    expect(
      (await catalog.list({ status: 'active', query: '100%_Ü' }, { limit: 10 })).items.map(
        a => a.ref,
      ),
    ).toEqual([ref]);
    expect((await catalog.list({ status: 'active', query: '0%x' }, { limit: 10 })).items).toEqual(
      [],
    );
    const hits = await new KnexSearchStore(db.knex).search({
      query: 'CLIENTS_É',
      filters: { type: ['column'] },
      access: { result: 'all' },
      limit: 10,
      facets: false,
    });
    expect(hits.refs).toEqual([ref]);
  });

  it('pages with a stable keyset and announces large batches in chunks', async () => {
    const columns = Array.from({ length: EVENT_CHUNK_SIZE + 20 }, (_, i) =>
      column(`c${String(i).padStart(4, '0')}`, i),
    );
    await ingest.ingestTables([
      tableBatch({ table: { name: 'wide', foreignKeys: [], primaryKey: [] }, columns }),
    ]);
    expect(events).toHaveLength(2);
    expect(changedRefs()).toHaveLength(EVENT_CHUNK_SIZE + 24);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await catalog.list(
        { status: 'active', types: ['column'] },
        { limit: 200, cursor },
      );
      seen.push(...page.items.map(a => a.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(columns.map(c => c.name));
  });
});
