import type {
  LineageEdge,
  LineageGraphResponse,
  LineageNode,
} from '@racine/plugin-data-catalog-common';
import { describe, expect, it } from 'vitest';
import { emptyLineage, layoutLineage, mergeLineage, type LayoutOptions } from './lineageLayout';

const node = (ref: string, depth: number, extra: Partial<LineageNode> = {}): LineageNode => ({
  ref,
  type: 'table',
  name: ref,
  qualifiedName: `public.${ref}`,
  parentRef: null,
  depth,
  inCatalog: true,
  status: 'active',
  owner: null,
  owners: [],
  dataSourceId: 'ds',
  ...extra,
});
const edge = (from: string, to: string, level: 'table' | 'column' = 'table'): LineageEdge => ({
  id: `${from}->${to}`,
  from,
  to,
  kind: 'view',
  level,
  propagationBlocked: false,
});
const answer = (nodes: LineageNode[], edges: LineageEdge[]): LineageGraphResponse => ({
  ref: 'focus',
  direction: 'both',
  depth: 2,
  nodes,
  edges,
  truncated: false,
});
const options = (extra: Partial<LayoutOptions> = {}): LayoutOptions => ({
  focusRef: 'focus',
  columns: false,
  filter: '',
  kinds: new Set(['view', 'openlineage', 'dbt', 'manual']),
  layerLimit: 25,
  openLayers: new Set(),
  ...extra,
});

describe('layoutLineage', () => {
  it('places upstream left and downstream right of the focus', () => {
    const loaded = mergeLineage(
      emptyLineage(),
      answer(
        [node('focus', 0), node('up', -1), node('down', 1), node('down2', 2)],
        [edge('up', 'focus'), edge('focus', 'down'), edge('down', 'down2')],
      ),
    );
    const layout = layoutLineage(loaded, options());
    const layer = Object.fromEntries(layout.nodes.map(n => [n.id, n.layer]));
    expect(layer).toEqual({ up: -1, focus: 0, down: 1, down2: 2 });
    expect(layout.edges).toHaveLength(3);
  });

  it('collapses a wide layer into one "more" node until it is opened, merging its edges', () => {
    const targets = Array.from({ length: 1200 }, (_, i) =>
      node(`t${String(i).padStart(4, '0')}`, 1),
    );
    const loaded = mergeLineage(
      emptyLineage(),
      answer(
        [node('focus', 0), ...targets],
        targets.map(t => edge('focus', t.ref)),
      ),
    );
    const layout = layoutLineage(loaded, options());
    expect(layout.nodes).toHaveLength(1 + 25 + 1);
    expect(layout.collapsed).toBe(1175);
    expect(layout.nodes.find(n => n.kind === 'more')?.hidden).toBe(1175);
    expect(layout.edges.filter(e => e.merged)).toHaveLength(1);
    expect(layout.edges).toHaveLength(26);
    const opened = layoutLineage(loaded, options({ openLayers: new Set([1]) }));
    expect(opened.nodes).toHaveLength(1201);
  });

  it('filters by name, keeps the focus, and draws column edges between column handles', () => {
    const loaded = mergeLineage(
      emptyLineage(),
      answer(
        [
          node('focus', 0),
          node('orders', 1),
          node('focus.email', 0, { type: 'column', name: 'email', parentRef: 'focus' }),
          node('orders.email', 1, { type: 'column', name: 'email', parentRef: 'orders' }),
        ],
        [edge('focus', 'orders'), edge('focus.email', 'orders.email', 'column')],
      ),
    );
    expect(layoutLineage(loaded, options({ filter: 'nothing' })).nodes.map(n => n.id)).toEqual([
      'focus',
    ]);
    const columns = layoutLineage(loaded, options({ columns: true }));
    expect(columns.nodes.find(n => n.id === 'orders')?.columns.map(c => c.name)).toEqual(['email']);
    expect(columns.edges).toEqual([
      expect.objectContaining({
        source: 'focus',
        target: 'orders',
        sourceHandle: 'out:focus.email',
        targetHandle: 'in:orders.email',
      }),
    ]);
  });
});
