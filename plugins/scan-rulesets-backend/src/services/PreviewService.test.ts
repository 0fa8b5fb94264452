import net from 'node:net';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import {
  ruleSetDefinitionSchema,
  updateRuleSetRequestSchema,
} from '@racine/plugin-scan-rulesets-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMariaDbFixture,
  createPostgresFixture,
  createSqliteFixture,
  WEIRD_SCHEMA,
  WEIRD_TABLE,
  type MariaDbFixture,
  type PostgresFixture,
  type SqliteFixture,
} from '../__fixtures__/databases';
import { migrateScanRulesetsDatabase } from '../database/migrations';
import { KnexRuleSetStore } from '../database/RuleSetStore';
import type { ConnectionResolver, DataSourceConnection } from './ConnectionResolver';
import { PreviewService } from './PreviewService';
import { RuleSetService } from './RuleSetService';

// Real databases: a PostgreSQL database, a MariaDB database and a SQLite file created for this
// run and dropped afterwards. The connection resolver is the seam to the datasources plugin;
// here it hands out the configurations of those real databases.
const credentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'user', userEntityRef: 'user:default/alice' },
} as BackstageCredentials;

class StaticConnectionResolver implements ConnectionResolver {
  readonly connections = new Map<string, DataSourceConnection>();
  async resolve(dataSourceId: string): Promise<DataSourceConnection> {
    const found = this.connections.get(dataSourceId);
    if (!found) throw new NotFoundError(`Data source '${dataSourceId}' does not exist`);
    return found;
  }
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

describe('PreviewService against real databases', () => {
  let db: TestDatabase;
  let ruleSets: RuleSetService;
  let previews: PreviewService;
  const resolver = new StaticConnectionResolver();
  let pgFixture: PostgresFixture;
  let sqliteFixture: SqliteFixture;
  let mariaDb: MariaDbFixture | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateScanRulesetsDatabase(db.knex);
    ruleSets = new RuleSetService(new KnexRuleSetStore(db.knex));
    await ruleSets.seedBuiltins();
    previews = new PreviewService(ruleSets, resolver);

    pgFixture = await createPostgresFixture();
    resolver.connections.set('pg', {
      id: 'pg',
      name: 'Warehouse',
      type: 'postgres',
      workspace: 'default',
      config: pgFixture.config,
    });
    sqliteFixture = await createSqliteFixture();
    resolver.connections.set('sqlite', {
      id: 'sqlite',
      name: 'Shop file',
      type: 'sqlite',
      workspace: 'default',
      config: sqliteFixture.config,
    });
    mariaDb = await createMariaDbFixture();
    if (mariaDb) {
      resolver.connections.set('mysql', {
        id: 'mysql',
        name: 'Payments',
        type: 'mysql',
        workspace: 'default',
        config: mariaDb.config,
      });
    }
  });

  afterAll(async () => {
    await db?.destroy();
    await pgFixture?.drop();
    await sqliteFixture?.drop();
    await mariaDb?.drop();
  });

  const names = (tables: { schema: string; name: string }[]) =>
    tables.map(t => `${t.schema}.${t.name}`);

  it('previews the default rule set on PostgreSQL: every user schema, no system schema', async () => {
    const { ruleSet, preview } = await previews.preview({
      ruleSetId: 'default',
      dataSourceId: 'pg',
      credentials,
    });
    expect(ruleSet.id).toBe('default');
    expect(preview).toMatchObject({
      ruleSetId: 'default',
      ruleSetVersion: 1,
      dataSource: { id: 'pg', name: 'Warehouse', type: 'postgres' },
      truncated: false,
    });
    expect(preview.serverVersion).toMatch(/\d+/);
    expect(names(preview.tables)).toEqual([
      'hr.people',
      'public.customer_emails',
      'public.customers',
      'public.orders',
      'public.tmp_import',
      'sales.Quarterly.Report',
      'sales.leads',
      `${WEIRD_SCHEMA}.${WEIRD_TABLE}`,
    ]);
    expect(preview.tables.find(t => t.name === 'customer_emails')!.kind).toBe('view');
    const customers = preview.tables.find(t => t.name === 'customers')!;
    expect(customers.columns).toEqual([
      { name: 'id', dataType: 'integer', typeCategory: 'integer' },
      { name: 'email', dataType: 'text', typeCategory: 'string' },
      { name: 'full_name', dataType: 'text', typeCategory: 'string' },
      { name: 'password_hash', dataType: 'text', typeCategory: 'string' },
    ]);
    expect(preview.counts).toEqual({
      schemasDiscovered: 4,
      schemasIncluded: 4,
      tablesDiscovered: 8,
      tablesMatched: 8,
      tablesIncluded: 8,
      columnsDiscovered: 22,
      columnsIncluded: 22,
    });
  });

