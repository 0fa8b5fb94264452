import crypto from 'node:crypto';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type {
  Evaluation,
  Finding,
  FrameworkSummary,
  Waiver,
} from '@racine/plugin-compliance-common';
import {
  columnRef,
  tableBatchSchema,
  type TableBatchInput,
} from '@racine/plugin-data-catalog-common';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const BASE = '/api/compliance';
const PASSWORD = 'compliance passphrase 1234';
const scansToken = crypto.randomBytes(24).toString('hex');
const SOURCE = 'ds-comp';

function batch(
  columns: Array<{ name: string; labels?: string[] }>,
  runId = 'run-1',
): TableBatchInput {
  return tableBatchSchema.parse({
    dataSourceId: SOURCE,
    dataSourceName: 'CRM',
    runId,
    scannedAt: new Date().toISOString(),
    database: 'crm',
    schema: 'public',
    table: { name: 'customers', kind: 'table', primaryKey: ['id'] },
    columns: columns.map((c, i) => ({
      name: c.name,
      ordinal: i + 1,
      dataType: 'text',
      nullable: true,
      labels: (c.labels ?? []).map(classifierId => ({
        classifierId,
        confidence: 0.95,
        evidence: {
          signals: [{ kind: 'summary', description: 'matched' }],
          maskedExamples: [],
          sampleSize: 10,
        },
      })),
    })),
  });
}
const ref = (column: string) => columnRef(SOURCE, 'crm', 'public', 'customers', column);

