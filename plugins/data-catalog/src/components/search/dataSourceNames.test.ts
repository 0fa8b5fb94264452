import { describe, expect, it } from 'vitest';
import { dataSourceNameMap, unnamedDataSources } from './dataSourceNames';

const pg = '0b4c6a54-8f1e-4a43-9d3a-4f5d0c1e2a01';
const shop = '0b4c6a54-8f1e-4a43-9d3a-4f5d0c1e2a02';
const gone = '0b4c6a54-8f1e-4a43-9d3a-4f5d0c1e2a03';

describe('dataSourceNameMap', () => {
  it('names data sources from the facet titles', () => {
    const names = dataSourceNameMap([
      { value: pg, count: 3, title: 'explore-pg' },
      { value: shop, count: 1, title: 'sample-retail' },
    ]);
    expect(names.get(pg)).toBe('explore-pg');
    expect(names.get(shop)).toBe('sample-retail');
  });

  it('does not take a title that only repeats the id, or a value without title, for a name', () => {
    const names = dataSourceNameMap([
      { value: gone, count: 2, title: gone },
      { value: pg, count: 1 },
    ]);
    expect(names.size).toBe(0);
  });

  it('prefers the name of the data source asset, and completes the facet titles with it', () => {
    const names = dataSourceNameMap(
      [{ value: pg, count: 3, title: 'explore-pg' }],
      [
        { dataSourceId: pg, name: 'explore-pg-renamed' },
        { dataSourceId: shop, name: 'sample-retail' },
      ],
    );
    expect([...names]).toEqual([
      [pg, 'explore-pg-renamed'],
      [shop, 'sample-retail'],
    ]);
  });
});

describe('unnamedDataSources', () => {
  it('lists each id without a name once, sorted', () => {
    const names = new Map([[pg, 'explore-pg']]);
    expect(unnamedDataSources([shop, pg, gone, shop], names)).toEqual([shop, gone].sort());
    expect(unnamedDataSources([pg, pg], names)).toEqual([]);
  });
});
