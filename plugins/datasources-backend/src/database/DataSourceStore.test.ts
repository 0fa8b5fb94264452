import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidCursorError, KnexDataSourceStore, type StoredDataSource } from './DataSourceStore';
import { migrateDatasourcesDatabase } from './migrations';

const db = process.env.RACINE_TEST_DB ?? 'sqlite';

let counter = 0;
function source(overrides: Partial<StoredDataSource> = {}): StoredDataSource {
  counter++;
  const now = new Date(Date.UTC(2025, 0, 1, 0, 0, counter)).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    workspace: 'default',
    name: `source-${counter}`,
    type: 'postgres',
    description: '',
    environment: 'dev',
    owner: '',
    tags: [],
    config: { host: 'db.example', port: 5432 },
    sealedSecrets: null,
    secretFields: [],
    createdAt: now,
    createdBy: 'user:default/alice',
    updatedAt: now,
    updatedBy: 'user:default/alice',
    ...overrides,
  };
}

describe(`KnexDataSourceStore (${db})`, () => {
  let database: TestDatabase;
  let store: KnexDataSourceStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateDatasourcesDatabase(database.knex);
    await migrateDatasourcesDatabase(database.knex); // idempotent
    store = new KnexDataSourceStore(database.knex);
  });
  afterAll(() => database?.destroy());

  it('round-trips a source and refuses a second one of the same name in a workspace', async () => {
    const a = source({
      name: 'orders',
      tags: ['pii', 'prod'],
      sealedSecrets: 'v1:x:y:z',
      secretFields: ['password'],
    });
    expect(await store.insert(a)).toBe(true);
    expect(await store.get(a.id)).toEqual(a);
    expect(await store.insert(source({ name: 'orders' }))).toBe(false);
    expect(await store.insert(source({ name: 'orders', workspace: 'finance' }))).toBe(true);
    expect(await store.get('missing')).toBeUndefined();
  });

  it('updates only what changes, and reports conflicts and missing rows', async () => {
    const a = source({ name: 'alpha' });
    const b = source({ name: 'beta' });
    await store.insert(a);
    await store.insert(b);
    expect(
      await store.update(a.id, {
        owner: 'group:default/team',
        updatedAt: 'later',
        updatedBy: 'user:default/bob',
      }),
    ).toBe('updated');
    expect(await store.get(a.id)).toEqual({
      ...a,
      owner: 'group:default/team',
      updatedAt: 'later',
      updatedBy: 'user:default/bob',
    });
    expect(await store.update(b.id, { name: 'alpha', updatedAt: 'x', updatedBy: 'y' })).toBe(
      'conflict',
    );
    expect((await store.get(b.id))?.name).toBe('beta');
    expect(await store.update('missing', { name: 'z', updatedAt: 'x', updatedBy: 'y' })).toBe(
      'missing',
    );
  });

  it('claims a marker once, even when callers race', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.insertOnce('demo.test', source({ name: 'demo-once', workspace: 'demo' })),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const { items } = await store.list({ workspace: 'demo', limit: 10 });
    expect(items.map(i => i.name)).toEqual(['demo-once']);
    // Claimed for good: deleting the source does not make the marker claimable again.
    await store.delete(items[0].id);
    expect(
      await store.insertOnce('demo.test', source({ name: 'demo-once', workspace: 'demo' })),
    ).toBe(false);
  });

  it('filters, searches (wildcards are literal) and pages with a cursor', async () => {
    await store.insert(
      source({
        name: 'p1',
        workspace: 'paging',
        type: 'mysql',
        environment: 'prod',
        tags: ['finance'],
      }),
    );
    await store.insert(
      source({ name: 'p2', workspace: 'paging', type: 'sqlite', description: 'Has 100% coverage' }),
    );
    await store.insert(
      source({ name: 'p3', workspace: 'paging', owner: 'group:default/Finance-Team' }),
    );
    await store.insert(source({ name: 'p_4', workspace: 'paging' }));

    const names = async (filter: Parameters<KnexDataSourceStore['list']>[0]) =>
      (await store.list(filter)).items.map(i => i.name);
    expect(await names({ workspace: 'paging', limit: 10 })).toEqual(['p1', 'p2', 'p3', 'p_4']);
    expect(await names({ workspace: 'paging', type: 'mysql', limit: 10 })).toEqual(['p1']);
    expect(await names({ workspace: 'paging', environment: 'PROD', limit: 10 })).toEqual(['p1']);
    expect(await names({ workspace: 'paging', q: 'finance', limit: 10 })).toEqual(['p1', 'p3']);
    expect(await names({ workspace: 'paging', q: '100%', limit: 10 })).toEqual(['p2']);
    expect(await names({ workspace: 'paging', q: '_', limit: 10 })).toEqual(['p_4']);

    const first = await store.list({ workspace: 'paging', limit: 3 });
    expect(first.totalCount).toBe(4);
    expect(first.items.map(i => i.name)).toEqual(['p1', 'p2', 'p3']);
    const second = await store.list({ workspace: 'paging', limit: 3, cursor: first.nextCursor });
    expect(second.items.map(i => i.name)).toEqual(['p_4']);
    expect(second.nextCursor).toBeUndefined();
    await expect(store.list({ limit: 3, cursor: 'not-a-cursor' })).rejects.toThrow(
      InvalidCursorError,
    );
  });

  it('keeps the newest health checks, reports the latest per source, and deletes history with the source', async () => {
    const a = source({ workspace: 'health' });
    const b = source({ workspace: 'health' });
    await store.insert(a);
    await store.insert(b);
    for (let i = 0; i < 7; i++) {
      await store.addHealthCheck(
        a.id,
        {
          ok: i % 2 === 0,
          latencyMs: i + 0.5,
          serverVersion: i % 2 === 0 ? 'PostgreSQL 15' : null,
          ...(i % 2 === 0 ? {} : { error: `failure ${i}`, errorCode: 'ECONNREFUSED' }),
          trigger: 'schedule',
          checkedAt: new Date(Date.UTC(2025, 0, 2, 0, i)).toISOString(),
        },
        5,
      );
    }
    const history = await store.healthHistory(a.id, 100);
    expect(history.map(h => h.latencyMs)).toEqual([6.5, 5.5, 4.5, 3.5, 2.5]);
    expect(history[1]).toEqual({
      checkedAt: '2025-01-02T00:05:00.000Z',
      ok: false,
      latencyMs: 5.5,
      serverVersion: null,
      error: 'failure 5',
      errorCode: 'ECONNREFUSED',
      trigger: 'schedule',
    });
    expect(await store.healthHistory(a.id, 2)).toHaveLength(2);

    const latest = await store.latestHealth([a.id, b.id]);
    expect([...latest.keys()]).toEqual([a.id]);
    expect(latest.get(a.id)).toMatchObject({ ok: true, latencyMs: 6.5 });
    expect(await store.latestHealth([])).toEqual(new Map());

    // A check that finishes after its source was deleted is dropped.
    expect(await store.delete(a.id)).toBe(true);
    expect(await store.delete(a.id)).toBe(false);
    await store.addHealthCheck(
      a.id,
      { ok: true, latencyMs: 1, serverVersion: 'x', trigger: 'manual', checkedAt: 'now' },
      5,
    );
    expect(await store.healthHistory(a.id, 100)).toEqual([]);
    expect(await store.listIds()).not.toContain(a.id);
    expect(await store.listIds()).toContain(b.id);
  });
});
