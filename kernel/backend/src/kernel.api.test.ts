import { GROUPS, startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const db = process.env.RACINE_TEST_DB ?? 'sqlite';

interface Activity {
  seq: number;
  verb: string;
  outcome: string;
  actor: string;
  resource: string;
  workspace: string;
}

describe(`kernel API as platform-admin (${db})`, () => {
  let server: RacineTestServer;
  beforeAll(async () => {
    server = await startRacineServer();
  });
  afterAll(() => server?.stop());

  it.each([
    '/api/kernel/navigation',
    '/api/kernel/search?q=default',
    '/api/kernel/actions',
    '/api/kernel/workflow-steps',
    '/api/kernel/permissions',
    '/api/kernel/activity',
    '/api/kernel/activity/verify',
    '/api/kernel/workspaces',
    '/api/kernel/me',
    '/api/platform/health',
  ])('GET %s needs a signed-in caller', async path => {
    const res = await server.request(path, { token: null });
    expect(res.status).toBe(401);
  });

  it('rejects a forged token', async () => {
    const res = await server.request('/api/kernel/navigation', { token: 'not-a-token' });
    expect(res.status).toBe(401);
  });

  it('serves navigation from every registered plugin, ordered', async () => {
    const res = await server.request('/api/kernel/navigation');
    expect(res.status).toBe(200);
    const { items } = await res.json();
    const ids = items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(
      expect.arrayContaining(['platform.system', 'platform.workspaces', 'kernel.activity']),
    );
    const system = items.find((i: { id: string }) => i.id === 'platform.system');
    expect(system).toMatchObject({
      title: 'System',
      path: '/system',
      group: 'Platform',
      icon: 'Settings',
      pluginId: 'platform',
    });
    const orders = items.map((i: { order: number }) => i.order);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
  });

  it('describes actions with JSON Schema generated from zod', async () => {
    const { actions } = await (await server.request('/api/kernel/actions')).json();
    const create = actions.find((a: { id: string }) => a.id === 'platform.createWorkspace');
    expect(create).toMatchObject({
      title: 'Create workspace',
      permission: 'workspace.create',
      pluginId: 'platform',
    });
    expect(create.inputSchema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['name', 'title']),
    });
    expect(create.inputSchema.properties.name).toMatchObject({ type: 'string' });
    expect(actions.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining(['platform.listWorkspaces', 'platform.wait']),
    );
  });

  it('lists workflow steps and permissions with default grants', async () => {
    const { steps } = await (await server.request('/api/kernel/workflow-steps')).json();
    const wait = steps.find((s: { id: string }) => s.id === 'platform.wait');
    expect(wait).toMatchObject({
      actionId: 'platform.wait',
      pluginId: 'platform',
      idempotent: true,
      outputs: ['waitedSeconds'],
    });
    expect(wait.inputSchema.properties.seconds.type).toBe('number');
    const { permissions, defaultGrants } = await (
      await server.request('/api/kernel/permissions')
    ).json();
    expect(permissions.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining([
        'workspace.view',
        'workspace.create',
        'workspace.edit',
        'activity.view',
      ]),
    );
    expect(defaultGrants.auditor).toContain('activity.view');
  });

  it('rejects an action input that breaks the schema with a 400 naming the field', async () => {
    const res = await server.request('/api/kernel/actions/platform.createWorkspace', {
      method: 'POST',
      json: { name: 'Not Valid!', title: '' },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.name).toBe('InputError');
    expect(body.error.message).toMatch(/name:/);
    expect(body.error.message).toMatch(/title:/);
  });

  it('answers 404 for an unknown action and 400 for an unknown workspace', async () => {
    expect(
      (await server.request('/api/kernel/actions/platform.nope', { method: 'POST', json: {} }))
        .status,
    ).toBe(404);
    const res = await server.request('/api/kernel/actions/platform.listWorkspaces', {
      method: 'POST',
      json: {},
      headers: { 'x-racine-workspace': 'no-such-space' },
    });
    expect(res.status).toBe(400);
  });

  it('runs an action, audits it, and search finds its result', async () => {
    const res = await server.request('/api/kernel/actions/platform.createWorkspace', {
      method: 'POST',
      json: { name: 'finance-emea', title: 'Finance EMEA', description: 'Ledgers and payroll' },
    });
    expect(res.status).toBe(200);
    const { output } = await res.json();
    expect(output).toMatchObject({
      name: 'finance-emea',
      title: 'Finance EMEA',
      createdBy: 'user:development/guest',
    });

    const again = await server.request('/api/kernel/actions/platform.createWorkspace', {
      method: 'POST',
      json: { name: 'finance-emea', title: 'Again' },
    });
    expect(again.status).toBe(409);

    const activity = await (
      await server.request('/api/kernel/activity?verb=platform.createWorkspace')
    ).json();
    const outcomes = activity.items.map((a: Activity) => a.outcome);
    expect(outcomes).toEqual(['failure', 'success', 'failure']);
    expect(activity.items[1]).toMatchObject({
      actor: 'user:development/guest',
      resource: 'racine:kernel:workspace/finance-emea',
      workspace: 'default',
    });

    const { hits } = await (await server.request('/api/kernel/search?q=finance')).json();
    expect(hits[0]).toMatchObject({
      ref: 'racine:kernel:workspace/finance-emea',
      type: 'workspace',
      title: 'Finance EMEA',
    });
    const none = await (
      await server.request('/api/kernel/search?q=finance&types=datasource')
    ).json();
    expect(none.hits).toEqual([]);
  });

  it('creates workspaces over REST and validates them', async () => {
    const bad = await server.request('/api/kernel/workspaces', {
      method: 'POST',
      json: { name: '-x', title: 'x' },
    });
    expect(bad.status).toBe(400);
    const res = await server.request('/api/kernel/workspaces', {
      method: 'POST',
      json: { name: 'marketing', title: 'Marketing' },
    });
    expect(res.status).toBe(201);
    const { items } = await (await server.request('/api/kernel/workspaces')).json();
    expect(items.map((w: { name: string }) => w.name)).toEqual(
      expect.arrayContaining(['default', 'marketing']),
    );
    const one = await server.request('/api/kernel/workspaces/marketing');
    expect((await one.json()).title).toBe('Marketing');
    expect((await server.request('/api/kernel/workspaces/nope')).status).toBe(404);
  });

  it('pages the activity trail and verifies the chain', async () => {
    const page = await (await server.request('/api/kernel/activity?limit=2')).json();
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
    const next = await (
      await server.request(`/api/kernel/activity?limit=2&cursor=${page.nextCursor}`)
    ).json();
    expect(next.items[0].seq).toBeLessThan(page.items[1].seq);
    expect((await server.request('/api/kernel/activity?since=yesterday')).status).toBe(400);
    const verify = await (await server.request('/api/kernel/activity/verify')).json();
    expect(verify).toMatchObject({ ok: true });
    expect(verify.checked).toBeGreaterThan(3);
  });

  it('reports its health and who the caller is', async () => {
    const health = await (await server.request('/api/platform/health')).json();
    expect(health).toMatchObject({
      status: 'ok',
      database: { ok: true, client: db },
      queue: { ok: true },
    });
    expect(health.plugins.map((p: { id: string }) => p.id)).toEqual(
      expect.arrayContaining(['kernel', 'platform', 'permission', 'auth']),
    );
    const me = await (await server.request('/api/kernel/me')).json();
    expect(me.userEntityRef).toBe('user:development/guest');
    expect(me.permissions).toEqual(expect.arrayContaining(['workspace.create', 'activity.view']));
  });
});

