import crypto from 'node:crypto';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import {
  assetRef,
  columnRef,
  tableRef,
  type AssetDetailsResponse,
  type AssetSummary,
  type ListAssetsResponse,
  type TreeResponse,
} from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, emailLabel, tableBatch } from './__fixtures__/batches';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

/**
 * Other plugins reach ingestion with Backstage service tokens. Backstage's static external
 * access tokens carry the subject they are configured with, so the test server hands out
 * real service credentials for `plugin:scans` and for another plugin.
 */
const scansToken = crypto.randomBytes(24).toString('hex');
const complianceToken = crypto.randomBytes(24).toString('hex');
const serviceTokens = {
  backend: {
    auth: {
      externalAccess: [
        { type: 'static', options: { token: scansToken, subject: 'plugin:scans' } },
        { type: 'static', options: { token: complianceToken, subject: 'plugin:compliance' } },
      ],
    },
  },
};

const hostile = {
  database: 'db.1',
  schema: 'my/schema "x"',
  table: 'orders.2024 ü',
  column: 'ça.va%_/',
};

function batches() {
  return [
    tableBatch(),
    tableBatch({
      table: { name: 'companies', foreignKeys: [] },
      columns: [column('id', 1, { dataType: 'integer', isPrimaryKey: true }), column('name', 2)],
    }),
    tableBatch({
      table: {
        name: 'customer_emails',
        kind: 'view',
        viewSql: 'select email from customers',
        foreignKeys: [],
        primaryKey: [],
      },
      columns: [column('email', 1, { labels: [emailLabel(0.8)] })],
    }),
    tableBatch({
      database: hostile.database,
      schema: hostile.schema,
      table: { name: hostile.table, foreignKeys: [], primaryKey: [] },
      columns: [column(hostile.column, 1, { labels: [emailLabel(0.7)] })],
    }),
  ];
}

