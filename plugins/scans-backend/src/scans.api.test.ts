import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type {
  ScanRun,
  ScanRunEvent,
  ScanRunTable,
  ScanSchedule,
} from '@racine/plugin-scans-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogAssets, createDataSource, waitForRun } from './__fixtures__/api';
import {
  createPostgresSource,
  HOSTILE_TABLE,
  SECRET_EMAIL,
  type PostgresSource,
} from './__fixtures__/sources';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

/** Reads a Server-Sent Events stream until its `end` event (or the timeout). */
async function readEvents(server: RacineTestServer, runId: string, timeoutMs = 60_000) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const res = await server.request(`/api/scans/runs/${runId}/events`, {
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: { event: string; data: unknown }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let split;
      while ((split = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (event && data) events.push({ event, data: JSON.parse(data) });
      }
      if (events.some(e => e.event === 'end')) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe(`scans API (${engine})`, () => {
  let server: RacineTestServer;
  let viewer: RacineTestServer;
  let source: PostgresSource;
  let dataSourceId: string;

  beforeAll(async () => {
    [server, source] = await Promise.all([
      startRacineServer({ config: { racine: { scans: { eventsPollMs: 200 } } } }),
      createPostgresSource('scans_api'),
    ]);
    dataSourceId = await createDataSource(server, source, 'Sales (PostgreSQL)');
  }, 180_000);

  // A backend takes up to a minute to stop (in-flight event-bus polls drain first).
  afterAll(async () => {
    await Promise.all([viewer?.stop(), server?.stop()]);
    await source?.drop();
  }, 180_000);

  it.each([
    ['GET', '/api/scans/runs'],
    ['POST', '/api/scans/runs'],
    ['GET', '/api/scans/runs/x'],
    ['GET', '/api/scans/runs/x/tables'],
    ['GET', '/api/scans/runs/x/logs'],
    ['GET', '/api/scans/runs/x/events'],
    ['POST', '/api/scans/runs/x/cancel'],
    ['GET', '/api/scans/schedules'],
    ['POST', '/api/scans/schedules'],
    ['PUT', '/api/scans/schedules/x'],
    ['DELETE', '/api/scans/schedules/x'],
  ])('%s %s needs a signed-in caller', async (method, path) => {
    const res = await server.request(path, {
      method,
      token: null,
      json: method === 'GET' ? undefined : {},
    });
    expect(res.status).toBe(401);
  });

  it('registers its navigation item, permissions with default grants, the scans.run action and workflow step', async () => {
    const nav = await (await server.request('/api/kernel/navigation')).json();
    expect(nav.items).toContainEqual(
      expect.objectContaining({
        id: 'scans.home',
        title: 'Scans',
        path: '/scans',
        group: 'Governance',
        icon: 'TrackChanges',
        pluginId: 'scans',
      }),
    );
    const { permissions, defaultGrants } = await (
      await server.request('/api/kernel/permissions')
    ).json();
    expect(permissions.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'scan_logic.view',
        'scan_logic.create',
        'scan_logic.edit',
        'scan_logic.execute',
      ]),
    );
    expect(defaultGrants.viewer).toContain('scan_logic.view');
    expect(defaultGrants['data-steward']).toEqual(
      expect.arrayContaining(['scan_logic.execute', 'scan_logic.create', 'scan_logic.edit']),
    );
    expect(defaultGrants.auditor).toContain('scan_logic.view');
    expect(defaultGrants.auditor).not.toContain('scan_logic.execute');
    const { actions } = await (await server.request('/api/kernel/actions')).json();
    expect(actions).toContainEqual(
      expect.objectContaining({
        id: 'scans.run',
        permission: 'scan_logic.execute',
        pluginId: 'scans',
      }),
    );
    const { steps } = await (await server.request('/api/kernel/workflow-steps')).json();
    expect(steps).toContainEqual(
      expect.objectContaining({ id: 'scans.run', actionId: 'scans.run', idempotent: false }),
    );
  });

  it('rejects bad input with 400s naming the fields, unknown things with 404s', async () => {
    const bad = await server.request('/api/scans/runs', { method: 'POST', json: { ruleSetId: 7 } });
    expect(bad.status).toBe(400);
    const message = (await bad.json()).error.message;
    expect(message).toMatch(/dataSourceId/);
    expect(message).toMatch(/ruleSetId/);
    expect((await server.request('/api/scans/runs?status=bogus')).status).toBe(400);
    expect((await server.request('/api/scans/runs?limit=0')).status).toBe(400);
    const unknownSource = await server.request('/api/scans/runs', {
      method: 'POST',
      json: { dataSourceId: 'no-such-source' },
    });
    expect(unknownSource.status).toBe(404);
    expect((await unknownSource.json()).error.message).toBe(
      "Data source 'no-such-source' not found",
    );
    const unknownRuleSet = await server.request('/api/scans/runs', {
      method: 'POST',
      json: { dataSourceId, ruleSetId: 'no-such-rule-set' },
    });
    expect(unknownRuleSet.status).toBe(404);
    expect((await server.request('/api/scans/runs/no-such-run')).status).toBe(404);
    expect((await server.request('/api/scans/runs/no-such-run/tables')).status).toBe(404);
    expect(
      (await server.request('/api/scans/runs/no-such-run/cancel', { method: 'POST' })).status,
    ).toBe(404);
    expect((await server.request('/api/scans/schedules/nope')).status).toBe(404);
    const badCron = await server.request('/api/scans/schedules', {
      method: 'POST',
      json: { dataSourceId, cron: '99 * * * *', timezone: 'UTC' },
    });
    expect(badCron.status).toBe(400);
    expect((await badCron.json()).error.message).toMatch(/cron/);
    const badZone = await server.request('/api/scans/schedules', {
      method: 'POST',
      json: { dataSourceId, cron: '0 3 * * *', timezone: 'Nowhere/Land' },
    });
    expect(badZone.status).toBe(400);
    expect((await badZone.json()).error.message).toMatch(/timezone/);
  });

  it('runs a full scan through the real datasources, scan-rulesets and data-catalog plugins, live over SSE', async () => {
    const res = await server.request('/api/scans/runs', { method: 'POST', json: { dataSourceId } });
    expect(res.status).toBe(202);
    const queued = (await res.json()) as ScanRun;
    expect(queued).toMatchObject({
      status: 'queued',
      dataSourceId,
      dataSourceName: 'Sales (PostgreSQL)',
      ruleSetId: 'default',
      ruleSetVersion: expect.any(Number),
      requestedBy: 'user:development/guest',
      trigger: 'manual',
      progress: { tablesTotal: 0, tablesDone: 0 },
    });

    const events = await readEvents(server, queued.id);
    const progress = events.filter(e => e.event === 'progress').map(e => e.data as ScanRunEvent);
    expect(progress.length).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual({ event: 'end', data: { status: 'succeeded' } });
    const last = progress.at(-1)!.run;
    expect(last.status).toBe('succeeded');
    const seenTables = new Set(progress.flatMap(p => p.tables.map(t => t.table)));
    expect([...seenTables].sort()).toEqual(
      ['customer_emails', 'customers', 'orders', HOSTILE_TABLE].sort(),
    );

    const run = await waitForRun(server, queued.id);
    expect(run.progress).toMatchObject({
      tablesTotal: 4,
      tablesDone: 4,
      tablesScanned: 4,
      tablesSkipped: 0,
      tablesFailed: 0,
      rowsSampled: 230,
    });
    expect(run.fullScan).toBe(true);

    const tables = await (await server.request(`/api/scans/runs/${run.id}/tables`)).json();
    expect(tables.items).toHaveLength(4);
    expect(
      tables.items.every(
        (t: ScanRunTable) => t.status === 'succeeded' && t.durationMs !== null && t.logs.length > 0,
      ),
    ).toBe(true);
    const logs = await (await server.request(`/api/scans/runs/${run.id}/logs`)).json();
    expect(logs.items.map((l: { message: string }) => l.message)).toContainEqual(
      expect.stringMatching(/^Planned 4 table/),
    );

    const assets = await catalogAssets(server, dataSourceId);
    expect(assets.map(a => a.qualifiedName).sort()).toEqual(
      [
        'public.customer_emails',
        'sales.customers',
        'sales.orders',
        `My "Odd" Schema.${HOSTILE_TABLE}`,
      ].sort(),
    );
    const customers = assets.find(a => a.qualifiedName === 'sales.customers')!;
    const detail = await (
      await server.request(`/api/data-catalog/assets/${encodeURIComponent(customers.ref)}`)
    ).json();
    const email = detail.columns.find((c: { name: string }) => c.name === 'email');
    expect(email.labels.map((l: { classifierId: string }) => l.classifierId)).toContain(
      'PII.EMAIL_ADDRESS',
    );
    expect(JSON.stringify(detail)).not.toContain(SECRET_EMAIL);

    const listed = await (
      await server.request(`/api/scans/runs?dataSourceId=${dataSourceId}&status=succeeded`)
    ).json();
    expect(listed.items.map((r: ScanRun) => r.id)).toContain(run.id);

    const activity = await (
      await server.request(
        `/api/kernel/activity?verb=scan.run&resource=${encodeURIComponent(run.ref)}`,
      )
    ).json();
    expect(activity.items).toEqual([
      expect.objectContaining({ outcome: 'success', actor: 'user:development/guest' }),
    ]);
  });

  it('rescans incrementally and marks a dropped table deleted in the catalog', async () => {
    await source.sql('CREATE TABLE sales.temporary_export (id integer PRIMARY KEY, contact text)');
    const first = await waitForRun(
      server,
      (
        await (
          await server.request('/api/scans/runs', { method: 'POST', json: { dataSourceId } })
        ).json()
      ).id,
    );
    expect(first.progress).toMatchObject({ tablesTotal: 5, tablesSkipped: 4, tablesScanned: 1 });
    expect(
      (await catalogAssets(server, dataSourceId)).find(a => a.name === 'temporary_export')?.status,
    ).toBe('active');

    await source.sql('DROP TABLE sales.temporary_export');
    const second = await waitForRun(
      server,
      (
        await (
          await server.request('/api/scans/runs', { method: 'POST', json: { dataSourceId } })
        ).json()
      ).id,
    );
    expect(second).toMatchObject({ status: 'succeeded' });
    expect(second.progress).toMatchObject({ tablesTotal: 4, tablesSkipped: 4, tablesScanned: 0 });
    const assets = await catalogAssets(server, dataSourceId);
    expect(assets.find(a => a.name === 'temporary_export')?.status).toBe('deleted');
    expect(assets.filter(a => a.status === 'active')).toHaveLength(4);
  });

  it('starts a run through the scans.run action (as workflows and the assistant do) and cancels one', async () => {
    await source.sql(`CREATE SCHEMA IF NOT EXISTS slow`);
    for (let i = 1; i <= 8; i++) {
      await source.sql(`CREATE OR REPLACE VIEW slow.nap${i} AS SELECT pg_sleep(0.5)::text AS nap`);
    }
    const rules = await server.request('/api/scan-rulesets', {
      method: 'POST',
      json: {
        name: 'Slow views',
        definition: { include: { schemas: ['slow'] }, profiling: { enabled: false } },
      },
    });
    expect(rules.status).toBe(201);
    const ruleSetId = (await rules.json()).id;

    const invoked = await server.request('/api/kernel/actions/scans.run', {
      method: 'POST',
      json: { dataSourceId, ruleSetId },
    });
    expect(invoked.status).toBe(200);
    const { output } = await invoked.json();
    expect(output).toMatchObject({
      status: 'queued',
      trigger: 'action',
      ruleSetId,
      ruleSetVersion: 1,
    });

    await waitForRun(
      server,
      output.id,
      run => run.progress.tablesTotal === 8 && run.progress.tablesDone >= 1,
    );
    const cancel = await server.request(`/api/scans/runs/${output.id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);
    expect((await cancel.json()).status).toBe('canceled');
    const again = await server.request(`/api/scans/runs/${output.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    await new Promise(resolve => setTimeout(resolve, 1500));
    const run = await waitForRun(server, output.id);
    expect(run.status).toBe('canceled');
    expect(run.progress.tablesDone).toBeLessThan(8);
    const canceledTables = await (
      await server.request(`/api/scans/runs/${output.id}/tables?status=canceled`)
    ).json();
    expect(canceledTables.items.length).toBeGreaterThan(0);
    const activity = await (await server.request(`/api/kernel/activity?verb=scan.cancel`)).json();
    expect(activity.items[0]).toMatchObject({
      outcome: 'success',
      resource: `racine:scans:run/${output.id}`,
    });
  });

  it('manages schedules: create, pause, resume, update, delete, all audited', async () => {
    const created = await server.request('/api/scans/schedules', {
      method: 'POST',
      json: { dataSourceId, ruleSetId: 'quick-pii', cron: '0 3 * * 1-5', timezone: 'Europe/Paris' },
    });
    expect(created.status).toBe(201);
    const schedule = (await created.json()) as ScanSchedule;
    expect(schedule).toMatchObject({
      dataSourceId,
      ruleSetId: 'quick-pii',
      paused: false,
      timezone: 'Europe/Paris',
    });
    const next = new Date(schedule.nextRunAt!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next),
    ).toBe('03:00');

    const paused = await (
      await server.request(`/api/scans/schedules/${schedule.id}`, {
        method: 'PUT',
        json: { paused: true },
      })
    ).json();
    expect(paused).toMatchObject({ paused: true, nextRunAt: null });
    const resumed = await (
      await server.request(`/api/scans/schedules/${schedule.id}`, {
        method: 'PUT',
        json: { paused: false, cron: '30 4 * * *' },
      })
    ).json();
    expect(resumed).toMatchObject({ paused: false, cron: '30 4 * * *' });
    expect(
      (await (await server.request('/api/scans/schedules')).json()).items.map(
        (s: ScanSchedule) => s.id,
      ),
    ).toContain(schedule.id);
    const badUpdate = await server.request(`/api/scans/schedules/${schedule.id}`, {
      method: 'PUT',
      json: { paused: 'yes' },
    });
    expect(badUpdate.status).toBe(400);
    expect(
      (await server.request(`/api/scans/schedules/${schedule.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await server.request(`/api/scans/schedules/${schedule.id}`)).status).toBe(404);

    const activity = await (
      await server.request(`/api/kernel/activity?resource=${encodeURIComponent(schedule.ref)}`)
    ).json();
    expect(activity.items.map((a: { verb: string }) => a.verb).sort()).toEqual(
      [
        'scan.schedule.create',
        'scan.schedule.delete',
        'scan.schedule.update',
        'scan.schedule.update',
      ].sort(),
    );
  });

  it('lets a viewer read but not run, cancel or schedule (403, audited)', async () => {
    viewer = await startRacineServer({
      guestUser: 'user:development/vera',
      config: {
        racine: {
          taskQueue: { worker: false },
          rbac: {
            grants: [
              { subject: 'user:development/vera', role: 'viewer', workspace: '*' },
              // Only so the test can read the audit trail: auditors get no scan_logic.execute.
              { subject: 'user:development/vera', role: 'auditor', workspace: '*' },
            ],
          },
        },
      },
    });
    expect((await viewer.request('/api/scans/runs')).status).toBe(200);
    expect((await viewer.request('/api/scans/schedules')).status).toBe(200);
    const run = await viewer.request('/api/scans/runs', {
      method: 'POST',
      json: { dataSourceId: 'anything' },
    });
    expect(run.status).toBe(403);
    expect(
      (
        await viewer.request('/api/scans/schedules', {
          method: 'POST',
          json: { dataSourceId: 'x', cron: '0 3 * * *' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await viewer.request('/api/scans/runs/some-run/cancel', { method: 'POST' })).status,
    ).toBe(403);
    expect(
      (
        await viewer.request('/api/kernel/actions/scans.run', {
          method: 'POST',
          json: { dataSourceId: 'x' },
        })
      ).status,
    ).toBe(403);
    const activity = await (await viewer.request('/api/kernel/activity?outcome=denied')).json();
    expect(activity.items.map((a: { verb: string }) => a.verb)).toEqual(
      expect.arrayContaining(['scan.run', 'scan.schedule.create', 'scan.cancel', 'scans.run']),
    );
    expect(
      activity.items.every((a: { actor: string }) => a.actor === 'user:development/vera'),
    ).toBe(true);
  });
});
