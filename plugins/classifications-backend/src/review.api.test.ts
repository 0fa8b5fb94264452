import crypto from 'node:crypto';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type {
  AccuracyResponse,
  AssetLabelsResponse,
  DecisionsResponse,
  ReviewQueueResponse,
} from '@racine/plugin-classifications-common';
import {
  columnRef,
  tableBatchSchema,
  type TableBatchInput,
} from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const BASE = '/api/classifications';
const PASSWORD = 'review passphrase 1234';

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

interface Activity {
  verb: string;
  outcome: string;
  actor: string;
  resource: string;
  summary: string;
}

function label(classifierId: string, confidence: number, matchRatio?: number) {
  return {
    classifierId,
    confidence,
    evidence: {
      signals: [{ kind: 'summary', description: `${classifierId} matched` }],
      maskedExamples: ['j***@example.com'],
      ...(matchRatio === undefined ? {} : { matchRatio }),
      sampleSize: 100,
    },
  };
}

type Labels = Record<string, ReturnType<typeof label>[]>;

/** A batch of the `staff` table as scans publish it, with the labels given per column. */
function staffBatch(labels: Labels, runId = 'run-1', table = 'staff'): TableBatchInput {
  const columns = ['id', 'email', 'notes', 'phone', 'ref_code'];
  return tableBatchSchema.parse({
    dataSourceId: 'ds-review',
    dataSourceName: 'HR database',
    runId,
    scannedAt: new Date().toISOString(),
    database: 'hr',
    schema: 'public',
    table: { name: table, kind: 'table', primaryKey: ['id'] },
    columns: columns.map((name, i) => ({
      name,
      ordinal: i + 1,
      dataType: 'text',
      nullable: true,
      labels: labels[name] ?? [],
    })),
  });
}

const ref = (column: string, table = 'staff') =>
  columnRef('ds-review', 'hr', 'public', table, column);