async function until<T>(fn: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

describe(`compliance API (${engine})`, () => {
  let server: RacineTestServer;
  const tokens: Record<string, string> = {};

  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    json?: unknown,
    token?: string | null,
  ) => {
    const res = await server.request(`${BASE}${path}`, { method, json, token });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // CSV and PDF stay text
    }
    return { status: res.status, body: body as T, headers: res.headers };
  };
  const ingest = async (b: TableBatchInput) => {
    const res = await server.request('/api/data-catalog/ingest/tables', {
      method: 'POST',
      json: { batches: [b] },
      token: scansToken,
    });
    expect(res.status).toBe(200);
  };
  const evaluate = async (token?: string) => {
    const started = await call<Evaluation>('POST', '/evaluations', {}, token);
    expect(started.status).toBe(202);
    return until(async () => {
      const { body } = await call<Evaluation>('GET', `/evaluations/${started.body.id}`);
      return body.status === 'succeeded' || body.status === 'failed' ? body : undefined;
    }, 'the evaluation');
  };

  beforeAll(async () => {
    server = await startRacineServer({
      config: {
        backend: {
          auth: {
            externalAccess: [
              { type: 'static', options: { token: scansToken, subject: 'plugin:scans' } },
            ],
          },
        },
      },
    });
    for (const role of ['compliance-officer', 'data-steward', 'viewer', 'workspace-owner']) {
      const username = `c-${role}`;
      expect(
        (
          await server.request('/api/rbac/users', {
            method: 'POST',
            json: { username, password: PASSWORD },
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await server.request('/api/rbac/grants', {
            method: 'POST',
            json: { subject: `user:default/${username}`, role, workspace: '*' },
          })
        ).status,
      ).toBe(201);
      tokens[role] = await server.signIn(username, PASSWORD);
    }
    await ingest(batch([{ name: 'id' }, { name: 'email', labels: ['PII.EMAIL_ADDRESS'] }]));
  }, 120_000);
  afterAll(() => server?.stop(), 120_000);

  it('lists the shipped frameworks; authorizes every route kind', async () => {
    const { status, body } = await call<{ items: FrameworkSummary[] }>(
      'GET',
      '/frameworks',
      undefined,
      tokens.viewer,
    );
    expect(status).toBe(200);
    expect(body.items.map(f => f.id)).toEqual(
      expect.arrayContaining(['gdpr', 'ccpa', 'hipaa', 'pci-dss', 'soc2', 'iso27001']),
    );
    expect(body.items.find(f => f.id === 'pci-dss')).toMatchObject({
      name: 'PCI DSS',
      version: '4.0',
      builtin: true,
    });
    expect((await call('GET', '/frameworks', undefined, null)).status).toBe(401);
    expect((await call('GET', '/findings', undefined, tokens['workspace-owner'])).status).toBe(403);
    expect((await call('POST', '/evaluations', {}, tokens.viewer)).status).toBe(403);
    expect((await call('POST', '/rules', { id: 'x' }, tokens.viewer)).status).toBe(403);
    expect((await call('GET', '/frameworks/nope')).status).toBe(404);
    const bad = await call<{ error: { message: string } }>('GET', '/findings?status=bogus&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status/);
    expect(bad.body.error.message).toMatch(/limit/);
  });

  it('evaluates on demand and lists findings with requirement, severity, owner and due date', async () => {
    const done = await evaluate(tokens['compliance-officer']);
    expect(done).toMatchObject({
      status: 'succeeded',
      trigger: 'manual',
      requestedBy: 'user:default/c-compliance-officer',
    });
    expect(done.assetsEvaluated).toBeGreaterThanOrEqual(6);
    const { body } = await call<{ items: Finding[] }>(
      'GET',
      '/findings?framework=gdpr&status=open',
      undefined,
      tokens.viewer,
    );
    const pii = body.items.find(f => f.ruleId === 'pii-has-owner')!;
    expect(pii).toMatchObject({
      assetRef: ref('email'),
      status: 'open',
      severity: 'high',
      requirementId: 'art-5-2',
      owner: null,
    });
    expect(Date.parse(pii.dueAt)).toBeGreaterThan(Date.now());
    // The data source is not registered, so it has no successful scan: the 30-day rule fails.
    expect(body.items.find(f => f.ruleId === 'pii-source-scanned-30d')).toMatchObject({
      assetRef: `racine:datasources:datasource/${SOURCE}`,
      assetType: 'datasource',
    });
    const byAsset = await call<{ items: Finding[] }>(
      'GET',
      `/findings?assetRef=${encodeURIComponent(ref('email'))}`,
    );
    expect(byAsset.body.items.map(f => f.ruleId)).toEqual(['pii-has-owner']);
    const scores = await call<{
      score: number;
      requirements: Array<{ id: string; score: number | null }>;
    }>('GET', '/scores?framework=gdpr');
    expect(scores.body.requirements.find(r => r.id === 'art-5-2')!.score).toBe(0);
    const history = await call<{ items: unknown[] }>('GET', '/scores/history?framework=gdpr');
    expect(history.body.items.length).toBeGreaterThanOrEqual(1);
  });

  it('evaluates only the changed assets on asset.changed', async () => {
    await ingest(
      batch(
        [
          { name: 'id' },
          { name: 'email', labels: ['PII.EMAIL_ADDRESS'] },
          { name: 'phone', labels: ['PII.PHONE_NUMBER'] },
        ],
        'run-2',
      ),
    );
    const found = await until(async () => {
      const { body } = await call<{ items: Finding[] }>(
        'GET',
        `/findings?assetRef=${encodeURIComponent(ref('phone'))}`,
      );
      return body.items[0];
    }, 'the incremental finding');
    expect(found).toMatchObject({ ruleId: 'pii-has-owner', status: 'open' });
  });

  it('tests and saves custom rules; rejects unsafe or malformed ones', async () => {
    const rule = {
      id: 'email-described',
      name: 'Email columns are described',
      severity: 'low',
      scope: {
        some: 'labels',
        where: { field: 'classifierId', op: 'eq', value: 'PII.EMAIL_ADDRESS' },
      },
      assert: { field: 'asset.description', op: 'notEmpty' },
    };
    const preview = await call<{
      inScope: number;
      failing: number;
      samples: Array<{ assetRef: string; passed: boolean }>;
    }>('POST', '/rules/test', { rule }, tokens['data-steward']);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      inScope: 1,
      failing: 1,
      samples: [{ assetRef: ref('email'), passed: false }],
    });
    const bad = await call<{ error: { message: string } }>(
      'POST',
      '/rules',
      { ...rule, assert: { field: 'x', op: 'eq' } },
      tokens['data-steward'],
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/needs a value/);
    const code = await call(
      'POST',
      '/rules',
      { ...rule, assert: { $where: 'process.exit()' } },
      tokens['data-steward'],
    );
    expect(code.status).toBe(400);
    expect((await call('POST', '/rules', rule, tokens['data-steward'])).status).toBe(201);
    expect((await call('POST', '/rules', rule, tokens['data-steward'])).status).toBe(409);
    expect(
      (await call('PUT', '/rules/pii-has-owner', { severity: 'low' }, tokens['data-steward']))
        .status,
    ).toBe(409);
    expect(
      (await call('DELETE', '/rules/email-described', undefined, tokens['data-steward'])).status,
    ).toBe(204);
  });

  it('acknowledges findings in bulk and waives them only with compliance.approve', async () => {
    const { body } = await call<{ items: Finding[] }>(
      'GET',
      `/findings?assetRef=${encodeURIComponent(ref('email'))}&status=open`,
    );
    const id = body.items[0]!.id;
    const ack = await call<{ changed: number }>(
      'POST',
      '/findings/bulk',
      { ids: [id], action: 'acknowledge', note: 'on it' },
      tokens['data-steward'],
    );
    expect(ack.body.changed).toBe(1);
    expect(
      (
        await call(
          'POST',
          '/waivers',
          { findingIds: [id], reason: 'x', expiresAt: '2099-01-01T00:00:00Z' },
          tokens['data-steward'],
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await call(
          'POST',
          '/waivers',
          { findingIds: [id], reason: 'Legacy export', expiresAt: '2001-01-01T00:00:00Z' },
          tokens['data-steward'],
        )
      ).status,
    ).toBe(400);
    const requested = await call<{ items: Waiver[] }>(
      'POST',
      '/waivers',
      {
        findingIds: [id],
        reason: 'Legacy export, retired in Q1',
        expiresAt: '2099-01-01T00:00:00Z',
      },
      tokens['data-steward'],
    );
    expect(requested.status).toBe(201);
    const waiverId = requested.body.items[0]!.id;
    expect(
      (await call('POST', `/waivers/${waiverId}/approve`, {}, tokens['data-steward'])).status,
    ).toBe(403);
    const pending = await call<{ items: Waiver[] }>(
      'GET',
      '/waivers?status=pending',
      undefined,
      tokens['compliance-officer'],
    );
    expect(pending.body.items.map(w => w.id)).toContain(waiverId);
    const approved = await call<Waiver>(
      'POST',
      `/waivers/${waiverId}/approve`,
      { note: 'accepted risk' },
      tokens['compliance-officer'],
    );
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: 'user:default/c-compliance-officer',
    });
    expect(
      (await call('POST', `/waivers/${waiverId}/approve`, {}, tokens['compliance-officer'])).status,
    ).toBe(409);
    const detail = await call<Finding & { events: Array<{ toStatus: string }> }>(
      'GET',
      `/findings/${id}`,
    );
    expect(detail.body.status).toBe('waived');
    expect(detail.body.events.map(e => e.toStatus)).toEqual(['open', 'acknowledged', 'waived']);
    const activity = await (
      await server.request('/api/kernel/activity?verb=compliance.waiver.approve')
    ).json();
    expect(activity.items.map((a: { outcome: string }) => a.outcome)).toEqual(
      expect.arrayContaining(['success', 'denied']),
    );
  });

  it('downloads reports (CSV, PDF) and the audit trail', async () => {
    const csv = await call<string>('GET', '/reports/gdpr?format=csv', undefined, tokens.viewer);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toMatch(/^framework,framework_version,as_of,requirement_id/);
    expect(csv.body).toContain(ref('phone'));
    const res = await server.request(
      `${BASE}/reports/hipaa?format=pdf&asOf=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain('HIPAA Security Rule');
    const trail = await call<string>('GET', '/audit-trail?format=csv', undefined, tokens.viewer);
    expect(trail.body).toContain('waiver.approved');
    expect((await call('GET', '/reports/gdpr?format=doc')).status).toBe(400);
  });

  it('creates custom frameworks over existing rules and scores them', async () => {
    const framework = {
      id: 'internal-policy',
      name: 'Internal data policy',
      version: '2026.1',
      requirements: [
        {
          id: 'DP-1',
          title: 'Personal data has an owner',
          reference: 'Policy 1',
          ruleIds: ['pii-has-owner'],
        },
      ],
    };
    expect((await call('POST', '/frameworks', framework, tokens.viewer)).status).toBe(403);
    expect(
      (
        await call(
          'POST',
          '/frameworks',
          { ...framework, requirements: [] },
          tokens['data-steward'],
        )
      ).status,
    ).toBe(400);
    expect(
      (await call('POST', '/frameworks', { ...framework, id: 'gdpr' }, tokens['data-steward']))
        .status,
    ).toBe(409);
    expect((await call('POST', '/frameworks', framework, tokens['data-steward'])).status).toBe(201);
    const scores = await call<{ requirements: Array<{ id: string; inScope: number }> }>(
      'GET',
      '/scores?framework=internal-policy',
    );
    expect(scores.body.requirements[0]).toMatchObject({ id: 'DP-1' });
    const findings = await call<{ items: Finding[] }>(
      'GET',
      '/findings?framework=internal-policy&requirement=DP-1',
    );
    expect(findings.body.items.length).toBeGreaterThan(0);
    expect(
      findings.body.items.every(f => f.ruleId === 'pii-has-owner' && f.requirementId === 'DP-1'),
    ).toBe(true);
    expect((await call('GET', '/findings?requirement=DP-1')).status).toBe(400);
    expect(
      (await call('DELETE', '/frameworks/gdpr', undefined, tokens['data-steward'])).status,
    ).toBe(409);
    expect(
      (await call('DELETE', '/frameworks/internal-policy', undefined, tokens['data-steward']))
        .status,
    ).toBe(204);
  });

  it('serves each signed-in user their own notifications and remediation tasks', async () => {
    expect((await call('GET', '/notifications', undefined, null)).status).toBe(401);
    const mine = await call<{ items: unknown[]; unread: number }>(
      'GET',
      '/notifications',
      undefined,
      tokens['workspace-owner'],
    );
    expect(mine).toMatchObject({ status: 200, body: { items: [], unread: 0 } });
    const tasks = await call<{ items: Finding[] }>(
      'GET',
      '/findings?owner=me',
      undefined,
      tokens.viewer,
    );
    expect(tasks.body.items).toEqual([]);
    expect(
      (await call('POST', `/notifications/${crypto.randomUUID()}/read`, {}, tokens.viewer)).status,
    ).toBe(404);
  });

  it('runs the compliance.evaluate action and lists its workflow step', async () => {
    const res = await server.request('/api/kernel/actions/compliance.evaluate', {
      method: 'POST',
      json: { framework: 'gdpr' },
    });
    expect(res.status).toBe(200);
    const { output } = await res.json();
    expect(output).toMatchObject({ status: 'succeeded', rulesEvaluated: 4 });
    const denied = await server.request('/api/kernel/actions/compliance.evaluate', {
      method: 'POST',
      json: {},
      token: tokens.viewer,
    });
    expect(denied.status).toBe(403);
    const steps = await (await server.request('/api/kernel/workflow-steps')).json();
    expect(JSON.stringify(steps)).toContain('compliance.evaluate');
  });
});
