import { describe, expect, it } from 'vitest';
import type { KernelNavItem } from '@racine/kernel-react';
import { activeNavItemId, groupNavItems } from './navModel';
import { filterActions } from './CommandPalette';
import { enabledGroupIds } from '../groups';

const item = (
  id: string,
  path: string,
  group: string,
  order: number,
  children?: KernelNavItem[],
): KernelNavItem => ({
  id,
  title: id,
  path,
  group,
  icon: 'Storage',
  order,
  children,
});

describe('shell navigation model', () => {
  it('groups items by group, ordered by their first item', () => {
    const groups = groupNavItems([
      item('system', '/system', 'Platform', 910),
      item('sources', '/datasources', 'Governance', 100),
      item('activity', '/activity', 'Platform', 900),
    ]);
    expect(groups.map(g => [g.name, g.items.map(i => i.id)])).toEqual([
      ['Governance', ['sources']],
      ['Platform', ['activity', 'system']],
    ]);
  });

  it('highlights the most specific matching item only', () => {
    const items = [
      item('catalog', '/catalog', 'G', 1, [item('assets', '/catalog/assets', 'G', 1)]),
      item('home-like', '/cat', 'G', 2),
    ];
    expect(activeNavItemId(items, '/catalog/assets/42')).toBe('assets');
    expect(activeNavItemId(items, '/catalog')).toBe('catalog');
    expect(activeNavItemId(items, '/category')).toBeUndefined();
  });

  it('filters actions on every word of the query', () => {
    const actions = [
      {
        id: 'platform.createWorkspace',
        title: 'Create workspace',
        description: 'Creates a workspace',
        inputSchema: {},
        pluginId: 'platform',
      },
      {
        id: 'platform.wait',
        title: 'Wait',
        description: 'Waits',
        inputSchema: {},
        pluginId: 'platform',
      },
    ];
    expect(filterActions(actions, 'create work').map(a => a.id)).toEqual([
      'platform.createWorkspace',
    ]);
    expect(filterActions(actions, '  ')).toHaveLength(2);
  });

  it('installs a group frontend unless the config switches it off', () => {
    const config: Record<string, boolean | undefined> = { platform: false };
    expect(enabledGroupIds(id => config[id])).not.toContain('platform');
    expect(enabledGroupIds(() => undefined)).toContain('platform');
  });
});
