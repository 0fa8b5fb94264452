import { describe, expect, it } from 'vitest';
import { viewLineage, type SourceTable } from './viewLineage';

const known: Record<string, string[]> = {
  'public.customers': ['id', 'name', 'email', 'country'],
  'public.orders': ['id', 'customer_id', 'amount', 'created_at'],
  'sales.refunds': ['order_id', 'amount'],
};
const columnsOf = (t: SourceTable) => known[`${t.schema}.${t.table}`];
const options = { dialect: 'postgresql' as const, defaultSchema: 'public', columnsOf };

function sourcesOf(result: ReturnType<typeof viewLineage>, name: string) {
  return result.columns
    .find(c => c.name === name)
    ?.sources.map(s => `${s.schema}.${s.table}.${s.column}`)
    .sort();
}
const tablesOf = (result: ReturnType<typeof viewLineage>) =>
  result.tables.map(t => `${t.schema}.${t.table}`).sort();

describe('viewLineage', () => {
  it('follows joins and aliases', () => {
    const result = viewLineage(
      `SELECT c.id AS customer_id, c.email, o.amount * 1.2 AS gross, upper(c.name) AS name
         FROM customers c JOIN public.orders o ON o.customer_id = c.id
        WHERE o.created_at > now()`,
      options,
    );
    expect(tablesOf(result)).toEqual(['public.customers', 'public.orders']);
    expect(result.columns.map(c => c.name)).toEqual(['customer_id', 'email', 'gross', 'name']);
    expect(sourcesOf(result, 'customer_id')).toEqual(['public.customers.id']);
    expect(sourcesOf(result, 'gross')).toEqual(['public.orders.amount']);
    expect(sourcesOf(result, 'name')).toEqual(['public.customers.name']);
  });

  it('follows CTEs and subqueries in FROM and in the select list', () => {
    const result = viewLineage(
      `WITH big AS (SELECT customer_id, sum(amount) AS total FROM orders GROUP BY customer_id)
       SELECT b.customer_id, b.total,
              (SELECT max(r.amount) FROM sales.refunds r) AS worst_refund,
              x.mail
         FROM big b
         JOIN (SELECT id, email AS mail FROM customers) x ON x.id = b.customer_id`,
      options,
    );
    expect(tablesOf(result)).toEqual(['public.customers', 'public.orders', 'sales.refunds']);
    expect(sourcesOf(result, 'total')).toEqual(['public.orders.amount']);
    expect(sourcesOf(result, 'customer_id')).toEqual(['public.orders.customer_id']);
    expect(sourcesOf(result, 'worst_refund')).toEqual(['sales.refunds.amount']);
    expect(sourcesOf(result, 'mail')).toEqual(['public.customers.email']);
  });

  it('expands SELECT * and t.* against the columns the catalog knows', () => {
    const star = viewLineage('select * from customers', options);
    expect(star.columns.map(c => c.name)).toEqual(['id', 'name', 'email', 'country']);
    expect(sourcesOf(star, 'email')).toEqual(['public.customers.email']);
    const qualified = viewLineage(
      'select o.*, c.email from orders o join customers c on c.id = o.customer_id',
      options,
    );
    expect(qualified.columns.map(c => c.name)).toEqual([
      'id',
      'customer_id',
      'amount',
      'created_at',
      'email',
    ]);
    expect(sourcesOf(qualified, 'id')).toEqual(['public.orders.id']);
  });

  it('merges UNION branches by position and names columns as the view does', () => {
    const result = viewLineage(
      `select id, email from customers union all select customer_id, 'n/a' from orders`,
      { ...options, viewColumns: ['party_id', 'contact'] },
    );
    expect(sourcesOf(result, 'party_id')).toEqual([
      'public.customers.id',
      'public.orders.customer_id',
    ]);
    expect(sourcesOf(result, 'contact')).toEqual(['public.customers.email']);
  });

  it('reads PostgreSQL pg_get_viewdef output and MySQL backquotes', () => {
    const pg = viewLineage(
      ` SELECT c.id,
    c.email::text AS email
   FROM (customers c
     JOIN orders o ON ((o.customer_id = c.id)))
  WHERE (o.amount > (0)::numeric);`,
      options,
    );
    expect(sourcesOf(pg, 'email')).toEqual(['public.customers.email']);
    expect(tablesOf(pg)).toEqual(['public.customers', 'public.orders']);
    const mysql = viewLineage('select `c`.`email` AS `email` from `shop`.`customers` `c`', {
      dialect: 'mysql',
      defaultSchema: 'shop',
      columnsOf: () => ['email'],
    });
    expect(sourcesOf(mysql, 'email')).toEqual(['shop.customers.email']);
  });

  it('reads SQLite CREATE VIEW statements (as sqlite_master keeps them)', () => {
    const result = viewLineage(
      `CREATE VIEW customer_order_totals AS
  SELECT c.id, c.email, COUNT(o.id) AS order_count, COALESCE(SUM(o.amount), 0) AS total_spent
  FROM customers c
  LEFT JOIN orders o ON o.customer_id = c.id AND o.amount NOT IN (0, -1)
  GROUP BY c.id, c.email`,
      { ...options, dialect: 'sqlite' },
    );
    expect(tablesOf(result)).toEqual(['public.customers', 'public.orders']);
    expect(sourcesOf(result, 'order_count')).toEqual(['public.orders.id']);
    expect(sourcesOf(result, 'total_spent')).toEqual(['public.orders.amount']);
  });

  it('attributes unknown columns to the only table and rejects what is not a query', () => {
    const result = viewLineage('select a, b from unknown_table', options);
    expect(sourcesOf(result, 'a')).toEqual(['public.unknown_table.a']);
    expect(() => viewLineage('delete from customers', options)).toThrow();
  });
});