  it('applies schema, table and column filters, exclusion first, then the table limit', async () => {
    const definition = ruleSetDefinitionSchema.parse({
      include: { schemas: ['PUBLIC', 'sales'], tables: ['*'] },
      exclude: { tables: ['tmp_*', 'public.customer_emails'], columns: ['*password*', 'id'] },
      tableLimit: 3,
    });
    const { preview } = await previews.preview({
      ruleSetId: 'default',
      definition,
      dataSourceId: 'pg',
      credentials,
    });
    expect(preview.ruleSetVersion).toBeNull();
    expect(names(preview.tables)).toEqual([
      'public.customers',
      'public.orders',
      'sales.Quarterly.Report',
    ]);
    expect(preview.truncated).toBe(true);
    const customers = preview.tables[0];
    expect(customers.columns.map(c => c.name)).toEqual(['email', 'full_name']);
    expect(customers.columnsExcluded).toBe(2);
    expect(preview.counts).toMatchObject({
      schemasDiscovered: 4,
      schemasIncluded: 2,
      tablesDiscovered: 8,
      tablesMatched: 4,
      tablesIncluded: 3,
      columnsIncluded: 2 + 3 + 1,
    });
  });

  it('handles hostile identifiers', async () => {
    const definition = ruleSetDefinitionSchema.parse({
      include: { schemas: [WEIRD_SCHEMA.toUpperCase()], columns: ['日本', 'QUOTE"D'] },
    });
    const { preview } = await previews.preview({
      ruleSetId: 'default',
      definition,
      dataSourceId: 'pg',
      credentials,
    });
    expect(names(preview.tables)).toEqual([`${WEIRD_SCHEMA}.${WEIRD_TABLE}`]);
    expect(preview.tables[0].columns.map(c => c.name)).toEqual(['quote"d', '日本']);
    expect(preview.tables[0].columnsExcluded).toBe(1);
  });

  it('previews the current version, an older version, or an unsaved definition', async () => {
    const created = await ruleSets.create(
      {
        name: 'HR only',
        description: '',
        definition: ruleSetDefinitionSchema.parse({ include: { schemas: ['hr'] } }),
      },
      { actor: 'user:default/alice', workspace: 'default' },
    );
    await ruleSets.update(
      created.id,
      updateRuleSetRequestSchema.parse({ definition: { include: { schemas: ['sales'] } } }),
      'user:default/alice',
    );
    const current = await previews.preview({
      ruleSetId: created.id,
      dataSourceId: 'pg',
      credentials,
    });
    expect(current.preview.ruleSetVersion).toBe(2);
    expect(names(current.preview.tables)).toEqual(['sales.Quarterly.Report', 'sales.leads']);
    const older = await previews.preview({
      ruleSetId: created.id,
      version: 1,
      dataSourceId: 'pg',
      credentials,
    });
    expect(older.preview.ruleSetVersion).toBe(1);
    expect(names(older.preview.tables)).toEqual(['hr.people']);
    await expect(
      previews.preview({ ruleSetId: created.id, version: 7, dataSourceId: 'pg', credentials }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('previews a SQLite file, leaving its internal tables out', async () => {
    const { preview } = await previews.preview({
      ruleSetId: 'pci-focus',
      dataSourceId: 'sqlite',
      credentials,
    });
    expect(names(preview.tables)).toEqual(['main.customers', 'main.order items', 'main.tmp_x']);
    expect(preview.tables[0].columns.map(c => c.name)).toEqual(['card_number']);
    expect(preview.tables[1].columns).toEqual([]);
    expect(preview.counts).toMatchObject({
      tablesDiscovered: 3,
      columnsDiscovered: 7,
      columnsIncluded: 1,
    });
    expect(preview.dataSource).toEqual({ id: 'sqlite', name: 'Shop file', type: 'sqlite' });
  });

  it('previews a MariaDB database', async ({ skip }) => {
    if (!mariaDb) skip();
    const { preview } = await previews.preview({
      ruleSetId: 'pci-focus',
      dataSourceId: 'mysql',
      credentials,
    });
    expect(names(preview.tables)).toEqual([
      `${mariaDb!.config.database}.audit_log`,
      `${mariaDb!.config.database}.payments`,
    ]);
    expect(preview.tables[1].columns.map(c => c.name)).toEqual(['card_number', 'cvv']);
  });

  it('reports unknown rule sets and data sources as 404, unreachable ones as 503', async () => {
    await expect(
      previews.preview({ ruleSetId: 'nope', dataSourceId: 'pg', credentials }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      previews.preview({ ruleSetId: 'default', dataSourceId: 'nope', credentials }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    resolver.connections.set('down', {
      id: 'down',
      name: 'Down',
      type: 'postgres',
      workspace: 'default',
      config: {
        host: '127.0.0.1',
        port: await closedPort(),
        database: 'x',
        user: 'x',
        ssl: 'disable',
      },
    });
    await expect(
      previews.preview({ ruleSetId: 'default', dataSourceId: 'down', credentials }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining("Cannot connect to data source 'Down'"),
    });
    resolver.connections.set('odd', {
      id: 'odd',
      name: 'Odd',
      type: 'snowflake',
      workspace: 'default',
      config: {},
    });
    await expect(
      previews.preview({ ruleSetId: 'default', dataSourceId: 'odd', credentials }),
    ).rejects.toMatchObject({ name: 'InputError' });
    resolver.connections.set('bad', {
      id: 'bad',
      name: 'Bad',
      type: 'postgres',
      workspace: 'default',
      config: { host: '' },
    });
    await expect(
      previews.preview({ ruleSetId: 'default', dataSourceId: 'bad', credentials }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: "Data source 'Bad' has an invalid configuration",
    });
  });
});
