import {
  AuthorizeResult,
  createPermission,
  type Permission,
} from '@backstage/plugin-permission-common';
import { KernelRegistries, ResourceAccessRegistry } from '@racine/kernel-node';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyStore } from '../database/PolicyStore';
import { migrateRbacDatabase } from '../database/migrations';
import { RacinePolicyEngine } from './RacinePolicyEngine';
import type { GrantRecord } from '../database/PolicyStore';

const db = process.env.RACINE_TEST_DB ?? 'sqlite';

const resource = (name: string, resourceType: string) =>
  createPermission({ name, attributes: { action: 'read' }, resourceType });
const basic = (name: string) => createPermission({ name, attributes: { action: 'read' } });

const P = {
  dsView: resource('datasource.view', 'datasource'),
  dsEdit: resource('datasource.edit', 'datasource'),
  dsDelete: resource('datasource.delete', 'datasource'),
  catalogView: resource('catalog.view', 'asset'),
  wsView: basic('workspace.view'),
  activity: basic('activity.view'),
  glossary: basic('glossary.view'),
};

function registries() {
  const r = new KernelRegistries();
  r.addPermissions('datasources', {
    permissions: [P.dsView, P.dsEdit, P.dsDelete],
    defaultGrants: { viewer: ['datasource.view'], 'data-steward': ['datasource.*'] },
  });
  r.addPermissions('kernel', {
    permissions: [P.wsView, P.activity],
    defaultGrants: { viewer: ['workspace.view'] },
  });
  r.addPermissions('data-catalog', { permissions: [P.catalogView] });
  return r;
}

function resourceTypes() {
  const types = new ResourceAccessRegistry();
  const standard = ['IS_IN_WORKSPACE', 'MATCHES_RESOURCE_REF', 'IS_OWNED_BY'];
  types.add({
    pluginId: 'datasources',
    resourceType: 'datasource',
    ruleNames: standard,
    applyConditions: async () => [],
  });
  types.add({
    pluginId: 'data-catalog',
    resourceType: 'asset',
    ruleNames: [...standard, 'HAS_SENSITIVITY_AT_MOST'],
    applyConditions: async () => [],
  });
  return types;
}

const hour = 3600_000;
const iso = (offset: number) => new Date(Date.now() + offset).toISOString();

async function seedScenario(store: PolicyStore) {
  await store.mutate(async trx => {
    await store.createRole(trx, {
      name: 'contractor',
      description: '',
      builtin: false,
      permissions: [{ permission: 'workspace.view', resource: '*', effect: 'allow' }],
      inherits: [],
    });
    await store.createRole(trx, {
      name: 'ds-editor',
      description: '',
      builtin: false,
      permissions: [
        {
          permission: 'datasource.edit',
          resource: 'racine:datasources:datasource/prod-*',
          effect: 'allow',
        },
      ],
      inherits: [],
    });
    await store.createRole(trx, {
      name: 'analyst-abac',
      description: '',
      builtin: false,
      permissions: [
        {
          permission: 'catalog.view',
          resource: '*',
          effect: 'allow',
          condition: { rule: 'HAS_SENSITIVITY_AT_MOST', params: { level: 'CONFIDENTIAL' } },
        },
      ],
      inherits: [],
    });
    await store.createRole(trx, {
      name: 'owner-abac',
      description: '',
      builtin: false,
      permissions: [
        {
          permission: 'datasource.edit',
          resource: '*',
          effect: 'allow',
          condition: { rule: 'IS_OWNED_BY', params: { owners: '$caller' } },
        },
      ],
      inherits: [],
    });
    await store.createRole(trx, {
      name: 'odd-rule',
      description: '',
      builtin: false,
      permissions: [
        {
          permission: 'datasource.view',
          resource: '*',
          effect: 'allow',
          condition: { rule: 'NO_SUCH_RULE', params: {} },
        },
      ],
      inherits: [],
    });
    await store.createGroup(trx, {
      name: 'stewards',
      title: 'Stewards',
      description: '',
      members: ['user:default/gus'],
    });
    const grant = (g: Partial<GrantRecord> & { subject: string }) =>
      store.createGrant(trx, {
        workspace: '*',
        resource: '*',
        effect: 'allow',
        source: 'admin',
        createdBy: 'test',
        ...g,
      });
    await grant({ subject: 'user:default/ada', role: 'platform-admin' });
    await grant({ subject: 'user:default/sam', role: 'data-steward' });
    await grant({ subject: 'group:default/stewards', role: 'data-steward', workspace: 'sales' });
    await grant({ subject: 'user:default/cole', role: 'contractor', workspace: 'sales' });
    await grant({ subject: 'user:default/dora', role: 'ds-editor' });
    await grant({ subject: 'user:default/den', role: 'data-steward' });
    await grant({ subject: 'user:default/den', permission: 'datasource.delete', effect: 'deny' });
    await grant({ subject: 'user:default/dan', role: 'data-steward' });
    await grant({
      subject: 'user:default/dan',
      permission: 'datasource.edit',
      workspace: 'prod',
      effect: 'deny',
    });
    await grant({
      subject: 'user:default/pat',
      role: 'data-steward',
      resource: 'racine:datasources:datasource/pay-*',
    });
    await grant({ subject: 'user:default/exp', role: 'viewer', expiresAt: iso(-hour) });
    await grant({ subject: 'user:default/fut', role: 'viewer', notBefore: iso(hour) });
    await grant({ subject: 'user:default/abi', role: 'analyst-abac' });
    await grant({ subject: 'user:default/own', role: 'owner-abac' });
    await grant({ subject: 'user:default/odd', role: 'odd-rule' });
    await grant({ subject: 'user:default/off', role: 'platform-admin' });
    await grant({ subject: 'user:default/vic', role: 'viewer' });
    await grant({ subject: 'user:default/vic', role: 'data-steward', workspace: 'lab' });
    const now = new Date().toISOString();
    await trx('rbac_users').insert({
      username: 'off',
      display_name: 'Off',
      disabled: true,
      created_at: now,
      updated_at: now,
    });
  });
}