describe(`label review through the data catalog (${engine})`, () => {
  let server: RacineTestServer;
  const tokens: Record<string, string> = {};
  const firstLabels: Labels = {
    email: [label('PII.EMAIL_ADDRESS', 0.97, 0.95)],
    notes: [label('PII.PERSON_NAME', 0.62, 0.4)],
    phone: [label('PII.PHONE_NUMBER', 0.7, 0.7)],
    ref_code: [label('GOV.US_SSN', 0.66, 0.5)],
  };

  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    json?: unknown,
    token?: string | null,
  ) => {
    const res = await server.request(`${BASE}${path}`, { method, json, token });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const ingest = async (batch: TableBatchInput) => {
    const res = await server.request('/api/data-catalog/ingest/tables', {
      method: 'POST',
      json: { batches: [batch] },
      token: scansToken,
    });
    expect(res.status).toBe(200);
  };
  const labelsOf = async (column: string, table = 'staff') =>
    (
      await call<AssetLabelsResponse>(
        'GET',
        `/assets/${encodeURIComponent(ref(column, table))}/labels`,
      )
    ).body;
  const activity = async (query: string) =>
    (await (await server.request(`/api/kernel/activity?${query}`)).json()).items as Activity[];

  beforeAll(async () => {
    server = await startRacineServer({ config: serviceTokens });
    for (const role of ['data-steward', 'viewer']) {
      const username = `r-${role}`;
      expect(
        (
          await server.request('/api/rbac/users', {
            method: 'POST',
            json: { username, password: PASSWORD },
          })
        ).status,
      ).toBe(201);
      const granted = await server.request('/api/rbac/grants', {
        method: 'POST',
        json: { subject: `user:default/${username}`, role, workspace: '*' },
      });
      expect(granted.status).toBe(201);
      tokens[role] = await server.signIn(username, PASSWORD);
    }
    await ingest(staffBatch(firstLabels));
  }, 120_000);
  afterAll(() => server?.stop());

  it('keeps the catalog review routes to the classifications plugin', async () => {
    for (const path of [
      '/review/labels',
      '/review/stats',
      `/review/assets/${encodeURIComponent(ref('email'))}/labels`,
    ]) {
      expect((await server.request(`/api/data-catalog${path}`, { token: null })).status).toBe(401);
      expect((await server.request(`/api/data-catalog${path}`)).status).toBe(403);
      expect((await server.request(`/api/data-catalog${path}`, { token: scansToken })).status).toBe(
        403,
      );
      expect(
        (await server.request(`/api/data-catalog${path}`, { token: classificationsToken })).status,
      ).toBe(200);
    }
    const denied = await activity('verb=labels.review&outcome=denied');
    expect(denied.map(a => a.actor)).toEqual(
      expect.arrayContaining(['user:development/guest', 'plugin:scans']),
    );
  });

  it('lists the queue with filters, best first, with keyset pages', async () => {
    const { body } = await call<ReviewQueueResponse>(
      'GET',
      '/review-queue',
      undefined,
      tokens.viewer,
    );
    expect(body.items.map(l => [l.qualifiedName, l.classifierId, l.confidence])).toEqual([
      ['public.staff.email', 'PII.EMAIL_ADDRESS', 0.97],
      ['public.staff.phone', 'PII.PHONE_NUMBER', 0.7],
      ['public.staff.ref_code', 'GOV.US_SSN', 0.66],
      ['public.staff.notes', 'PII.PERSON_NAME', 0.62],
    ]);
    expect(body.items[0]).toMatchObject({
      status: 'suggested',
      dataSourceId: 'ds-review',
      assetType: 'column',
      dataType: 'text',
      decision: null,
      evidence: { matchRatio: 0.95 },
    });
    const filtered = await call<ReviewQueueResponse>(
      'GET',
      '/review-queue?classifierId=PII.PHONE_NUMBER&dataSourceId=ds-review',
    );
    expect(filtered.body.items.map(l => l.qualifiedName)).toEqual(['public.staff.phone']);
    const band = await call<ReviewQueueResponse>(
      'GET',
      '/review-queue?minConfidence=0.65&maxConfidence=0.9',
    );
    expect(band.body.items.map(l => l.classifierId)).toEqual(['PII.PHONE_NUMBER', 'GOV.US_SSN']);
    expect(
      (await call<ReviewQueueResponse>('GET', '/review-queue?dataSourceId=other')).body.items,
    ).toEqual([]);
    const first = await call<ReviewQueueResponse>('GET', '/review-queue?limit=3');
    const second = await call<ReviewQueueResponse>(
      'GET',
      `/review-queue?limit=3&cursor=${encodeURIComponent(first.body.nextCursor!)}`,
    );
    expect([...first.body.items, ...second.body.items].map(l => l.classifierId)).toEqual(
      body.items.map(l => l.classifierId),
    );
    expect(second.body.nextCursor).toBeNull();
    expect((await call('GET', '/review-queue?minConfidence=2')).status).toBe(400);
    expect((await call('GET', '/review-queue?cursor=garbage')).status).toBe(400);
  });

  it('applies single and bulk decisions with reasons, audited, per-item errors', async () => {
    expect(
      (
        await call(
          'POST',
          '/decisions',
          {
            decisions: [
              { action: 'approve', assetRef: ref('email'), classifierId: 'PII.EMAIL_ADDRESS' },
            ],
          },
          tokens.viewer,
        )
      ).status,
    ).toBe(403);
    const noReason = await call<{ error: { message: string } }>('POST', '/decisions', {
      decisions: [{ action: 'reject', assetRef: ref('notes'), classifierId: 'PII.PERSON_NAME' }],
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toContain('decisions.0.reason');

    const single = await call<DecisionsResponse>(
      'POST',
      '/decisions',
      {
        decisions: [
          { action: 'approve', assetRef: ref('email'), classifierId: 'PII.EMAIL_ADDRESS' },
        ],
      },
      tokens['data-steward'],
    );
    expect(single.status).toBe(200);
    expect(single.body).toEqual({
      applied: 1,
      failed: 0,
      results: [
        {
          assetRef: ref('email'),
          classifierId: 'PII.EMAIL_ADDRESS',
          action: 'approve',
          ok: true,
          status: 'approved',
        },
      ],
    });

    const bulk = await call<DecisionsResponse>(
      'POST',
      '/decisions',
      {
        decisions: [
          {
            action: 'reject',
            assetRef: ref('notes'),
            classifierId: 'PII.PERSON_NAME',
            reason: 'Free text, not names',
          },
          {
            action: 'approve',
            assetRef: ref('phone'),
            classifierId: 'PII.PHONE_NUMBER',
            reason: 'Checked',
          },
          {
            action: 'relabel',
            assetRef: ref('ref_code'),
            classifierId: 'GOV.US_SSN',
            newClassifierId: 'GOV.NATIONAL_ID',
            reason: 'French ids',
          },
          { action: 'add', assetRef: ref('id'), classifierId: 'PII.USERNAME', reason: 'Login ids' },
          { action: 'approve', assetRef: ref('id'), classifierId: 'PII.EMAIL_ADDRESS' },
          { action: 'add', assetRef: ref('id'), classifierId: 'NOPE.UNKNOWN' },
        ],
      },
      tokens['data-steward'],
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body.applied).toBe(4);
    expect(bulk.body.results.map(r => [r.action, r.ok, r.status ?? r.error])).toEqual([
      ['reject', true, 'rejected'],
      ['approve', true, 'approved'],
      ['relabel', true, 'rejected'],
      ['add', true, 'manual'],
      ['approve', false, 'No PII.EMAIL_ADDRESS label on this asset'],
      ['add', false, "Unknown classifier 'NOPE.UNKNOWN'"],
    ]);

    const refCode = await labelsOf('ref_code');
    expect(refCode.labels.map(l => [l.classifierId, l.status, l.decision])).toEqual([
      ['GOV.NATIONAL_ID', 'manual', 'added'],
      ['GOV.US_SSN', 'rejected', 'relabelled'],
    ]);
    expect(refCode.labels[0]!.evidence.signals[0]!.description).toBe(
      'Relabelled from GOV.US_SSN by user:default/r-data-steward: French ids',
    );

    const audited = await activity('actor=user:default/r-data-steward');
    expect(audited.map(a => `${a.verb}:${a.outcome}`)).toEqual(
      expect.arrayContaining([
        'classification.label.approve:success',
        'classification.label.reject:success',
        'classification.label.relabel:success',
        'classification.label.add:success',
        'classification.label.approve:failure',
      ]),
    );
    expect(audited.find(a => a.verb === 'classification.label.reject')).toMatchObject({
      resource: ref('notes'),
      summary: 'Rejected label PII.PERSON_NAME on public.staff.notes: Free text, not names',
    });
  });

  it('keeps full history per column and feeds precision figures', async () => {
    const notes = await labelsOf('notes');
    expect(notes.labels[0]).toMatchObject({
      classifierId: 'PII.PERSON_NAME',
      status: 'rejected',
      decidedBy: 'user:default/r-data-steward',
      reason: 'Free text, not names',
    });
    expect(notes.history.map(h => [h.event, h.fromStatus, h.toStatus, h.actor])).toEqual([
      ['rejected', 'suggested', 'rejected', 'user:default/r-data-steward'],
    ]);
    expect((await call('GET', `/assets/${encodeURIComponent(ref('nope'))}/labels`)).status).toBe(
      404,
    );
    expect((await call('GET', '/assets/not-a-ref/labels')).status).toBe(400);

    const { body } = await call<AccuracyResponse>('GET', '/accuracy', undefined, tokens.viewer);
    const of = (id: string) => body.items.find(i => i.classifierId === id);
    expect(of('PII.EMAIL_ADDRESS')).toMatchObject({
      name: 'E-mail address',
      kind: 'builtin',
      approved: 1,
      rejected: 0,
      precision: 1,
    });
    expect(of('PII.PERSON_NAME')).toMatchObject({ approved: 0, rejected: 1, precision: 0 });
    expect(of('GOV.US_SSN')).toMatchObject({ rejected: 1, precision: 0 });
    expect(of('GOV.NATIONAL_ID')).toMatchObject({ manual: 1, precision: null });
    expect(body.overall).toEqual({ approved: 2, rejected: 2, precision: 0.5 });
  });

  it('keeps a rejected label rejected on an identical rescan, and suggests it again after a material change', async () => {
    await ingest(staffBatch(firstLabels, 'run-2'));
    expect((await labelsOf('notes')).labels[0]).toMatchObject({
      status: 'rejected',
      confidence: 0.62,
    });
    // Sampling jitter is not material.
    await ingest(
      staffBatch({ ...firstLabels, notes: [label('PII.PERSON_NAME', 0.64, 0.45)] }, 'run-3'),
    );
    expect((await labelsOf('notes')).labels[0]).toMatchObject({
      status: 'rejected',
      confidence: 0.62,
    });

    await ingest(
      staffBatch({ ...firstLabels, notes: [label('PII.PERSON_NAME', 0.91, 0.9)] }, 'run-4'),
    );
    const notes = await labelsOf('notes');
    expect(notes.labels[0]).toMatchObject({
      status: 'suggested',
      confidence: 0.91,
      decision: 'resuggested',
      reason: 'share of matching values moved from 0.4 to 0.9',
      runId: 'run-4',
    });
    expect(notes.history[0]).toMatchObject({
      event: 'resuggested',
      fromStatus: 'rejected',
      toStatus: 'suggested',
      actor: 'plugin:scans',
    });
    // Approved and manual labels are never touched by rescans.
    expect((await labelsOf('email')).labels[0]).toMatchObject({
      status: 'approved',
      confidence: 0.97,
    });
    const queue = await call<ReviewQueueResponse>(
      'GET',
      '/review-queue?classifierId=PII.PERSON_NAME',
    );
    expect(queue.body.items.map(l => l.qualifiedName)).toEqual(['public.staff.notes']);
  });

  it('approves new suggestions above the configured confidence automatically, never re-suggested ones', async () => {
    expect(
      (await call('PUT', '/settings', { autoApproveConfidence: 0.9 }, tokens['data-steward']))
        .status,
    ).toBe(200);
    await ingest(
      staffBatch(
        {
          email: [label('PII.EMAIL_ADDRESS', 0.98, 0.97)],
          notes: [label('PII.PERSON_NAME', 0.93, 0.9)],
          phone: [label('PII.PHONE_NUMBER', 0.8, 0.8)],
        },
        'run-5',
        'contractors',
      ),
    );
    await expect
      .poll(async () => (await labelsOf('email', 'contractors')).labels[0]?.status, {
        timeout: 10_000,
      })
      .toBe('approved');
    const email = await labelsOf('email', 'contractors');
    expect(email.labels[0]).toMatchObject({
      decision: 'auto_approved',
      decidedBy: 'plugin:classifications',
    });
    expect(email.history[0]).toMatchObject({
      event: 'auto_approved',
      actor: 'plugin:classifications',
    });
    expect((await labelsOf('notes', 'contractors')).labels[0]).toMatchObject({
      status: 'approved',
    });
    expect((await labelsOf('phone', 'contractors')).labels[0]).toMatchObject({
      status: 'suggested',
    });
    // The staff notes label was re-suggested after a rejection: it waits for a steward.
    await ingest(
      staffBatch({ ...firstLabels, notes: [label('PII.PERSON_NAME', 0.95, 0.92)] }, 'run-6'),
    );
    expect((await labelsOf('notes')).labels[0]).toMatchObject({
      status: 'suggested',
      decision: 'resuggested',
    });

    const accuracy = await call<AccuracyResponse>('GET', '/accuracy');
    expect(accuracy.body.items.find(i => i.classifierId === 'PII.EMAIL_ADDRESS')).toMatchObject({
      approved: 1,
      autoApproved: 1,
      precision: 1,
    });
    const audited = await activity('verb=classification.label.autoApprove');
    expect(audited[0]).toMatchObject({ actor: 'plugin:classifications', outcome: 'success' });
    await call('PUT', '/settings', { autoApproveConfidence: null });
  });

  it('approves labels through the classifications.approve action (workflows, the palette)', async () => {
    const input = {
      labels: [
        { assetRef: ref('phone', 'contractors'), classifierId: 'PII.PHONE_NUMBER' },
        { assetRef: ref('id', 'contractors'), classifierId: 'PII.PHONE_NUMBER' },
      ],
      reason: 'Checked with HR',
    };
    const denied = await server.request('/api/kernel/actions/classifications.approve', {
      method: 'POST',
      json: input,
      token: tokens.viewer,
    });
    expect(denied.status).toBe(403);
    const res = await server.request('/api/kernel/actions/classifications.approve', {
      method: 'POST',
      json: input,
      token: tokens['data-steward'],
    });
    expect(res.status).toBe(200);
    const { output } = (await res.json()) as {
      output: { applied: number; failed: number; results: { ok: boolean; status?: string }[] };
    };
    expect(output).toMatchObject({ applied: 1, failed: 1 });
    expect(output.results.map(r => r.ok)).toEqual([true, false]);
    expect((await labelsOf('phone', 'contractors')).labels[0]).toMatchObject({
      status: 'approved',
      decidedBy: 'user:default/r-data-steward',
      reason: 'Checked with HR',
    });
    // The kernel audits the invocation; the label's history names the steward.
    const invoked = await activity('verb=classifications.approve');
    expect(invoked.map(a => [a.actor, a.outcome])).toEqual([
      ['user:default/r-data-steward', 'success'],
      ['user:default/r-viewer', 'denied'],
    ]);
    expect((await labelsOf('phone', 'contractors')).history[0]).toMatchObject({
      event: 'approved',
      actor: 'user:default/r-data-steward',
      reason: 'Checked with HR',
    });
  });
});