describe(`kernel API as an auditor (${db})`, () => {
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

  it('denies an action without its permission with 403 and audits the denial', async () => {
    const res = await server.request('/api/kernel/actions/platform.createWorkspace', {
      method: 'POST',
      json: { name: 'sneaky', title: 'Sneaky' },
    });
    expect(res.status).toBe(403);
    const { items } = await (
      await server.request('/api/kernel/activity?verb=platform.createWorkspace')
    ).json();
    expect(items[0]).toMatchObject({ outcome: 'denied', actor: 'user:default/audrey' });
    expect((await server.request('/api/kernel/workspaces/sneaky')).status).toBe(404);
    const rest = await server.request('/api/kernel/workspaces', {
      method: 'POST',
      json: { name: 'sneaky', title: 'x' },
    });
    expect(rest.status).toBe(403);
  });

  it('filters navigation and the palette by permission', async () => {
    const { items } = await (await server.request('/api/kernel/navigation')).json();
    expect(items.map((i: { id: string }) => i.id)).toEqual(
      expect.arrayContaining(['kernel.activity', 'platform.workspaces']),
    );
    const { actions } = await (await server.request('/api/kernel/actions')).json();
    const ids = actions.map((a: { id: string }) => a.id);
    expect(ids).toContain('platform.listWorkspaces');
    expect(ids).not.toContain('platform.createWorkspace');
  });
});

