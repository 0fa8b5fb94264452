import { assetRef, columnRef, tableRef } from '@racine/plugin-data-catalog-common';
import { describe, expect, it } from 'vitest';
import { ingestedSearchText, schemaNameOf } from './searchMigration';

describe('search document helpers', () => {
  it('finds the schema of scanned assets only', () => {
    expect(schemaNameOf(assetRef('datasource', ['ds']))).toBeNull();
    expect(schemaNameOf(assetRef('schema', ['ds', 'db', 'sales.eu']))).toBe('sales.eu');
    expect(schemaNameOf(tableRef('ds', 'db', 'public', 'orders'))).toBe('public');
    expect(schemaNameOf(columnRef('ds', 'db', 'public', 'orders', 'id'))).toBe('public');
    // an OpenLineage dataset (namespace.name) and its field have no schema
    expect(schemaNameOf(assetRef('table', ['postgres://h:5432', 'db.public.orders']))).toBeNull();
    expect(schemaNameOf(assetRef('column', ['ns', 'orders', 'id']))).toBeNull();
  });

  it('lower-cases names, comments and column names into one document', () => {
    expect(
      ingestedSearchText({
        name: 'Orders',
        qualifiedName: 'Sales.Orders',
        comment: 'Every ÉTÉ order',
        columnNames: ['ID', 'Total'],
      }),
    ).toBe('orders sales.orders every été order id total');
  });
});
