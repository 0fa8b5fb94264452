import crypto from 'node:crypto';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import {
  columnRef,
  tableRef,
  type AssetDetailsResponse,
  type DbtImportResponse,
  type ImpactAnalysisResponse,
  type LineageGraphResponse,
  type ListAssetsResponse,
  type OpenLineageIngestResponse,
  type PropagatedLabelsResponse,
} from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, emailLabel, tableBatch } from './__fixtures__/batches';
import { jaffleShopManifest } from './lineage/__fixtures__/dbtManifest';
import {
  completeWithSingleOutput,
  loadTaskWithColumnLineage,
  startWithSingleInput,
} from './lineage/__fixtures__/openLineageSpecExamples';
import { datasetColumnRef, datasetRef } from './lineage/openLineage';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const PASSWORD = 'lineage-Passw0rd!';

const scansToken = crypto.randomBytes(24).toString('hex');
const classificationsToken = crypto.randomBytes(24).toString('hex');
const serviceTokens = {
  backend: {
    auth: {
      externalAccess: [
        { type: 'static', options: { token: scansToken, subject: 'plugin:scans' } },
        {
          type: 'static',
          options: { token: classificationsToken, subject: 'plugin:classifications' },
        },
      ],
    },
  },
};

const customers = tableRef('ds-1', 'crm', 'public', 'customers');
const report = tableRef('ds-1', 'crm', 'public', 'customer_report', 'view');
const col = (table: string, name: string) => columnRef('ds-1', 'crm', 'public', table, name);

const batches = () => [
  tableBatch({
    table: { name: 'customers', foreignKeys: [], primaryKey: ['id'] },
    columns: [
      column('id', 1, { dataType: 'integer' }),
      column('email', 2, {
        labels: [{ ...emailLabel(0.9), sensitivity: 'CONFIDENTIAL', categories: ['PII'] }],
      }),
    ],
  }),
  tableBatch({
    table: {
      name: 'customer_report',
      kind: 'view',
      foreignKeys: [],
      primaryKey: [],
      viewSql: 'SELECT c.id, lower(c.email) AS contact FROM customers c',
    },
    columns: [column('id', 1), column('contact', 2)],
  }),
];

