/**
 * Job workflow engine figures: a 500-task chain and a 500-task fan-out/fan-in, on SQLite and
 * on PostgreSQL with 1 and 2 worker processes. Prints the time from a task's end to its
 * dependent's start (median, p99) and tasks per second. Prints, never asserts.
 *
 * Run: npx tsx bench/pipelines.ts [tasks] [sqlite|postgres]    (default: 500 tasks, both engines)
 *
 * Each task is `core.setValues` (engine work only: claim, finish, advance the DAG, enqueue
 * dependents, audit); one extra chain uses `platform.wait {seconds: 0}`, a kernel action
 * invoked, authorized and audited through the action invoker as the job owner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type { Run } from '@racine/plugin-pipelines-common';
import YAML from 'yaml';

const N = Number(process.argv[2] ?? 500);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const children: ChildProcess[] = [];

type Task = {
  key: string;
  step: string;
  input: Record<string, unknown>;
  dependsOn?: { task: string }[];
};

function chain(step: 'core.setValues' | 'platform.wait', length = N): Task[] {
  return Array.from({ length }, (_, i) => ({
    key: `t${i}`,
    step,
    input: step === 'platform.wait' ? { seconds: 0 } : { values: { i } },
    dependsOn: i ? [{ task: `t${i - 1}` }] : [],
  }));
}

function fanOutFanIn(): Task[] {
  const middle = Array.from({ length: N - 2 }, (_, i) => ({
    key: `m${i}`,
    step: 'core.setValues',
    input: { values: { i } },
    dependsOn: [{ task: 'root' }],
  }));
  return [
    { key: 'root', step: 'core.setValues', input: { values: { root: true } } },
    ...middle,
    {
      key: 'sink',
      step: 'core.setValues',
      input: { values: { done: true } },
      dependsOn: middle.map(m => ({ task: m.key })),
    },
  ];
}

const ms = (iso: string | null) => (iso ? Date.parse(iso) : Number.NaN);
const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function measure(server: RacineTestServer, name: string, tasks: Task[]) {
  const created = await server.request('/api/pipelines/jobs', {
    method: 'POST',
    json: { name, tasks },
  });
  if (created.status !== 201)
    throw new Error(`create ${name}: ${created.status} ${await created.text()}`);
  const job = (await created.json()) as { id: string };
  const started = await server.request(`/api/pipelines/jobs/${job.id}/run`, {
    method: 'POST',
    json: {},
  });
  const { runId } = (await started.json()) as { runId: string };
  // Poll the cheap run summary (not the whole run view) so the figures measure the engine.
  for (;;) {
    const page = (await (
      await server.request(`/api/pipelines/jobs/${job.id}/runs?limit=1`)
    ).json()) as { items: { status: string }[] };
    if (page.items[0]?.status === 'TERMINATED') break;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  const run = (await (await server.request(`/api/pipelines/runs/${runId}`)).json()) as Run;
  if (run.result !== 'SUCCESS') throw new Error(`${name} ended ${run.result}`);
  const byKey = new Map(run.tasks.map(t => [t.key, t]));
  const edges: number[] = [];
  for (const t of tasks) {
    if (!t.dependsOn?.length) continue;
    const start = ms(byKey.get(t.key)!.attempts[0].startedAt);
    const upstreamEnd = Math.max(...t.dependsOn.map(d => ms(byKey.get(d.task)!.endedAt)));
    edges.push(start - upstreamEnd);
  }
  edges.sort((a, b) => a - b);
  const first = Math.min(...run.tasks.map(t => ms(t.attempts[0].startedAt)));
  const last = Math.max(...run.tasks.map(t => ms(t.endedAt)));
  const sink = byKey.get('sink');
  return {
    median: percentile(edges, 0.5),
    p99: percentile(edges, 0.99),
    perSecond: tasks.length / ((last - first) / 1000),
    fanIn: sink
      ? ms(sink.attempts[0].startedAt) -
        Math.max(
          ...tasks.filter(t => t.key.startsWith('m')).map(t => ms(byKey.get(t.key)!.endedAt)),
        )
      : undefined,
    firstDependent: sink
      ? Math.min(
          ...tasks
            .filter(t => t.key.startsWith('m'))
            .map(t => ms(byKey.get(t.key)!.attempts[0].startedAt)),
        ) - ms(byKey.get('root')!.endedAt)
      : undefined,
  };
}

async function startWorker(server: RacineTestServer): Promise<void> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const file = path.join(os.tmpdir(), `racine-bench-worker-${process.pid}-${port}.yaml`);
  fs.writeFileSync(
    file,
    YAML.stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        database: server.database.backendDatabaseConfig,
      },
      auth: {
        environment: 'development',
        providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
      },
      permission: { enabled: true },
      racine: {
        dataDir: server.dataDir,
        app: { distDir: '/nonexistent' },
        datasources: { demo: { enabled: false } },
        taskQueue: { worker: true },
        rbac: {
          grants: [{ subject: 'user:development/guest', role: 'platform-admin', workspace: '*' }],
        },
      },
    }),
  );
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/backend/src/index.ts', '--config', file],
    {
      cwd: repoRoot,
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    },
  );
  children.push(child);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/.backstage/health/v1/readiness`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('worker did not start');
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  fs.rmSync(file, { force: true });
}

const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(0));

async function scenario(kind: 'sqlite' | 'postgres', workers: 1 | 2) {
  process.env.RACINE_TEST_DB = kind;
  process.env.LOG_LEVEL = 'error';
  const server = await startRacineServer({
    config: { racine: { datasources: { demo: { enabled: false } } } },
  });
  try {
    if (workers === 2) await startWorker(server);
    const label = `${kind}, ${workers} worker process${workers > 1 ? 'es' : ''}`;
    // Warm-up (JIT, connection pools, the other plugins' start-up work), not measured.
    await measure(server, 'warm-up', chain('core.setValues', 100));
    const c = await measure(server, `chain-${N}`, chain('core.setValues'));
    console.log(
      `${label.padEnd(32)} chain of ${N}            end→start median ${fmt(c.median)} ms, p99 ${fmt(c.p99)} ms, ${c.perSecond.toFixed(0)} tasks/s`,
    );
    const f = await measure(server, `fan-${N}`, fanOutFanIn());
    console.log(
      `${label.padEnd(32)} fan-out/fan-in of ${N}   fan-out first dependent ${fmt(f.firstDependent)} ms, fan-in ${fmt(f.fanIn)} ms, all edges median ${fmt(f.median)} ms / p99 ${fmt(f.p99)} ms (queueing for slots included), ${f.perSecond.toFixed(0)} tasks/s`,
    );
    const a = await measure(server, `action-chain-${N}`, chain('platform.wait'));
    console.log(
      `${label.padEnd(32)} chain of ${N} kernel actions end→start median ${fmt(a.median)} ms, p99 ${fmt(a.p99)} ms, ${a.perSecond.toFixed(0)} tasks/s`,
    );
  } finally {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await server.stop();
  }
}

console.log(
  `Pipelines engine, ${N} tasks per job, racine.taskQueue.concurrency 4 per process (goal: end→start ≤ 50 ms)`,
);
const only = process.argv[3];
if (!only || only === 'sqlite') await scenario('sqlite', 1);
if (!only || only === 'postgres') await scenario('postgres', 1);
if (!only || only === 'postgres') await scenario('postgres', 2);
process.exit(0);
