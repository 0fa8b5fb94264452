import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import type { EventParams } from '@backstage/plugin-events-node';
import { SecretBox } from '@racine/kernel-node';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import {
  builtinConnectors,
  ConnectorRegistry,
  testConnectionWith,
  type AnyConnector,
} from '@racine/plugin-datasources-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPostgresFixture, type PostgresFixture } from '../__testUtils__/externalDatabases';
import { KnexDataSourceStore } from '../database/DataSourceStore';
import { migrateDatasourcesDatabase } from '../database/migrations';
import { sqlitePathPolicy } from './configPolicy';
import { DataSourceService, HEALTH_HISTORY_SIZE } from './DataSourceService';
import { DEMO_SOURCE_NAME, ensureDemoDataSource } from './DemoDataSource';
import { HealthMonitor } from './HealthMonitor';

const db = process.env.RACINE_TEST_DB ?? 'sqlite';

/** A connector whose driver echoes the password in its error, as some drivers do. */
const leakyConnector: AnyConnector = {
  type: 'leaky',
  title: 'Leaky',
  description: 'Echoes its password in errors',
  configSchema: z.object({
    host: z.string(),
    token: z.string().optional(),
  }) as unknown as AnyConnector['configSchema'],
  secretFields: ['token'],
  async connect(config) {
    throw new Error(
      `could not log in to ${String(config.host)} with token ${String(config.token)}`,
    );
  },
  testConnection(config) {
    return testConnectionWith(() => leakyConnector.connect(config));
  },
};

