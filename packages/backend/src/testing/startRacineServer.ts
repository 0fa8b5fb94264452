import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { listExpressRoutes, type MountedRoute } from '@racine/kernel-node';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { createRacineBackend } from '../createRacineBackend';

/**
 * Starts the real Racine backend in-process for API tests: real HTTP on a free port, real
 * Backstage auth (guest sign-in issues real tokens), the real permission backend with the
 * Casbin policy, on a fresh SQLite or PostgreSQL database (RACINE_TEST_DB).
 */
export interface RacineTestServer {
  baseUrl: string;
  /** RACINE_DATA_DIR of this server (secrets key, demo files). */
  dataDir: string;
  database: TestDatabase;
  /** A Backstage token for the configured guest identity. */
  token: string;
  /**
   * Signs in a native account (`POST /api/auth/native/refresh` with Basic credentials, plus
   * `X-Racine-OTP` when given) and returns its Backstage token; throws on a non-200.
   */
  signIn(username: string, password: string, options?: { otp?: string }): Promise<string>;
  /** Every route mounted under /api (method, full path), read from the live express tree. */
  mountedRoutes(): MountedRoute[];
  /** fetch against the server with the guest token (unless `token: null`). */
  request(
    path: string,
    init?: RequestInit & { token?: string | null; json?: unknown },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export interface RacineTestServerOptions {
  /** Config merged over the test defaults (e.g. `{ racine: { groups: { platform: { enabled: false } } } }`). */
  config?: Record<string, unknown>;
  /** The identity guest sign-in gives (default `user:development/guest`, a platform-admin). */
  guestUser?: string;
  /** Listen on this port (default: a free one), e.g. when a redirect URI must be known first. */
  port?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function deepMerge(
  base: Record<string, unknown>,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object' &&
      !Array.isArray(current)
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export async function startRacineServer(
  options: RacineTestServerOptions = {},
): Promise<RacineTestServer> {
  process.env.LOG_LEVEL ??= 'warn';
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-data-'));
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const guestUser = options.guestUser ?? 'user:development/guest';
  const config = deepMerge(
    {
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        database: database.backendDatabaseConfig,
      },
      auth: {
        environment: 'development',
        providers: {
          guest: { dangerouslyAllowOutsideDevelopment: true, userEntityRef: guestUser },
          native: {},
        },
      },
      permission: { enabled: true },
      racine: {
        dataDir,
        app: { distDir: '/nonexistent' },
        taskQueue: { worker: true },
        // A cheaper scrypt cost keeps sign-in tests fast; production keeps N=2^17.
        auth: { passwordHashing: { cost: 16384 } },
        rbac: {
          grants: [{ subject: 'user:development/guest', role: 'platform-admin', workspace: '*' }],
        },
      },
    },
    options.config ?? {},
  );
  let routesHandler: unknown;
  const backend = createRacineBackend({
    overrides: [
      rootHttpRouterServiceFactory({
        configure({ applyDefaults, routes }) {
          routesHandler = routes;
          applyDefaults();
        },
      }),
      createServiceFactory({
        service: coreServices.rootConfig,
        deps: {},
        factory: () => new ConfigReader(config as JsonObject),
      }),
    ],
  });
  await backend.start();

  const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!refresh.ok)
    throw new Error(`Guest sign-in failed: ${refresh.status} ${await refresh.text()}`);
  const token: string = (await refresh.json()).backstageIdentity.token;

  return {
    baseUrl,
    dataDir,
    database,
    token,
    async signIn(username, password, signInOptions = {}) {
      const headers: Record<string, string> = {
        'X-Requested-With': 'XMLHttpRequest',
        Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      };
      if (signInOptions.otp) headers['X-Racine-OTP'] = signInOptions.otp;
      const res = await fetch(`${baseUrl}/api/auth/native/refresh`, { method: 'POST', headers });
      if (!res.ok)
        throw new Error(`Native sign-in of ${username} failed: ${res.status} ${await res.text()}`);
      return (await res.json()).backstageIdentity.token as string;
    },
    mountedRoutes() {
      return listExpressRoutes(routesHandler).filter(r => r.path.startsWith('/api/'));
    },
    request(path, init = {}) {
      const { token: tokenOverride, json, ...rest } = init;
      const headers = new Headers(rest.headers);
      const bearer = tokenOverride === undefined ? token : tokenOverride;
      if (bearer) headers.set('Authorization', `Bearer ${bearer}`);
      if (json !== undefined) headers.set('Content-Type', 'application/json');
      return fetch(`${baseUrl}${path}`, {
        ...rest,
        headers,
        body: json !== undefined ? JSON.stringify(json) : rest.body,
      });
    },
    async stop() {
      await backend.stop();
      await database.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
