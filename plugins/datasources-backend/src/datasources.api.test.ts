import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import { loadSecretBox } from '@racine/kernel-node';
import { sqliteConnector, withSession } from '@racine/plugin-datasources-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMariaDbFixture,
  createPostgresFixture,
  type MariaDbFixture,
  type PostgresFixture,
} from './__testUtils__/externalDatabases';
import { readPluginRows } from './__testUtils__/rawRows';

const db = process.env.RACINE_TEST_DB ?? 'sqlite';
const scansToken = crypto.randomBytes(24).toString('base64url');
const intruderToken = crypto.randomBytes(24).toString('base64url');

/** Static service tokens standing in for other plugins' backend-to-backend calls. */
const externalAccess = {
  backend: {
    auth: {
      externalAccess: [
        { type: 'static', options: { token: scansToken, subject: 'plugin:scans' } },
        { type: 'static', options: { token: intruderToken, subject: 'plugin:intruder' } },
      ],
    },
  },
};

interface Json {
  [key: string]: unknown;
}

async function json<T = Json>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

describe(`datasources API as platform-admin (${db})`, () => {
  let server: RacineTestServer;
  let postgres: PostgresFixture;
  let mariadb: MariaDbFixture;
  const created: Record<string, string> = {};

  beforeAll(async () => {
    [server, postgres, mariadb] = await Promise.all([
      startRacineServer({
        config: { ...externalAccess, racine: { datasources: { healthCheck: { enabled: false } } } },
      }),
      createPostgresFixture(),
      createMariaDbFixture(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), postgres?.drop(), mariadb?.drop()]);
  });

  const post = (path: string, body: unknown) =>
    server.request(path, { method: 'POST', json: body });

  it.each([
    ['GET', '/api/datasources'],
    ['POST', '/api/datasources'],
    ['GET', '/api/datasources/connectors'],
    ['POST', '/api/datasources/test'],
    ['GET', '/api/datasources/x'],
    ['PUT', '/api/datasources/x'],
    ['DELETE', '/api/datasources/x'],
    ['POST', '/api/datasources/x/test'],
    ['GET', '/api/datasources/x/health'],
    ['GET', '/api/datasources/x/connection'],
  ])('%s %s needs a signed-in caller', async (method, path) => {
    const res = await server.request(path, {
      method,
      token: null,
      json: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    expect(res.status).toBe(401);
  });

  it('describes every connector with a JSON Schema form and its secret fields', async () => {
    const res = await server.request('/api/datasources/connectors');
    expect(res.status).toBe(200);
    const { items } = await json<{ items: Json[] }>(res);
    expect(items.map(c => c.type)).toEqual(expect.arrayContaining(['postgres', 'mysql', 'sqlite']));
    const pgConnector = items.find(c => c.type === 'postgres')!;
    expect(pgConnector).toMatchObject({
      title: expect.any(String),
      description: expect.any(String),
      secretFields: ['password'],
    });
    const schema = pgConnector.configSchema as {
      type: string;
      required: string[];
      properties: Record<string, Json>;
    };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['host', 'database', 'user']));
    expect(schema.properties.password).toMatchObject({
      type: 'string',
      writeOnly: true,
      format: 'password',
    });
    expect(schema.properties.port).toMatchObject({ type: 'integer', default: 5432 });
  });

  it('registers the demo source once, with a file whose tables are discoverable', async () => {
    const { items } = await json<{ items: Json[] }>(
      await server.request('/api/datasources?q=sample-retail'),
    );
    expect(items).toHaveLength(1);
    const demo = items[0];
    expect(demo).toMatchObject({
      name: 'sample-retail',
      type: 'sqlite',
      environment: 'dev',
      tags: ['demo'],
      workspace: 'default',
      secretFields: [],
    });
    const file = path.join(server.dataDir, 'sample-retail.sqlite');
    expect((demo.config as Json).path).toBe(file);
    expect(fs.existsSync(file)).toBe(true);

    const rows = await readPluginRows(server.database, 'datasources');
    expect(rows.filter(r => r.name === 'sample-retail')).toHaveLength(1);

    const discovery = await withSession(sqliteConnector, { path: file }, session =>
      session.discover(),
    );
    const tables = discovery.schemas.flatMap(s => s.tables.map(t => `${t.kind}:${t.name}`));
    expect(tables).toEqual(
      expect.arrayContaining([
        'table:customers',
        'table:orders',
        'table:order_items',
        'table:payments',
        'table:products',
        'table:employees',
        'view:customer_order_totals',
      ]),
    );

    const test = await json(await post(`/api/datasources/${demo.id}/test`, {}));
    expect(test).toMatchObject({ ok: true, serverVersion: expect.stringMatching(/^SQLite 3\./) });
  });

  it('registers a PostgreSQL source, keeps its password encrypted and never returns it', async () => {
    const password = `s3cret-${crypto.randomBytes(6).toString('hex')}`;
    const res = await post('/api/datasources', {
      name: 'Warehouse (PostgreSQL)',
      type: 'postgres',
      config: { ...postgres.config, password },
      environment: 'Prod',
      owner: 'group:default/data-platform',
      tags: ['warehouse', 'Finance'],
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    created.postgres = body.id as string;
    expect(body).toMatchObject({
      id: expect.any(String),
      ref: `racine:datasources:datasource/${body.id}`,
      name: 'Warehouse (PostgreSQL)',
      type: 'postgres',
      environment: 'prod',
      owner: 'group:default/data-platform',
      tags: ['warehouse', 'finance'],
      workspace: 'default',
      secretFields: ['password'],
      createdBy: 'user:development/guest',
      health: null,
    });
    expect(body.config).toEqual({ ...postgres.config, ssl: 'disable' });
    expect(JSON.stringify(body)).not.toContain(password);

    const fetched = await server.request(`/api/datasources/${body.id}`);
    expect(JSON.stringify(await json(fetched))).not.toContain(password);
    const listed = await server.request('/api/datasources');
    expect(JSON.stringify(await json(listed))).not.toContain(password);

    // What the database holds: no plaintext anywhere in the row, and the sealed value opens
    // with the installation's key to exactly the password.
    const row = (await readPluginRows(server.database, 'datasources')).find(r => r.id === body.id)!;
    expect(JSON.stringify(row)).not.toContain(password);
    expect(String(row.secrets)).toMatch(/^v1:/);
    const box = loadSecretBox({ dataDir: server.dataDir });
    expect(box.openJson(String(row.secrets))).toEqual({ password });
  });

  it("tests PostgreSQL connections and reports the driver's own errors", async () => {
    const ok = await json(await post(`/api/datasources/${created.postgres}/test`, {}));
    expect(ok).toMatchObject({
      ok: true,
      latencyMs: expect.any(Number),
      serverVersion: expect.stringContaining('PostgreSQL 15'),
    });

    const unsaved = (config: Json) =>
      post('/api/datasources/test', {
        type: 'postgres',
        config: { ...postgres.config, ...config },
      });
    const unknownDb = await json(await unsaved({ database: 'no_such_database_racine' }));
    expect(unknownDb).toMatchObject({
      ok: false,
      serverVersion: null,
      error: expect.stringContaining('database "no_such_database_racine" does not exist'),
    });
    const unknownRole = await json(await unsaved({ user: 'no_such_role_racine' }));
    expect(unknownRole).toMatchObject({
      ok: false,
      error: expect.stringContaining('role "no_such_role_racine" does not exist'),
    });
    const badHost = await json(await unsaved({ host: 'no-such-host.invalid' }));
    expect(badHost).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/),
    });
    const good = await json(await unsaved({}));
    expect(good).toMatchObject({ ok: true });
  });

  it('tests MariaDB connections with good and bad credentials, and PUT keeps a password left out', async () => {
    const res = await post('/api/datasources', {
      name: 'shop-mariadb',
      type: 'mysql',
      config: mariadb.config,
      environment: 'staging',
      tags: ['shop'],
    });
    expect(res.status).toBe(201);
    const source = await json(res);
    created.mysql = source.id as string;
    expect(source.config).not.toHaveProperty('password');
    expect(await json(await post(`/api/datasources/${source.id}/test`, {}))).toMatchObject({
      ok: true,
      serverVersion: expect.stringContaining('MariaDB'),
    });

    const wrong = await json(
      await post('/api/datasources/test', {
        type: 'mysql',
        config: { ...mariadb.config, password: 'wrong-password' },
      }),
    );
    expect(wrong).toMatchObject({ ok: false, error: expect.stringContaining('Access denied') });
    const unknownDb = await json(
      await post('/api/datasources/test', {
        type: 'mysql',
        config: { ...mariadb.config, database: 'no_such_db_racine' },
      }),
    );
    expect(unknownDb).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no_such_db_racine/),
    });
    // The edit form sends no password: the stored one fills in.
    const { password: _password, ...withoutPassword } = mariadb.config;
    expect(
      await json(
        await post('/api/datasources/test', {
          type: 'mysql',
          config: withoutPassword,
          dataSourceId: source.id,
        }),
      ),
    ).toMatchObject({ ok: true });

    // PUT without the secret keeps it...
    const renamed = await server.request(`/api/datasources/${source.id}`, {
      method: 'PUT',
      json: { name: 'shop (MariaDB)', config: { ...withoutPassword, port: mariadb.config.port } },
    });
    expect(renamed.status).toBe(200);
    expect(await json(renamed)).toMatchObject({
      name: 'shop (MariaDB)',
      secretFields: ['password'],
      updatedBy: 'user:development/guest',
    });
    expect(await json(await post(`/api/datasources/${source.id}/test`, {}))).toMatchObject({
      ok: true,
    });
    // ...a new one replaces it...
    await server.request(`/api/datasources/${source.id}`, {
      method: 'PUT',
      json: { config: { ...withoutPassword, password: 'not-it' } },
    });
    const failing = await json(await post(`/api/datasources/${source.id}/test`, {}));
    expect(failing).toMatchObject({ ok: false, error: expect.stringContaining('Access denied') });
    // ...and null clears it.
    const cleared = await server.request(`/api/datasources/${source.id}`, {
      method: 'PUT',
      json: { config: { ...withoutPassword, password: null } },
    });
    expect(await json(cleared)).toMatchObject({ secretFields: [] });
    await server.request(`/api/datasources/${source.id}`, {
      method: 'PUT',
      json: { config: mariadb.config },
    });

    const health = await json<{ current: Json; history: Json[] }>(
      await server.request(`/api/datasources/${source.id}/health`),
    );
    expect(health.history.length).toBe(3);
    expect(health.history.map(h => h.ok)).toEqual([false, true, true]);
    expect(health.current).toEqual(health.history[0]);
    expect(health.history[0]).toMatchObject({
      checkedAt: expect.any(String),
      latencyMs: expect.any(Number),
      error: expect.stringContaining('Access denied'),
      trigger: 'manual',
    });

    const listed = await json<{ items: Json[] }>(
      await server.request('/api/datasources?type=mysql'),
    );
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0].health).toMatchObject({ ok: false });
  });

  it('rejects bad input with a 400 naming the fields', async () => {
    const missing = await post('/api/datasources', { type: 'postgres', config: {} });
    expect(missing.status).toBe(400);
    expect((await json<{ error: Json }>(missing)).error.message).toMatch(/name:/);

    const badConfig = await post('/api/datasources', {
      name: 'broken',
      type: 'postgres',
      config: { host: '', port: 'five', user: 'x' },
    });
    expect(badConfig.status).toBe(400);
    const message = (await json<{ error: { message: string } }>(badConfig)).error.message;
    expect(message).toMatch(/config\.host/);
    expect(message).toMatch(/config\.port/);
    expect(message).toMatch(/config\.database/);

    const unknownType = await post('/api/datasources', { name: 'x', type: 'oracle', config: {} });
    expect(unknownType.status).toBe(400);
    expect((await json<{ error: { message: string } }>(unknownType)).error.message).toMatch(
      /type: unknown connector type 'oracle'/,
    );

    const badWorkspace = await post('/api/datasources', {
      name: 'x',
      type: 'sqlite',
      config: { path: '/tmp/x.sqlite' },
      workspace: 'nope',
    });
    expect(badWorkspace.status).toBe(400);

    const typeChange = await server.request(`/api/datasources/${created.postgres}`, {
      method: 'PUT',
      json: { type: 'mysql' },
    });
    expect(typeChange.status).toBe(400);
    expect((await server.request('/api/datasources?cursor=garbage')).status).toBe(400);
    expect((await server.request('/api/datasources?limit=0')).status).toBe(400);
  });

  it("refuses SQLite files inside Racine's own database directory", async () => {
    const directory = (server.database.backendDatabaseConfig.connection as { directory?: string })
      .directory;
    if (!directory) return; // PostgreSQL: Racine keeps no database files
    const res = await post('/api/datasources', {
      name: 'sneaky',
      type: 'sqlite',
      config: { path: path.join(directory, 'auth.sqlite') },
    });
    expect(res.status).toBe(400);
    expect((await json<{ error: { message: string } }>(res)).error.message).toMatch(/config\.path/);
  });

  it('keeps names unique per workspace (409) but not across workspaces', async () => {
    const again = await post('/api/datasources', {
      name: 'Warehouse (PostgreSQL)',
      type: 'postgres',
      config: postgres.config,
    });
    expect(again.status).toBe(409);
    const rename = await server.request(`/api/datasources/${created.mysql}`, {
      method: 'PUT',
      json: { name: 'Warehouse (PostgreSQL)' },
    });
    expect(rename.status).toBe(409);

    expect(
      (await post('/api/kernel/workspaces', { name: 'finance', title: 'Finance' })).status,
    ).toBe(201);
    const other = await post('/api/datasources', {
      name: 'Warehouse (PostgreSQL)',
      type: 'postgres',
      config: postgres.config,
      workspace: 'finance',
    });
    expect(other.status).toBe(201);
    created.finance = (await json(other)).id as string;
    const viaHeader = await server.request('/api/datasources', {
      method: 'POST',
      json: {
        name: 'finance-sqlite',
        type: 'sqlite',
        config: { path: path.join(server.dataDir, 'sample-retail.sqlite') },
      },
      headers: { 'x-racine-workspace': 'finance' },
    });
    expect((await json(viaHeader)).workspace).toBe('finance');
  });

  it('lists with filters and pages with a cursor', async () => {
    const all = await json<{ items: Json[]; totalCount: number }>(
      await server.request('/api/datasources'),
    );
    expect(all.totalCount).toBe(5);
    expect(all.items.map(i => i.name)).toEqual([...all.items.map(i => i.name as string)].sort());

    const finance = await json<{ items: Json[] }>(
      await server.request('/api/datasources?workspace=finance'),
    );
    expect(finance.items.map(i => i.name).sort()).toEqual([
      'Warehouse (PostgreSQL)',
      'finance-sqlite',
    ]);
    const prod = await json<{ items: Json[] }>(
      await server.request('/api/datasources?environment=PROD'),
    );
    expect(prod.items.map(i => i.id)).toEqual([created.postgres]);
    // q matches the tag "finance" of one source and the name of another.
    const byText = await json<{ items: Json[] }>(
      await server.request('/api/datasources?q=FINANCE'),
    );
    expect(byText.items.map(i => [i.name, i.workspace])).toEqual([
      ['Warehouse (PostgreSQL)', 'default'],
      ['finance-sqlite', 'finance'],
    ]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page: { items: Json[]; nextCursor?: string; totalCount: number } = await json(
        await server.request(`/api/datasources?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map(i => i.id as string));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map(i => i.id));
  });

  it('answers 404 for unknown sources', async () => {
    for (const [method, suffix] of [
      ['GET', ''],
      ['PUT', ''],
      ['DELETE', ''],
      ['POST', '/test'],
      ['GET', '/health'],
    ]) {
      const res = await server.request(`/api/datasources/no-such-id${suffix}`, {
        method,
        json: method === 'PUT' || method === 'POST' ? {} : undefined,
      });
      expect(res.status, `${method} ${suffix}`).toBe(404);
    }
    const connection = await server.request('/api/datasources/no-such-id/connection', {
      token: scansToken,
    });
    expect(connection.status).toBe(404);
  });

  it('hands the connection with decrypted credentials to scans only', async () => {
    const asUser = await server.request(`/api/datasources/${created.mysql}/connection`);
    expect(asUser.status).toBe(403);
    const asIntruder = await server.request(`/api/datasources/${created.mysql}/connection`, {
      token: intruderToken,
    });
    expect(asIntruder.status).toBe(403);
    const asScans = await server.request(`/api/datasources/${created.mysql}/connection`, {
      token: scansToken,
    });
    expect(asScans.status).toBe(200);
    expect(await json(asScans)).toEqual({
      id: created.mysql,
      name: 'shop (MariaDB)',
      type: 'mysql',
      workspace: 'default',
      environment: 'staging',
      owner: '',
      config: { ...mariadb.config, ssl: 'disable' },
    });

    const { items } = await json<{ items: Json[] }>(
      await server.request('/api/kernel/activity?verb=datasource.readConnection'),
    );
    expect(items.map(i => [i.actor, i.outcome])).toEqual([
      ['plugin:scans', 'success'],
      ['plugin:intruder', 'denied'],
    ]);
  });

  it('audits every mutation', async () => {
    const { items } = await json<{ items: Json[] }>(
      await server.request('/api/kernel/activity?verb=datasource.create&limit=50'),
    );
    expect(
      items.find(i => i.resource === `racine:datasources:datasource/${created.postgres}`),
    ).toMatchObject({
      outcome: 'success',
      actor: 'user:development/guest',
      summary: "Registered postgres data source 'Warehouse (PostgreSQL)'",
    });
    expect(
      items.some(i => i.outcome === 'failure' && String(i.summary).includes('already exists')),
    ).toBe(true);
    const updates = await json<{ items: Json[] }>(
      await server.request('/api/kernel/activity?verb=datasource.update'),
    );
    expect(updates.items.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(updates.items)).not.toContain(mariadb.config.password);
  });

  it('contributes actions, a workflow step, search and navigation to the kernel', async () => {
    const run = await post('/api/kernel/actions/datasources.testConnection', {
      dataSourceId: created.postgres,
    });
    expect(run.status).toBe(200);
    expect((await json<{ output: Json }>(run)).output).toMatchObject({
      ok: true,
      serverVersion: expect.stringContaining('PostgreSQL'),
    });
    const missing = await post('/api/kernel/actions/datasources.testConnection', {});
    expect(missing.status).toBe(400);

    const list = await json<{ output: { items: Json[] } }>(
      await post('/api/kernel/actions/datasources.list', { environment: 'prod' }),
    );
    expect(list.output.items).toEqual([
      expect.objectContaining({ id: created.postgres, healthy: true, type: 'postgres' }),
    ]);
    expect(JSON.stringify(list.output)).not.toContain('config');

    const { steps } = await json<{ steps: Json[] }>(
      await server.request('/api/kernel/workflow-steps'),
    );
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'datasources.testConnection', idempotent: true }),
      ]),
    );

    const { hits } = await json<{ hits: Json[] }>(
      await server.request('/api/kernel/search?q=sample'),
    );
    expect(hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'datasource',
          title: 'sample-retail',
          url: expect.stringMatching(/^\/datasources\//),
        }),
      ]),
    );
    const byTag = await json<{ hits: Json[] }>(
      await server.request('/api/kernel/search?q=warehouse&types=datasource'),
    );
    expect(byTag.hits.map(h => h.title)).toEqual(['Warehouse (PostgreSQL)']);

    const { items } = await json<{ items: Json[] }>(await server.request('/api/kernel/navigation'));
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: 'datasources.list',
          title: 'Data sources',
          path: '/datasources',
          group: 'Governance',
          icon: 'Storage',
        }),
      ]),
    );
    const { permissions, defaultGrants } = await json<{
      permissions: Json[];
      defaultGrants: Record<string, string[]>;
    }>(await server.request('/api/kernel/permissions'));
    expect(permissions.map(p => p.name)).toEqual(
      expect.arrayContaining([
        'datasource.view',
        'datasource.create',
        'datasource.edit',
        'datasource.delete',
        'datasource.scan',
        'datasource.monitor',
        'datasource.security',
      ]),
    );
    expect(defaultGrants['data-steward']).toEqual(
      expect.arrayContaining(['datasource.create', 'datasource.scan', 'datasource.monitor']),
    );
  });

  it('deletes a source and its health history; the catalog marks its assets deleted', async () => {
    // The catalog holds a scanned table of the source (published as the scans plugin does).
    const scanned = await server.request('/api/data-catalog/ingest/tables', {
      method: 'POST',
      token: scansToken,
      json: {
        batches: [
          {
            dataSourceId: created.mysql,
            dataSourceName: 'shop (MariaDB)',
            runId: 'run-1',
            scannedAt: new Date().toISOString(),
            database: 'shop',
            schema: 'shop',
            table: { name: 'customers', kind: 'table' },
            columns: [
              { name: 'id', ordinal: 1, dataType: 'int', nullable: false },
              { name: 'email', ordinal: 2, dataType: 'varchar(255)', nullable: false },
            ],
          },
        ],
      },
    });
    expect(scanned.status).toBe(200);
    const assets = async (status: string) =>
      (
        await json<{ items: Json[] }>(
          await server.request(
            `/api/data-catalog/assets?dataSourceId=${created.mysql}&status=${status}`,
          ),
        )
      ).items;
    expect(await assets('active')).toHaveLength(6);

    const res = await server.request(`/api/datasources/${created.mysql}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await server.request(`/api/datasources/${created.mysql}`)).status).toBe(404);
    const checks = await readPluginRows(server.database, 'datasource_health_checks');
    expect(checks.filter(c => c.datasource_id === created.mysql)).toEqual([]);

    // `datasource.deleted` reached the catalog, which queued marking every asset of the
    // source deleted (kept, not removed).
    await expect.poll(() => assets('active'), { timeout: 20_000, interval: 100 }).toEqual([]);
    const kept = await assets('deleted');
    expect(kept.map(a => a.type).sort()).toEqual([
      'column',
      'column',
      'database',
      'datasource',
      'schema',
      'table',
    ]);
    const audited = async () =>
      (
        await json<{ items: Json[] }>(
          await server.request('/api/kernel/activity?verb=assets.datasourceDeleted'),
        )
      ).items;
    // Recorded once the task is done, just after the last assets are marked.
    await expect.poll(async () => (await audited()).length, { timeout: 20_000 }).toBe(1);
    expect(await audited()).toEqual([
      expect.objectContaining({
        actor: 'user:development/guest',
        resource: `racine:data-catalog:datasource/${created.mysql}`,
        outcome: 'success',
        summary: expect.stringContaining("Data source 'shop (MariaDB)' was deleted: 6 catalog"),
      }),
    ]);
  });
});

