import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult, createPermission } from '@backstage/plugin-permission-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  actingAsUser,
  applyAccessFilter,
  createGovernedResource,
  KernelRegistries,
  ResourceAccessRegistry,
  type AccessQuery,
} from '@racine/kernel-node';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PolicyStore } from '../database/PolicyStore';
import { migrateRbacDatabase } from '../database/migrations';
import { InProcessPermissionsService, apiKeyScopes } from './inProcessPermissions';
import { RacinePolicyEngine } from './RacinePolicyEngine';

/**
 * ABAC end to end: the policy's conditional decisions, through the in-process permissions
 * service, applied by a governed resource type (kernel-node's kit) as SQL filters and as
 * in-memory checks, with one plugin-specific rule (a sensitivity ceiling) beside the
 * standard ones.
 */
const db = process.env.RACINE_TEST_DB ?? 'sqlite';

interface Asset {
  ref: string;
  workspace: string;
  owner: string;
  sensitivity: number;
}
const LEVELS = ['PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'RESTRICTED'];

const assetView = createPermission({
  name: 'asset.view',
  attributes: { action: 'read' },
  resourceType: 'test-asset',
});
const assetEdit = createPermission({
  name: 'asset.edit',
  attributes: { action: 'update' },
  resourceType: 'test-asset',
});

const ASSETS: Asset[] = [
  {
    ref: 'racine:test:asset/sales.orders',
    workspace: 'sales',
    owner: 'user:default/olive',
    sensitivity: 1,
  },
  {
    ref: 'racine:test:asset/sales.cards',
    workspace: 'sales',
    owner: 'group:default/payments',
    sensitivity: 3,
  },
  {
    ref: 'racine:test:asset/hr.salaries',
    workspace: 'hr',
    owner: 'user:default/hank',
    sensitivity: 2,
  },
  {
    ref: 'racine:test:asset/hr.handbook',
    workspace: 'hr',
    owner: 'user:default/hank',
    sensitivity: 0,
  },
  {
    ref: 'racine:test:asset/ops.logs',
    workspace: 'ops',
    owner: 'user:default/olive',
    sensitivity: 1,
  },
];

describe(`ABAC through governed resources (${db})`, () => {
  let database: TestDatabase;
  let engine: RacinePolicyEngine;
  let permissions: PermissionsService;
  let assets: ReturnType<typeof createGovernedResource<Asset>>['governed'];

  const resourceRef = createPermissionResourceRef<Asset, AccessQuery>().with({
    pluginId: 'test-catalog',
    resourceType: 'test-asset',
  });
  const sensitivityRule = createPermissionRule({
    name: 'HAS_SENSITIVITY_AT_MOST',
    description: 'The asset is at most this sensitive',
    resourceRef,
    paramsSchema: z.object({ level: z.enum(LEVELS) }),
    apply: (asset: Asset, { level }) => asset.sensitivity <= LEVELS.indexOf(level),
    toQuery:
      ({ level }): AccessQuery =>
      query => {
        query.where('sensitivity', '<=', LEVELS.indexOf(level));
      },
  });

  async function visible(
    credentials: BackstageCredentials,
    permission = assetView,
  ): Promise<string[]> {
    const query = database.knex('test_assets').select('ref').orderBy('ref');
    applyAccessFilter(query, await assets.filter(credentials, permission));
    return ((await query) as Array<{ ref: string }>).map(r => r.ref);
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateRbacDatabase(database.knex);
    await database.knex.schema.createTable('test_assets', t => {
      t.string('ref').primary();
      t.string('workspace');
      t.string('owner');
      t.integer('sensitivity');
    });
    await database.knex('test_assets').insert(ASSETS);

    const registries = new KernelRegistries();
    registries.addPermissions('test-catalog', { permissions: [assetView, assetEdit] });
    const types = new ResourceAccessRegistry();
    const store = new PolicyStore(database.knex);
    engine = new RacinePolicyEngine({
      store,
      config: { roles: [], grants: [] },
      registries,
      resourceTypes: types,
    });
    const fallback = {
      authorize: async () => [{ result: AuthorizeResult.DENY }],
      authorizeConditional: async () => [{ result: AuthorizeResult.DENY }],
    } as unknown as PermissionsService;
    permissions = new InProcessPermissionsService(engine, fallback, types);
    const built = createGovernedResource<Asset>(
      'test-catalog',
      {
        resourceType: 'test-asset',
        permissions: [assetView, assetEdit],
        refOf: a => a.ref,
        workspaceOf: a => a.workspace,
        ownersOf: a => [a.owner],
        columns: { ref: 'ref', workspace: 'workspace', owner: 'owner' },
        getResources: async refs => refs.map(r => ASSETS.find(a => a.ref === r)),
        rules: [sensitivityRule],
      },
      permissions,
    );
    types.add(built.entry);
    assets = built.governed;
    await engine.start();

    await store.mutate(async trx => {
      const role = (
        name: string,
        permissions: Parameters<PolicyStore['createRole']>[1]['permissions'],
      ) =>
        store.createRole(trx, { name, description: '', builtin: false, permissions, inherits: [] });
      await role('reader', [{ permission: 'asset.view', resource: '*', effect: 'allow' }]);
      await role('analyst', [
        {
          permission: 'asset.view',
          resource: '*',
          effect: 'allow',
          condition: { rule: 'HAS_SENSITIVITY_AT_MOST', params: { level: 'CONFIDENTIAL' } },
        },
      ]);
      await role('owner', [
        {
          permission: 'asset.edit',
          resource: '*',
          effect: 'allow',
          condition: { rule: 'IS_OWNED_BY', params: { owners: '$caller' } },
        },
      ]);
      await store.createGroup(trx, {
        name: 'payments',
        title: 'Payments',
        description: '',
        members: ['user:default/pam'],
      });
      const grant = (subject: string, g: Record<string, string>) =>
        store.createGrant(trx, {
          subject,
          workspace: '*',
          resource: '*',
          effect: 'allow',
          source: 'admin',
          createdBy: 'test',
          ...g,
        });
      await grant('user:default/rex', { role: 'reader' });
      await grant('user:default/sally', { role: 'reader', workspace: 'sales' });
      await grant('user:default/ann', { role: 'analyst' });
      await grant('user:default/olive', { role: 'owner' });
      await grant('user:default/pam', { role: 'owner' });
      await grant('user:default/dee', { role: 'reader' });
      await grant('user:default/dee', {
        permission: 'asset.view',
        workspace: 'hr',
        effect: 'deny',
      });
      await grant('user:default/pia', {
        permission: 'asset.view',
        resource: 'racine:test:asset/sales.*',
      });
      await grant('user:default/wes', { role: 'analyst', workspace: 'hr' });
    });
    await engine.reload();
  });
  afterAll(async () => {
    engine?.stop();
    await database?.destroy();
  });

  it.each<[string, typeof assetView, string[], string]>([
    [
      'rex',
      assetView,
      ['hr.handbook', 'hr.salaries', 'ops.logs', 'sales.cards', 'sales.orders'],
      'everything',
    ],
    ['sally', assetView, ['sales.cards', 'sales.orders'], 'a workspace'],
    [
      'ann',
      assetView,
      ['hr.handbook', 'hr.salaries', 'ops.logs', 'sales.orders'],
      'up to CONFIDENTIAL',
    ],
    ['wes', assetView, ['hr.handbook', 'hr.salaries'], 'a workspace and a sensitivity ceiling'],
    ['olive', assetEdit, ['ops.logs', 'sales.orders'], 'what she owns'],
    ['pam', assetEdit, ['sales.cards'], 'what her group owns'],
    [
      'dee',
      assetView,
      ['ops.logs', 'sales.cards', 'sales.orders'],
      'everything but the denied workspace',
    ],
    ['pia', assetView, ['sales.cards', 'sales.orders'], 'a ref pattern'],
    ['nobody', assetView, [], 'nothing'],
  ])('%s sees %s of: %s (%s) — in SQL and in memory', async (who, permission, expected) => {
    const credentials = actingAsUser(`user:default/${who}`);
    const refs = expected.map(e => `racine:test:asset/${e}`);
    expect(await visible(credentials, permission)).toEqual(refs);
    const inMemory = await assets.filterResources(credentials, permission, ASSETS);
    expect(inMemory.map(a => a.ref).sort()).toEqual(refs);
    // A single-resource check through the permissions service (conditions applied in-process).
    const decisions = await permissions.authorize(
      ASSETS.map(a => ({ permission, resourceRef: a.ref })),
      { credentials },
    );
    expect(
      ASSETS.filter((_, i) => decisions[i].result === AuthorizeResult.ALLOW)
        .map(a => a.ref)
        .sort(),
    ).toEqual(refs);
  });

  it('narrows an API key to its scope', async () => {
    const credentials = actingAsUser('user:default/rex');
    apiKeyScopes.set(credentials, ['asset.edit']);
    expect(await visible(credentials)).toEqual([]);
    const scoped = actingAsUser('user:default/rex');
    apiKeyScopes.set(scoped, ['asset.*']);
    expect(await visible(scoped)).toHaveLength(5);
  });
});
