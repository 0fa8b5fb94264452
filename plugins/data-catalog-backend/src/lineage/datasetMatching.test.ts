import { describe, expect, it } from 'vitest';
import { matchDataset, type DataSourceEndpoint } from './datasetMatching';

const endpoints: DataSourceEndpoint[] = [
  { id: 'pg', type: 'postgres', config: { host: 'db.example.com', database: 'shop' } },
  { id: 'pg2', type: 'postgres', config: { host: 'db.example.com', port: 6543, database: 'hr' } },
  { id: 'my', type: 'mysql', config: { host: 'MySQL.local', port: 3307 } },
  { id: 'lite', type: 'sqlite', config: { path: '/data/x.sqlite' } },
];

describe('matchDataset (OpenLineage naming spec)', () => {
  it('finds the PostgreSQL table by host, port and database', () => {
    expect(
      matchDataset(endpoints, {
        namespace: 'postgres://DB.example.com:5432',
        name: 'shop.public.orders',
      }),
    ).toEqual({ dataSourceId: 'pg', database: 'shop', schema: 'public', table: 'orders' });
    // The default port, the postgresql scheme, and a table name with a dot in it.
    expect(
      matchDataset(endpoints, { namespace: 'postgresql://db.example.com', name: 'shop.s.a.b' }),
    ).toEqual({ dataSourceId: 'pg', database: 'shop', schema: 's', table: 'a.b' });
    expect(
      matchDataset(endpoints, {
        namespace: 'postgres://db.example.com:6543',
        name: 'hr.people.payroll',
      }),
    ).toMatchObject({ dataSourceId: 'pg2' });
  });

  it('finds the MySQL table: its database is the catalog schema', () => {
    expect(
      matchDataset(endpoints, { namespace: 'mysql://mysql.local:3307', name: 'sales.invoices' }),
    ).toEqual({ dataSourceId: 'my', database: 'default', schema: 'sales', table: 'invoices' });
  });

  it('takes the loopback names of one machine for one host', () => {
    const local: DataSourceEndpoint[] = [
      { id: 'here', type: 'postgres', config: { host: '127.0.0.1', database: 'shop' } },
    ];
    for (const namespace of [
      'postgres://localhost:5432',
      'postgres://LOCALHOST',
      'postgres://127.0.0.1:5432',
      'postgres://[::1]:5432',
    ])
      expect(matchDataset(local, { namespace, name: 'shop.public.orders' }), namespace).toEqual({
        dataSourceId: 'here',
        database: 'shop',
        schema: 'public',
        table: 'orders',
      });
    expect(
      matchDataset(local, { namespace: 'postgres://10.0.0.1:5432', name: 'shop.public.orders' }),
    ).toBeNull();
  });

  it('matches nothing else', () => {
    for (const dataset of [
      { namespace: 'postgres://db.example.com:5433', name: 'shop.public.orders' },
      { namespace: 'postgres://db.example.com:5432', name: 'other.public.orders' },
      { namespace: 'postgres://db.example.com:5432', name: 'shop.orders' },
      { namespace: 'postgres://workshop-db:None', name: 'shop.public.orders' },
      { namespace: 'mysql://mysql.local', name: 'sales.invoices' },
      { namespace: 's3://bucket', name: 'shop.public.orders' },
      { namespace: 'not a url', name: 'x.y.z' },
    ])
      expect(matchDataset(endpoints, dataset)).toBeNull();
  });
});
