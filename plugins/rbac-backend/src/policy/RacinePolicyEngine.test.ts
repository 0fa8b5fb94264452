import { createPermission } from '@backstage/plugin-permission-common';
import { KernelRegistries } from '@racine/kernel-node';
import { describe, expect, it } from 'vitest';
import { RacinePolicyEngine } from './RacinePolicyEngine';

const perm = (name: string) => createPermission({ name, attributes: { action: 'read' } });

function engine() {
  const registries = new KernelRegistries();
  registries.addPermissions('datasources', {
    permissions: [perm('datasource.view'), perm('datasource.edit')],
    defaultGrants: { viewer: ['datasource.view'], 'data-steward': ['datasource.*'] },
  });
  return {
    registries,
    engine: new RacinePolicyEngine(
      {
        roles: [
          {
            name: 'contractor',
            description: 'Limited',
            permissions: ['workspace.view'],
            inherits: [],
          },
        ],
        grants: [
          { subject: 'user:default/ada', role: 'platform-admin', workspace: '*' },
          { subject: 'user:default/sam', role: 'data-steward', workspace: '*' },
          { subject: 'user:default/val', role: 'viewer', workspace: '*' },
          { subject: 'user:default/cole', role: 'contractor', workspace: 'sales' },
        ],
      },
      registries,
    ),
  };
}

describe('RacinePolicyEngine', () => {
  it.each([
    ['user:default/ada', 'anything.at.all', true],
    ['user:default/sam', 'datasource.edit', true],
    ['user:default/sam', 'datasource.view', true],
    ['user:default/sam', 'workspace.create', false],
    ['user:default/val', 'datasource.view', true],
    ['user:default/val', 'datasource.edit', false],
    ['user:default/cole', 'workspace.view', false], // granted only in 'sales', not everywhere
    ['user:default/stranger', 'datasource.view', false],
  ])('%s may %s everywhere: %s', async (subject, permission, expected) => {
    expect(await engine().engine.isAllowed(subject, permission)).toBe(expected);
  });

  it('scopes a grant to its workspace', async () => {
    const { engine: e } = engine();
    expect(await e.isAllowed('user:default/cole', 'workspace.view', 'sales')).toBe(true);
    expect(await e.isAllowed('user:default/cole', 'workspace.view', 'finance')).toBe(false);
    // A role inherited by a steward in '*' applies in any workspace.
    expect(await e.isAllowed('user:default/sam', 'datasource.view', 'finance')).toBe(true);
  });

  it('inherits permissions down the role chain', async () => {
    const { engine: e } = engine();
    const steward = e.roles().find(r => r.name === 'data-steward');
    expect(steward?.inherits).toEqual(['data-owner']);
    // data-steward → data-owner → data-analyst → viewer grants datasource.view.
    expect(await e.isAllowed('user:default/sam', 'datasource.view')).toBe(true);
  });

  it('picks up permissions a plugin registers later', async () => {
    const { engine: e, registries } = engine();
    expect(await e.isAllowed('user:default/val', 'catalog.view')).toBe(false);
    registries.addPermissions('data-catalog', {
      permissions: [perm('catalog.view')],
      defaultGrants: { viewer: ['catalog.view'] },
    });
    expect(await e.isAllowed('user:default/val', 'catalog.view')).toBe(true);
  });
});