describe(`data catalog API (${engine})`, () => {
  let server: RacineTestServer;
  const get = async <T>(path: string, token?: string | null) => {
    const res = await server.request(path, { token });
    return { status: res.status, body: (await res.json()) as T };
  };
  const ingest = (body: unknown, token: string | null = scansToken) =>
    server.request('/api/data-catalog/ingest/tables', { method: 'POST', json: body, token });

  beforeAll(async () => {
    server = await startRacineServer({ config: serviceTokens });
  }, 120_000);
  afterAll(() => server?.stop());

  it.each([
    ['GET', '/api/data-catalog/assets'],
    ['GET', `/api/data-catalog/assets/${encodeURIComponent(assetRef('datasource', ['ds-1']))}`],
    ['GET', '/api/data-catalog/tree'],
    ['POST', '/api/data-catalog/ingest/tables'],
    ['POST', '/api/data-catalog/ingest/complete'],
  ])('%s %s needs a caller', async (method, path) => {
    expect((await server.request(path, { method, token: null })).status).toBe(401);
  });

  it('refuses ingestion to users and to plugins other than scans, and audits it', async () => {
    const asUser = await ingest({ batches: batches() }, server.token);
    expect(asUser.status).toBe(403);
    const asOtherPlugin = await ingest({ batches: batches() }, complianceToken);
    expect(asOtherPlugin.status).toBe(403);
    const complete = await server.request('/api/data-catalog/ingest/complete', {
      method: 'POST',
      token: complianceToken,
      json: {
        dataSourceId: 'ds-1',
        runId: 'r',
        startedAt: '2026-01-01T00:00:00Z',
        seenTableRefs: [],
      },
    });
    expect(complete.status).toBe(403);
    const { body } = await get<{ items: { actor: string; outcome: string }[] }>(
      '/api/kernel/activity?verb=assets.ingest&outcome=denied',
    );
    expect(body.items.map(i => i.actor)).toEqual(
      expect.arrayContaining(['user:development/guest', 'plugin:compliance']),
    );
    expect((await get<ListAssetsResponse>('/api/data-catalog/assets')).body.items).toEqual([]);
  });

  it('rejects a malformed batch with a 400 naming the fields', async () => {
    const res = await ingest({
      batches: [{ ...batches()[0], table: { kind: 'shed' }, columns: [{ name: '' }] }],
    });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.message).toMatch(/batches\.0\.table\.name/);
    expect(error.message).toMatch(/batches\.0\.table\.kind/);
    expect(error.message).toMatch(/batches\.0\.columns\.0\.name/);
    expect((await ingest({ batches: [] })).status).toBe(400);
  });

  it('ingests batches from scans idempotently', async () => {
    const first = await ingest({ batches: batches() });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ tables: 4, columns: 7, changed: 16, deletedColumns: 0 });
    const replay = await ingest({ batches: batches() });
    expect(await replay.json()).toEqual({ tables: 4, columns: 7, changed: 0, deletedColumns: 0 });
    const { body } = await get<{ items: { actor: string; outcome: string; resource: string }[] }>(
      '/api/kernel/activity?verb=assets.ingest&outcome=success',
    );
    expect(body.items[0]).toMatchObject({
      actor: 'plugin:scans',
      resource: assetRef('datasource', ['ds-1']),
    });
  });

  it('lists assets with filters and keyset paging', async () => {
    const list = async (query: string) =>
      (await get<ListAssetsResponse>(`/api/data-catalog/assets?${query}`)).body;
    const tables = await list('type=table,view&dataSourceId=ds-1');
    expect(tables.items.map(a => a.qualifiedName)).toEqual([
      'my/schema "x".orders.2024 ü',
      'public.companies',
      'public.customer_emails',
      'public.customers',
    ]);
    expect(tables.items.find(a => a.name === 'customer_emails')).toMatchObject({
      type: 'view',
      dataType: 'view',
      parentRef: assetRef('schema', ['ds-1', 'crm', 'public']),
    });

    const labelled = await list('label=pii.email');
    expect(labelled.items.map(a => a.qualifiedName)).toEqual([
      'my/schema "x".orders.2024 ü.ça.va%_/',
      'public.customer_emails.email',
      'public.customers.email',
    ]);
    expect(labelled.items[2].labels).toEqual([
      {
        classifierId: 'pii.email',
        confidence: 0.92,
        status: 'suggested',
        sensitivity: null,
        categories: [],
      },
    ]);

    expect((await list('q=EMAIL&type=column')).items.map(a => a.qualifiedName)).toEqual([
      'public.customer_emails.email',
      'public.customers.email',
    ]);
    expect(
      (
        await list(
          `parentRef=${encodeURIComponent(tableRef('ds-1', 'crm', 'public', 'companies'))}`,
        )
      ).items.map(a => a.name),
    ).toEqual(['id', 'name']);
    expect((await list('dataSourceId=nope')).items).toEqual([]);
    expect((await list('status=deleted')).items).toEqual([]);

    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ListAssetsResponse = await list(
        `type=column&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      names.push(...page.items.map((a: AssetSummary) => a.qualifiedName));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(4);
    expect(names).toHaveLength(7);
    expect(names).toEqual([...(await list('type=column')).items.map(a => a.qualifiedName)]);
  });

  it.each([
    ['limit=0', /limit/],
    ['limit=abc', /limit/],
    ['type=bogus', /type/],
    ['status=gone', /status/],
    ['parentRef=racine:datasources:datasource/1', /parentRef/],
    ['cursor=garbage', /cursor/],
    ['q[a]=1', /q/],
  ])('answers 400 for %s', async (query, field) => {
    const { status, body } = await get<{ error: { message: string } }>(
      `/api/data-catalog/assets?${query}`,
    );
    expect(status).toBe(400);
    expect(body.error.message).toMatch(field);
  });

  it('serves an asset page with columns, keys, profile, labels and evidence, and breadcrumbs', async () => {
    const ref = tableRef('ds-1', 'crm', 'public', 'customers');
    const { status, body } = await get<AssetDetailsResponse>(
      `/api/data-catalog/assets/${encodeURIComponent(ref)}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ref,
      type: 'table',
      qualifiedName: 'public.customers',
      technical: { primaryKey: ['id'], rowCount: 50 },
    });
    expect(body.breadcrumbs.map(b => b.type)).toEqual(['datasource', 'database', 'schema']);
    expect(body.columns!.map(c => c.name)).toEqual(['id', 'email', 'company_id']);
    expect(body.columns![1]).toMatchObject({
      profile: { distinctCount: 48 },
      labels: [
        {
          classifierId: 'pii.email',
          status: 'suggested',
          evidence: { maskedExamples: ['j***@example.com', 'a***@example.org'] },
        },
      ],
    });

    const schema = await get<AssetDetailsResponse>(
      `/api/data-catalog/assets/${encodeURIComponent(assetRef('schema', ['ds-1', 'crm', 'public']))}`,
    );
    expect(schema.body.children!.map(c => [c.name, c.childCount])).toEqual([
      ['companies', 2],
      ['customer_emails', 1],
      ['customers', 3],
    ]);

    const view = await get<AssetDetailsResponse>(
      `/api/data-catalog/assets/${encodeURIComponent(tableRef('ds-1', 'crm', 'public', 'customer_emails', 'view'))}`,
    );
    expect(view.body.technical).toMatchObject({
      kind: 'view',
      viewSql: 'select email from customers',
    });
  });

  it('round-trips hostile identifiers through refs and the API', async () => {
    const ref = columnRef('ds-1', hostile.database, hostile.schema, hostile.table, hostile.column);
    const { status, body } = await get<AssetDetailsResponse>(
      `/api/data-catalog/assets/${encodeURIComponent(ref)}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ref,
      name: hostile.column,
      qualifiedName: `${hostile.schema}.${hostile.table}.${hostile.column}`,
    });
    expect(body.breadcrumbs.map(b => b.name)).toEqual([
      'CRM production',
      hostile.database,
      hostile.schema,
      hostile.table,
    ]);
    for (const crumb of body.breadcrumbs) {
      expect((await get(`/api/data-catalog/assets/${encodeURIComponent(crumb.ref)}`)).status).toBe(
        200,
      );
    }
    const search = await get<{ hits: { ref: string; url: string }[] }>(
      `/api/kernel/search?q=${encodeURIComponent('ÇA.VA%_')}`,
    );
    expect(search.body.hits.map(h => h.ref)).toContain(ref);
    expect(search.body.hits.find(h => h.ref === ref)!.url).toBe(
      `/catalog/asset/${encodeURIComponent(ref)}`,
    );
  });

  it('answers 404 for an unknown asset and 400 for a malformed ref', async () => {
    expect(
      (
        await get(
          `/api/data-catalog/assets/${encodeURIComponent(tableRef('ds-1', 'crm', 'public', 'nope'))}`,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await get(
          `/api/data-catalog/tree?parentRef=${encodeURIComponent(tableRef('ds-9', 'x', 'y', 'z'))}`,
        )
      ).status,
    ).toBe(404);
    expect((await get('/api/data-catalog/assets/not-a-ref')).status).toBe(400);
    expect(
      (
        await get(
          `/api/data-catalog/assets/${encodeURIComponent('racine:data-catalog:planet/earth')}`,
        )
      ).status,
    ).toBe(400);
  });

  it('serves the tree from data sources down with child counts', async () => {
    const root = await get<TreeResponse>('/api/data-catalog/tree');
    expect(root.body.items).toEqual([
      {
        ref: assetRef('datasource', ['ds-1']),
        type: 'datasource',
        name: 'CRM production',
        qualifiedName: 'CRM production',
        status: 'active',
        dataType: null,
        childCount: 2,
        lastSeenAt: '2026-01-10T10:00:00.000Z',
        updatedAt: expect.any(String),
      },
    ]);
    const databases = await get<TreeResponse>(
      `/api/data-catalog/tree?parentRef=${encodeURIComponent(root.body.items[0].ref)}`,
    );
    expect(databases.body.items.map(d => [d.name, d.childCount])).toEqual([
      ['crm', 1],
      ['db.1', 1],
    ]);
    const schemas = await get<TreeResponse>(
      `/api/data-catalog/tree?parentRef=${encodeURIComponent(assetRef('database', ['ds-1', 'crm']))}&limit=1`,
    );
    expect(schemas.body).toMatchObject({
      items: [{ name: 'public', type: 'schema', childCount: 3 }],
      nextCursor: null,
    });
  });

  it('ranks search hits exact > prefix > substring and links to the asset page', async () => {
    const { body } = await get<{
      hits: { ref: string; type: string; score: number; url: string; title: string }[];
    }>('/api/kernel/search?q=customers');
    const catalogHits = body.hits.filter(h => h.ref.startsWith('racine:data-catalog:'));
    expect(catalogHits[0]).toMatchObject({ title: 'public.customers', type: 'table', score: 1 });
    expect(catalogHits.map(h => h.title)).toEqual(
      expect.arrayContaining(['public.customers.email', 'public.customers.id']),
    );
    const emailHits = (
      await get<{ hits: { title: string; score: number }[] }>(
        '/api/kernel/search?q=customer_e&types=view',
      )
    ).body.hits;
    expect(emailHits).toEqual([
      expect.objectContaining({ title: 'public.customer_emails', score: 0.8 }),
    ]);
  });

  it('marks vanished tables deleted on complete, for scans only', async () => {
    const seen = [
      tableRef('ds-1', 'crm', 'public', 'customers'),
      tableRef('ds-1', 'crm', 'public', 'companies'),
    ];
    const body = {
      dataSourceId: 'ds-1',
      runId: 'run-2',
      startedAt: '2026-02-01T00:00:00.000Z',
      seenTableRefs: seen,
    };
    const bad = await server.request('/api/data-catalog/ingest/complete', {
      method: 'POST',
      token: scansToken,
      json: { ...body, startedAt: 'later' },
    });
    expect(bad.status).toBe(400);
    const res = await server.request('/api/data-catalog/ingest/complete', {
      method: 'POST',
      token: scansToken,
      json: body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: 2, deletedColumns: 2 });
    const deleted = await get<ListAssetsResponse>(
      '/api/data-catalog/assets?status=deleted&type=table,view',
    );
    expect(deleted.body.items.map(a => a.name)).toEqual([hostile.table, 'customer_emails']);
    const nav = await get<{ items: { id: string; path: string; group: string }[] }>(
      '/api/kernel/navigation',
    );
    expect(nav.body.items).toContainEqual(
      expect.objectContaining({
        id: 'data-catalog.browser',
        path: '/catalog',
        group: 'Governance',
      }),
    );
  });
});

describe(`data catalog API permissions (${engine})`, () => {
  let viewer: RacineTestServer;
  let outsider: RacineTestServer;
  beforeAll(async () => {
    [viewer, outsider] = await Promise.all([
      startRacineServer({
        guestUser: 'user:development/vera',
        config: {
          ...serviceTokens,
          racine: {
            rbac: {
              grants: [{ subject: 'user:development/vera', role: 'viewer', workspace: '*' }],
            },
          },
        },
      }),
      startRacineServer({
        guestUser: 'user:development/otto',
        config: { racine: { rbac: { grants: [] } } },
      }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await viewer?.stop();
    await outsider?.stop();
  });

  it('lets a viewer read the catalog but not publish into it', async () => {
    const publish = await viewer.request('/api/data-catalog/ingest/tables', {
      method: 'POST',
      json: { batches: [tableBatch()] },
    });
    expect(publish.status).toBe(403);
    expect(
      (
        await viewer.request('/api/data-catalog/ingest/tables', {
          method: 'POST',
          json: { batches: [tableBatch()] },
          token: scansToken,
        })
      ).status,
    ).toBe(200);
    expect((await viewer.request('/api/data-catalog/assets')).status).toBe(200);
    expect((await viewer.request('/api/data-catalog/tree')).status).toBe(200);
    const nav = await (await viewer.request('/api/kernel/navigation')).json();
    expect(nav.items.map((i: { id: string }) => i.id)).toContain('data-catalog.browser');
    const { permissions, defaultGrants } = await (
      await viewer.request('/api/kernel/permissions')
    ).json();
    expect(permissions.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['catalog.view', 'catalog.classify', 'catalog.lineage']),
    );
    expect(defaultGrants['data-steward']).toEqual(
      expect.arrayContaining([
        'catalog.view',
        'catalog.create',
        'catalog.edit',
        'catalog.classify',
        'catalog.lineage',
      ]),
    );
  });

  it('answers 403 to a user without catalog.view and hides the nav item and search hits', async () => {
    for (const path of [
      '/api/data-catalog/assets',
      '/api/data-catalog/tree',
      `/api/data-catalog/assets/${encodeURIComponent(assetRef('datasource', ['ds-1']))}`,
    ]) {
      expect((await outsider.request(path)).status).toBe(403);
    }
    const nav = await (await outsider.request('/api/kernel/navigation')).json();
    expect(nav.items.map((i: { id: string }) => i.id)).not.toContain('data-catalog.browser');
  });
});
