import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMariaDbFixture,
  createPostgresFixture,
  createSqliteFixture,
  type MariaDbFixture,
  type PostgresFixture,
  type SqliteFixture,
} from './__fixtures__/databases';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const BASE = '/api/scan-rulesets';

interface RuleSetBody {
  id: string;
  ref: string;
  name: string;
  description: string;
  workspace: string;
  builtin: boolean;
  version: number;
  definition: Record<string, Record<string, unknown>>;
  createdBy: string;
  updatedBy: string;
}

interface Activity {
  verb: string;
  outcome: string;
  actor: string;
  resource: string;
  workspace: string;
  summary: string;
}

async function json<T = Record<string, unknown>>(
  response: Response | Promise<Response>,
): Promise<T> {
  return (await (await response).json()) as T;
}

async function activityOf(server: RacineTestServer, query: string): Promise<Activity[]> {
  const { items } = await json<{ items: Activity[] }>(
    server.request(`/api/kernel/activity?${query}`),
  );
  return items;
}

describe(`scan-rulesets API as platform-admin (${engine})`, () => {
  let server: RacineTestServer;
  beforeAll(async () => {
    server = await startRacineServer();
  });
  afterAll(() => server?.stop());

  const post = (path: string, body: unknown, headers?: Record<string, string>) =>
    server.request(`${BASE}${path}`, { method: 'POST', json: body, headers });
  const put = (path: string, body: unknown) =>
    server.request(`${BASE}${path}`, { method: 'PUT', json: body });

  it.each([
    ['GET', ''],
    ['POST', ''],
    ['GET', '/default'],
    ['PUT', '/default'],
    ['DELETE', '/default'],
    ['GET', '/default/versions'],
    ['GET', '/default/versions/1'],
    ['GET', '/default/diff'],
    ['POST', '/default/rollback'],
    ['POST', '/default/preview'],
  ])('%s %s needs a signed-in caller', async (method, path) => {
    const res = await server.request(`${BASE}${path}`, {
      method,
      token: null,
      json: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    expect(res.status).toBe(401);
  });

  it('serves the four built-in rule sets', async () => {
    const { items } = await json<{ items: RuleSetBody[] }>(server.request(BASE));
    expect(items.map(r => r.id).sort()).toEqual([
      'default',
      'full-profile',
      'pci-focus',
      'quick-pii',
    ]);
    expect(items.every(r => r.builtin && r.version === 1 && r.workspace === 'default')).toBe(true);
    const quick = await json<RuleSetBody>(server.request(`${BASE}/quick-pii`));
    expect(quick).toMatchObject({
      id: 'quick-pii',
      ref: 'racine:scan-rulesets:rule-set/quick-pii',
      name: 'Quick PII scan',
      builtin: true,
      version: 1,
      definition: { sampling: { size: 100, strategy: 'random' }, profiling: { enabled: false } },
    });
    // What scans read: the full definition, every default applied.
    expect(Object.keys(quick.definition).sort()).toEqual(
      [
        'classifiers',
        'exclude',
        'include',
        'incremental',
        'profiling',
        'sampling',
        'tableLimit',
        'tableTimeoutSeconds',
      ].sort(),
    );
  });

  it('creates a rule set with defaults, audits it, and refuses a duplicate name with 409', async () => {
    const res = await post('', {
      name: 'Customer data',
      description: 'CRM tables',
      definition: { include: { schemas: ['crm'] } },
    });
    expect(res.status).toBe(201);
    const created = await json<RuleSetBody>(res);
    expect(created).toMatchObject({
      name: 'Customer data',
      description: 'CRM tables',
      version: 1,
      builtin: false,
      workspace: 'default',
      createdBy: 'user:development/guest',
      definition: {
        include: { schemas: ['crm'], tables: ['*'], columns: ['*'] },
        sampling: { size: 100 },
      },
    });
    expect(created.definition.exclude.schemas).toContain('pg_catalog');
    const dup = await post('', { name: 'customer DATA' });
    expect(dup.status).toBe(409);
    const activity = await activityOf(server, `verb=rule_set.create`);
    expect(activity.map(a => a.outcome)).toEqual(['failure', 'success']);
    expect(activity[1]).toMatchObject({
      actor: 'user:development/guest',
      resource: created.ref,
      workspace: 'default',
    });
  });

  it('answers 400 naming every bad field', async () => {
    const res = await post('', {
      name: '',
      definition: { sampling: { size: 20_000 }, classifiers: { minConfidence: 2 }, bogus: 1 },
    });
    expect(res.status).toBe(400);
    const { error } = await json<{ error: { name: string; message: string } }>(res);
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(/name: /);
    expect(error.message).toMatch(/definition\.sampling\.size: Too big/);
    expect(error.message).toMatch(/definition\.classifiers\.minConfidence: Too big/);
    expect(error.message).toMatch(/bogus/);
    expect((await post('', { name: 'x', definition: { include: { tables: [''] } } })).status).toBe(
      400,
    );
    expect((await post('', { name: 'x', workspace: 'no-such-space' })).status).toBe(400);
    expect((await post('', { name: 'x', workspace: 'Not Valid!' })).status).toBe(400);
    expect((await post('', 'not json')).status).toBe(400);
  });

  it('puts a rule set in the requested workspace and lists per workspace', async () => {
    const ws = await server.request('/api/kernel/workspaces', {
      method: 'POST',
      json: { name: 'finance', title: 'Finance' },
    });
    expect(ws.status).toBe(201);
    const byHeader = await json<RuleSetBody>(
      post('', { name: 'Ledgers' }, { 'x-racine-workspace': 'finance' }),
    );
    expect(byHeader.workspace).toBe('finance');
    // Same name, other workspace: fine.
    const inDefault = await post('', { name: 'Ledgers' });
    expect(inDefault.status).toBe(201);
    const finance = await json<{ items: RuleSetBody[] }>(
      server.request(`${BASE}?workspace=finance`),
    );
    expect(finance.items.filter(r => !r.builtin).map(r => r.name)).toEqual(['Ledgers']);
    expect(finance.items.filter(r => r.builtin)).toHaveLength(4);
    const all = await json<{ items: RuleSetBody[] }>(server.request(`${BASE}?workspace=*`));
    expect(all.items.filter(r => r.name === 'Ledgers')).toHaveLength(2);
    const searched = await json<{ items: RuleSetBody[] }>(server.request(`${BASE}?q=ledg`));
    expect(searched.items.map(r => r.name)).toEqual(['Ledgers']);
    expect((await server.request(`${BASE}?workspace=nope`)).status).toBe(400);
    expect((await server.request(`${BASE}?limit=0`)).status).toBe(400);
  });

  it('versions every change, diffs versions and rolls back', async () => {
    const created = await json<RuleSetBody>(
      post('', { name: 'Versioned', definition: { sampling: { size: 50 } } }),
    );
    const v2res = await put(`/${created.id}`, {
      definition: { sampling: { size: 500 }, exclude: { tables: ['tmp_*'] } },
    });
    expect(v2res.status).toBe(200);
    const v2 = await json<RuleSetBody>(v2res);
    expect(v2.version).toBe(2);
    const v3 = await json<RuleSetBody>(
      put(`/${created.id}`, { name: 'Versioned v3', expectedVersion: 2 }),
    );
    expect(v3).toMatchObject({ version: 3, name: 'Versioned v3' });
    // Nothing changed: no version.
    const same = await json<RuleSetBody>(put(`/${created.id}`, { name: 'Versioned v3' }));
    expect(same.version).toBe(3);
    expect((await put(`/${created.id}`, { description: 'x', expectedVersion: 2 })).status).toBe(
      409,
    );
    expect((await put(`/${created.id}`, { definition: { sampling: { size: 0 } } })).status).toBe(
      400,
    );
    expect((await put(`/${created.id}`, { name: 'Customer data' })).status).toBe(409);
    expect((await put('/nope', { name: 'x' })).status).toBe(404);

    const versions = await json<{
      items: { version: number; createdBy: string; definition: Record<string, unknown> }[];
    }>(server.request(`${BASE}/${created.id}/versions`));
    expect(versions.items.map(v => v.version)).toEqual([3, 2, 1]);
    expect(versions.items[2]).toMatchObject({
      createdBy: 'user:development/guest',
      definition: { sampling: { size: 50 } },
    });
    const v1 = await json<{ version: number; definition: { sampling: { size: number } } }>(
      server.request(`${BASE}/${created.id}/versions/1`),
    );
    expect(v1.definition.sampling.size).toBe(50);
    expect((await server.request(`${BASE}/${created.id}/versions/9`)).status).toBe(404);
    const badVersion = await server.request(`${BASE}/${created.id}/versions/abc`);
    expect(badVersion.status).toBe(400);
    expect((await json<{ error: { message: string } }>(badVersion)).error.message).toMatch(
      /version: /,
    );
    expect((await server.request(`${BASE}/nope/versions`)).status).toBe(404);

    const diff = await json(server.request(`${BASE}/${created.id}/diff?from=1&to=3`));
    expect(diff).toEqual({
      ruleSetId: created.id,
      fromVersion: 1,
      toVersion: 3,
      changes: [
        { path: 'name', from: 'Versioned', to: 'Versioned v3' },
        { path: 'definition.exclude.tables', from: [], to: ['tmp_*'] },
        { path: 'definition.sampling.size', from: 50, to: 500 },
      ],
    });
    const latest = await json<{ fromVersion: number; toVersion: number }>(
      server.request(`${BASE}/${created.id}/diff`),
    );
    expect(latest).toMatchObject({ fromVersion: 2, toVersion: 3 });
    expect((await server.request(`${BASE}/${created.id}/diff?from=x`)).status).toBe(400);
    expect((await server.request(`${BASE}/${created.id}/diff?from=1&to=99`)).status).toBe(404);

    const rolled = await post(`/${created.id}/rollback`, { version: 1 });
    expect(rolled.status).toBe(201);
    expect(await json(rolled)).toMatchObject({
      version: 4,
      name: 'Versioned',
      definition: { sampling: { size: 50 } },
    });
    const back = await json<{ changes: unknown[] }>(
      server.request(`${BASE}/${created.id}/diff?from=1&to=4`),
    );
    expect(back.changes).toEqual([]);
    const v4 = await json<{ note: string }>(server.request(`${BASE}/${created.id}/versions/4`));
    expect(v4.note).toBe('Rolled back to version 1');
    expect((await post(`/${created.id}/rollback`, {})).status).toBe(400);
    expect((await post(`/${created.id}/rollback`, { version: 12 })).status).toBe(400);
    expect((await post('/nope/rollback', { version: 1 })).status).toBe(404);

    const trail = await activityOf(server, `resource=${encodeURIComponent(created.ref)}`);
    expect(trail.filter(a => a.outcome === 'success').map(a => a.verb)).toEqual([
      'rule_set.rollback',
      'rule_set.update',
      'rule_set.update',
      'rule_set.update',
      'rule_set.create',
    ]);
  });

  it('edits a built-in (new version) but refuses to delete it with 409', async () => {
    const edited = await json<RuleSetBody>(
      put('/quick-pii', {
        definition: { classifiers: { categories: ['PII'] }, profiling: { enabled: false } },
      }),
    );
    expect(edited).toMatchObject({ id: 'quick-pii', version: 2, builtin: true });
    const res = await server.request(`${BASE}/quick-pii`, { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect((await server.request(`${BASE}/quick-pii`)).status).toBe(200);
  });

  it('deletes a rule set: 204, then 404, versions still readable', async () => {
    const created = await json<RuleSetBody>(post('', { name: 'Short-lived' }));
    const res = await server.request(`${BASE}/${created.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await server.request(`${BASE}/${created.id}`)).status).toBe(404);
    expect((await server.request(`${BASE}/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await server.request(`${BASE}/${created.id}/versions/1`)).status).toBe(200);
    const [deletion] = await activityOf(server, 'verb=rule_set.delete&outcome=success');
    expect(deletion).toMatchObject({
      resource: created.ref,
      summary: "Deleted rule set 'Short-lived'",
    });
  });

  it('lists the classifiers and categories a rule set can pick from', async () => {
    const catalog = await json<{
      items: { id: string; categories: string[] }[];
      categories: string[];
    }>(server.request(`${BASE}/classifiers`));
    expect(catalog.categories).toEqual(
      expect.arrayContaining(['PII', 'PCI', 'FINANCIAL', 'GOV', 'PHI']),
    );
    expect(catalog.items.find(c => c.id === 'FIN.CREDIT_CARD_NUMBER')).toMatchObject({
      categories: ['PCI', 'FINANCIAL'],
    });
    expect((await server.request(`${BASE}/classifiers`, { token: null })).status).toBe(401);
  });

  it('contributes navigation, permissions with default grants, search and actions', async () => {
    const { items } = await json<{ items: { id: string }[] }>(
      server.request('/api/kernel/navigation'),
    );
    expect(items.find(i => i.id === 'scan-rulesets.home')).toMatchObject({
      title: 'Scan rule sets',
      path: '/scan-rulesets',
      group: 'Governance',
      icon: 'Tune',
      order: 20,
      pluginId: 'scan-rulesets',
    });
    const { permissions, defaultGrants } = await json<{
      permissions: { name: string }[];
      defaultGrants: Record<string, string[]>;
    }>(server.request('/api/kernel/permissions'));
    expect(permissions.map(p => p.name)).toEqual(
      expect.arrayContaining([
        'rule_sets.view',
        'rule_sets.create',
        'rule_sets.edit',
        'rule_sets.delete',
      ]),
    );
    for (const role of ['viewer', 'data-analyst', 'data-owner', 'compliance-officer', 'auditor']) {
      expect(defaultGrants[role]).toContain('rule_sets.view');
      expect(defaultGrants[role]).not.toContain('rule_sets.create');
    }
    expect(defaultGrants['data-steward']).toEqual(
      expect.arrayContaining([
        'rule_sets.view',
        'rule_sets.create',
        'rule_sets.edit',
        'rule_sets.delete',
      ]),
    );

    const { hits } = await json<{ hits: { ref: string; type: string; url: string }[] }>(
      server.request('/api/kernel/search?q=quick%20pii'),
    );
    expect(hits[0]).toMatchObject({
      ref: 'racine:scan-rulesets:rule-set/quick-pii',
      type: 'rule-set',
      url: '/scan-rulesets/quick-pii',
    });

    const { actions } = await json<{ actions: { id: string }[] }>(
      server.request('/api/kernel/actions'),
    );
    expect(actions.map(a => a.id)).toEqual(
      expect.arrayContaining(['scan-rulesets.list', 'scan-rulesets.preview']),
    );
    const listed = await server.request('/api/kernel/actions/scan-rulesets.list', {
      method: 'POST',
      json: { query: 'profile' },
    });
    expect(listed.status).toBe(200);
    const { output } = await json<{ output: { items: RuleSetBody[] } }>(listed);
    expect(output.items.map(r => r.id)).toEqual(['full-profile']);
    expect(output.items[0].definition.sampling).toEqual({ size: 1000, strategy: 'random' });
    const bad = await server.request('/api/kernel/actions/scan-rulesets.preview', {
      method: 'POST',
      json: { ruleSetId: '' },
    });
    expect(bad.status).toBe(400);
  });

  describe('preview against real data sources', () => {
    let postgres: PostgresFixture;
    let sqlite: SqliteFixture;
    let mariaDb: MariaDbFixture | undefined;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      [postgres, sqlite, mariaDb] = await Promise.all([
        createPostgresFixture(),
        createSqliteFixture(),
        createMariaDbFixture(),
      ]);
      const register = async (name: string, type: string, config: unknown) => {
        const res = await server.request('/api/datasources', {
          method: 'POST',
          json: { name, type, config },
        });
        if (res.status !== 201)
          throw new Error(`Registering ${name}: ${res.status} ${await res.text()}`);
        return (await json<{ id: string }>(res)).id;
      };
      ids.pg = await register('Warehouse', 'postgres', postgres.config);
      ids.sqlite = await register('Shop file', 'sqlite', sqlite.config);
      if (mariaDb) ids.mysql = await register('Payments', 'mysql', mariaDb.config);
    });
    afterAll(async () => {
      await postgres?.drop();
      await sqlite?.drop();
      await mariaDb?.drop();
    });

    type Preview = {
      ruleSetId: string;
      ruleSetVersion: number | null;
      dataSource: { id: string; name: string; type: string };
      tables: { schema: string; name: string; columns: { name: string }[] }[];
      counts: Record<string, number>;
      truncated: boolean;
    };
    const names = (preview: Preview) => preview.tables.map(t => `${t.schema}.${t.name}`);

    it('lists the tables and columns the default rule set would scan on PostgreSQL', async () => {
      const res = await post('/default/preview', { dataSourceId: ids.pg });
      expect(res.status).toBe(200);
      const preview = await json<Preview>(res);
      expect(preview).toMatchObject({
        ruleSetId: 'default',
        ruleSetVersion: 1,
        dataSource: { id: ids.pg, name: 'Warehouse', type: 'postgres' },
        truncated: false,
      });
      expect(names(preview)).toHaveLength(8);
      expect(preview.counts).toMatchObject({
        tablesDiscovered: 8,
        tablesIncluded: 8,
        columnsIncluded: 22,
      });
      const [audited] = await activityOf(server, 'verb=rule_set.preview');
      expect(audited).toMatchObject({
        outcome: 'success',
        resource: 'racine:scan-rulesets:rule-set/default',
      });
      expect(audited.summary).toContain("'Warehouse': 8 tables, 22 columns");
    });

    it('previews an unsaved definition and an older version', async () => {
      const inline = await json<Preview>(
        post('/default/preview', {
          dataSourceId: ids.pg,
          definition: {
            include: { schemas: ['public'] },
            exclude: { tables: ['tmp_*'], columns: ['*password*'] },
            tableLimit: 2,
          },
        }),
      );
      expect(inline.ruleSetVersion).toBeNull();
      expect(names(inline)).toEqual(['public.customer_emails', 'public.customers']);
      expect(inline.tables[1].columns.map(c => c.name)).toEqual(['id', 'email', 'full_name']);
      expect(inline).toMatchObject({
        truncated: true,
        counts: { tablesMatched: 3, tablesIncluded: 2 },
      });

      const older = await json<Preview>(
        post('/quick-pii/preview', { dataSourceId: ids.sqlite, version: 1 }),
      );
      expect(older.ruleSetVersion).toBe(1);
      expect(names(older)).toEqual(['main.customers', 'main.order items', 'main.tmp_x']);
    });

    it('reaches data sources whose password is a stored secret', async ({ skip }) => {
      if (!mariaDb) skip();
      const preview = await json<Preview>(post('/pci-focus/preview', { dataSourceId: ids.mysql }));
      const payments = preview.tables.find(t => t.name === 'payments')!;
      expect(payments.columns.map(c => c.name)).toEqual(['card_number', 'cvv']);
    });

    it('runs the preview action', async () => {
      const res = await server.request('/api/kernel/actions/scan-rulesets.preview', {
        method: 'POST',
        json: { ruleSetId: 'pci-focus', dataSourceId: ids.sqlite },
      });
      expect(res.status).toBe(200);
      const { output } = await json<{ output: Preview }>(res);
      expect(output.tables[0]).toMatchObject({
        name: 'customers',
        columns: [{ name: 'card_number' }],
      });
    });

    it('answers 404 for unknown data sources and rule sets, 400 for a bad body', async () => {
      expect((await post('/default/preview', { dataSourceId: 'no-such-source' })).status).toBe(404);
      expect((await post('/nope/preview', { dataSourceId: ids.pg })).status).toBe(404);
      const bad = await post('/default/preview', {
        dataSourceId: '',
        definition: { sampling: { size: -1 } },
      });
      expect(bad.status).toBe(400);
      const { error } = await json<{ error: { message: string } }>(bad);
      expect(error.message).toMatch(/dataSourceId: /);
      expect(error.message).toMatch(/definition\.sampling\.size: Too small/);
      expect((await post('/default/preview', { dataSourceId: ids.pg, version: 99 })).status).toBe(
        404,
      );
    });
  });
});

describe(`scan-rulesets API as an auditor (${engine})`, () => {
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

  it('reads rule sets and sees the navigation item', async () => {
    expect((await server.request(BASE)).status).toBe(200);
    expect((await server.request(`${BASE}/default/versions`)).status).toBe(200);
    const { items } = await json<{ items: { id: string }[] }>(
      server.request('/api/kernel/navigation'),
    );
    expect(items.map(i => i.id)).toContain('scan-rulesets.home');
  });

  it('is denied every mutation with 403, and each denial is audited', async () => {
    const attempts: [string, string, unknown][] = [
      ['POST', BASE, { name: 'Sneaky' }],
      ['PUT', `${BASE}/default`, { description: 'x' }],
      ['DELETE', `${BASE}/default`, undefined],
      ['POST', `${BASE}/default/rollback`, { version: 1 }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await server.request(path, { method, json: body });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    const denied = await activityOf(server, 'outcome=denied&actor=user:default/audrey');
    expect(denied.map(a => a.verb).sort()).toEqual([
      'rule_set.create',
      'rule_set.delete',
      'rule_set.rollback',
      'rule_set.update',
    ]);
    expect((await json<{ version: number }>(server.request(`${BASE}/default`))).version).toBe(1);
  });
});

describe(`scan-rulesets API as a data steward and a data source owner (${engine})`, () => {
  let server: RacineTestServer;
  beforeAll(async () => {
    server = await startRacineServer({
      guestUser: 'user:default/stew',
      config: {
        racine: {
          rbac: {
            grants: [{ subject: 'user:default/stew', role: 'data-steward', workspace: '*' }],
          },
        },
      },
    });
  });
  afterAll(() => server?.stop());

  it('creates, edits, rolls back and deletes rule sets', async () => {
    const created = await server.request(BASE, { method: 'POST', json: { name: 'Steward set' } });
    expect(created.status).toBe(201);
    const { id } = await json<{ id: string }>(created);
    expect(
      (await server.request(`${BASE}/${id}`, { method: 'PUT', json: { description: 'mine' } }))
        .status,
    ).toBe(200);
    expect(
      (await server.request(`${BASE}/${id}/rollback`, { method: 'POST', json: { version: 1 } }))
        .status,
    ).toBe(201);
    expect((await server.request(`${BASE}/${id}`, { method: 'DELETE' })).status).toBe(204);
  });
});

describe(`scan-rulesets on two backends sharing one database (${engine})`, () => {
  let first: RacineTestServer;
  let second: RacineTestServer;
  beforeAll(async () => {
    first = await startRacineServer();
    second = await startRacineServer({
      config: { backend: { database: first.database.backendDatabaseConfig } },
    });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('seeds the built-in rule sets once', async () => {
    for (const server of [first, second]) {
      const { items } = await json<{ items: RuleSetBody[] }>(server.request(BASE));
      expect(
        items
          .filter(r => r.builtin)
          .map(r => r.id)
          .sort(),
      ).toEqual(['default', 'full-profile', 'pci-focus', 'quick-pii']);
      const versions = await json<{ items: unknown[] }>(server.request(`${BASE}/default/versions`));
      expect(versions.items).toHaveLength(1);
    }
    // A change made through one backend is seen by the other.
    const res = await first.request(`${BASE}/full-profile`, {
      method: 'PUT',
      json: { description: 'Edited on the first backend' },
    });
    expect(res.status).toBe(200);
    const seen = await json<RuleSetBody>(second.request(`${BASE}/full-profile`));
    expect(seen).toMatchObject({ version: 2, description: 'Edited on the first backend' });
  });
});
