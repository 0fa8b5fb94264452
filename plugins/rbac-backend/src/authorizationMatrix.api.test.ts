import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The authorization matrix: every route every plugin mounts × every built-in role (plus a
 * user with no grant and no user at all) → the status it must answer. It is generated from
 * the live server: the mounted express routes, the kernel route registry (what each route
 * requires) and the policy (what each role holds), so a new route is covered the moment it
 * is mounted, and fails until it is declared.
 */

const db = process.env.RACINE_TEST_DB ?? 'sqlite';
const PASSWORD = 'matrix passphrase 1234';
const BUILTIN_ROLES = [
  'platform-admin',
  'data-steward',
  'data-owner',
  'data-analyst',
  'compliance-officer',
  'auditor',
  'viewer',
  'workspace-owner',
];
/** Backstage's own plugins, authorized by Backstage itself. */
const BACKSTAGE_PLUGINS = new Set(['auth', 'permission', 'app', 'events']);

interface DeclaredRoute {
  pluginId: string;
  method: string;
  path: string;
  permissions: string[];
  audience: 'signed-in' | 'service' | 'public';
}

const fullPath = (r: { pluginId: string; path: string }) => `/api/${r.pluginId}${r.path}`;
const probe = (path: string) => path.replace(/:[A-Za-z0-9_]+/g, 'matrix-probe');
const pluginOf = (path: string) => path.split('/')[2];

describe(`authorization matrix (${db})`, () => {
  let server: RacineTestServer;
  let declared: DeclaredRoute[];
  const tokens = new Map<string, string>();
  const decisions = new Map<string, string>();

  async function decision(user: string, permission: string): Promise<string> {
    const key = `${user}|${permission}`;
    if (!decisions.has(key)) {
      const res = await server.request(
        `/api/rbac/explain?subject=user:default/${user}&permission=${encodeURIComponent(permission)}`,
      );
      decisions.set(key, (await res.json()).result);
    }
    return decisions.get(key)!;
  }

  async function call(
    method: string,
    path: string,
    token: string | null,
  ): Promise<number | 'timeout'> {
    try {
      const res = await server.request(probe(path), {
        method,
        token,
        json: method === 'GET' || method === 'DELETE' ? undefined : {},
        signal: AbortSignal.timeout(10_000),
      });
      await res.body?.cancel();
      return res.status;
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') return 'timeout';
      throw error;
    }
  }

  beforeAll(async () => {
    server = await startRacineServer();
    for (const role of [...BUILTIN_ROLES, 'none']) {
      const username = `m-${role}`;
      const created = await server.request('/api/rbac/users', {
        method: 'POST',
        json: { username, password: PASSWORD },
      });
      expect(created.status).toBe(201);
      if (role !== 'none') {
        const granted = await server.request('/api/rbac/grants', {
          method: 'POST',
          json: { subject: `user:default/${username}`, role, workspace: '*' },
        });
        expect(granted.status).toBe(201);
      }
      tokens.set(role, await server.signIn(username, PASSWORD));
    }
    declared = (await (await server.request('/api/rbac/routes')).json()).items;
  }, 120_000);
  afterAll(() => server?.stop());

  it('every mounted route is declared in the route registry', () => {
    const mounted = server
      .mountedRoutes()
      .filter(r => !BACKSTAGE_PLUGINS.has(pluginOf(r.path)) && !r.path.includes('/.'));
    expect(mounted.length).toBeGreaterThan(20);
    const undeclared = mounted
      .filter(r => !declared.some(d => d.method === r.method && fullPath(d) === r.path))
      .map(r => `${r.method} ${r.path}`);
    expect(undeclared, 'routes missing from routeRegistryServiceRef').toEqual([]);
  });

  it('every declared route is mounted', () => {
    const mounted = new Set(server.mountedRoutes().map(r => `${r.method} ${r.path}`));
    const ghosts = declared.map(d => `${d.method} ${fullPath(d)}`).filter(k => !mounted.has(k));
    expect(ghosts).toEqual([]);
  });

  it('no route answers a caller without credentials (except public ones)', async () => {
    const failures: string[] = [];
    for (const route of declared.filter(r => r.audience !== 'public' || r.permissions.length)) {
      const status = await call(route.method, fullPath(route), null);
      if (status !== 401) failures.push(`${route.method} ${fullPath(route)} → ${status}`);
    }
    expect(failures).toEqual([]);
  });

  it('every route × every built-in role answers as the policy says', async () => {
    const failures: string[] = [];
    const rows: string[] = [];
    for (const route of declared) {
      if (route.audience === 'public' && route.permissions.length === 0) continue;
      const cells: string[] = [];
      for (const role of [...BUILTIN_ROLES, 'none']) {
        let allowed: boolean;
        if (route.permissions.length) {
          const results = await Promise.all(route.permissions.map(p => decision(`m-${role}`, p)));
          allowed = results.some(r => r !== 'DENY');
        } else {
          allowed = route.audience !== 'service';
        }
        const status = await call(route.method, fullPath(route), tokens.get(role)!);
        cells.push(`${role}:${status}`);
        const what = `${route.method} ${fullPath(route)} as ${role} (${route.permissions.join('|') || route.audience})`;
        if (!allowed && status !== 403) failures.push(`${what}: expected 403, got ${status}`);
        if (allowed && (status === 401 || status === 403))
          failures.push(`${what}: expected access, got ${status}`);
      }
      rows.push(`${route.method} ${fullPath(route)}  ${cells.join(' ')}`);
    }
    expect(rows.length).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  }, 300_000);

  it('every action × every built-in role: 403 without the action permission', async () => {
    const { actions } = await (await server.request('/api/kernel/actions')).json();
    const failures: string[] = [];
    for (const action of actions as Array<{ id: string; permission?: string }>) {
      if (!action.permission) continue;
      for (const role of [...BUILTIN_ROLES, 'none']) {
        if ((await decision(`m-${role}`, action.permission)) !== 'DENY') continue;
        const status = await call('POST', `/api/kernel/actions/${action.id}`, tokens.get(role)!);
        if (status !== 403) failures.push(`${action.id} as ${role}: expected 403, got ${status}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
