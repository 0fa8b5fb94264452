import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, results, type Harness } from '../__fixtures__/harness';

const engineName = process.env.RACINE_TEST_DB ?? 'sqlite';
const ms = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);

describe(`RunEngine on ${engineName}: persistence and queue integration`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.stop());

  it('runs a DAG with dynamic values, branches and a leaf-based result', async () => {
    const jobId = await h.createJob({
      name: 'dag',
      parameters: [{ name: 'n', default: '5' }],
      tasks: [
        { key: 'a', step: 'test.echo', input: { value: '{{job.parameters.n}}' } },
        {
          key: 'cond',
          step: 'core.condition',
          input: { left: '{{tasks.a.values.value}}', op: 'GREATER_THAN', right: 3 },
          dependsOn: [{ task: 'a' }],
        },
        {
          key: 'big',
          step: 'test.echo',
          input: { value: 'n={{tasks.a.values.value}} state={{tasks.a.result_state}}' },
          dependsOn: [{ task: 'cond', outcome: 'true' }],
        },
        {
          key: 'small',
          step: 'test.echo',
          input: {},
          dependsOn: [{ task: 'cond', outcome: 'false' }],
        },
        {
          key: 'fails',
          step: 'test.boom',
          input: { message: 'boom in {{job.name}}' },
          dependsOn: [{ task: 'a' }],
        },
        {
          key: 'handler',
          step: 'core.setValues',
          input: { values: { handled: '{{tasks.fails.result_state}}' } },
          dependsOn: [{ task: 'fails' }],
          runIf: 'AT_LEAST_ONE_FAILED',
        },
        {
          key: 'join',
          step: 'test.echo',
          input: { value: '{{job.run_id}}' },
          dependsOn: [{ task: 'big' }, { task: 'small' }],
        },
      ],
    });
    const runId = await h.run(jobId);
    const run = await h.waitForRun(runId);
    expect(results(run)).toEqual({
      a: 'SUCCESS',
      cond: 'SUCCESS',
      big: 'SUCCESS',
      small: 'EXCLUDED',
      fails: 'FAILED',
      handler: 'SUCCESS',
      join: 'SUCCESS',
    });
    const task = (key: string) => run.tasks.find(t => t.key === key)!;
    expect(task('cond').outcome).toBe('true');
    expect(task('big').values).toEqual({ value: 'n=5 state=SUCCESS', echoed: true });
    expect(task('fails').error).toBe('boom in dag');
    expect(task('handler').values).toEqual({ handled: 'FAILED' });
    expect(task('join').values?.value).toBe(runId);
    // "fails" is not a leaf (its handler is), so the run succeeds with failures.
    expect(run.result).toBe('SUCCESS_WITH_FAILURES');
    const lowParam = await h.waitForRun(await h.run(jobId, { n: '2' }));
    expect(results(lowParam)).toMatchObject({ big: 'EXCLUDED', small: 'SUCCESS', join: 'SUCCESS' });
  });

  it('refuses unknown run parameters', async () => {
    const jobId = await h.createJob({
      name: 'params',
      tasks: [{ key: 'a', step: 'test.echo', input: {} }],
    });
    await expect(h.run(jobId, { nope: '1' })).rejects.toThrow(/'nope' is not a parameter/);
  });

  it('retries a failed attempt after minIntervalMs, then gives up after max retries', async () => {
    const jobId = await h.createJob({
      name: 'retries',
      tasks: [
        {
          key: 'ok',
          step: 'test.flaky',
          input: { key: 'retry-ok', failures: 2 },
          retries: { max: 2, minIntervalMs: 300 },
        },
        {
          key: 'ko',
          step: 'test.flaky',
          input: { key: 'retry-ko', failures: 5 },
          retries: { max: 1, minIntervalMs: 100 },
        },
      ],
    });
    const run = await h.waitForRun(await h.run(jobId));
    const ok = run.tasks.find(t => t.key === 'ok')!;
    expect(ok.result).toBe('SUCCESS');
    expect(ok.attempts.map(a => a.state)).toEqual(['FAILED', 'FAILED', 'SUCCESS']);
    for (let i = 1; i < ok.attempts.length; i++) {
      expect(ms(ok.attempts[i].startedAt) - ms(ok.attempts[i - 1].endedAt)).toBeGreaterThanOrEqual(
        290,
      );
    }
    expect(ok.values).toEqual({ attempts: 3 });
    const ko = run.tasks.find(t => t.key === 'ko')!;
    expect(ko.result).toBe('FAILED');
    expect(ko.attempts).toHaveLength(2);
    expect(ko.error).toBe('flaky failure 2');
    expect(run.result).toBe('FAILED');
  });

  it('times tasks out, retries on timeout only when asked, and still runs ALL_DONE tasks', async () => {
    const jobId = await h.createJob({
      name: 'timeouts',
      tasks: [
        { key: 'slow', step: 'test.sleep', input: { ms: 3000 }, timeoutSeconds: 1 },
        {
          key: 'slowRetried',
          step: 'test.sleep',
          input: { ms: 3000 },
          timeoutSeconds: 1,
          retries: { max: 1, minIntervalMs: 0, onTimeout: true },
        },
        { key: 'after', step: 'test.echo', input: {}, dependsOn: [{ task: 'slow' }] },
        {
          key: 'cleanup',
          step: 'test.echo',
          input: {},
          dependsOn: [{ task: 'slow' }],
          runIf: 'ALL_DONE',
        },
      ],
    });
    const run = await h.waitForRun(await h.run(jobId), 20_000);
    expect(results(run)).toEqual({
      slow: 'TIMEDOUT',
      slowRetried: 'TIMEDOUT',
      after: 'UPSTREAM_FAILED',
      cleanup: 'SUCCESS',
    });
    const slow = run.tasks.find(t => t.key === 'slow')!;
    expect(slow.attempts).toHaveLength(1);
    expect(slow.error).toMatch(/Timed out after 1 s/);
    expect(run.tasks.find(t => t.key === 'slowRetried')!.attempts.map(a => a.state)).toEqual([
      'TIMEDOUT',
      'TIMEDOUT',
    ]);
    expect(run.result).toBe('FAILED');
  });

  it('runs for-each iterations at most `concurrency` at a time', async () => {
    await h.waitFor(async () => h.sleeping() === 0, 'earlier sleeps to end');
    h.resetPeak();
    const jobId = await h.createJob({
      name: 'foreach',
      parameters: [{ name: 'items', default: '["a","b","c","d","e"]' }],
      tasks: [
        {
          key: 'each',
          step: 'core.forEach',
          input: {
            inputs: '{{job.parameters.items}}',
            concurrency: 2,
            task: { step: 'test.sleep', input: { ms: 150, label: 'item {{input}}' } },
          },
        },
        {
          key: 'after',
          step: 'test.echo',
          input: { value: '{{tasks.each.values.succeeded}}' },
          dependsOn: [{ task: 'each' }],
        },
      ],
    });
    const run = await h.waitForRun(await h.run(jobId));
    expect(results(run)).toEqual({ each: 'SUCCESS', after: 'SUCCESS' });
    const each = run.tasks.find(t => t.key === 'each')!;
    expect(each.values).toEqual({ iterations: 5, succeeded: 5, failed: 0 });
    expect(each.iterations?.map(i => [i.index, i.item, i.result, i.values?.label])).toEqual([
      [0, 'a', 'SUCCESS', 'item a'],
      [1, 'b', 'SUCCESS', 'item b'],
      [2, 'c', 'SUCCESS', 'item c'],
      [3, 'd', 'SUCCESS', 'item d'],
      [4, 'e', 'SUCCESS', 'item e'],
    ]);
    // Never more than two at once: each iteration starts after an earlier one ended.
    const spans = each
      .iterations!.map(i => [ms(i.startedAt), ms(i.endedAt)])
      .sort((a, b) => a[0] - b[0]);
    for (const [start] of spans) {
      expect(spans.filter(([s, e]) => s <= start && e > start).length).toBeLessThanOrEqual(2);
    }
    expect(h.peakSleeping()).toBeLessThanOrEqual(2);
    expect(run.tasks.find(t => t.key === 'after')!.values?.value).toBe(5);

    const failing = await h.createJob({
      name: 'foreach-fail',
      tasks: [
        {
          key: 'each',
          step: 'core.forEach',
          input: {
            inputs: [1, 2, 3],
            concurrency: 3,
            task: {
              step: 'test.flaky',
              input: { key: 'fe-{{input}}', failures: '{{input}}' },
              retries: { max: 1 },
            },
          },
        },
      ],
    });
    const failed = await h.waitForRun(await h.run(failing));
    const iterations = failed.tasks[0].iterations!;
    // Items 1 (one failure, one retry) succeed; 2 and 3 fail more often than one retry allows.
    expect(iterations.map(i => [i.result, i.attempts.length])).toEqual([
      ['SUCCESS', 2],
      ['FAILED', 2],
      ['FAILED', 2],
    ]);
    expect(failed.tasks[0]).toMatchObject({
      result: 'FAILED',
      values: { iterations: 3, succeeded: 1, failed: 2 },
    });
  });

  it('cancels downstream as UPSTREAM_CANCELED while failure-handling tasks still run', async () => {
    const jobId = await h.createJob({
      name: 'cancel',
      tasks: [
        { key: 'quick', step: 'test.echo', input: {} },
        { key: 'slow', step: 'test.sleep', input: { ms: 5000 }, dependsOn: [{ task: 'quick' }] },
        { key: 'load', step: 'test.echo', input: {}, dependsOn: [{ task: 'slow' }] },
        {
          key: 'cleanup',
          step: 'test.echo',
          input: { value: '{{tasks.slow.result_state}}' },
          dependsOn: [{ task: 'slow' }],
          runIf: 'ALL_DONE',
        },
        {
          key: 'alert',
          step: 'test.echo',
          input: {},
          dependsOn: [{ task: 'slow' }],
          runIf: 'AT_LEAST_ONE_FAILED',
        },
        { key: 'afterCleanup', step: 'test.echo', input: {}, dependsOn: [{ task: 'cleanup' }] },
      ],
    });
    const runId = await h.run(jobId);
    await h.waitFor(
      async () => (await h.view(runId)).tasks.find(t => t.key === 'slow')!.state === 'RUNNING',
      'slow to run',
    );
    await h.engine.cancelRun(runId, 'user:default/tester');
    const run = await h.waitForRun(runId);
    expect(results(run)).toEqual({
      quick: 'SUCCESS',
      slow: 'CANCELED',
      load: 'UPSTREAM_CANCELED',
      cleanup: 'SUCCESS',
      alert: 'SUCCESS',
      afterCleanup: 'CANCELED',
    });
    expect(run.tasks.find(t => t.key === 'cleanup')!.values?.value).toBe('CANCELED');
    expect(run.result).toBe('CANCELED');
    expect(run.cancelRequested).toBe(true);
    await expect(h.engine.cancelRun(runId, 'user:default/tester')).rejects.toThrow(/already ended/);
  });

  it('times a whole run out after the job timeout, still running failure handlers', async () => {
    const jobId = await h.createJob({
      name: 'job-timeout',
      timeoutSeconds: 1,
      tasks: [
        { key: 'long', step: 'core.wait', input: { seconds: 30 } },
        { key: 'next', step: 'test.echo', input: {}, dependsOn: [{ task: 'long' }] },
        {
          key: 'cleanup',
          step: 'test.echo',
          input: {},
          dependsOn: [{ task: 'long' }],
          runIf: 'ALL_DONE',
        },
      ],
    });
    const started = Date.now();
    const run = await h.waitForRun(await h.run(jobId));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.result).toBe('TIMEDOUT');
    expect(run.stateMessage).toMatch(/job timeout is 1 s/);
    expect(results(run)).toEqual({
      long: 'CANCELED',
      next: 'UPSTREAM_CANCELED',
      cleanup: 'SUCCESS',
    });
  });

  it('repairs a run: all failed tasks, then chosen tasks with dependents and new parameters', async () => {
    const jobId = await h.createJob({
      name: 'repair',
      parameters: [{ name: 'greeting', default: 'hello' }],
      tasks: [
        { key: 'a', step: 'test.echo', input: { value: '{{job.parameters.greeting}}' } },
        {
          key: 'b',
          step: 'test.flaky',
          input: { key: 'repair-b', failures: 1 },
          dependsOn: [{ task: 'a' }],
        },
        {
          key: 'c',
          step: 'test.echo',
          input: { value: '{{tasks.a.values.value}}' },
          dependsOn: [{ task: 'b' }],
        },
        { key: 'd', step: 'test.echo', input: {} },
      ],
    });
    const runId = await h.run(jobId);
    const first = await h.waitForRun(runId);
    expect(results(first)).toEqual({
      a: 'SUCCESS',
      b: 'FAILED',
      c: 'UPSTREAM_FAILED',
      d: 'SUCCESS',
    });
    expect(first.result).toBe('FAILED');

    const repair = await h.engine.repairRun(
      runId,
      { rerunAllFailed: true, rerunDependents: false },
      'user:default/fixer',
    );
    expect(repair.tasks).toEqual(['b', 'c']);
    const repaired = await h.waitForRun(runId);
    expect(results(repaired)).toEqual({ a: 'SUCCESS', b: 'SUCCESS', c: 'SUCCESS', d: 'SUCCESS' });
    expect(repaired.result).toBe('SUCCESS');
    const b = repaired.tasks.find(t => t.key === 'b')!;
    expect(b.attempts.map(a => [a.attempt, a.state, a.repairId])).toEqual([
      [1, 'FAILED', null],
      [2, 'SUCCESS', `${runId}-r1`],
    ]);
    expect(repaired.tasks.find(t => t.key === 'a')!.attempts).toHaveLength(1);

    await h.engine.repairRun(
      runId,
      { rerunTasks: ['a'], rerunDependents: true, parameters: { greeting: 'bonjour' } },
      'user:default/fixer',
    );
    const again = await h.waitForRun(runId);
    expect(again.parameters).toEqual({ greeting: 'bonjour' });
    expect(again.tasks.find(t => t.key === 'c')!.values?.value).toBe('bonjour');
    expect(again.tasks.find(t => t.key === 'd')!.attempts).toHaveLength(1);
    expect(again.repairs.map(r => [r.number, r.tasks, r.createdBy])).toEqual([
      [1, ['b', 'c'], 'user:default/fixer'],
      [2, ['a', 'b', 'c'], 'user:default/fixer'],
    ]);
    await expect(
      h.engine.repairRun(runId, { rerunAllFailed: true, rerunDependents: false }, 'x'),
    ).rejects.toThrow(/no failed tasks/);
    await expect(
      h.engine.repairRun(runId, { rerunTasks: ['zz'], rerunDependents: false }, 'x'),
    ).rejects.toThrow(/no task 'zz'/);
  });

  it('queues runs beyond maxConcurrentRuns, or skips them when queueing is off', async () => {
    const queued = await h.createJob({
      name: 'one-at-a-time',
      maxConcurrentRuns: 1,
      tasks: [{ key: 's', step: 'test.sleep', input: { ms: 300 } }],
    });
    // Created within one millisecond (the clock held still): they still start in order.
    const clock = vi.spyOn(Date, 'now').mockReturnValue(Date.now());
    let ids: string[];
    try {
      ids = [await h.run(queued), await h.run(queued), await h.run(queued)];
    } finally {
      clock.mockRestore();
    }
    expect((await h.view(ids[1])).status).toBe('QUEUED');
    expect((await h.view(ids[1])).tasks[0].state).toBe('QUEUED');
    const runs = [];
    for (const id of ids) runs.push(await h.waitForRun(id));
    expect(runs.map(r => r.result)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS']);
    expect(ms(runs[1].startedAt)).toBeGreaterThanOrEqual(ms(runs[0].endedAt));
    expect(ms(runs[2].startedAt)).toBeGreaterThanOrEqual(ms(runs[1].endedAt));

    const skipping = await h.createJob({
      name: 'skip',
      maxConcurrentRuns: 1,
      queue: { enabled: false },
      tasks: [{ key: 's', step: 'test.sleep', input: { ms: 300 } }],
    });
    const firstId = await h.run(skipping);
    const skipped = await h.view(await h.run(skipping));
    expect(skipped).toMatchObject({ status: 'TERMINATED', result: 'SKIPPED' });
    expect(skipped.tasks[0].result).toBe('SKIPPED');
    expect((await h.waitForRun(firstId)).result).toBe('SUCCESS');
  });

  it('runs another job as a child run (core.runJob)', async () => {
    const child = await h.createJob({
      name: 'child',
      parameters: [{ name: 'x', default: '' }],
      tasks: [{ key: 'c', step: 'test.echo', input: { value: '{{job.parameters.x}}' } }],
    });
    const failing = await h.createJob({
      name: 'failing-child',
      tasks: [{ key: 'c', step: 'test.boom', input: { message: 'no' } }],
    });
    const parent = await h.createJob({
      name: 'parent',
      tasks: [
        {
          key: 'ok',
          step: 'core.runJob',
          input: { jobId: child, parameters: { x: 'from parent' } },
        },
        { key: 'ko', step: 'core.runJob', input: { jobId: failing } },
      ],
    });
    const run = await h.waitForRun(await h.run(parent));
    expect(results(run)).toEqual({ ok: 'SUCCESS', ko: 'FAILED' });
    const ok = run.tasks.find(t => t.key === 'ok')!;
    const childRun = await h.view(String(ok.values?.runId));
    expect(childRun).toMatchObject({
      jobId: child,
      result: 'SUCCESS',
      parentRunId: run.id,
      trigger: 'runJob',
    });
    expect(childRun.tasks[0].values?.value).toBe('from parent');
    expect(run.tasks.find(t => t.key === 'ko')!.error).toMatch(/ended FAILED/);
  });

  it('waits for approvals, approves and denies them, and times them out', async () => {
    const jobId = await h.createJob({
      name: 'approvals',
      tasks: [
        {
          key: 'approve',
          step: 'core.approval',
          input: { approvers: ['user:default/boss'], message: 'ok?' },
        },
        { key: 'deny', step: 'core.approval', input: { approvers: ['user:default/boss'] } },
        { key: 'expire', step: 'core.approval', input: {}, timeoutSeconds: 1 },
        {
          key: 'after',
          step: 'test.echo',
          input: { value: '{{tasks.approve.values.decidedBy}}' },
          dependsOn: [{ task: 'approve' }],
        },
      ],
    });
    const runId = await h.run(jobId);
    await h.waitFor(
      async () =>
        (await h.runs.read.approvals({ runId, state: 'PENDING', limit: 10 })).length === 3,
      'approvals',
    );
    await expect(
      h.engine.decideApproval(runId, 'approve', { approve: true }, 'user:default/intruder'),
    ).rejects.toThrow(/not an approver/);
    await h.engine.decideApproval(
      runId,
      'approve',
      { approve: true, comment: 'fine' },
      'user:default/boss',
    );
    await h.engine.decideApproval(
      runId,
      'deny',
      { approve: false, comment: 'nope' },
      'user:default/boss',
    );
    await expect(
      h.engine.decideApproval(runId, 'deny', { approve: true }, 'user:default/boss'),
    ).rejects.toThrow(/already/);
    const run = await h.waitForRun(runId);
    expect(results(run)).toEqual({
      approve: 'SUCCESS',
      deny: 'FAILED',
      expire: 'TIMEDOUT',
      after: 'SUCCESS',
    });
    expect(run.tasks.find(t => t.key === 'approve')!.values).toEqual({
      approved: true,
      decidedBy: 'user:default/boss',
      comment: 'fine',
    });
    expect(run.tasks.find(t => t.key === 'deny')!.error).toBe('Denied by user:default/boss: nope');
    expect(run.tasks.find(t => t.key === 'after')!.values?.value).toBe('user:default/boss');
    const approvals = await h.runs.read.approvals({ runId, limit: 10 });
    expect(approvals.map(a => [a.taskKey, a.state]).sort()).toEqual([
      ['approve', 'APPROVED'],
      ['deny', 'DENIED'],
      ['expire', 'TIMEDOUT'],
    ]);
  });

  it('waits without holding a worker (core.wait)', async () => {
    const jobId = await h.createJob({
      name: 'waits',
      tasks: Array.from({ length: 12 }, (_, i) => ({
        key: `w${i}`,
        step: 'core.wait',
        input: { seconds: 1 },
      })),
    });
    const started = Date.now();
    const run = await h.waitForRun(await h.run(jobId));
    // Twelve one-second waits with eight queue slots end together: none holds a slot.
    expect(Date.now() - started).toBeLessThan(4000);
    expect(run.tasks.every(t => t.result === 'SUCCESS' && t.values?.waitedSeconds === 1)).toBe(
      true,
    );
  });

  it('waits for kernel events and starts jobs they trigger, once per event', async () => {
    const waiting = await h.createJob({
      name: 'event-wait',
      parameters: [{ name: 'asset', default: 'a1' }],
      tasks: [
        {
          key: 'w',
          step: 'core.waitForEvent',
          input: { topic: 'asset.changed', filter: { ref: '{{job.parameters.asset}}' } },
        },
      ],
    });
    const runId = await h.run(waiting);
    await h.waitFor(
      async () => (await h.view(runId)).tasks[0].waitingFor === 'event',
      'the task to wait',
    );
    const triggered: string[] = [];
    await h.engine.onEvent('asset.changed', { ref: 'other' }, async () => undefined);
    expect((await h.view(runId)).status).not.toBe('TERMINATED');
    await h.engine.onEvent('asset.changed', { ref: 'a1', kind: 'table' }, async () => undefined);
    const run = await h.waitForRun(runId);
    expect(run.tasks[0].values).toEqual({
      topic: 'asset.changed',
      payload: { ref: 'a1', kind: 'table' },
    });

    // An event that arrives after the run started but before the task waits is found too.
    const later = await h.createJob({
      name: 'event-wait-later',
      tasks: [
        { key: 'first', step: 'test.sleep', input: { ms: 500 } },
        {
          key: 'w',
          step: 'core.waitForEvent',
          input: { topic: 'asset.changed', filter: { ref: 'early' } },
          dependsOn: [{ task: 'first' }],
        },
      ],
    });
    const laterRun = await h.run(later);
    await h.engine.onEvent('asset.changed', { ref: 'early' }, async () => undefined);
    expect((await h.view(laterRun)).tasks[1].state).toBe('BLOCKED');
    expect((await h.waitForRun(laterRun)).result).toBe('SUCCESS');

    const onScan = await h.createJob({
      name: 'on-scan',
      parameters: [{ name: 'dataSourceId', default: '' }],
      triggers: [{ event: 'scan.completed', filter: { status: 'succeeded' } }],
      tasks: [{ key: 'e', step: 'test.echo', input: { value: '{{job.parameters.dataSourceId}}' } }],
    });
    const start = async (
      job: Parameters<Parameters<Harness['engine']['onEvent']>[2]>[0],
      payload: unknown,
    ) => {
      triggered.push(job.id);
      await h.jobs.startTriggered(job, 'scan.completed', payload);
    };
    await h.engine.onEvent(
      'scan.completed',
      { runId: 's1', dataSourceId: 'ds-1', status: 'failed' },
      start,
    );
    await h.engine.onEvent(
      'scan.completed',
      { runId: 's2', dataSourceId: 'ds-1', status: 'succeeded' },
      start,
    );
    await h.engine.onEvent(
      'scan.completed',
      { runId: 's2', dataSourceId: 'ds-1', status: 'succeeded' },
      start,
    );
    expect(triggered).toEqual([onScan, onScan]);
    const runs = await h.runs.read.listRuns({ jobId: onScan, limit: 10 });
    expect(runs).toHaveLength(1);
    const eventRun = await h.waitForRun(runs[0].id);
    expect(eventRun).toMatchObject({
      trigger: 'event',
      parameters: { dataSourceId: 'ds-1' },
      result: 'SUCCESS',
    });
    expect(eventRun.tasks[0].values?.value).toBe('ds-1');
  });

  it('keeps values up to 48 KiB and fails a task that publishes more', async () => {
    const jobId = await h.createJob({
      name: 'values',
      tasks: [
        { key: 'fits', step: 'test.big', input: { kb: 47 } },
        { key: 'tooBig', step: 'test.big', input: { kb: 49 } },
      ],
    });
    const run = await h.waitForRun(await h.run(jobId));
    expect(results(run)).toEqual({ fits: 'SUCCESS', tooBig: 'FAILED' });
    expect(run.tasks.find(t => t.key === 'tooBig')!.error).toMatch(/at most 49152 \(48 KiB\)/);
    expect(run.tasks.find(t => t.key === 'tooBig')!.values).toBeNull();
  });

  it('audits every transition', async () => {
    const jobId = await h.createJob({
      name: 'audited',
      tasks: [
        { key: 'a', step: 'test.echo', input: {} },
        { key: 'b', step: 'test.echo', input: {}, dependsOn: [{ task: 'a' }] },
      ],
    });
    const runId = await h.run(jobId);
    await h.waitForRun(runId);
    await h.waitFor(
      async () =>
        h.audits.some(
          a => a.resource === `racine:pipelines:run/${runId}` && a.verb === 'pipelines.run.end',
        ),
      'the end audit',
    );
    const verbs = h.audits
      .filter(a => a.resource === `racine:pipelines:run/${runId}`)
      .map(a => a.verb);
    expect(verbs).toEqual(
      expect.arrayContaining([
        'pipelines.run.start',
        'pipelines.run.advance',
        'pipelines.task.start',
        'pipelines.task.end',
        'pipelines.run.end',
      ]),
    );
    expect(verbs.filter(v => v === 'pipelines.task.end')).toHaveLength(2);
    // The kernel audits each action invocation too, as the job owner.
    expect(
      h.audits.filter(
        a =>
          a.verb === 'test.echo' &&
          (a.credentials?.principal as { userEntityRef?: string })?.userEntityRef ===
            'user:default/owner',
      ).length,
    ).toBeGreaterThan(0);
  });
});