describe(`datasources API for a read-only auditor, with scheduled health checks (${db})`, () => {
  let server: RacineTestServer;
  beforeAll(async () => {
    server = await startRacineServer({
      guestUser: 'user:default/audrey',
      config: {
        racine: {
          rbac: { grants: [{ subject: 'user:default/audrey', role: 'auditor', workspace: '*' }] },
          datasources: { healthCheck: { interval: 1 } },
        },
      },
    });
  });
  afterAll(() => server?.stop());

  it('reads but changes nothing, and denials are audited', async () => {
    const { items } = await json<{ items: Json[] }>(await server.request('/api/datasources'));
    expect(items.map(i => i.name)).toEqual(['sample-retail']);
    const demo = items[0].id as string;
    expect((await server.request(`/api/datasources/${demo}`)).status).toBe(200);
    expect((await server.request('/api/datasources/connectors')).status).toBe(200);

    const create = await server.request('/api/datasources', {
      method: 'POST',
      json: { name: 'x', type: 'sqlite', config: { path: '/tmp/x.sqlite' } },
    });
    expect(create.status).toBe(403);
    expect(
      (await server.request(`/api/datasources/${demo}`, { method: 'PUT', json: { name: 'y' } }))
        .status,
    ).toBe(403);
    expect((await server.request(`/api/datasources/${demo}`, { method: 'DELETE' })).status).toBe(
      403,
    );
    expect(
      (await server.request(`/api/datasources/${demo}/test`, { method: 'POST', json: {} })).status,
    ).toBe(403);
    expect(
      (
        await server.request('/api/datasources/test', {
          method: 'POST',
          json: { type: 'sqlite', config: { path: '/tmp/x' } },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await server.request('/api/kernel/actions/datasources.testConnection', {
          method: 'POST',
          json: { dataSourceId: demo },
        })
      ).status,
    ).toBe(403);

    const activity = await json<{ items: Json[] }>(
      await server.request('/api/kernel/activity?actor=user:default/audrey&outcome=denied'),
    );
    expect(activity.items.map(i => i.verb)).toEqual(
      expect.arrayContaining([
        'datasource.create',
        'datasource.update',
        'datasource.delete',
        'datasource.test',
        'datasources.testConnection',
      ]),
    );
    expect(activity.items.find(i => i.verb === 'datasource.delete')).toMatchObject({
      resource: `racine:datasources:datasource/${demo}`,
    });
  });

  it('checks every source on a schedule and keeps the history', async () => {
    const { items } = await json<{ items: Json[] }>(await server.request('/api/datasources'));
    const demo = items[0].id as string;
    let history: Json[] = [];
    for (let attempt = 0; attempt < 60 && history.length === 0; attempt++) {
      await new Promise(resolve => setTimeout(resolve, 500));
      history = (
        await json<{ history: Json[] }>(await server.request(`/api/datasources/${demo}/health`))
      ).history;
    }
    expect(history[0]).toMatchObject({
      ok: true,
      trigger: 'schedule',
      serverVersion: expect.any(String),
    });
    const listed = await json<{ items: Json[] }>(await server.request('/api/datasources'));
    expect(listed.items[0].health).toMatchObject({ ok: true });
  });
});
