import type { EventParams, EventsServiceSubscribeOptions } from '@backstage/plugin-events-node';
import {
  eventTopics,
  type ActivityRecord,
  type DataSourceDeletedEventPayload,
} from '@racine/kernel-common';
import {
  createTaskQueue,
  type ActivityEntry,
  type AuditService,
  type TaskQueue,
} from '@racine/kernel-node';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { assetRef, type AssetChangedEventPayload } from '@racine/plugin-data-catalog-common';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { column, emailLabel, tableBatch } from '../__fixtures__/batches';
import { testLogger } from '../__fixtures__/logger';
import { KnexCatalogStore } from '../database/CatalogStore';
import { ASSETS_TABLE, LABELS_TABLE, migrateCatalogDatabase } from '../database/migrations';
import { KnexSearchStore, type SearchInput } from '../database/SearchStore';
import { CatalogIngestService } from './CatalogIngestService';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

describe(`deleting a data source marks its catalog assets deleted (${engine})`, () => {
  let db: TestDatabase;
  let store: KnexCatalogStore;
  let published: EventParams[];
  let audited: ActivityEntry[];
  let deliver: (payload: unknown) => Promise<void>;
  let clock: Date;
  let queue: TaskQueue;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateCatalogDatabase(db.knex);
  });
  afterAll(() => db?.destroy());
  afterEach(() => queue?.stop());

  beforeEach(async () => {
    await db.knex(LABELS_TABLE).delete();
    await db.knex(ASSETS_TABLE).delete();
    published = [];
    audited = [];
    clock = new Date('2026-02-01T09:00:00.000Z');
    store = new KnexCatalogStore(db.knex);
    const ingest = new CatalogIngestService({
      store,
      logger: testLogger(),
      events: { publish: async event => void published.push(event) },
      now: () => clock,
    });
    const subscriptions: EventsServiceSubscribeOptions[] = [];
    const audit: AuditService = {
      record: async entry => {
        audited.push(entry);
        return {} as ActivityRecord;
      },
    };
    queue = createTaskQueue({ knex: db.knex, logger: testLogger(), pollIntervalMs: 50 });
    await ingest.subscribeToDataSourceDeletions({
      events: { subscribe: async options => void subscriptions.push(options) },
      audit,
      queue,
    });
    await queue.start();
    // Delivers an event as Backstage's events service does, to every subscriber of its topic,
    // then waits for the task queue to have run what the event queued.
    deliver = async eventPayload => {
      for (const subscription of subscriptions)
        if (subscription.topics.includes(eventTopics.dataSourceDeleted))
          await subscription.onEvent({ topic: eventTopics.dataSourceDeleted, eventPayload });
      await expect
        .poll(async () => queue.stats(), { timeout: 20_000, interval: 50 })
        .toEqual({ pending: 0, running: 0, failed: 0 });
    };

    await ingest.ingestTables([
      tableBatch(),
      tableBatch({
        schema: 'sales',
        table: { name: 'orders', foreignKeys: [], primaryKey: [] },
        columns: [column('order_id', 1), column('customer_email', 2, { labels: [emailLabel()] })],
      }),
      tableBatch({
        dataSourceId: 'ds-2',
        dataSourceName: 'CRM staging',
        table: { name: 'customers', kind: 'view', foreignKeys: [], primaryKey: [] },
      }),
    ]);
    published = [];
    clock = new Date('2026-02-01T10:00:00.000Z');
  });

  const deletion: DataSourceDeletedEventPayload = {
    dataSourceId: 'ds-1',
    name: 'CRM production',
    workspace: 'default',
    deletedBy: 'user:default/alice',
  };
  const assetsOf = async (dataSourceId: string) =>
    (await db
      .knex(ASSETS_TABLE)
      .select('ref', 'type', 'status', 'updated_at')
      .where('data_source_id', dataSourceId)
      .orderBy('ref')) as { ref: string; type: string; status: string; updated_at: string }[];
  const search = (extra: Partial<SearchInput> = {}) =>
    new KnexSearchStore(db.knex).search({
      query: '',
      filters: {},
      access: { result: 'all' },
      limit: 100,
      facets: false,
      ...extra,
    });

  it('marks every asset of the deleted source deleted, leaves the others, and announces it', async () => {
    const before = await assetsOf('ds-1');
    expect(new Set(before.map(a => a.type))).toEqual(
      new Set(['datasource', 'database', 'schema', 'table', 'column']),
    );
    const labels = await db.knex(LABELS_TABLE).count({ n: '*' }).first();
    expect((await search({ query: 'customer' })).refs.some(r => r.includes('/ds-1.'))).toBe(true);

    await deliver(deletion);

    const after = await assetsOf('ds-1');
    expect(after.map(a => a.ref)).toEqual(before.map(a => a.ref));
    expect(after.every(a => a.status === 'deleted')).toBe(true);
    expect(after.every(a => a.updated_at === '2026-02-01T10:00:00.000Z')).toBe(true);
    const other = await assetsOf('ds-2');
    expect(other.length).toBeGreaterThan(0);
    expect(other.every(a => a.status === 'active')).toBe(true);
    // Nothing is removed: the labels (and the assets' history) stay.
    expect(await db.knex(LABELS_TABLE).count({ n: '*' }).first()).toEqual(labels);

    // Search leaves deleted assets out by default; asked for them, it finds them.
    expect((await search({ filters: { dataSourceId: ['ds-1'] } })).refs).toEqual([]);
    const found = await search({ query: 'customer' });
    expect(found.refs.length).toBeGreaterThan(0);
    expect(found.refs.every(r => r.includes('/ds-2.'))).toBe(true);
    const deleted = await search({ filters: { dataSourceId: ['ds-1'], status: ['deleted'] } });
    expect(new Set(deleted.refs)).toEqual(new Set(before.map(a => a.ref)));

    // Listeners (compliance, …) learn of it as of any asset change.
    expect(published.every(e => e.topic === eventTopics.assetChanged)).toBe(true);
    const payloads = published.map(e => e.eventPayload as AssetChangedEventPayload);
    expect(payloads.every(p => p.dataSourceId === 'ds-1' && p.reason === 'deleted')).toBe(true);
    expect(new Set(payloads.flatMap(p => p.refs))).toEqual(new Set(before.map(a => a.ref)));

    expect(audited).toEqual([
      expect.objectContaining({
        actor: 'user:default/alice',
        workspace: 'default',
        resource: assetRef('datasource', ['ds-1']),
        verb: 'assets.datasourceDeleted',
        details: { dataSourceId: 'ds-1', deleted: before.length },
      }),
    ]);
  });

  it('does nothing on a repeated delivery, or on one that names no data source', async () => {
    await deliver(deletion);
    const once = await assetsOf('ds-1');
    published = [];
    audited = [];
    clock = new Date('2026-02-01T11:00:00.000Z');

    await deliver(deletion);
    await deliver({ name: 'no id' });
    await deliver({ dataSourceId: 42 });
    await deliver(null);

    expect(await assetsOf('ds-1')).toEqual(once);
    expect((await assetsOf('ds-2')).every(a => a.status === 'active')).toBe(true);
    expect(published).toEqual([]);
    expect(audited).toEqual([]);
  });

  it('marks a large source in batches until none is left active', async () => {
    const total = (await assetsOf('ds-1')).length;
    const marked: string[] = [];
    for (let round = 0; round < total; round++) {
      const refs = await store.markDataSourceAssetsDeleted({
        dataSourceId: 'ds-1',
        limit: 3,
        now: clock.toISOString(),
      });
      if (refs.length === 0) break;
      expect(refs.length).toBeLessThanOrEqual(3);
      marked.push(...refs);
    }
    expect(new Set(marked).size).toBe(total);
    expect(marked).toHaveLength(total);
    expect((await assetsOf('ds-1')).every(a => a.status === 'deleted')).toBe(true);
    expect((await assetsOf('ds-2')).every(a => a.status === 'active')).toBe(true);
  });
});