describe(`policy semantics (${db})`, () => {
  let database: TestDatabase;
  let engine: RacinePolicyEngine;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateRbacDatabase(database.knex);
    const store = new PolicyStore(database.knex);
    engine = new RacinePolicyEngine({
      store,
      config: {
        roles: [{ name: 'viewer', description: '', permissions: ['glossary.view'], inherits: [] }],
        grants: [{ subject: 'user:default/cfg', role: 'auditor', workspace: '*' }],
      },
      registries: registries(),
      resourceTypes: resourceTypes(),
    });
    await engine.start();
    await seedScenario(store);
    await engine.reload();
  });
  afterAll(async () => {
    engine?.stop();
    await database?.destroy();
  });

  const ALLOW = AuthorizeResult.ALLOW;
  const DENY = AuthorizeResult.DENY;
  const COND = AuthorizeResult.CONDITIONAL;

  // Global decisions (what Backstage's permission API asks: no workspace, no resource).
  it.each<[string, Permission, AuthorizeResult, string]>([
    // inheritance: platform-admin holds '*'; steward → owner → analyst → viewer
    ['ada', P.activity, ALLOW, 'platform-admin holds *'],
    ['sam', P.dsEdit, ALLOW, 'data-steward holds datasource.*'],
    ['sam', P.wsView, ALLOW, 'inherited from viewer'],
    ['sam', P.activity, DENY, 'not in the steward chain'],
    ['cfg', P.activity, ALLOW, 'a grant from app-config'],
    ['vic', P.glossary, ALLOW, 'app-config extends the built-in viewer'],
    // domains: a grant in one workspace never answers "everywhere"
    ['cole', P.wsView, DENY, 'basic permission granted in one workspace only'],
    ['gus', P.dsView, COND, 'resource permission via a group grant in one workspace'],
    ['vic', P.dsEdit, COND, 'steward only in lab'],
    ['vic', P.dsView, ALLOW, 'viewer everywhere'],
    // resource patterns
    ['dora', P.dsEdit, COND, 'narrowed to prod-*'],
    ['dora', P.dsView, DENY, 'role holds edit only'],
    ['pat', P.dsView, COND, 'role grant narrowed to pay-*'],
    // deny over allow
    ['den', P.dsDelete, DENY, 'explicit deny everywhere'],
    ['den', P.dsEdit, ALLOW, 'the deny is for delete only'],
    ['dan', P.dsEdit, COND, 'allowed except in prod'],
    ['dan', P.dsView, ALLOW, 'the prod deny is for edit only'],
    // expiry and not-before
    ['exp', P.dsView, DENY, 'expired grant'],
    ['fut', P.dsView, DENY, 'not yet valid'],
    // ABAC
    ['abi', P.catalogView, COND, 'sensitivity ceiling'],
    ['own', P.dsEdit, COND, 'owned resources only'],
    ['odd', P.dsView, DENY, 'a rule the type does not know cannot grant'],
    // disabled accounts and strangers
    ['off', P.activity, DENY, 'disabled account'],
    ['nobody', P.dsView, DENY, 'no grant'],
  ])('%s / %s → %s (%s)', async (who, permission, expected) => {
    const decision = await engine.decide(`user:default/${who}`, {
      name: permission.name,
      resourceType: 'resourceType' in permission ? permission.resourceType : undefined,
    });
    expect(decision.result).toBe(expected);
  });

  it('builds conditions the owning plugin can turn into SQL', async () => {
    const q = (name: string, type: string) => ({ name, resourceType: type });
    expect(await engine.decide('user:default/gus', q('datasource.view', 'datasource'))).toEqual({
      result: COND,
      pluginId: 'datasources',
      resourceType: 'datasource',
      conditions: {
        resourceType: 'datasource',
        rule: 'IS_IN_WORKSPACE',
        params: { workspaces: ['sales'] },
      },
    });
    expect(
      (await engine.decide('user:default/dora', q('datasource.edit', 'datasource'))) as unknown,
    ).toMatchObject({
      conditions: {
        rule: 'MATCHES_RESOURCE_REF',
        params: { patterns: ['racine:datasources:datasource/prod-*'] },
      },
    });
    expect(
      (await engine.decide('user:default/dan', q('datasource.edit', 'datasource'))) as unknown,
    ).toMatchObject({
      conditions: { not: { rule: 'IS_IN_WORKSPACE', params: { workspaces: ['prod'] } } },
    });
    expect(
      (await engine.decide('user:default/abi', q('catalog.view', 'asset'))) as unknown,
    ).toMatchObject({
      pluginId: 'data-catalog',
      conditions: { rule: 'HAS_SENSITIVITY_AT_MOST', params: { level: 'CONFIDENTIAL' } },
    });
    expect(
      (await engine.decide('user:default/own', q('datasource.edit', 'datasource'))) as unknown,
    ).toMatchObject({
      conditions: { rule: 'IS_OWNED_BY', params: { owners: ['user:default/own'] } },
    });
  });

  // Concrete questions (a workspace, a resource), cross-checked against Casbin's enforce().
  it.each<[string, string, string, string | undefined, boolean]>([
    ['cole', 'workspace.view', 'sales', undefined, true],
    ['cole', 'workspace.view', 'finance', undefined, false],
    ['gus', 'datasource.edit', 'sales', 'racine:datasources:datasource/crm', true],
    ['gus', 'datasource.edit', 'hr', 'racine:datasources:datasource/crm', false],
    ['sam', 'datasource.view', 'finance', 'racine:datasources:datasource/x', true],
    ['dora', 'datasource.edit', 'default', 'racine:datasources:datasource/prod-eu', true],
    ['dora', 'datasource.edit', 'default', 'racine:datasources:datasource/dev-eu', false],
    ['dora', 'datasource.edit', 'default', 'racine:datasources:datasource/x/prod-eu', false],
    ['pat', 'datasource.view', 'default', 'racine:datasources:datasource/pay-1', true],
    ['pat', 'datasource.view', 'default', 'racine:datasources:datasource/crm', false],
    ['dan', 'datasource.edit', 'prod', 'racine:datasources:datasource/a', false],
    ['dan', 'datasource.edit', 'dev', 'racine:datasources:datasource/a', true],
    ['den', 'datasource.delete', 'dev', 'racine:datasources:datasource/a', false],
    ['exp', 'datasource.view', 'dev', 'racine:datasources:datasource/a', false],
    ['ada', 'anything.at.all', 'dev', 'racine:x:y/z', true],
    ['off', 'anything.at.all', 'dev', 'racine:x:y/z', false],
  ])(
    '%s may %s in %s on %s: %s (and Casbin agrees)',
    async (who, permission, workspace, ref, expected) => {
      const subject = `user:default/${who}`;
      expect(await engine.isAllowedIn(subject, permission, workspace, ref)).toBe(expected);
      expect(await engine.enforce(subject, permission, workspace, ref ?? '*')).toBe(expected);
    },
  );

  it('lists the workspaces a subject belongs to', async () => {
    const compiled = await engine.ready();
    expect(compiled.visibleWorkspaces('user:default/cole', 'workspace.view')).toEqual(['sales']);
    expect(compiled.visibleWorkspaces('user:default/gus', 'workspace.view')).toEqual(['sales']);
    expect(compiled.visibleWorkspaces('user:default/sam', 'workspace.view')).toBe('*');
    expect(compiled.visibleWorkspaces('user:default/nobody', 'workspace.view')).toEqual([]);
  });

  it('explains a decision with the policy lines and the role chain', async () => {
    const explained = await engine.explain(
      'user:default/gus',
      { name: 'datasource.view', resourceType: 'datasource' },
      'sales',
    );
    expect(explained.result).toBe('ALLOW');
    expect(explained.casbin).toBe(true);
    const reason = explained.reasons.find(r => r.line.includes('role:viewer'))!;
    expect(reason.applies).toBe('yes');
    expect(reason.line).toBe('p, role:viewer, *, *, datasource.view, allow');
    expect(reason.chain.map(c => c.subject)).toEqual([
      'user:default/gus',
      'group:default/stewards',
      'role:data-steward',
      'role:data-owner',
      'role:data-analyst',
      'role:viewer',
    ]);
    expect(reason.chain[1].via).toBe('g, user:default/gus, group:default/stewards, *');
    expect(reason.chain[2].via).toBe('g, group:default/stewards, role:data-steward, sales');

    const denied = await engine.explain('user:default/den', {
      name: 'datasource.delete',
      resourceType: 'datasource',
    });
    expect(denied.result).toBe('DENY');
    expect(denied.reasons[0]).toMatchObject({
      effect: 'deny',
      line: 'p, user:default/den, *, *, datasource.delete, deny',
      applies: 'yes',
    });
    expect(denied.summary).toMatch(/denied by p, user:default\/den/);
  });
});