describe(`DataSourceService (${db})`, () => {
  let database: TestDatabase;
  let postgres: PostgresFixture;
  let service: DataSourceService;
  const box = new SecretBox(crypto.randomBytes(32));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-ds-svc-'));
  const reserved = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-ds-reserved-'));
  const logger = mockServices.logger.mock();
  const published: EventParams[] = [];
  let publish = async (event: EventParams) => void published.push(event);

  const makeService = (knex = database.knex) =>
    new DataSourceService({
      store: new KnexDataSourceStore(knex),
      connectors: new ConnectorRegistry([...builtinConnectors(), leakyConnector]),
      secretBox: box,
      workspaces: { exists: async name => name === 'default' || name === 'finance' },
      events: { publish: event => publish(event) },
      logger,
      configPolicies: [
        sqlitePathPolicy({
          reservedDirectories: [reserved],
          allowedFiles: [path.join(reserved, 'ok.sqlite')],
        }),
      ],
    });

  beforeAll(async () => {
    [database, postgres] = await Promise.all([createTestDatabase(), createPostgresFixture()]);
    await migrateDatasourcesDatabase(database.knex);
    service = makeService();
  });
  afterAll(async () => {
    await Promise.all([database?.destroy(), postgres?.drop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(reserved, { recursive: true, force: true });
  });

  it('seals secrets and hands them only to connection()', async () => {
    const created = await service.create(
      { name: 'pg', type: 'postgres', config: { ...postgres.config, password: 'hunter2-secret' } },
      'user:default/alice',
    );
    expect(created.config).not.toHaveProperty('password');
    expect(created.secretFields).toEqual(['password']);
    const [row] = await database.knex('datasources').where({ id: created.id });
    expect(JSON.stringify(row)).not.toContain('hunter2-secret');
    expect(box.openJson(row.secrets)).toEqual({ password: 'hunter2-secret' });
    expect(await service.connection(created.id)).toMatchObject({
      config: { ...postgres.config, password: 'hunter2-secret', ssl: 'disable' },
    });
  });

  it('tests saved sources against a real server and records each result', async () => {
    const created = await service.create(
      { name: 'pg-health', type: 'postgres', config: postgres.config },
      'user:default/alice',
    );
    expect(await service.testSaved(created.id, 'manual')).toMatchObject({
      ok: true,
      serverVersion: expect.stringContaining('PostgreSQL'),
    });
    await service.update(
      created.id,
      { config: { ...postgres.config, database: 'racine_no_such_db' } },
      'user:default/bob',
    );
    const failed = await service.testSaved(created.id, 'schedule');
    expect(failed).toMatchObject({
      ok: false,
      serverVersion: null,
      error: 'database "racine_no_such_db" does not exist',
      errorCode: '3D000',
    });
    const health = await service.health(created.id);
    expect(health.history.map(h => [h.ok, h.trigger])).toEqual([
      [false, 'schedule'],
      [true, 'manual'],
    ]);
    expect((await service.get(created.id)).health).toEqual(health.current);
  });

  it('never echoes a secret in a test error', async () => {
    const result = await service.testConfig('leaky', { host: 'h', token: 'tok-very-secret' });
    expect(result).toMatchObject({
      ok: false,
      error: 'could not log in to h with token <redacted>',
    });
  });

  it('names every bad config field, and refuses files in reserved directories', async () => {
    await expect(
      service.create({ name: 'bad', type: 'postgres', config: { port: 0 } }, 'a'),
    ).rejects.toThrow(/config\.host: .*config\.port: .*config\.database: .*config\.user/);
    await expect(service.testConfig('nope', {})).rejects.toThrow(
      /type: unknown connector type 'nope'/,
    );
    await expect(
      service.create(
        { name: 'own', type: 'sqlite', config: { path: path.join(reserved, 'kernel.sqlite') } },
        'a',
      ),
    ).rejects.toThrow(/config\.path/);
    // Symlinks into the reserved directory are resolved first.
    const link = path.join(dataDir, 'innocent.sqlite');
    fs.writeFileSync(path.join(reserved, 'auth.sqlite'), '');
    fs.symlinkSync(path.join(reserved, 'auth.sqlite'), link);
    await expect(
      service.create({ name: 'link', type: 'sqlite', config: { path: link } }, 'a'),
    ).rejects.toThrow(/config\.path/);
    await expect(
      service.create(
        { name: 'allowed', type: 'sqlite', config: { path: path.join(reserved, 'ok.sqlite') } },
        'a',
      ),
    ).resolves.toMatchObject({ name: 'allowed' });
    await expect(
      service.create({ name: 'x', type: 'sqlite', config: { path: '/x' }, workspace: 'nope' }, 'a'),
    ).rejects.toThrow(/workspace/);
  });

  it('checks every source with the monitor and keeps the last 200 checks', async () => {
    const monitor = new HealthMonitor({
      service,
      logger,
      settings: { enabled: true, intervalSeconds: 60, concurrency: 3 },
    });
    const ids = await service.allIds();
    const summary = await monitor.checkAll();
    expect(summary.checked).toBe(ids.length);
    expect(summary.failing).toBeGreaterThan(0); // pg-health points at a database that does not exist

    const sqliteFile = path.join(dataDir, 'tiny.sqlite');
    fs.writeFileSync(sqliteFile, '');
    const tiny = await service.create(
      { name: 'tiny', type: 'sqlite', config: { path: sqliteFile } },
      'a',
    );
    for (let i = 0; i < HEALTH_HISTORY_SIZE + 5; i++) await service.testSaved(tiny.id, 'schedule');
    const { history } = await service.health(tiny.id);
    expect(history).toHaveLength(HEALTH_HISTORY_SIZE);
  }, 60_000);

  it('sets the demo up once, even when two replicas start together, and not when disabled', async () => {
    const config = new ConfigReader({ racine: { dataDir } });
    const other = makeService(database.knex);
    await Promise.all([
      ensureDemoDataSource({ config, service, logger }),
      ensureDemoDataSource({ config, service: other, logger }),
    ]);
    const { items } = await service.list({ q: DEMO_SOURCE_NAME, limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: 'sqlite',
      environment: 'dev',
      tags: ['demo'],
      workspace: 'default',
      createdBy: 'plugin:datasources',
    });
    expect(fs.existsSync(path.join(dataDir, 'sample-retail.sqlite'))).toBe(true);
    expect(await service.testSaved(items[0].id, 'manual')).toMatchObject({ ok: true });

    // Deleted by a user: a restart does not bring it back.
    await service.delete(items[0].id, 'user:default/alice');
    await ensureDemoDataSource({ config, service, logger });
    expect((await service.list({ q: DEMO_SOURCE_NAME, limit: 10 })).items).toEqual([]);

    const offDir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-ds-off-'));
    const fresh = await createTestDatabase();
    try {
      await migrateDatasourcesDatabase(fresh.knex);
      const off = makeService(fresh.knex);
      await ensureDemoDataSource({
        config: new ConfigReader({
          racine: { dataDir: offDir, datasources: { demo: { enabled: false } } },
        }),
        service: off,
        logger,
      });
      expect((await off.list({ limit: 10 })).items).toEqual([]);
      expect(fs.existsSync(path.join(offDir, 'sample-retail.sqlite'))).toBe(false);
    } finally {
      await fresh.destroy();
      fs.rmSync(offDir, { recursive: true, force: true });
    }
  });

  it('announces a deletion on datasource.deleted, and deletes even when that fails', async () => {
    const file = path.join(dataDir, 'gone.sqlite');
    const source = await service.create(
      { name: 'gone', type: 'sqlite', config: { path: file }, workspace: 'finance' },
      'user:default/alice',
    );
    published.length = 0;
    await service.delete(source.id, 'user:default/bob');
    expect(published).toEqual([
      {
        topic: 'datasource.deleted',
        eventPayload: {
          dataSourceId: source.id,
          name: 'gone',
          workspace: 'finance',
          deletedBy: 'user:default/bob',
        },
      },
    ]);
    // Nothing is announced for a source that does not exist.
    await expect(service.delete(source.id, 'user:default/bob')).rejects.toThrow(/No data source/);
    expect(published).toHaveLength(1);

    const again = await service.create(
      { name: 'gone', type: 'sqlite', config: { path: file } },
      'user:default/alice',
    );
    publish = async () => {
      throw new Error('events backend unavailable');
    };
    try {
      await expect(service.delete(again.id, 'user:default/bob')).resolves.toMatchObject({
        id: again.id,
      });
    } finally {
      publish = async event => void published.push(event);
    }
    expect(await service.find(again.id)).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('datasource.deleted'));
  });
});
