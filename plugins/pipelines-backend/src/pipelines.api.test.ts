import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type {
  Job,
  JobListItem,
  PipelineTemplate,
  Run,
  StepCatalogEntry,
} from '@racine/plugin-pipelines-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const db = process.env.RACINE_TEST_DB ?? 'sqlite';

async function waitFor<T>(
  fn: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

/** A local HTTP server recording what it receives (the webhook target). */
async function recorder() {
  const received: { method: string; url: string; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => server.close(),
  };
}

const simpleJob = (name: string) => ({
  name,
  description: 'API test job',
  tags: ['api'],
  parameters: [{ name: 'who', default: 'world' }],
  tasks: [
    {
      key: 'greet',
      step: 'core.setValues',
      input: { values: { text: 'hello {{job.parameters.who}}' } },
    },
    { key: 'pause', step: 'platform.wait', input: { seconds: 0 }, dependsOn: [{ task: 'greet' }] },
  ],
});

describe(`pipelines API as platform-admin (${db})`, () => {
  let server: RacineTestServer;
  let hook: Awaited<ReturnType<typeof recorder>>;
  const json = async <T = Record<string, unknown>>(
    path: string,
    init?: Parameters<RacineTestServer['request']>[1],
  ) => {
    const res = await server.request(path, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const runToEnd = (runId: string) =>
    waitFor(async () => {
      const { body } = await json<Run>(`/api/pipelines/runs/${runId}`);
      return body.status === 'TERMINATED' ? body : undefined;
    }, `run ${runId}`);

  beforeAll(async () => {
    hook = await recorder();
    server = await startRacineServer({
      config: {
        racine: {
          pipelines: { http: { allowedHosts: ['127.0.0.1'] }, schedulerIntervalSeconds: 1 },
          // Switched off so the built-in templates that evaluate compliance miss a step.
          groups: { compliance: { enabled: false } },
        },
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    hook?.close();
  });

  it.each([
    '/api/pipelines/jobs',
    '/api/pipelines/steps',
    '/api/pipelines/templates',
    '/api/pipelines/runs',
  ])('GET %s needs a signed-in caller', async path => {
    expect((await server.request(path, { token: null })).status).toBe(401);
  });

  it('registers its navigation, permissions and actions in the kernel', async () => {
    const { body: nav } = await json<{
      items: { id: string; group: string; icon: string; title: string }[];
    }>('/api/kernel/navigation');
    expect(nav.items.find(i => i.id === 'pipelines.jobs')).toMatchObject({
      title: 'Jobs',
      group: 'Orchestration',
      icon: 'AccountTree',
    });
    expect(nav.items.find(i => i.id === 'pipelines.templates')).toMatchObject({
      title: 'Pipelines',
      group: 'Orchestration',
    });
    const { body: perms } = await json<{
      permissions: { name: string }[];
      defaultGrants: Record<string, string[]>;
    }>('/api/kernel/permissions');
    expect(perms.permissions.map(p => p.name)).toEqual(
      expect.arrayContaining([
        'pipelines.view',
        'pipelines.create',
        'pipelines.edit',
        'pipelines.delete',
        'pipelines.run',
        'pipelines.approve',
      ]),
    );
    expect(perms.defaultGrants['compliance-officer']).toEqual(
      expect.arrayContaining(['pipelines.run', 'pipelines.approve']),
    );
    const { body: actions } = await json<{ actions: { id: string }[] }>('/api/kernel/actions');
    expect(actions.actions.map(a => a.id)).toEqual(
      expect.arrayContaining(['pipelines.runJob', 'pipelines.createJob']),
    );
  });

  it('lists the built-in control steps and every registered step', async () => {
    const { status, body } = await json<{ steps: StepCatalogEntry[] }>('/api/pipelines/steps');
    expect(status).toBe(200);
    const ids = body.steps.map(s => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'core.condition',
        'core.forEach',
        'core.runJob',
        'core.approval',
        'core.http',
        'core.notify',
        'core.setValues',
        'core.wait',
        'core.fail',
        'platform.wait',
        'datasources.testConnection',
      ]),
    );
    const condition = body.steps.find(s => s.id === 'core.condition')!;
    expect(condition).toMatchObject({ builtin: true, pluginId: 'pipelines', outputs: ['outcome'] });
    expect(
      (condition.inputSchema.properties as Record<string, { enum?: string[] }>).op.enum,
    ).toContain('GREATER_THAN_OR_EQUAL');
    expect(body.steps.find(s => s.id === 'platform.wait')).toMatchObject({
      builtin: false,
      pluginId: 'platform',
      actionId: 'platform.wait',
    });
  });

  it('rejects invalid jobs with a 400 naming the problem', async () => {
    const cases: [unknown, RegExp][] = [
      [{ tasks: [] }, /name:.*tasks:/],
      [
        { name: 'x', tasks: [{ key: 'a b', step: 'core.wait', runIf: 'SOMETIMES' }] },
        /tasks.0.key:.*tasks.0.runIf:/,
      ],
      [
        {
          name: 'x',
          tasks: [
            { key: 'a', step: 'core.wait', input: { seconds: 1 }, dependsOn: [{ task: 'b' }] },
            { key: 'b', step: 'core.wait', input: { seconds: 1 }, dependsOn: [{ task: 'a' }] },
          ],
        },
        /dependency cycle/,
      ],
      [
        { name: 'x', tasks: [{ key: 'a', step: 'compliance.nothing' }] },
        /not registered here: compliance.nothing/,
      ],
      [
        {
          name: 'x',
          tasks: [
            {
              key: 'a',
              step: 'core.setValues',
              input: { values: { v: '{{job.parameters.nope}}' } },
            },
          ],
        },
        /tasks.0.input: '\{\{job.parameters.nope\}\}': the job has no parameter 'nope'/,
      ],
      [
        {
          name: 'x',
          tasks: [{ key: 'a', step: 'core.http', input: { url: 'http://169.254.169.254/latest' } }],
        },
        /host '169.254.169.254' is not allowed/,
      ],
      [
        {
          name: 'x',
          schedule: { cron: 'every day at 2', timezone: 'Mars/Olympus' },
          tasks: [{ key: 'a', step: 'core.wait', input: { seconds: 1 } }],
        },
        /schedule:/,
      ],
      [
        {
          name: 'x',
          triggers: [{ event: 'moon.landed' }],
          tasks: [{ key: 'a', step: 'core.wait', input: { seconds: 1 } }],
        },
        /unknown event topic 'moon.landed'/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await json<{ error: { name: string; message: string } }>('/api/pipelines/jobs', {
        method: 'POST',
        json: body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    }
    expect((await server.request('/api/pipelines/jobs/nope')).status).toBe(404);
    expect((await server.request('/api/pipelines/runs/nope')).status).toBe(404);
  });

  it('creates, versions, diffs and rolls back a job', async () => {
    const created = await json<Job>('/api/pipelines/jobs', {
      method: 'POST',
      json: simpleJob('versioned'),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'versioned',
      version: 1,
      owner: 'user:development/guest',
      workspace: 'default',
      maxConcurrentRuns: 1,
      queue: { enabled: true },
    });
    const id = created.body.id;
    const edited = {
      ...simpleJob('versioned'),
      description: 'changed',
      tasks: [
        ...simpleJob('versioned').tasks,
        { key: 'extra', step: 'core.wait', input: { seconds: 0 } },
      ],
    };
    const updated = await json<Job>(`/api/pipelines/jobs/${id}`, {
      method: 'PUT',
      json: { ...edited, versionNote: 'add extra' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);
    const versions = await json<{ items: { version: number; note: string }[] }>(
      `/api/pipelines/jobs/${id}/versions`,
    );
    expect(versions.body.items.map(v => [v.version, v.note])).toEqual([
      [2, 'add extra'],
      [1, 'Created'],
    ]);
    const diff = await json<{
      tasksAdded: string[];
      settingsChanged: { path: string; before: unknown; after: unknown }[];
    }>(`/api/pipelines/jobs/${id}/diff?from=1&to=2`);
    expect(diff.body.tasksAdded).toEqual(['extra']);
    expect(diff.body.settingsChanged).toEqual([
      { path: 'description', before: 'API test job', after: 'changed' },
    ]);
    const rolled = await json<Job>(`/api/pipelines/jobs/${id}/rollback`, {
      method: 'POST',
      json: { version: 1 },
    });
    expect(rolled.body).toMatchObject({ version: 3, description: 'API test job' });
    expect(rolled.body.tasks.map(t => t.key)).toEqual(['greet', 'pause']);
    expect(
      (await json(`/api/pipelines/jobs/${id}/rollback`, { method: 'POST', json: { version: 9 } }))
        .status,
    ).toBe(404);
    expect((await json(`/api/pipelines/jobs/${id}/diff?from=1`)).status).toBe(400);
  });

  it('runs a job whose steps invoke kernel actions as the owner, and streams its logs', async () => {
    const { body: job } = await json<Job>('/api/pipelines/jobs', {
      method: 'POST',
      json: simpleJob('runnable'),
    });
    const started = await json<{ runId: string }>(`/api/pipelines/jobs/${job.id}/run`, {
      method: 'POST',
      json: { parameters: { who: 'Racine' } },
    });
    expect(started.status).toBe(201);
    const { runId } = started.body;
    const run = await runToEnd(runId);
    expect(run).toMatchObject({
      id: runId,
      jobId: job.id,
      status: 'TERMINATED',
      result: 'SUCCESS',
      parameters: { who: 'Racine' },
      trigger: 'manual',
    });
    expect(run.tasks.map(t => [t.key, t.state, t.result])).toEqual([
      ['greet', 'TERMINATED', 'SUCCESS'],
      ['pause', 'TERMINATED', 'SUCCESS'],
    ]);
    for (const t of run.tasks) {
      expect(Object.keys(t)).toEqual(
        expect.arrayContaining([
          'key',
          'state',
          'result',
          'attempts',
          'startedAt',
          'endedAt',
          'values',
          'error',
        ]),
      );
    }
    expect(run.tasks[0].values).toEqual({ text: 'hello Racine' });
    expect(run.tasks[1].values).toEqual({ waitedSeconds: 0 });

    const activity = await json<{ items: { verb: string; actor: string; outcome: string }[] }>(
      '/api/kernel/activity?verb=platform.wait',
    );
    expect(activity.body.items[0]).toMatchObject({
      actor: 'user:development/guest',
      outcome: 'success',
    });
    // Transitions are audited in order by a background writer: wait for the last one.
    const verbs = await waitFor(async () => {
      const { body } = await json<{ items: { verb: string }[] }>(
        `/api/kernel/activity?resource=${encodeURIComponent(`racine:pipelines:run/${runId}`)}&limit=100`,
      );
      const seen = body.items.map(i => i.verb);
      return seen.includes('pipelines.run.end') ? seen : undefined;
    }, 'the audit of the run end');
    expect(verbs).toEqual(
      expect.arrayContaining([
        'pipelines.run.start',
        'pipelines.task.start',
        'pipelines.task.end',
        'pipelines.run.end',
      ]),
    );

    const logs = await json<{ items: { message: string; taskKey: string | null }[] }>(
      `/api/pipelines/runs/${runId}/logs`,
    );
    expect(logs.body.items.some(l => /Run ended: SUCCESS/.test(l.message))).toBe(true);
    const stream = await server.request(`/api/pipelines/runs/${runId}/logs`, {
      headers: { Accept: 'text/event-stream' },
    });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await stream.text();
    expect(text).toMatch(/event: log\ndata: .*Run ended: SUCCESS/);
    expect(text).toMatch(/event: end\ndata: \{"status":"TERMINATED","result":"SUCCESS"\}/);
    const events = await (await server.request(`/api/pipelines/runs/${runId}/events`)).text();
    expect(events).toMatch(/event: run\ndata: \{"id":"/);

    const list = await json<{ items: JobListItem[]; total: number }>(
      '/api/pipelines/jobs?q=runnable',
    );
    expect(list.body.items[0]).toMatchObject({ id: job.id, successRate: 1 });
    expect(list.body.items[0].recentRuns[0]).toMatchObject({ id: runId, result: 'SUCCESS' });
    const runs = await json<{ items: { id: string }[] }>(`/api/pipelines/jobs/${job.id}/runs`);
    expect(runs.body.items.map(r => r.id)).toEqual([runId]);
  });

  it('cancels and repairs runs, with 409s when the state does not allow it', async () => {
    const { body: job } = await json<Job>('/api/pipelines/jobs', {
      method: 'POST',
      json: {
        name: 'repairable',
        parameters: [{ name: 'fail', default: 'yes' }],
        tasks: [
          {
            key: 'check',
            step: 'core.condition',
            input: { left: '{{job.parameters.fail}}', op: 'EQUAL_TO', right: 'yes' },
          },
          {
            key: 'boom',
            step: 'core.fail',
            input: { message: 'asked to fail' },
            dependsOn: [{ task: 'check', outcome: 'true' }],
          },
          {
            key: 'after',
            step: 'core.setValues',
            input: { values: { done: true } },
            dependsOn: [{ task: 'boom' }],
          },
          { key: 'slow', step: 'core.wait', input: { seconds: 30 } },
        ],
      },
    });
    const { body: started } = await json<{ runId: string }>(`/api/pipelines/jobs/${job.id}/run`, {
      method: 'POST',
      json: {},
    });
    await waitFor(async () => {
      const { body } = await json<Run>(`/api/pipelines/runs/${started.runId}`);
      return body.tasks.find(t => t.key === 'after')!.result ? body : undefined;
    }, 'the failure to propagate');
    expect(
      (
        await json(`/api/pipelines/runs/${started.runId}/repair`, {
          method: 'POST',
          json: { rerunAllFailed: true },
        })
      ).status,
    ).toBe(409);
    const canceled = await json<Run>(`/api/pipelines/runs/${started.runId}/cancel`, {
      method: 'POST',
    });
    expect(canceled.status).toBe(200);
    const ended = await runToEnd(started.runId);
    expect(ended.result).toBe('CANCELED');
    expect(ended.tasks.map(t => [t.key, t.result])).toEqual([
      ['check', 'SUCCESS'],
      ['boom', 'FAILED'],
      ['after', 'UPSTREAM_FAILED'],
      ['slow', 'CANCELED'],
    ]);
    expect(
      (await json(`/api/pipelines/runs/${started.runId}/cancel`, { method: 'POST' })).status,
    ).toBe(409);
    expect(
      (await json(`/api/pipelines/runs/${started.runId}/repair`, { method: 'POST', json: {} }))
        .status,
    ).toBe(400);
    expect(
      (
        await json(`/api/pipelines/runs/${started.runId}/repair`, {
          method: 'POST',
          json: { rerunTasks: ['nope'] },
        })
      ).status,
    ).toBe(400);
    const repaired = await json<{ repairId: string; tasks: string[] }>(
      `/api/pipelines/runs/${started.runId}/repair`,
      {
        method: 'POST',
        json: { rerunTasks: ['check'], rerunDependents: true, parameters: { fail: 'no' } },
      },
    );
    expect(repaired.status).toBe(200);
    expect(repaired.body.tasks).toEqual(['check', 'boom', 'after']);
    const fixed = await runToEnd(started.runId);
    expect(fixed.tasks.map(t => [t.key, t.result])).toEqual([
      ['check', 'SUCCESS'],
      ['boom', 'EXCLUDED'],
      ['after', 'EXCLUDED'],
      ['slow', 'CANCELED'],
    ]);
    expect(fixed.repairs).toHaveLength(1);
    expect(fixed.result).toBe('FAILED');
  });

  it('decides approvals in the UI flow and notifies in-app and by webhook', async () => {
    const { body: job } = await json<Job>('/api/pipelines/jobs', {
      method: 'POST',
      json: {
        name: 'needs approval',
        notifications: [
          { on: ['success'], channel: 'inApp', to: 'owner' },
          { on: ['start', 'success'], channel: 'webhook', to: `${hook.url}/hook` },
        ],
        tasks: [
          {
            key: 'review',
            step: 'core.approval',
            input: { approvers: ['user:development/guest'], message: 'Looks right?' },
          },
          {
            key: 'ping',
            step: 'core.http',
            input: {
              method: 'PUT',
              url: `${hook.url}/ping/{{job.run_id}}`,
              body: { approvedBy: '{{tasks.review.values.decidedBy}}' },
            },
            dependsOn: [{ task: 'review' }],
          },
        ],
      },
    });
    const { body: started } = await json<{ runId: string }>(`/api/pipelines/jobs/${job.id}/run`, {
      method: 'POST',
      json: {},
    });
    const pending = await waitFor(async () => {
      const { body } = await json<{ items: { runId: string; taskKey: string; message: string }[] }>(
        '/api/pipelines/approvals?state=PENDING',
      );
      return body.items.find(a => a.runId === started.runId);
    }, 'the approval');
    expect(pending).toMatchObject({ taskKey: 'review', message: 'Looks right?' });
    expect(
      (
        await json(`/api/pipelines/runs/${started.runId}/tasks/review/approval`, {
          method: 'POST',
          json: { decision: 'maybe' },
        })
      ).status,
    ).toBe(400);
    const decided = await json<{ state: string; decidedBy: string }>(
      `/api/pipelines/runs/${started.runId}/tasks/review/approval`,
      {
        method: 'POST',
        json: { decision: 'approve', comment: 'ship it' },
      },
    );
    expect(decided.body).toMatchObject({ state: 'APPROVED', decidedBy: 'user:development/guest' });
    expect(
      (
        await json(`/api/pipelines/runs/${started.runId}/tasks/review/approval`, {
          method: 'POST',
          json: { decision: 'deny' },
        })
      ).status,
    ).toBe(409);
    const run = await runToEnd(started.runId);
    expect(run.result).toBe('SUCCESS');
    expect(run.tasks[1].values).toMatchObject({ status: 200, body: { ok: true } });
    const ping = hook.received.find(r => r.url === `/ping/${started.runId}`)!;
    expect(ping).toMatchObject({ method: 'PUT' });
    expect(JSON.parse(ping.body)).toEqual({ approvedBy: 'user:development/guest' });
    await waitFor(
      async () => (hook.received.filter(r => r.url === '/hook').length >= 2 ? true : undefined),
      'the webhooks',
    );
    const events = hook.received.filter(r => r.url === '/hook').map(r => JSON.parse(r.body).event);
    expect(events.sort()).toEqual(['start', 'success']);
    const notes = await waitFor(async () => {
      const { body } = await json<{ items: { runId: string; title: string; id: string }[] }>(
        '/api/pipelines/notifications?unread=true',
      );
      return body.items.find(n => n.runId === started.runId);
    }, 'the in-app notification');
    expect(notes.title).toMatch(/needs approval/);
    expect(
      (await server.request(`/api/pipelines/notifications/${notes.id}/read`, { method: 'POST' }))
        .status,
    ).toBe(204);
    expect(
      (await server.request(`/api/pipelines/notifications/${notes.id}/read`, { method: 'POST' }))
        .status,
    ).toBe(404);
  });

  it('lets holders of a named role decide an approval, and nobody else', async () => {
    const { body: job } = await json<Job>('/api/pipelines/jobs', {
      method: 'POST',
      json: {
        name: 'role approvals',
        tasks: [
          { key: 'admins', step: 'core.approval', input: { approvers: ['role:platform-admin'] } },
          {
            key: 'auditors',
            step: 'core.approval',
            input: { approvers: ['role:auditor', 'user:default/alice'] },
          },
        ],
      },
    });
    const { body: started } = await json<{ runId: string }>(`/api/pipelines/jobs/${job.id}/run`, {
      method: 'POST',
      json: {},
    });
    await waitFor(async () => {
      const { body } = await json<{ items: unknown[] }>(
        `/api/pipelines/approvals?state=PENDING&runId=${started.runId}`,
      );
      return body.items.length === 2 ? true : undefined;
    }, 'both approvals');
    // The guest holds platform-admin (app-config grant), not auditor.
    const forbidden = await json<{ error: { message: string } }>(
      `/api/pipelines/runs/${started.runId}/tasks/auditors/approval`,
      { method: 'POST', json: { decision: 'approve' } },
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.message).toMatch(/not an approver/);
    const allowed = await json<{ state: string }>(
      `/api/pipelines/runs/${started.runId}/tasks/admins/approval`,
      { method: 'POST', json: { decision: 'approve' } },
    );
    expect(allowed.body.state).toBe('APPROVED');
    await json(`/api/pipelines/runs/${started.runId}/cancel`, { method: 'POST' });
    const run = await runToEnd(started.runId);
    expect(run.tasks.map(t => [t.key, t.result])).toEqual([
      ['admins', 'SUCCESS'],
      ['auditors', 'CANCELED'],
    ]);
  });

  it('fires schedules and stops when they are paused', async () => {
    const definition = {
      name: 'every second',
      schedule: { cron: '* * * * * *', timezone: 'Europe/Paris' },
      tasks: [
        {
          key: 'a',
          step: 'core.setValues',
          input: { values: { trigger: '{{job.trigger.type}}' } },
        },
      ],
    };
    const { body: job } = await json<Job>('/api/pipelines/jobs', {
      method: 'POST',
      json: definition,
    });
    expect(job.nextRunAt).not.toBeNull();
    const runs = await waitFor(
      async () => {
        const { body } = await json<{ items: { id: string; trigger: string }[] }>(
          `/api/pipelines/jobs/${job.id}/runs`,
        );
        return body.items.length > 0 ? body.items : undefined;
      },
      'a scheduled run',
      30_000,
    );
    expect(runs[0].trigger).toBe('schedule');
    const run = await runToEnd(runs[0].id);
    expect(run.tasks[0].values).toEqual({ trigger: 'schedule' });
    const paused = await json<Job>(`/api/pipelines/jobs/${job.id}`, {
      method: 'PUT',
      json: { ...definition, schedule: { ...definition.schedule, paused: true } },
    });
    expect(paused.body.nextRunAt).toBeNull();
  });

  it('ships templates, refuses to instantiate one with missing steps, and imports and exports YAML', async () => {
    const { body: list } = await json<{ items: PipelineTemplate[] }>('/api/pipelines/templates');
    const onboard = list.items.find(t => t.id === 'builtin-onboard-data-source')!;
    expect(onboard).toMatchObject({
      name: 'Onboard a data source',
      builtin: true,
      visibility: 'builtin',
    });
    expect(list.items.map(t => t.name)).toEqual(
      expect.arrayContaining(['Onboard a data source', 'Nightly compliance', 'PII sweep']),
    );
    // The compliance group is switched off here.
    expect(onboard.missingSteps).toContain('compliance.evaluate');
    const refused = await json<{ error: { message: string } }>(
      `/api/pipelines/templates/${onboard.id}/instantiate`,
      { method: 'POST', json: { parameters: { dataSourceId: 'x' } } },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/not registered here: compliance.evaluate/);

    const pii = list.items.find(t => t.id === 'builtin-pii-sweep')!;
    if (pii.missingSteps.length === 0) {
      const made = await json<Job>(`/api/pipelines/templates/${pii.id}/instantiate`, {
        method: 'POST',
        json: { name: 'My PII sweep', parameters: { dataSourceIds: '["a"]' } },
      });
      expect(made.status).toBe(201);
      expect(made.body.parameters.find(p => p.name === 'dataSourceIds')?.default).toBe('["a"]');
      expect(
        (
          await json(`/api/pipelines/templates/${pii.id}/instantiate`, {
            method: 'POST',
            json: { parameters: { nope: 1 } },
          })
        ).status,
      ).toBe(400);
    }
    expect(
      (
        await json(`/api/pipelines/templates/${onboard.id}`, {
          method: 'PUT',
          json: simpleJob('x'),
        })
      ).status,
    ).toBe(409);

    const created = await json<PipelineTemplate>('/api/pipelines/templates', {
      method: 'POST',
      json: { ...simpleJob('Greeter'), visibility: 'workspace' },
    });
    expect(created.status).toBe(201);
    const exported = await server.request(
      `/api/pipelines/templates/${created.body.id}/export?format=yaml`,
    );
    expect(exported.headers.get('content-type')).toMatch(/yaml/);
    const yamlText = await exported.text();
    expect(YAML.parse(yamlText)).toMatchObject({
      kind: 'Pipeline',
      name: 'Greeter',
      tasks: [{ key: 'greet' }, { key: 'pause' }],
    });
    const imported = await json<PipelineTemplate>('/api/pipelines/templates/import', {
      method: 'POST',
      json: { content: yamlText.replace('Greeter', 'Greeter copy') },
    });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({
      name: 'Greeter copy',
      visibility: 'private',
      missingSteps: [],
    });
    const rawYaml = await server.request('/api/pipelines/templates/import', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: yamlText.replace('Greeter', 'Greeter raw'),
    });
    expect(rawYaml.status).toBe(201);
    const bad = await json<{ error: { message: string } }>('/api/pipelines/templates/import', {
      method: 'POST',
      json: { content: 'kind: Pipeline\nname: [unclosed' },
    });
    expect(bad.status).toBe(400);
    const json2 = await (
      await server.request(`/api/pipelines/templates/${created.body.id}/export?format=json`)
    ).json();
    expect(json2).toMatchObject({ kind: 'Pipeline', name: 'Greeter' });
    const job = await json<Job>(`/api/pipelines/templates/${imported.body.id}/instantiate`, {
      method: 'POST',
      json: { parameters: { who: 'template' } },
    });
    expect(job.status).toBe(201);
    expect(job.body.parameters).toEqual([{ name: 'who', default: 'template' }]);
    expect(
      (await server.request(`/api/pipelines/templates/${created.body.id}`, { method: 'DELETE' }))
        .status,
    ).toBe(204);
    expect((await server.request(`/api/pipelines/templates/${created.body.id}`)).status).toBe(404);
  });

  it('offers pipelines.createJob and pipelines.runJob as kernel actions', async () => {
    const created = await json<{ output: { id: string; version: number } }>(
      '/api/kernel/actions/pipelines.createJob',
      { method: 'POST', json: simpleJob('from action') },
    );
    expect(created.status).toBe(200);
    expect(created.body.output.version).toBe(1);
    const bad = await json<{ error: { message: string } }>(
      '/api/kernel/actions/pipelines.createJob',
      { method: 'POST', json: { name: 'x' } },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/tasks/);
    const run = await json<{ output: { runId: string; status: string } }>(
      '/api/kernel/actions/pipelines.runJob',
      {
        method: 'POST',
        json: { jobId: created.body.output.id, parameters: { who: 'action' } },
      },
    );
    expect(run.status).toBe(200);
    const ended = await runToEnd(run.body.output.runId);
    expect(ended).toMatchObject({ trigger: 'action', result: 'SUCCESS' });
  });

  it('deletes a job only once its runs have ended', async () => {
    const { body: job } = await json<Job>('/api/pipelines/jobs', {
      method: 'POST',
      json: { name: 'to delete', tasks: [{ key: 'w', step: 'core.wait', input: { seconds: 30 } }] },
    });
    const { body: started } = await json<{ runId: string }>(`/api/pipelines/jobs/${job.id}/run`, {
      method: 'POST',
      json: {},
    });
    expect(
      (await server.request(`/api/pipelines/jobs/${job.id}`, { method: 'DELETE' })).status,
    ).toBe(409);
    await server.request(`/api/pipelines/runs/${started.runId}/cancel`, { method: 'POST' });
    await runToEnd(started.runId);
    expect(
      (await server.request(`/api/pipelines/jobs/${job.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await server.request(`/api/pipelines/jobs/${job.id}`)).status).toBe(404);
    expect((await server.request(`/api/pipelines/runs/${started.runId}`)).status).toBe(404);
  });
});

describe(`pipelines API as an auditor (${db})`, () => {
  let server: RacineTestServer;
  beforeAll(async () => {
    server = await startRacineServer({
      guestUser: 'user:default/audrey',
      config: {
        racine: {
          rbac: { grants: [{ subject: 'user:default/audrey', role: 'auditor', workspace: '*' }] },
        },
      },
    });
  });
  afterAll(() => server?.stop());

  it('reads but cannot create, run or approve, and the denials are audited', async () => {
    expect((await server.request('/api/pipelines/jobs')).status).toBe(200);
    expect((await server.request('/api/pipelines/templates')).status).toBe(200);
    const denied = await server.request('/api/pipelines/jobs', {
      method: 'POST',
      json: simpleJob('nope'),
    });
    expect(denied.status).toBe(403);
    expect(
      (await server.request('/api/pipelines/jobs/any/run', { method: 'POST', json: {} })).status,
    ).toBe(403);
    expect(
      (
        await server.request('/api/pipelines/runs/any/tasks/x/approval', {
          method: 'POST',
          json: { decision: 'approve' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await server.request('/api/pipelines/templates/import', {
          method: 'POST',
          json: { content: 'name: x' },
        })
      ).status,
    ).toBe(403);
    const { actions } = await (await server.request('/api/kernel/actions')).json();
    expect(actions.map((a: { id: string }) => a.id)).not.toContain('pipelines.runJob');
    const { items } = await (
      await server.request('/api/kernel/activity?verb=pipelines.job.create&outcome=denied')
    ).json();
    expect(items[0]).toMatchObject({
      actor: 'user:default/audrey',
      summary: "Create job 'nope': denied (missing pipelines.create)",
    });
  });
});

describe(`pipelines switched off (${db})`, () => {
  let server: RacineTestServer;
  beforeAll(async () => {
    server = await startRacineServer({
      config: { racine: { groups: { pipelines: { enabled: false } } } },
    });
  });
  afterAll(() => server?.stop());

  it('leaves no routes, navigation or actions', async () => {
    expect((await server.request('/api/pipelines/jobs')).status).toBe(404);
    const { items } = await (await server.request('/api/kernel/navigation')).json();
    expect(items.map((i: { id: string }) => i.id)).not.toContain('pipelines.jobs');
    const { actions } = await (await server.request('/api/kernel/actions')).json();
    expect(actions.map((a: { id: string }) => a.id)).not.toContain('pipelines.createJob');
  });
});
