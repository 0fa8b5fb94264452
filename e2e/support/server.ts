import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RacineProcess {
  baseUrl: string;
  dataDir: string;
  /** Server output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** YAML merged over app-config.yaml (e.g. to switch a group off). */
  extraConfigYaml?: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'dist-types')
      continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * `npm start` only builds the shell when no build exists; a test must not run against a
 * stale one, so rebuild when any frontend source is newer than the build.
 */
export async function ensureFreshAppBuild(): Promise<void> {
  const index = path.join(repoRoot, 'packages/app/dist/index.html');
  const frontendDirs = [
    'packages/app',
    'kernel/react/src',
    'kernel/common/src',
    ...fs
      .readdirSync(path.join(repoRoot, 'plugins'))
      .filter(name => !/-(backend|node|common)$/.test(name))
      .map(name => `plugins/${name}/src`),
  ];
  const builtAt = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sourcesAt = Math.max(...frontendDirs.map(dir => newestMtime(path.join(repoRoot, dir))));
  if (sourcesAt <= builtAt) return;
  // Asynchronous: a synchronous build would block the vitest worker long enough to time out its RPC.
  const { NODE_ENV: _vitestNodeEnv, ...env } = process.env;
  const build = spawn('npm', ['run', 'build'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  build.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  build.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const code = await new Promise<number | null>(resolve => build.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${log}`);
}

/**
 * Starts Racine exactly as `npm start` does (scripts/start.mjs: built app + API on one port),
 * on a free port with a throw-away data directory, and waits until the API answers.
 */
export async function startRacine(options: StartOptions = {}): Promise<RacineProcess> {
  await ensureFreshAppBuild();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-e2e-'));
  const args = [path.join(repoRoot, 'scripts/start.mjs')];
  if (options.extraConfigYaml) {
    const extra = path.join(dataDir, 'app-config.e2e.yaml');
    fs.writeFileSync(extra, options.extraConfigYaml);
    args.push('--config', path.join(repoRoot, 'app-config.yaml'), '--config', extra);
  }
  // Like `npm start` from a terminal: vitest sets NODE_ENV=test, which start.mjs would pass
  // through, and the guest provider refuses to sign anyone in outside development.
  const { NODE_ENV: _vitestNodeEnv, ...env } = process.env;
  let output = '';
  // Own process group, so stop() ends start.mjs and the backend it spawned together.
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: {
      ...env,
      PORT: String(port),
      RACINE_DATA_DIR: dataDir,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timeout = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 10_000);
      await exited;
      clearTimeout(timeout);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`Racine exited with ${child.exitCode} before answering:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/kernel/navigation`);
      if (response.status === 401 || response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Racine did not answer on ${baseUrl} within 120 s:\n${output}`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  return { baseUrl, dataDir, output: () => output, stop };
}

/** A Backstage token for the guest user, the same way the sign-in page gets one. */
export async function guestToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!response.ok)
    throw new Error(`Guest sign-in failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { backstageIdentity: { token: string } };
  return body.backstageIdentity.token;
}

/** A JSON call to Racine's API; an error answer throws with its status and body. */
export type ApiCall = <T = unknown>(
  path: string,
  init?: { method?: string; json?: unknown },
) => Promise<T>;

/** API calls as the guest user (one token, taken now). */
export async function guestApi(baseUrl: string): Promise<ApiCall> {
  const token = await guestToken(baseUrl);
  return async <T>(path: string, init: { method?: string; json?: unknown } = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        Authorization: `Bearer ${token}`,
        ...(init.json ? { 'Content-Type': 'application/json' } : {}),
      },
      body: init.json ? JSON.stringify(init.json) : undefined,
    });
    if (!response.ok)
      throw new Error(
        `${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`,
      );
    return (await response.json()) as T;
  };
}

/**
 * Scans the demo data source `sample-retail` with the default rule set and waits until the
 * run succeeded (usable in `beforeAll`, where `expect.poll` is not).
 */
export async function scanDemoSource(api: ApiCall, timeoutMs = 120_000): Promise<void> {
  const { items } = await api<{ items: { id: string; name: string }[] }>('/api/datasources');
  const demo = items.find(source => source.name === 'sample-retail');
  if (!demo) throw new Error('The demo data source sample-retail is missing');
  const run = await api<{ id: string }>('/api/scans/runs', {
    method: 'POST',
    json: { dataSourceId: demo.id },
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await api<{ status: string }>(`/api/scans/runs/${run.id}`);
    if (status === 'succeeded') return;
    if (status === 'failed' || status === 'canceled' || Date.now() > deadline)
      throw new Error(
        `The scan of the demo data source ended ${status === 'queued' || status === 'running' ? 'too late' : status}`,
      );
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}
