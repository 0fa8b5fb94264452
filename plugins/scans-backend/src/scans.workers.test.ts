import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSource, type PostgresSource } from './__fixtures__/sources';
import { catalogAssets, createDataSource, waitForRun } from './__fixtures__/api';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const LEASE_TTL_SECONDS = 6;

interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait (SIGKILL after 20 s). */
  stop(): Promise<void>;
}

/**
 * A separate worker process: the real backend (`node --import tsx packages/backend/src/index.ts
 * --config <yaml>`) on the API server's database, with the task queue working.
 */
async function startWorker(server: RacineTestServer, name: string): Promise<WorkerProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const configFile = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), `scans-${name}-`)),
    'worker.yaml',
  );
  // JSON is YAML.
  fs.writeFileSync(
    configFile,
    JSON.stringify({
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
        taskQueue: { worker: true, concurrency: 2 },
        scans: { leaseTtlSeconds: LEASE_TTL_SECONDS },
      },
    }),
  );
  const { NODE_ENV: _vitest, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/backend/src/index.ts', '--config', configFile],
    {
      cwd: repoRoot,
      env: { ...env, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`Worker ${name} exited (${child.exitCode}):\n${log}`);
    const up = await fetch(`${baseUrl}/api/scans/runs`).then(
      res => res.status === 401,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Worker ${name} did not start:\n${log}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  return {
    child,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
    },
  };
}

describe.runIf(engine === 'postgres')('scans across worker processes (postgres)', () => {
  let server: RacineTestServer;
  let source: PostgresSource;
  const workers: WorkerProcess[] = [];
  const VIEWS = 16;

  beforeAll(async () => {
    [server, source] = await Promise.all([
      // The API replica works no tasks: every table is scanned by the worker processes.
      startRacineServer({
        config: {
          racine: { taskQueue: { worker: false }, scans: { leaseTtlSeconds: LEASE_TTL_SECONDS } },
        },
      }),
      createPostgresSource('scans_workers'),
    ]);
    await source.sql('CREATE SCHEMA bulk');
    for (let i = 1; i <= VIEWS; i++) {
      await source.sql(
        `CREATE VIEW bulk."nap ${String(i).padStart(2, '0')}" AS SELECT g AS id, pg_sleep(0.7)::text AS nap FROM generate_series(1, 1) g`,
      );
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...workers.map(w => w.stop().catch(() => undefined)), server?.stop()]);
    await source?.drop();
  }, 240_000);

  it('finishes a scan after the worker running it is killed with SIGKILL; every table is in the catalog exactly once', async () => {
    const dataSourceId = await createDataSource(server, source, 'Shared by workers');
    const first = await startWorker(server, 'a');
    workers.push(first);

    const res = await server.request('/api/scans/runs', {
      method: 'POST',
      json: { dataSourceId, ruleSetId: 'default' },
    });
    expect(res.status).toBe(202);
    const runId = (await res.json()).id;

    // Mid-scan: some tables done, others running or waiting.
    const mid = await waitForRun(
      server,
      runId,
      run => run.progress.tablesTotal > 0 && run.progress.tablesDone >= 3,
      120_000,
    );
    expect(mid.status).toBe('running');
    expect(mid.progress.tablesDone).toBeLessThan(mid.progress.tablesTotal);
    first.child.kill('SIGKILL');
    await new Promise(resolve => first.child.once('exit', resolve));

    const second = await startWorker(server, 'b');
    workers.push(second);
    const run = await waitForRun(server, runId, undefined, 150_000);
    expect(run.status).toBe('succeeded');
    const total = VIEWS + 4;
    expect(run.progress).toMatchObject({ tablesTotal: total, tablesDone: total, tablesFailed: 0 });

    const tables = (
      await (await server.request(`/api/scans/runs/${runId}/tables?limit=100`)).json()
    ).items;
    expect(tables).toHaveLength(total);
    expect(tables.every((t: { status: string }) => t.status === 'succeeded')).toBe(true);
    // Tables the killed worker held were taken over by the second one (a second attempt).
    expect(tables.some((t: { attempts: number }) => t.attempts >= 2)).toBe(true);

    const assets = await catalogAssets(server, dataSourceId);
    const names = assets.map(a => a.qualifiedName);
    expect(names).toHaveLength(total);
    expect(new Set(names).size).toBe(total);
    expect(assets.every(a => a.status === 'active')).toBe(true);
    for (let i = 1; i <= VIEWS; i++)
      expect(names).toContain(`bulk.nap ${String(i).padStart(2, '0')}`);
  }, 400_000);
});