describe(`kernel API for a user with no grants (${db})`, () => {
  let server: RacineTestServer;
  beforeAll(async () => {
    server = await startRacineServer({
      guestUser: 'user:default/nobody',
      config: { racine: { rbac: { grants: [] } } },
    });
  });
  afterAll(() => server?.stop());

  it('shows nothing and allows nothing', async () => {
    const nav = (await (await server.request('/api/kernel/navigation')).json()).items;
    // Only the personal page every signed-in user has remains.
    expect(nav.map((i: { id: string }) => i.id)).toEqual(['rbac.myAccess']);
    const { actions } = await (await server.request('/api/kernel/actions')).json();
    // Only actions that need no permission remain for a user without grants.
    expect(actions.every((a: { permission?: string }) => !a.permission)).toBe(true);
    expect(actions.map((a: { id: string }) => a.id)).toContain('platform.wait');
    expect((await server.request('/api/kernel/activity')).status).toBe(403);
    // Workspaces are listed by membership: none for a user with no grants.
    expect(await (await server.request('/api/kernel/workspaces')).json()).toEqual({ items: [] });
    expect((await server.request('/api/kernel/workspaces/default')).status).toBe(404);
    expect((await server.request('/api/platform/health')).status).toBe(403);
    expect((await (await server.request('/api/kernel/search?q=default')).json()).hits).toEqual([]);
  });
});

describe(`switched-off groups (${db})`, () => {
  let server: RacineTestServer;
  let alone: RacineTestServer;
  beforeAll(async () => {
    const allOff = Object.fromEntries(GROUPS.map(g => [g.id, { enabled: false }]));
    [server, alone] = await Promise.all([
      startRacineServer({ config: { racine: { groups: { platform: { enabled: false } } } } }),
      startRacineServer({ config: { racine: { groups: allOff } } }),
    ]);
  });
  afterAll(() => Promise.all([server?.stop(), alone?.stop()]));

  it('leave no trace in any registry or route', async () => {
    const nav = (await (await server.request('/api/kernel/navigation')).json()).items;
    expect(nav.filter((i: { pluginId: string }) => i.pluginId === 'platform')).toEqual([]);
    const { actions } = await (await server.request('/api/kernel/actions')).json();
    expect(actions.filter((a: { id: string }) => a.id.startsWith('platform.'))).toEqual([]);
    const { steps } = await (await server.request('/api/kernel/workflow-steps')).json();
    expect(steps.filter((s: { pluginId: string }) => s.pluginId === 'platform')).toEqual([]);
    const { permissions } = await (await server.request('/api/kernel/permissions')).json();
    expect(permissions.filter((p: { pluginId: string }) => p.pluginId === 'platform')).toEqual([]);
    const { hits } = await (await server.request('/api/kernel/search?q=default')).json();
    expect(hits.filter((h: { type: string }) => h.type === 'workspace')).toEqual([]);
    expect((await server.request('/api/platform/health')).status).toBe(404);
    const invoke = await server.request('/api/kernel/actions/platform.createWorkspace', {
      method: 'POST',
      json: { name: 'x', title: 'x' },
    });
    expect(invoke.status).toBe(404);
    const frontend = await (
      await server.request('/racine/frontend-config.json', { token: null })
    ).json();
    expect(frontend.racine.groups.platform.enabled).toBe(false);
  });

  it('with every group off, only the kernel remains', async () => {
    const nav = (await (await alone.request('/api/kernel/navigation')).json()).items.map(
      (i: { id: string }) => i.id,
    );
    expect(nav).toEqual(['kernel.activity']);
    expect((await (await alone.request('/api/kernel/actions')).json()).actions).toEqual([]);
    expect((await (await alone.request('/api/kernel/workflow-steps')).json()).steps).toEqual([]);
    expect((await (await alone.request('/api/kernel/permissions')).json()).permissions).toEqual([]);
    expect((await (await alone.request('/api/kernel/search?q=a')).json()).hits).toEqual([]);
    for (const group of GROUPS) {
      expect((await alone.request(`/api/${group.id}/`)).status).toBe(404);
    }
    const frontend = await (
      await alone.request('/racine/frontend-config.json', { token: null })
    ).json();
    expect(
      Object.values(frontend.racine.groups).every(g => !(g as { enabled: boolean }).enabled),
    ).toBe(true);
  });
});
