import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type { Job, Run, StepCatalogEntry } from '@racine/plugin-pipelines-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const db = process.env.RACINE_TEST_DB ?? 'sqlite';

/**
 * A job across groups, through the real backend: it tests the connection of a real data
 * source (the demo SQLite database), really scans it with the scans group, waits for the
 * scan's `scan.completed` event, checks its status, and evaluates compliance over what the
 * scan found (the compliance group).
 */
describe(`a cross-group job (${db})`, () => {
  let server: RacineTestServer;
  let steps: string[] = [];
  let dataSourceId = '';

  beforeAll(async () => {
    server = await startRacineServer();
    const catalog = (await (await server.request('/api/pipelines/steps')).json()) as {
      steps: StepCatalogEntry[];
    };
    steps = catalog.steps.map(s => s.id);
    const sources = (await (await server.request('/api/datasources')).json()) as {
      items: { id: string; name: string }[];
    };
    dataSourceId =
      sources.items.find(s => s.name === 'sample-retail')?.id ?? sources.items[0]?.id ?? '';
  });
  afterAll(() => server?.stop());

  it('tests a data source, scans it, waits for the scan and checks its outcome', async () => {
    expect(steps).toEqual(
      expect.arrayContaining(['datasources.testConnection', 'scans.run', 'compliance.evaluate']),
    );
    expect(dataSourceId).not.toBe('');
    const tasks: Record<string, unknown>[] = [
      {
        key: 'test_connection',
        step: 'datasources.testConnection',
        input: { dataSourceId: '{{job.parameters.dataSourceId}}' },
      },
      {
        key: 'reachable',
        step: 'core.condition',
        input: { left: '{{tasks.test_connection.values.ok}}', op: 'EQUAL_TO', right: 'true' },
        dependsOn: [{ task: 'test_connection' }],
      },
      {
        key: 'unreachable',
        step: 'core.fail',
        input: { message: 'cannot connect: {{tasks.test_connection.values.error}}' },
        dependsOn: [{ task: 'reachable', outcome: 'false' }],
      },
      {
        key: 'scan',
        step: 'scans.run',
        input: { dataSourceId: '{{job.parameters.dataSourceId}}' },
        dependsOn: [{ task: 'reachable', outcome: 'true' }],
      },
      {
        key: 'scan_completed',
        step: 'core.waitForEvent',
        input: { topic: 'scan.completed', filter: { runId: '{{tasks.scan.values.id}}' } },
        dependsOn: [{ task: 'scan' }],
        timeoutSeconds: 240,
      },
      {
        key: 'scan_succeeded',
        step: 'core.condition',
        input: {
          left: '{{tasks.scan_completed.values.payload.status}}',
          op: 'EQUAL_TO',
          right: 'succeeded',
        },
        dependsOn: [{ task: 'scan_completed' }],
      },
      {
        key: 'scan_failed',
        step: 'core.fail',
        input: { message: 'the scan ended {{tasks.scan_completed.values.payload.status}}' },
        dependsOn: [{ task: 'scan_succeeded', outcome: 'false' }],
      },
    ];
    tasks.push({
      key: 'evaluate_compliance',
      step: 'compliance.evaluate',
      input: {},
      dependsOn: [{ task: 'scan_succeeded', outcome: 'true' }],
    });
    const created = await server.request('/api/pipelines/jobs', {
      method: 'POST',
      json: {
        name: 'Onboard the demo source',
        parameters: [{ name: 'dataSourceId', default: dataSourceId }],
        tasks,
      },
    });
    const job = (await created.json()) as Job;
    expect(created.status, JSON.stringify(job)).toBe(201);
    const { runId } = (await (
      await server.request(`/api/pipelines/jobs/${job.id}/run`, { method: 'POST', json: {} })
    ).json()) as { runId: string };

    const deadline = Date.now() + 240_000;
    let run: Run;
    for (;;) {
      run = (await (await server.request(`/api/pipelines/runs/${runId}`)).json()) as Run;
      if (run.status === 'TERMINATED' || Date.now() > deadline) break;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    const results = Object.fromEntries(run.tasks.map(t => [t.key, t.result]));
    expect(results, JSON.stringify(run.tasks.map(t => [t.key, t.result, t.error]))).toMatchObject({
      test_connection: 'SUCCESS',
      reachable: 'SUCCESS',
      unreachable: 'EXCLUDED',
      scan: 'SUCCESS',
      scan_completed: 'SUCCESS',
      scan_succeeded: 'SUCCESS',
      scan_failed: 'EXCLUDED',
      evaluate_compliance: 'SUCCESS',
    });
    expect(run.result).toBe('SUCCESS');
    const task = (key: string) => run.tasks.find(t => t.key === key)!;
    expect(task('test_connection').values).toMatchObject({ ok: true });
    const scanRunId = String(task('scan').values?.id);
    expect(task('scan_completed').values).toMatchObject({
      topic: 'scan.completed',
      payload: { runId: scanRunId, status: 'succeeded', dataSourceId },
    });

    // The scan really happened, in the scans group, as the job owner.
    const scan = (await (await server.request(`/api/scans/runs/${scanRunId}`)).json()) as {
      status: string;
      requestedBy: string;
      progress: { tablesScanned: number };
    };
    expect(scan).toMatchObject({ status: 'succeeded', requestedBy: 'user:development/guest' });
    expect(scan.progress.tablesScanned).toBeGreaterThan(0);
    const activity = (await (
      await server.request('/api/kernel/activity?verb=scans.run')
    ).json()) as { items: { actor: string; outcome: string; details?: Record<string, unknown> }[] };
    expect(activity.items[0]).toMatchObject({
      actor: 'user:development/guest',
      outcome: 'success',
      details: { via: 'pipelines' },
    });

    // Compliance was evaluated over the assets the scan just published: the demo source holds
    // PII, so its findings (e.g. PII columns without an owner) are open now.
    const evaluation = task('evaluate_compliance').values as {
      status: string;
      assetsEvaluated: number;
      findingsOpened: number;
    };
    expect(evaluation).toMatchObject({ status: 'succeeded' });
    expect(evaluation.assetsEvaluated).toBeGreaterThan(0);
    expect(evaluation.findingsOpened).toBeGreaterThan(0);
    const findings = (await (
      await server.request('/api/compliance/findings?status=open&limit=5')
    ).json()) as { items: { assetRef: string }[] };
    expect(findings.items.length).toBeGreaterThan(0);
  }, 300_000);
});
