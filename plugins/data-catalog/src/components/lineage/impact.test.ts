import {
  assetRef,
  columnRef,
  tableRef,
  type ImpactAnalysisResponse,
  type ImpactedAsset,
} from '@racine/plugin-data-catalog-common';
import { describe, expect, it } from 'vitest';
import { filterImpactRows, impactOwners, impactReach, impactRows, ownerParts } from './impact';

const asset = (ref: string, depth: number, owners: string[], extra: Partial<ImpactedAsset> = {}) =>
  ({
    ref,
    type: 'table',
    qualifiedName: ref.split('/').pop()!,
    depth,
    owner: owners[0] ?? null,
    owners,
    ...extra,
  }) satisfies ImpactedAsset;

const orders = tableRef('ds', 'shop', 'main', 'orders');
const totals = tableRef('ds', 'shop', 'main', 'customer_totals', 'view');
const daily = assetRef('table', ['s3://warehouse', 'gold/daily_sales2']);
const amount = columnRef('ds', 'shop', 'main', 'orders', 'amount');

const impact: ImpactAnalysisResponse = {
  ref: 'racine:data-catalog:table/ds.shop.main.source',
  assets: [
    asset(orders, 1, ['user:default/ada'], { qualifiedName: 'main.orders' }),
    asset(totals, 2, ['user:default/ada', 'group:default/finance'], {
      type: 'view',
      qualifiedName: 'main.customer_totals',
    }),
    asset(daily, 3, [], { qualifiedName: 'gold/daily_sales2' }),
    asset(amount, 1, [], { type: 'column', qualifiedName: 'main.orders.amount' }),
  ],
  owners: [
    { owner: 'group:default/finance', refs: [totals] },
    { owner: 'user:default/ada', refs: [orders, totals] },
  ],
  unowned: [daily, amount],
};

describe('impact helpers', () => {
  it('names each impacted asset by the last segment of its ref and keeps its type', () => {
    const rows = impactRows(impact);
    expect(rows.map(r => [r.name, r.assetType])).toEqual([
      ['orders', 'table'],
      ['customer_totals', 'view'],
      ['gold/daily_sales2', 'table'],
      ['amount', 'column'],
    ]);
    const foreign = impactRows({
      ...impact,
      assets: [asset('urn:other:x', 1, [], { type: 'dataset', qualifiedName: 'x.y' })],
    });
    expect(foreign[0]).toMatchObject({ name: 'x.y', assetType: null });
  });

  it('lists the owners to notify, most impacted first, as users or groups', () => {
    expect(impactOwners(impact)).toEqual([
      { owner: 'user:default/ada', kind: 'user', name: 'ada', count: 2 },
      { owner: 'group:default/finance', kind: 'group', name: 'finance', count: 1 },
    ]);
    expect(ownerParts('ada')).toEqual({ kind: 'other', name: 'ada' });
    expect(ownerParts('group:finance')).toEqual({ kind: 'group', name: 'finance' });
  });

  it('filters by words, by owner and to the assets nobody owns', () => {
    const rows = impactRows(impact);
    const names = (filter: Parameters<typeof filterImpactRows>[1]) =>
      filterImpactRows(rows, filter).map(r => r.name);
    expect(names({ text: '' })).toEqual([
      'orders',
      'customer_totals',
      'gold/daily_sales2',
      'amount',
    ]);
    expect(names({ text: 'ORDERS' })).toEqual(['orders', 'amount']);
    expect(names({ text: 'orders column' })).toEqual(['amount']);
    expect(names({ text: 'finance' })).toEqual(['customer_totals']);
    expect(names({ text: '', owner: 'user:default/ada' })).toEqual(['orders', 'customer_totals']);
    expect(names({ text: '', unownedOnly: true })).toEqual(['gold/daily_sales2', 'amount']);
    expect(names({ text: 'daily', unownedOnly: true })).toEqual(['gold/daily_sales2']);
  });

  it('tells how far the impact reaches', () => {
    expect(impactReach(impactRows(impact))).toBe(3);
    expect(impactReach([])).toBe(0);
  });
});
