import { assetRef, columnRef, tableRef } from '@racine/plugin-data-catalog-common';
import { describe, expect, it } from 'vitest';
import { containersOf } from './CatalogLayout';

describe('containersOf', () => {
  const source = assetRef('datasource', ['ds-1']);
  const database = assetRef('database', ['ds-1', 'shop']);
  const schema = assetRef('schema', ['ds-1', 'shop', 'public']);

  it('opens data source, database and schema above a scanned table, view or column', () => {
    expect(containersOf(tableRef('ds-1', 'shop', 'public', 'orders'))).toEqual([
      source,
      database,
      schema,
    ]);
    expect(containersOf(tableRef('ds-1', 'shop', 'public', 'totals', 'view'))).toEqual([
      source,
      database,
      schema,
    ]);
    expect(containersOf(columnRef('ds-1', 'shop', 'public', 'orders', 'id'))).toEqual([
      source,
      database,
      schema,
    ]);
  });

  it('opens a container itself and those above it', () => {
    expect(containersOf(source)).toEqual([source]);
    expect(containersOf(database)).toEqual([source, database]);
    expect(containersOf(schema)).toEqual([source, database, schema]);
  });

  it('opens only the data source of an OpenLineage dataset and of its columns', () => {
    const namespace = assetRef('datasource', ['s3://warehouse']);
    const dataset = assetRef('table', ['s3://warehouse', 'gold/daily_sales2']);
    expect(dataset).toBe('racine:data-catalog:table/s3:%2F%2Fwarehouse.gold%2Fdaily_sales2');
    expect(containersOf(dataset)).toEqual([namespace]);
    expect(
      containersOf(assetRef('column', ['s3://warehouse', 'gold/daily_sales2', 'amount'])),
    ).toEqual([namespace]);
    // A dotted dataset name stays one segment: no database or schema is made up from it.
    expect(containersOf(assetRef('table', ['warehouse://e2e', 'events.source']))).toEqual([
      assetRef('datasource', ['warehouse://e2e']),
    ]);
  });

  it('names nothing for no ref, a foreign ref or a ref without a place in the tree', () => {
    expect(containersOf(undefined)).toEqual([]);
    expect(containersOf('user:default/ada')).toEqual([]);
    expect(containersOf(assetRef('table', ['orphan']))).toEqual([]);
    expect(containersOf(assetRef('column', ['orphan', 'id']))).toEqual([]);
  });
});
