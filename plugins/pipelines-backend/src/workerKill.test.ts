import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type { Job, Run } from '@racine/plugin-pipelines-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

/**
 * Worker-kill recovery on PostgreSQL: a separate process running the real backend as a task
 * worker is SIGKILLed while two tasks are in flight; another worker process takes over and the
 * run completes with every task's effect exactly once (the idempotent PUT runs again, which is
 * its effect once; the non-idempotent POST is marked FAILED instead of being run twice).
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const postgres = (process.env.RACINE_TEST_DB ?? 'sqlite') === 'postgres';

async function waitFor<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

describe.runIf(postgres)('pipelines worker-kill recovery (postgres)', () => {
  let server: RacineTestServer;
  let target: http.Server;
  let targetUrl = '';
  const hits: string[] = [];
  const children: ChildProcess[] = [];
  const configFiles: string[] = [];
  const pipelinesConfig = {
    http: { allowedHosts: ['127.0.0.1'] },
    leaseSeconds: 3,
    recoverAfterSeconds: 5,
    schedulerIntervalSeconds: 2,
  };

  async function startWorker(name: string): Promise<ChildProcess> {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const file = path.join(
      os.tmpdir(),
      `racine-pipelines-${name}-${process.pid}-${Date.now()}.yaml`,
    );
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
          providers: {
            guest: {
              dangerouslyAllowOutsideDevelopment: true,
              userEntityRef: 'user:development/guest',
            },
          },
        },
        permission: { enabled: true },
        racine: {
          dataDir: server.dataDir,
          app: { distDir: '/nonexistent' },
          datasources: { demo: { enabled: false } },
          taskQueue: { worker: true, concurrency: 4 },
          pipelines: pipelinesConfig,
          rbac: {
            grants: [{ subject: 'user:development/guest', role: 'platform-admin', workspace: '*' }],
          },
        },
      }),
    );
    configFiles.push(file);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'packages/backend/src/index.ts', '--config', file],
      {
        cwd: repoRoot,
        env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    children.push(child);
    let exited: number | null = null;
    child.once('exit', code => {
      exited = code;
    });
    await waitFor(
      async () => {
        if (exited !== null) throw new Error(`worker ${name} exited (${exited}): ${output}`);
        try {
          const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
          return res.ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      `worker ${name} to start`,
      150_000,
    ).catch(error => {
      throw new Error(`${(error as Error).message}\n${output}`);
    });
    return child;
  }

  beforeAll(async () => {
    target = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      req.resume();
      const delay = req.url?.startsWith('/slow') ? 8000 : 0;
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end('{"ok":true}');
      }, delay);
    });
    await new Promise<void>(resolve => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    // The in-process server only serves the API and enqueues: the child processes do the work.
    server = await startRacineServer({
      config: { racine: { taskQueue: { worker: false }, pipelines: pipelinesConfig } },
    });
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await server?.stop();
    target?.close();
    for (const file of configFiles) fs.rmSync(file, { force: true });
  });

  it('completes a run after its worker is killed mid-task, each task effect once', async () => {
    const created = await server.request('/api/pipelines/jobs', {
      method: 'POST',
      json: {
        name: 'survives a worker kill',
        tasks: [
          { key: 'a', step: 'core.http', input: { method: 'POST', url: `${targetUrl}/a` } },
          {
            key: 'b',
            step: 'core.http',
            input: { method: 'PUT', url: `${targetUrl}/slow-b` },
            dependsOn: [{ task: 'a' }],
          },
          {
            key: 'c',
            step: 'core.http',
            input: { method: 'POST', url: `${targetUrl}/slow-c` },
            dependsOn: [{ task: 'a' }],
          },
          {
            key: 'd',
            step: 'core.http',
            input: { method: 'POST', url: `${targetUrl}/d` },
            dependsOn: [{ task: 'b' }, { task: 'c' }],
            runIf: 'ALL_DONE',
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const job = (await created.json()) as Job;

    const first = await startWorker('first');
    const { runId } = (await (
      await server.request(`/api/pipelines/jobs/${job.id}/run`, { method: 'POST', json: {} })
    ).json()) as { runId: string };
    // Both slow requests are in flight in the first worker: kill it.
    await waitFor(
      () => (hits.includes('PUT /slow-b') && hits.includes('POST /slow-c') ? true : undefined),
      'b and c to start',
      60_000,
    );
    const killedPid = first.pid;
    first.kill('SIGKILL');
    await new Promise(resolve => first.once('exit', resolve));

    await startWorker('second');
    const run = await waitFor(
      async () => {
        const view = (await (await server.request(`/api/pipelines/runs/${runId}`)).json()) as Run;
        return view.status === 'TERMINATED' ? view : undefined;
      },
      'the run to finish on the second worker',
      120_000,
    );

    const count = (hit: string) => hits.filter(h => h === hit).length;
    expect(run.tasks.map(t => [t.key, t.result])).toEqual([
      ['a', 'SUCCESS'],
      ['b', 'SUCCESS'],
      ['c', 'FAILED'],
      ['d', 'SUCCESS'],
    ]);
    // c failed, but the leaf d (ALL_DONE) succeeded.
    expect(run.result).toBe('SUCCESS_WITH_FAILURES');
    expect(run.tasks.find(t => t.key === 'c')!.error).toMatch(/^Interrupted: .*not idempotent/);
    expect(count('POST /a')).toBe(1);
    expect(count('POST /slow-c')).toBe(1);
    expect(count('PUT /slow-b')).toBe(2);
    expect(count('POST /d')).toBe(1);
    const b = run.tasks.find(t => t.key === 'b')!;
    expect(b.attempts).toHaveLength(1);
    expect(b.attempts[0].worker).not.toContain(`-${killedPid}-`);
  }, 420_000);
});
