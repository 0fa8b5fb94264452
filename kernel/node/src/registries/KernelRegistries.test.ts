import { createPermission } from '@backstage/plugin-permission-common';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KernelRegistries } from './KernelRegistries';
import { createAction } from './types';

const echo = (id: string) =>
  createAction({
    id,
    title: 'Echo',
    description: 'Returns its input',
    input: z.object({ text: z.string() }),
    handler: async ({ input }) => input,
  });

describe('KernelRegistries', () => {
  it('stamps each registration with its plugin and lists it', () => {
    const registries = new KernelRegistries();
    registries.addNavigation('datasources', {
      id: 'datasources.list',
      title: 'Data sources',
      path: '/datasources',
      group: 'Governance',
      icon: 'Storage',
    });
    registries.addAction('datasources', echo('datasources.echo'));
    registries.addWorkflowStep('datasources', {
      id: 'datasources.echo',
      actionId: 'datasources.echo',
      idempotent: true,
    });
    registries.addPermissions('datasources', {
      permissions: [createPermission({ name: 'datasource.view', attributes: { action: 'read' } })],
    });
    registries.addSearchProvider('datasources', {
      id: 'ds',
      types: ['datasource'],
      search: async () => [],
    });
    expect(registries.navigation).toEqual([expect.objectContaining({ pluginId: 'datasources' })]);
    expect(registries.actions.get('datasources.echo')?.pluginId).toBe('datasources');
    expect(registries.workflowSteps.size).toBe(1);
    expect(registries.permissions[0].item.permissions[0].name).toBe('datasource.view');
    expect(registries.search).toHaveLength(1);
  });

  it('refuses an action named after another plugin, and duplicates', () => {
    const registries = new KernelRegistries();
    expect(() => registries.addAction('scans', echo('datasources.echo'))).toThrow(
      /must be named 'scans.<verb>'/,
    );
    registries.addAction('scans', echo('scans.echo'));
    expect(() => registries.addAction('scans', echo('scans.echo'))).toThrow(/already registered/);
  });

  it('leaves no trace of a switched-off group', () => {
    const registries = new KernelRegistries(id => id !== 'compliance');
    let changes = 0;
    registries.onChange(() => changes++);
    registries.addNavigation('compliance', {
      id: 'compliance.home',
      title: 'Compliance',
      path: '/compliance',
      group: 'Governance',
      icon: 'Policy',
    });
    registries.addAction('compliance', echo('compliance.echo'));
    registries.addWorkflowStep('compliance', {
      id: 'compliance.echo',
      actionId: 'compliance.echo',
      idempotent: true,
    });
    registries.addPermissions('compliance', { permissions: [] });
    registries.addSearchProvider('compliance', {
      id: 'c',
      types: ['finding'],
      search: async () => [],
    });
    expect(registries.navigation).toEqual([]);
    expect(registries.actions.size).toBe(0);
    expect(registries.workflowSteps.size).toBe(0);
    expect(registries.permissions).toEqual([]);
    expect(registries.search).toEqual([]);
    expect(changes).toBe(0);
  });
});