describe(`RunEngine on ${engineName}: recovery`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ startQueue: false, settings: { recoverAfterMs: 0 } });
  });
  afterAll(() => h?.stop());

  it('fails an interrupted non-idempotent attempt, re-runs an idempotent one, and re-queues a lost job', async () => {
    const server = await import('node:http').then(({ createServer }) => {
      const hits: string[] = [];
      const s = createServer((req, res) => {
        hits.push(`${req.method} ${req.url}`);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true }));
      });
      return new Promise<{ url: string; hits: string[]; close(): void }>(resolve =>
        s.listen(0, '127.0.0.1', () => {
          const { port } = s.address() as import('node:net').AddressInfo;
          resolve({ url: `http://127.0.0.1:${port}`, hits, close: () => s.close() });
        }),
      );
    });
    try {
      const jobId = await h.createJob({
        name: 'recovery',
        tasks: [
          { key: 'post', step: 'core.http', input: { method: 'POST', url: `${server.url}/post` } },
          { key: 'put', step: 'core.http', input: { method: 'PUT', url: `${server.url}/put` } },
          { key: 'lost', step: 'test.echo', input: { value: 1 } },
        ],
      });
      const runId = await h.run(jobId);
      // The queue is not working yet: pretend a worker took `post` and `put` and then died.
      for (const taskKey of ['post', 'put']) {
        await h.db
          .knex('pipelines_attempts')
          .where({ run_id: runId, task_key: taskKey })
          .update({
            state: 'RUNNING',
            worker: 'dead-worker',
            started_at: Date.now() - 60_000,
            lease_expires_at: Date.now() - 30_000,
          });
        await h.db
          .knex('pipelines_task_runs')
          .where({ run_id: runId, task_key: taskKey })
          .update({ state: 'RUNNING' });
      }
      // And the queue job of `lost` never made it (a crash between commit and enqueue).
      await h.queue.cancel({ key: `${runId}:lost:1` });
      await h.db
        .knex('pipelines_attempts')
        .where({ run_id: runId, task_key: 'lost' })
        .update({ queued_at: 0, run_at: 0 });
      await h.queue.start();
      await h.engine.sweep();
      const run = await h.waitForRun(runId);
      expect(results(run)).toEqual({ post: 'FAILED', put: 'SUCCESS', lost: 'SUCCESS' });
      expect(run.tasks.find(t => t.key === 'post')!.error).toMatch(
        /^Interrupted: .*not idempotent/,
      );
      expect(server.hits.filter(h => h.startsWith('POST'))).toEqual([]);
      expect(server.hits.filter(h => h.startsWith('PUT'))).toEqual(['PUT /put']);
      const logs = await h.runs.read.logs(runId, { limit: 100 });
      expect(
        logs.some(l => l.taskKey === 'put' && /stopped; core.http is idempotent/.test(l.message)),
      ).toBe(true);
    } finally {
      server.close();
    }
  });
});
