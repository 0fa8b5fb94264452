import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase';
import {
  TaskAbortError,
  createTaskQueue,
  type CreateTaskQueueOptions,
  type TaskQueue,
} from './index';

// One contract, whichever engine createTestDatabase() gives (RACINE_TEST_DB=sqlite|postgres).

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../../..');
const crashWorker = path.join(here, '__fixtures__', 'crashWorker.ts');

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, what = 'condition' }: { timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

const delay = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

describe('TaskQueue contract', () => {
  let db: TestDatabase;
  let queues: TaskQueue[];
  let children: ChildProcess[];
  const logs: string[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    queues = [];
    children = [];
  });

  afterEach(async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(queues.map(queue => queue.stop().catch(() => undefined)));
    await db.destroy();
  });

  function makeQueue(options: Partial<CreateTaskQueueOptions> = {}): TaskQueue {
    const queue = createTaskQueue({
      knex: db.knex,
      logger: {
        info: () => undefined,
        warn: message => logs.push(message),
        error: message => logs.push(message),
      },
      pollIntervalMs: 100,
      backoffMs: () => 50,
      shutdownTimeoutMs: 2000,
      heartbeatIntervalMs: 300,
      staleAfterMs: 1500,
      ...options,
    });
    queues.push(queue);
    return queue;
  }

  const idle = async (queue: TaskQueue) => {
    const stats = await queue.stats();
    return stats.pending === 0 && stats.running === 0 && stats.failed === 0;
  };

  it('runs a job with the driver that matches the engine', async () => {
    const queue = makeQueue();
    expect(queue.driver).toBe(db.kind === 'postgres' ? 'graphile-worker' : 'sqlite');
    const runs: Array<{ jobId: string; attempt: number; maxAttempts: number }> = [];
    queue.handle('hello', async (_payload, ctx) => {
      runs.push({ jobId: ctx.jobId, attempt: ctx.attempt, maxAttempts: ctx.maxAttempts });
    });
    await queue.start();
    const { id } = await queue.enqueue('hello', {});
    await waitFor(() => runs.length === 1, { what: 'the job to run' });
    expect(runs[0]).toEqual({ jobId: id, attempt: 1, maxAttempts: 5 });
    await waitFor(() => idle(queue), { what: 'the job to be removed' });
  });

  it('round-trips payloads', async () => {
    const queue = makeQueue();
    const received = new Map<string, unknown>();
    queue.handle<unknown>('echo', async (payload, ctx) => {
      received.set(ctx.jobId, payload);
    });
    const payloads: unknown[] = [
      {
        text: 'héllo ✓ "quoted"',
        n: 42.5,
        neg: -1,
        flag: true,
        none: null,
        nested: { list: [1, 'two', { three: 3 }] },
      },
      [1, 2, 3], // arrays must not be merged or treated as graphile "batch jobs"
      'just a string',
      0,
      null,
    ];
    const ids = [];
    for (const payload of payloads) ids.push((await queue.enqueue('echo', payload)).id);
    await queue.start();
    await waitFor(() => received.size === payloads.length, { what: 'every payload' });
    ids.forEach((id, index) => expect(received.get(id)).toEqual(payloads[index]));
  });

  it('honours runAt', async () => {
    const queue = makeQueue();
    let ranAt = 0;
    queue.handle('later', async () => {
      ranAt = Date.now();
    });
    await queue.start();
    const runAt = new Date(Date.now() + 800);
    await queue.enqueue('later', {}, { runAt });
    expect(await queue.stats()).toMatchObject({ pending: 1 });
    await waitFor(() => ranAt > 0, { what: 'the delayed job' });
    // Small tolerance: PostgreSQL's clock decides there, Node's here.
    expect(ranAt).toBeGreaterThanOrEqual(runAt.getTime() - 50);
  });

  it('retries a failing handler with backoff, then succeeds', async () => {
    const queue = makeQueue({ backoffMs: attempt => attempt * 50 });
    const attempts: number[] = [];
    queue.handle('flaky', async (_payload, ctx) => {
      attempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error(`boom ${ctx.attempt}`);
    });
    await queue.start();
    await queue.enqueue('flaky', {});
    await waitFor(() => attempts.length === 3, { what: 'three attempts' });
    expect(attempts).toEqual([1, 2, 3]);
    await waitFor(() => idle(queue), { what: 'the job to complete' });
  });

  it('fails a job permanently after maxAttempts', async () => {
    const queue = makeQueue();
    let calls = 0;
    queue.handle('doomed', async () => {
      calls += 1;
      throw new Error('always');
    });
    await queue.start();
    await queue.enqueue('doomed', {}, { maxAttempts: 2 });
    await waitFor(async () => (await queue.stats()).failed === 1, { what: 'a permanent failure' });
    expect(await queue.stats()).toEqual({ pending: 0, running: 0, failed: 1 });
    await delay(300); // a third run would come 50 ms after the second
    expect(calls).toBe(2);
  });

  it('de-duplicates by key: the pending job is replaced, not doubled', async () => {
    const queue = makeQueue();
    const seen: unknown[] = [];
    queue.handle<{ v: number }>('keyed', async payload => {
      seen.push(payload);
    });
    const first = await queue.enqueue(
      'keyed',
      { v: 1 },
      { key: 'k', runAt: new Date(Date.now() + 3_600_000) },
    );
    const second = await queue.enqueue('keyed', { v: 2 }, { key: 'k' });
    expect(second.id).toBe(first.id);
    expect(await queue.stats()).toMatchObject({ pending: 1 });
    await queue.start();
    await waitFor(() => seen.length === 1, { what: 'the keyed job' });
    expect(seen).toEqual([{ v: 2 }]);
    await waitFor(() => idle(queue), { what: 'the queue to drain' });
    expect(seen).toHaveLength(1);
  });

  it('re-enqueueing the key of a running job adds a new job and never retries the running one', async () => {
    const queue = makeQueue();
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>(resolve => (release = resolve));
    queue.handle<{ v: number }>('keyed-run', async payload => {
      seen.push(payload.v);
      if (payload.v === 1) {
        await gate;
        throw new Error('fails after being superseded');
      }
    });
    await queue.start();
    const first = await queue.enqueue('keyed-run', { v: 1 }, { key: 'r' });
    await waitFor(() => seen.length === 1, { what: 'the first job to start' });
    const second = await queue.enqueue('keyed-run', { v: 2 }, { key: 'r' });
    expect(second.id).not.toBe(first.id);
    await waitFor(() => seen.length === 2, { what: 'the replacement job' });
    release();
    await waitFor(
      async () => {
        const stats = await queue.stats();
        return stats.failed === 1 && stats.pending === 0 && stats.running === 0;
      },
      { what: 'the superseded job to fail for good' },
    );
    await delay(200);
    expect(seen).toEqual([1, 2]);
  });

  it('enqueueMany queues a batch in order, with per-item options, and runs each job once', async () => {
    const queue = makeQueue();
    const runs = new Map<string, { payload: unknown; maxAttempts: number }>();
    queue.handle<unknown>('batch', async (payload, ctx) => {
      runs.set(ctx.jobId, { payload, maxAttempts: ctx.maxAttempts });
    });
    expect(await queue.enqueueMany('batch', [])).toEqual([]);
    const payloads: unknown[] = [{ n: 0 }, [1, 2], 'three', null, { nested: { list: [4] } }];
    // A large batch (past the SQLite driver's rows per INSERT); only the edges of it are due.
    const later = new Date(Date.now() + 3_600_000);
    const due = (n: number) => n < 3 || (n >= 990 && n < 1010) || n >= 1497;
    const items = [
      ...payloads.map((payload, n) => ({ payload, options: { maxAttempts: n + 1 } })),
      ...Array.from({ length: 1500 }, (_, n) => ({
        payload: { bulk: n },
        options: due(n) ? {} : { runAt: later },
      })),
    ];
    const ids = (await queue.enqueueMany('batch', items)).map(job => job.id);
    expect(ids).toHaveLength(items.length);
    expect(new Set(ids).size).toBe(items.length);
    expect(await queue.stats()).toMatchObject({ pending: items.length });
    const dueCount = payloads.length + Array.from({ length: 1500 }, (_, n) => n).filter(due).length;
    await queue.start();
    await waitFor(() => runs.size === dueCount, { what: 'every due job of the batch' });
    payloads.forEach((payload, n) =>
      expect(runs.get(ids[n])).toEqual({ payload, maxAttempts: n + 1 }),
    );
    for (let n = 0; n < 1500; n++) {
      const run = runs.get(ids[payloads.length + n]);
      if (due(n)) expect(run).toEqual({ payload: { bulk: n }, maxAttempts: 5 });
      else expect(run).toBeUndefined();
    }
    expect(await queue.stats()).toEqual({
      pending: 1500 - dueCount + payloads.length,
      running: 0,
      failed: 0,
    });
  });

  it('enqueueMany keeps job-key semantics: replaces pending jobs, collapses repeats, spares running ones', async () => {
    const queue = makeQueue();
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>(resolve => (release = resolve));
    queue.handle<{ v: string }>('keyed-batch', async payload => {
      seen.push(payload.v);
      if (payload.v === 'running') {
        await gate;
        throw new Error('fails after being superseded');
      }
    });
    const later = new Date(Date.now() + 3_600_000);
    const pending = await queue.enqueue('keyed-batch', { v: 'old' }, { key: 'a', runAt: later });
    const [running] = await queue.enqueueMany('keyed-batch', [
      { payload: { v: 'running' }, options: { key: 'b' } },
    ]);
    await queue.start();
    await waitFor(() => seen.length === 1, { what: 'the keyed job to start' });

    const ids = await queue.enqueueMany<{ v: string }>('keyed-batch', [
      { payload: { v: 'a1' }, options: { key: 'a' } },
      { payload: { v: 'b2' }, options: { key: 'b' } },
      { payload: { v: 'free' } },
      { payload: { v: 'a2' }, options: { key: 'a' } },
    ]);
    expect(ids[0].id).toBe(pending.id); // the pending keyed job was replaced, not doubled
    expect(ids[3].id).toBe(pending.id); // a key repeated in the batch is one job: the last item
    expect(ids[1].id).not.toBe(running.id); // the running keyed job gets a fresh successor
    expect(new Set(ids.map(job => job.id)).size).toBe(3);
    await waitFor(() => seen.length === 4, { what: 'the batch to run' });
    release();
    await waitFor(
      async () => {
        const stats = await queue.stats();
        return stats.failed === 1 && stats.pending === 0 && stats.running === 0;
      },
      { what: 'the superseded job to fail for good' },
    );
    await delay(200);
    expect(seen[0]).toBe('running');
    expect(seen.slice(1).sort()).toEqual(['a2', 'b2', 'free']);
  });

  it('enqueueMany validates every item before writing anything', async () => {
    const queue = makeQueue();
    await expect(
      queue.enqueueMany('batch', [{ payload: 1 }, { payload: 2, options: { maxAttempts: 0 } }]),
    ).rejects.toThrow(/maxAttempts/);
    await expect(
      queue.enqueueMany('batch', [{ payload: 1, options: { key: '' } }]),
    ).rejects.toThrow(/key/);
    expect(await queue.stats()).toEqual({ pending: 0, running: 0, failed: 0 });
  });

  it('cancels pending jobs by id and by key', async () => {
    const queue = makeQueue();
    const later = new Date(Date.now() + 3_600_000);
    const { id } = await queue.enqueue('never', {}, { runAt: later });
    await queue.enqueue('never', {}, { runAt: later, key: 'cancel-me' });
    expect(await queue.stats()).toMatchObject({ pending: 2 });
    expect(await queue.cancel({ id })).toBe(true);
    expect(await queue.cancel({ id })).toBe(false);
    expect(await queue.cancel({ key: 'cancel-me' })).toBe(true);
    expect(await queue.cancel({ key: 'cancel-me' })).toBe(false);
    expect(await queue.cancel({ id: '999999' })).toBe(false);
    expect(await queue.stats()).toEqual({ pending: 0, running: 0, failed: 0 });
  });

  it('cancels a running job through its signal and does not retry it', async () => {
    const queue = makeQueue();
    let calls = 0;
    let reason: unknown;
    queue.handle('long', async (_payload, ctx) => {
      calls += 1;
      await new Promise<void>((_, reject) => {
        ctx.signal.addEventListener('abort', () => {
          reason = ctx.signal.reason;
          reject(ctx.signal.reason);
        });
      });
    });
    await queue.start();
    const { id } = await queue.enqueue('long', {});
    await waitFor(() => calls === 1, { what: 'the job to start' });
    expect(await queue.stats()).toMatchObject({ running: 1 });
    expect(await queue.cancel({ id })).toBe(true);
    await waitFor(() => reason !== undefined, { what: 'the abort' });
    expect(reason).toBeInstanceOf(TaskAbortError);
    expect((reason as TaskAbortError).reason).toBe('cancelled');
    await waitFor(() => idle(queue), { what: 'the cancelled job to be removed' });
    await delay(200);
    expect(calls).toBe(1);
  });

  it('respects per-task concurrency and the total concurrency', async () => {
    const queue = makeQueue({ concurrency: 3 });
    const current = { limited: 0, free: 0 };
    const max = { limited: 0, free: 0, total: 0 };
    let done = 0;
    const track = (task: 'limited' | 'free') => async () => {
      current[task] += 1;
      max[task] = Math.max(max[task], current[task]);
      max.total = Math.max(max.total, current.limited + current.free);
      await delay(120);
      current[task] -= 1;
      done += 1;
    };
    queue.handle('limited', track('limited'), { concurrency: 2 });
    queue.handle('free', track('free'));
    for (let i = 0; i < 8; i++) await queue.enqueue('limited', { i });
    await queue.start();
    await waitFor(() => done === 8, { what: 'the limited jobs' });
    for (let i = 0; i < 8; i++) await queue.enqueue('free', { i });
    await waitFor(() => done === 16, { what: 'the free jobs' });
    expect(max.limited).toBe(2);
    expect(max.free).toBe(3);
    expect(max.total).toBe(3);
  });

  it('lets two queues on one database share the jobs, running each once', async () => {
    const runsById = new Map<string, number>();
    const runsByQueue = [0, 0];
    const workers = [makeQueue({ concurrency: 3 }), makeQueue({ concurrency: 3 })];
    workers.forEach((queue, index) => {
      queue.handle('shared', async (_payload, ctx) => {
        runsById.set(ctx.jobId, (runsById.get(ctx.jobId) ?? 0) + 1);
        runsByQueue[index] += 1;
        await delay(30);
      });
    });
    await Promise.all(workers.map(queue => queue.start()));
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push((await workers[i % 2].enqueue('shared', { i })).id);
    await waitFor(() => runsById.size === 30, { what: 'all shared jobs', timeoutMs: 15_000 });
    await waitFor(() => idle(workers[0]), { what: 'the queue to drain' });
    expect([...runsById.keys()].sort()).toEqual([...ids].sort());
    expect([...runsById.values()].every(count => count === 1)).toBe(true);
    expect(runsByQueue[0]).toBeGreaterThan(0);
    expect(runsByQueue[1]).toBeGreaterThan(0);
  });

  it('stop() waits for running jobs to finish', async () => {
    const queue = makeQueue();
    let started = false;
    let finished = false;
    let aborted = false;
    queue.handle('slow', async (_payload, ctx) => {
      started = true;
      await delay(400);
      aborted = ctx.signal.aborted;
      finished = true;
    });
    await queue.start();
    await queue.enqueue('slow', {});
    await waitFor(() => started, { what: 'the job to start' });
    await queue.stop();
    expect(finished).toBe(true);
    expect(aborted).toBe(false);
    expect(await idle(makeQueue())).toBe(true);
    await expect(queue.enqueue('slow', {})).rejects.toThrow(/stopped/);
  });

  it('stop() is bounded: a handler ignoring its signal is released without losing the attempt', async () => {
    const queue = makeQueue({ shutdownTimeoutMs: 300 });
    let signal: AbortSignal | undefined;
    queue.handle('stubborn', async (_payload, ctx) => {
      signal = ctx.signal;
      await new Promise<never>(() => undefined);
    });
    await queue.start();
    await queue.enqueue('stubborn', {});
    await waitFor(() => signal !== undefined, { what: 'the job to start' });
    const stopping = Date.now();
    await queue.stop();
    expect(Date.now() - stopping).toBeLessThan(4000);
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as TaskAbortError).reason).toBe('shutdown');

    const next = makeQueue();
    const attempts: number[] = [];
    next.handle('stubborn', async (_payload, ctx) => {
      attempts.push(ctx.attempt);
    });
    expect(await next.stats()).toMatchObject({ pending: 1, running: 0 });
    await next.start();
    await waitFor(() => attempts.length === 1, { what: 'the released job to run again' });
    expect(attempts).toEqual([1]);
  });

  it('keeps jobs of an enqueue-only process until a worker starts', async () => {
    const producer = makeQueue();
    await producer.enqueue('deferred', { n: 1 });
    await producer.enqueue('deferred', { n: 2 });
    await producer.stop();

    const worker = makeQueue();
    const seen: number[] = [];
    worker.handle<{ n: number }>('deferred', async payload => {
      seen.push(payload.n);
    });
    await worker.start();
    await waitFor(() => seen.length === 2, { what: 'the persisted jobs' });
    expect(seen.sort()).toEqual([1, 2]);
  });

  it(
    'runs a job again after its worker process was killed mid-job',
    { timeout: 45_000 },
    async () => {
      const producer = makeQueue();
      const { id } = await producer.enqueue('hang', { crash: true }, { maxAttempts: 3 });

      const child = spawn(process.execPath, ['--import', 'tsx', crashWorker], {
        cwd: repoRoot,
        env: {
          ...process.env,
          RACINE_CRASH_DB_KIND: db.kind,
          RACINE_CRASH_DB_LOCATION: db.location,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', chunk => (stdout += String(chunk)));
      child.stderr?.on('data', chunk => (stderr += String(chunk)));
      const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
      await waitFor(() => stdout.includes(`RUNNING ${id} 1`) || child.exitCode !== null, {
        what: 'the child to pick up the job',
        timeoutMs: 20_000,
      });
      expect(stdout, stderr).toContain(`RUNNING ${id} 1`);
      expect(await producer.stats()).toMatchObject({ running: 1 });

      child.kill('SIGKILL');
      await exited;

      const worker = makeQueue();
      const attempts: number[] = [];
      worker.handle('hang', async (_payload, ctx) => {
        expect(ctx.jobId).toBe(id);
        attempts.push(ctx.attempt);
      });
      await worker.start();
      await waitFor(() => attempts.length === 1, {
        what: 'the job to run again',
        timeoutMs: 15_000,
      });
      expect(attempts).toEqual([2]);
      await waitFor(() => idle(worker), { what: 'the job to complete' });
    },
  );
});