describe(`lineage API (${engine})`, () => {
  let server: RacineTestServer;
  const tokens: Record<string, string> = {};
  const call = async <T>(
    method: string,
    path: string,
    json?: unknown,
    token?: string | null,
  ): Promise<{ status: number; body: T }> => {
    const res = await server.request(`/api/data-catalog${path}`, { method, json, token });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const lineageOf = (ref: string, query = '') =>
    call<LineageGraphResponse>('GET', `/lineage?ref=${encodeURIComponent(ref)}${query}`);
  const activity = async (query: string) =>
    (await (await server.request(`/api/kernel/activity?${query}`)).json()).items as {
      actor: string;
      outcome: string;
      summary: string;
    }[];

  beforeAll(async () => {
    server = await startRacineServer({ config: serviceTokens });
    // A conditional grant: the catalog up to INTERNAL only.
    const role = await server.request('/api/rbac/roles', {
      method: 'POST',
      json: {
        name: 'internal-reader',
        permissions: [
          {
            permission: 'catalog.view',
            condition: { rule: 'HAS_SENSITIVITY_AT_MOST', params: { level: 'INTERNAL' } },
          },
        ],
      },
    });
    expect(role.status).toBe(201);
    for (const role of ['data-steward', 'viewer', 'internal-reader', 'none']) {
      const username = `l-${role}`;
      const created = await server.request('/api/rbac/users', {
        method: 'POST',
        json: { username, password: PASSWORD },
      });
      expect(created.status).toBe(201);
      if (role !== 'none') {
        const granted = await server.request('/api/rbac/grants', {
          method: 'POST',
          json: { subject: `user:default/${username}`, role, workspace: '*' },
        });
        expect(granted.status).toBe(201);
      }
      tokens[role] = await server.signIn(username, PASSWORD);
    }
    const ingested = await server.request('/api/data-catalog/ingest/tables', {
      method: 'POST',
      json: { batches: batches() },
      token: scansToken,
    });
    expect(ingested.status).toBe(200);
  }, 120_000);
  afterAll(() => server?.stop());

  it.each([
    ['GET', `/lineage?ref=${encodeURIComponent(customers)}`],
    ['GET', `/lineage/impact?ref=${encodeURIComponent(customers)}`],
    ['GET', `/lineage/labels?ref=${encodeURIComponent(customers)}`],
    ['POST', '/openlineage'],
    ['POST', '/lineage/dbt?dataSourceId=ds-1'],
    ['PUT', `/lineage/edges/${crypto.randomUUID()}`],
    ['POST', '/lineage/edges'],
    ['DELETE', `/lineage/edges/${crypto.randomUUID()}`],
  ])('%s %s needs a caller, and a permission', async (method, path) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : {};
    expect((await call(method, path, body, null)).status).toBe(401);
    expect((await call(method, path, body, tokens.none)).status).toBe(403);
  });

  it('keeps writes to catalog.lineage holders, and audits refusals', async () => {
    const event = await call('POST', '/openlineage', startWithSingleInput, tokens.viewer);
    expect(event.status).toBe(403);
    const dbt = await call('POST', '/lineage/dbt?dataSourceId=ds-1', {}, tokens.viewer);
    expect(dbt.status).toBe(403);
    const denied = await activity('verb=lineage.openlineage&outcome=denied');
    expect(denied.map(a => a.actor)).toContain('user:default/l-viewer');
    // Readers read.
    expect((await lineageOf(customers)).status).toBe(200);
    const asViewer = await call(
      'GET',
      `/lineage?ref=${encodeURIComponent(customers)}`,
      undefined,
      tokens.viewer,
    );
    expect(asViewer.status).toBe(200);
  });

  it('serves the lineage graph of a view definition, table and column level', async () => {
    const { status, body } = await lineageOf(customers, '&direction=downstream&depth=2');
    expect(status).toBe(200);
    expect(
      body.nodes.map(n => ({ ref: n.ref, type: n.type, qualifiedName: n.qualifiedName })),
    ).toEqual(
      expect.arrayContaining([
        { ref: customers, type: 'table', qualifiedName: 'public.customers' },
        { ref: report, type: 'view', qualifiedName: 'public.customer_report' },
      ]),
    );
    expect(body.edges.map(e => ({ from: e.from, to: e.to, kind: e.kind }))).toEqual([
      { from: customers, to: report, kind: 'view' },
    ]);
    const withColumns = await lineageOf(report, '&direction=upstream&columns=true');
    expect(
      withColumns.body.edges.filter(e => e.level === 'column').map(e => [e.from, e.to]),
    ).toEqual(
      expect.arrayContaining([
        [col('customers', 'email'), col('customer_report', 'contact')],
        [col('customers', 'id'), col('customer_report', 'id')],
      ]),
    );
    const email = await lineageOf(col('customers', 'email'), '&direction=downstream');
    expect(email.body.nodes.map(n => n.ref).sort()).toEqual(
      [col('customers', 'email'), col('customer_report', 'contact')].sort(),
    );
    const impact = await call<ImpactAnalysisResponse>(
      'GET',
      `/lineage/impact?ref=${encodeURIComponent(customers)}`,
    );
    expect(impact.body.assets.map(a => a.ref)).toEqual([report]);
    expect(impact.body.unowned).toEqual([report]);
  });

  it('hides what a conditional grant does not reach (ABAC) from graphs and impact', async () => {
    const limited = tokens['internal-reader'];
    // customers holds a CONFIDENTIAL label: above the ceiling, so not in the graph.
    const up = await call<LineageGraphResponse>(
      'GET',
      `/lineage?ref=${encodeURIComponent(report)}&direction=upstream&columns=true`,
      undefined,
      limited,
    );
    expect(up.status).toBe(200);
    expect(up.body.nodes.map(n => n.ref)).not.toContain(customers);
    expect(up.body.nodes.map(n => n.ref)).not.toContain(col('customers', 'email'));
    expect(up.body.edges.filter(e => e.from === customers)).toEqual([]);
    const hidden = await call(
      'GET',
      `/lineage?ref=${encodeURIComponent(customers)}`,
      undefined,
      limited,
    );
    expect(hidden.status).toBe(404);
    const impact = await call(
      'GET',
      `/lineage/impact?ref=${encodeURIComponent(customers)}`,
      undefined,
      limited,
    );
    expect(impact.status).toBe(404);
    // The unrestricted viewer sees both.
    const full = await call<LineageGraphResponse>(
      'GET',
      `/lineage?ref=${encodeURIComponent(report)}&direction=upstream`,
      undefined,
      tokens.viewer,
    );
    expect(full.body.nodes.map(n => n.ref)).toContain(customers);
  });

  it('lets stewards declare and remove lineage by hand, never derived lineage', async () => {
    const steward = tokens['data-steward'];
    const contact = col('customer_report', 'contact');
    const asViewer = await call(
      'POST',
      '/lineage/edges',
      { from: customers, to: report },
      tokens.viewer,
    );
    expect(asViewer.status).toBe(403);
    const mixed = await call('POST', '/lineage/edges', { from: customers, to: contact }, steward);
    expect(mixed.status).toBe(400);
    const unknown = await call(
      'POST',
      '/lineage/edges',
      { from: col('customers', 'nope'), to: contact },
      steward,
    );
    expect(unknown.status).toBe(400);
    const created = await call<{ id: string; kind: string; level: string }>(
      'POST',
      '/lineage/edges',
      { from: col('customers', 'id'), to: contact },
      steward,
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'manual', level: 'column' });
    const graph = await lineageOf(col('customers', 'id'), '&direction=downstream');
    expect(graph.body.edges.map(e => [e.to, e.kind])).toEqual(
      expect.arrayContaining([[contact, 'manual']]),
    );
    const derived = graph.body.edges.find(e => e.kind === 'view')!;
    expect((await call('DELETE', `/lineage/edges/${derived.id}`, undefined, steward)).status).toBe(
      409,
    );
    expect(
      (await call('DELETE', `/lineage/edges/${created.body.id}`, undefined, steward)).status,
    ).toBe(204);
    const after = await lineageOf(col('customers', 'id'), '&direction=downstream');
    expect(after.body.edges.map(e => e.kind)).toEqual(['view']);
    const audited = await activity('verb=lineage.edge.delete');
    expect(audited[0]?.actor).toBe('user:default/l-data-steward');
  });

  it('answers bad queries with a 400', async () => {
    expect((await call('GET', '/lineage')).status).toBe(400);
    expect((await call('GET', '/lineage?ref=nope')).status).toBe(400);
    expect((await lineageOf(customers, '&direction=sideways')).status).toBe(400);
    expect((await lineageOf(customers, '&depth=99')).status).toBe(400);
    const schema = tableRef('ds-1', 'crm', 'public', 'x').replace(':table/', ':schema/');
    expect((await lineageOf(schema)).status).toBe(400);
    // A table neither the catalog nor any edge knows.
    const unknown = encodeURIComponent(tableRef('ds-1', 'crm', 'public', 'nope'));
    for (const path of ['/lineage', '/lineage/impact', '/lineage/labels']) {
      const res = await call<{ error: { message: string } }>('GET', `${path}?ref=${unknown}`);
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body)).toContain('does not exist');
    }
    expect((await call('POST', '/openlineage', { eventType: 'START' })).status).toBe(400);
    const takeover = { ...startWithSingleInput, inputs: [{ namespace: 'ds-1', name: 'x' }] };
    expect((await call('POST', '/openlineage', takeover)).status).toBe(409);
    expect((await call('POST', '/lineage/dbt', jaffleShopManifest)).status).toBe(400);
    expect((await call('POST', '/lineage/dbt?dataSourceId=wh', { nodes: 3 })).status).toBe(400);
    expect(
      (await call('PUT', '/lineage/edges/not-an-id', { propagationBlocked: true })).status,
    ).toBe(400);
    expect(
      (await call('PUT', `/lineage/edges/${crypto.randomUUID()}`, { propagationBlocked: true }))
        .status,
    ).toBe(404);
  });

  it('receives OpenLineage run events: datasets become assets search finds', async () => {
    const start = await call<OpenLineageIngestResponse>(
      'POST',
      '/openlineage',
      startWithSingleInput,
      tokens['data-steward'],
    );
    expect(start.status).toBe(200);
    const complete = await call<OpenLineageIngestResponse>(
      'POST',
      '/openlineage',
      completeWithSingleOutput,
      tokens['data-steward'],
    );
    expect(complete.body.edges).toBe(1);
    const taxes = datasetRef('postgres://workshop-db:None', 'workshop.public.taxes');
    const unpaid = datasetRef('postgres://workshop-db:None', 'workshop.public.unpaid_taxes');
    const graph = await lineageOf(taxes, '&direction=downstream');
    expect(graph.body.edges.map(e => [e.from, e.to, e.kind])).toEqual([
      [taxes, unpaid, 'openlineage'],
    ]);
    const found = await call<ListAssetsResponse>('GET', '/assets?q=unpaid_taxes');
    expect(found.body.items.map(a => [a.ref, a.qualifiedName])).toEqual([
      [unpaid, 'workshop.public.unpaid_taxes'],
    ]);
    const searched = await call<{ items: { ref: string }[] }>('GET', '/search?q=unpaid_taxes');
    expect(searched.body.items.map(i => i.ref)).toContain(unpaid);
    const global = await (await server.request('/api/kernel/search?q=unpaid_taxes')).json();
    expect(JSON.stringify(global)).toContain(unpaid);
    const load = await call<OpenLineageIngestResponse>(
      'POST',
      '/openlineage',
      loadTaskWithColumnLineage,
    );
    expect(load.body).toMatchObject({ edges: 1, columnEdges: 2 });
    const columnB = datasetColumnRef('test://example1.com:443/myDir', 'Dataset1', 'ColumnB');
    const columnGraph = await lineageOf(columnB, '&direction=downstream');
    expect(columnGraph.body.nodes.map(n => n.ref)).toContain(
      datasetColumnRef('inmemory://', 'Dataset3.Load task', '_1'),
    );
    const audited = await activity('verb=lineage.openlineage&outcome=success');
    expect(audited.map(a => a.actor)).toContain('user:default/l-data-steward');
  });

  it('joins OpenLineage datasets of registered data sources to their scanned tables', async () => {
    const registered = await server.request('/api/datasources', {
      method: 'POST',
      json: {
        name: 'Shop',
        type: 'postgres',
        config: {
          host: 'shop-db.internal',
          port: 5433,
          database: 'shop',
          user: 'reader',
          password: 'not-used-here',
        },
      },
    });
    expect(registered.status, await registered.clone().text()).toBe(201);
    const dataSourceId = ((await registered.json()) as { id: string }).id;
    const ingested = await server.request('/api/data-catalog/ingest/tables', {
      method: 'POST',
      token: scansToken,
      json: {
        batches: [
          tableBatch({
            dataSourceId,
            dataSourceName: 'Shop',
            database: 'shop',
            schema: 'public',
            table: { name: 'orders', foreignKeys: [], primaryKey: ['id'] },
            columns: [column('id', 1, { dataType: 'integer' }), column('email', 2)],
          }),
        ],
      },
    });
    expect(ingested.status).toBe(200);
    const orders = tableRef(dataSourceId, 'shop', 'public', 'orders');
    const exported = datasetRef('s3://exports', 'orders.csv');
    // The naming spec's PostgreSQL address: scheme, host (any case) and port; `db.schema.table`.
    const source = { namespace: 'postgres://SHOP-DB.internal:5433', name: 'shop.public.orders' };
    /** A completed Airflow job run, posted as the steward. */
    const completedRun = (job: string, eventTime: string, inputs: object[], outputs: object[]) =>
      call<OpenLineageIngestResponse>(
        'POST',
        '/openlineage',
        {
          eventType: 'COMPLETE',
          eventTime,
          run: { runId: crypto.randomUUID() },
          job: { namespace: 'airflow', name: job },
          producer: 'https://example.com/airflow',
          inputs,
          outputs,
        },
        tokens['data-steward'],
      );
    const posted = await completedRun(
      'export_orders',
      '2026-11-20T10:00:00.000Z',
      [source],
      [
        {
          namespace: 's3://exports',
          name: 'orders.csv',
          facets: {
            columnLineage: {
              fields: { contact: { inputFields: [{ ...source, field: 'email' }] } },
            },
          },
        },
      ],
    );
    expect(posted.status).toBe(200);
    expect(posted.body.datasets).toEqual([orders, exported]);
    const graph = await lineageOf(orders, '&direction=downstream');
    expect(graph.body.edges.map(e => [e.from, e.to, e.kind])).toContainEqual([
      orders,
      exported,
      'openlineage',
    ]);
    const email = columnRef(dataSourceId, 'shop', 'public', 'orders', 'email');
    const columnGraph = await lineageOf(email, '&direction=downstream');
    expect(columnGraph.body.nodes.map(n => n.ref)).toContain(
      datasetColumnRef('s3://exports', 'orders.csv', 'contact'),
    );
    // No stand-in asset for the scanned table, which keeps the columns its scan found.
    const standIn = datasetRef('postgres://SHOP-DB.internal:5433', 'shop.public.orders');
    expect((await call('GET', `/assets/${encodeURIComponent(standIn)}`)).status).toBe(404);
    const details = await call<AssetDetailsResponse>(
      'GET',
      `/assets/${encodeURIComponent(orders)}`,
    );
    expect(details.body.columns!.map(c => c.name)).toEqual(['id', 'email']);
    // Another port is another server: a dataset of its own.
    const elsewhere = await completedRun(
      'copy_orders',
      '2026-11-20T11:00:00.000Z',
      [{ ...source, namespace: 'postgres://shop-db.internal:5432' }],
      [],
    );
    expect(elsewhere.body.datasets).toEqual([
      datasetRef('postgres://shop-db.internal:5432', 'shop.public.orders'),
    ]);
  });

  it('imports a dbt manifest', async () => {
    const { status, body } = await call<DbtImportResponse>(
      'POST',
      '/lineage/dbt?dataSourceId=wh',
      jaffleShopManifest,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ nodes: 5, matched: 0, edges: 4 });
    const model = tableRef('wh', 'analytics', 'dbt_prod', 'customers');
    const up = await lineageOf(model, '&direction=upstream&depth=5');
    expect(up.body.nodes.map(n => n.ref)).toEqual(
      expect.arrayContaining([
        tableRef('wh', 'analytics', 'raw', 'customers'),
        tableRef('wh', 'analytics', 'raw', 'orders'),
      ]),
    );
    expect(up.body.edges.every(e => e.kind === 'dbt')).toBe(true);
  });

  it('propagates an approved label along column lineage, and blocks it per edge', async () => {
    const decided = await server.request('/api/data-catalog/review/decisions', {
      method: 'POST',
      token: classificationsToken,
      json: {
        actor: 'user:default/l-data-steward',
        decisions: [
          { action: 'approve', assetRef: col('customers', 'email'), classifierId: 'pii.email' },
        ],
      },
    });
    expect(decided.status).toBe(200);
    const propagated = await call<PropagatedLabelsResponse>(
      'GET',
      `/lineage/labels?ref=${encodeURIComponent(report)}`,
    );
    expect(propagated.body.items).toEqual([
      expect.objectContaining({
        assetRef: col('customer_report', 'contact'),
        classifierId: 'pii.email',
        sourceRef: col('customers', 'email'),
        path: [col('customers', 'email'), col('customer_report', 'contact')],
      }),
    ]);
    const details = await call<AssetDetailsResponse>(
      'GET',
      `/assets/${encodeURIComponent(report)}`,
    );
    const contact = details.body.columns?.find(c => c.name === 'contact');
    expect(contact?.labels.map(l => [l.classifierId, l.status])).toEqual([
      ['pii.email', 'propagated'],
    ]);

    const email = await lineageOf(col('customers', 'email'), '&direction=downstream');
    const edge = email.body.edges[0]!;
    const asViewer = await call(
      'PUT',
      `/lineage/edges/${edge.id}`,
      { propagationBlocked: true },
      tokens.viewer,
    );
    expect(asViewer.status).toBe(403);
    const blocked = await call<{ propagationBlocked: boolean }>(
      'PUT',
      `/lineage/edges/${edge.id}`,
      { propagationBlocked: true },
      tokens['data-steward'],
    );
    expect(blocked.status).toBe(200);
    expect(blocked.body.propagationBlocked).toBe(true);
    const after = await call<PropagatedLabelsResponse>(
      'GET',
      `/lineage/labels?ref=${encodeURIComponent(report)}`,
    );
    expect(after.body.items).toEqual([]);
    const audited = await activity('verb=lineage.edge.update');
    expect(audited[0]?.summary).toContain('Blocked label propagation');
    await call('PUT', `/lineage/edges/${edge.id}`, { propagationBlocked: false });
    const restored = await call<PropagatedLabelsResponse>(
      'GET',
      `/lineage/labels?ref=${encodeURIComponent(report)}`,
    );
    expect(restored.body.items).toHaveLength(1);
    // The propagated label carries its CONFIDENTIAL sensitivity: the report is now above the
    // ceiling of the conditional grant too.
    const asLimited = await call(
      'GET',
      `/lineage?ref=${encodeURIComponent(report)}`,
      undefined,
      tokens['internal-reader'],
    );
    expect(asLimited.status).toBe(404);
    const reportDetails = await call<{ sensitivity: string | null }>(
      'GET',
      `/assets/${encodeURIComponent(report)}`,
    );
    expect(reportDetails.body.sensitivity).toBe('CONFIDENTIAL');
  });
});