describe(`policy lifecycle (${db})`, () => {
  let database: TestDatabase;
  let a: RacinePolicyEngine;
  let b: RacinePolicyEngine;

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateRbacDatabase(database.knex);
    const make = () =>
      new RacinePolicyEngine({
        store: new PolicyStore(database.knex),
        config: { roles: [], grants: [] },
        registries: registries(),
        resourceTypes: resourceTypes(),
        pollIntervalMs: 250,
      });
    a = make();
    b = make();
    await a.start();
    await b.start();
  });
  afterAll(async () => {
    a?.stop();
    b?.stop();
    await database?.destroy();
  });

  it('seeds built-in roles once and keeps an admin removal', async () => {
    const viewer = (await a.roles()).find(r => r.name === 'viewer');
    expect(viewer?.builtin).toBe(true);
    expect(viewer?.permissions.map(p => p.permission)).toEqual(
      expect.arrayContaining(['datasource.view', 'workspace.view']),
    );
    await a.store.mutate(trx =>
      a.store.updateRole(trx, 'viewer', {
        permissions: [{ permission: 'workspace.view', resource: '*', effect: 'allow' }],
      }),
    );
    expect(await a.store.seedDefaults(a.defaultRoles())).toBe(false);
    await a.reload();
    expect(
      (await a.roles()).find(r => r.name === 'viewer')?.permissions.map(p => p.permission),
    ).toEqual(['workspace.view']);
  });

  it('applies a change made on one replica on another within the poll interval', async () => {
    expect(await b.isAllowed('user:default/rep', 'workspace.view')).toBe(false);
    await a.store.mutate(trx =>
      a.store.createGrant(trx, {
        subject: 'user:default/rep',
        role: 'viewer',
        workspace: '*',
        resource: '*',
        effect: 'allow',
        source: 'admin',
        createdBy: 'test',
      }),
    );
    await a.reload();
    expect(await a.isAllowed('user:default/rep', 'workspace.view')).toBe(true);
    await expect
      .poll(() => b.isAllowed('user:default/rep', 'workspace.view'), {
        timeout: 3000,
        interval: 100,
      })
      .toBe(true);
  });

  it('stops honouring a grant when it expires and starts one when it begins, without a reload call', async () => {
    // One instant for both grants: the second createGrant runs after the first one's round trip,
    // and two instants apart would let the poll below see the first change without the second.
    const boundary = iso(1500);
    await a.store.mutate(async trx => {
      await a.store.createGrant(trx, {
        subject: 'user:default/tmp',
        role: 'viewer',
        workspace: '*',
        resource: '*',
        effect: 'allow',
        expiresAt: boundary,
        source: 'admin',
        createdBy: 'test',
      });
      await a.store.createGrant(trx, {
        subject: 'user:default/later',
        role: 'viewer',
        workspace: '*',
        resource: '*',
        effect: 'allow',
        notBefore: boundary,
        source: 'admin',
        createdBy: 'test',
      });
    });
    await a.reload();
    expect(await a.isAllowed('user:default/tmp', 'workspace.view')).toBe(true);
    expect(await a.isAllowed('user:default/later', 'workspace.view')).toBe(false);
    await expect
      .poll(() => a.isAllowed('user:default/tmp', 'workspace.view'), {
        timeout: 3000,
        interval: 100,
      })
      .toBe(false);
    expect(await a.isAllowed('user:default/later', 'workspace.view')).toBe(true);
  });

  it('picks up permissions a plugin registers later', async () => {
    const registry = registries();
    const engine = new RacinePolicyEngine({
      store: new PolicyStore(database.knex),
      config: {
        roles: [],
        grants: [{ subject: 'user:default/val', role: 'viewer', workspace: '*' }],
      },
      registries: registry,
    });
    await engine.start();
    expect(await engine.isAllowed('user:default/val', 'glossary.view')).toBe(false);
    registry.addPermissions('glossary', {
      permissions: [basic('glossary.view')],
      defaultGrants: { viewer: ['glossary.view'] },
    });
    expect(await engine.isAllowed('user:default/val', 'glossary.view')).toBe(true);
    engine.stop();
  });
});
