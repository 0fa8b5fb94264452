import { describe, expect, it } from 'vitest';
import { compileRuleSetFilters } from './filters';
import { compareTables, planRuleSetTables } from './plan';

const table = (schema: string, name: string, columns: string[]) => ({
  schema,
  name,
  kind: 'table',
  columns: columns.map((c, i) => ({ name: c, ordinal: i + 1 })),
});

const discovered = [
  table('sales', 'orders', ['id', 'card_number', 'amount']),
  table('public', 'users', ['id', 'email', 'password_hash']),
  table('public', 'Accounts', ['id', 'iban']),
  table('public', 'tmp_load', ['x']),
  table('hr', 'people', ['id', 'ssn']),
];

describe('planRuleSetTables', () => {
  it('filters tables and columns and sorts them in scan order', () => {
    const filters = compileRuleSetFilters({
      exclude: { tables: ['tmp_*'], columns: ['*password*'] },
    });
    const plan = planRuleSetTables(filters, discovered);
    expect(plan.tables.map(t => `${t.table.schema}.${t.table.name}`)).toEqual([
      'hr.people',
      'public.Accounts',
      'public.users',
      'sales.orders',
    ]);
    const users = plan.tables.find(t => t.table.name === 'users')!;
    expect(users.columns.map(c => c.name)).toEqual(['id', 'email']);
    expect(users.columnsExcluded).toBe(1);
    // The original objects come back, with their extra fields.
    expect(users.table.kind).toBe('table');
    expect(users.columns[1].ordinal).toBe(2);
    expect(plan).toMatchObject({ matched: 4, truncated: false });
  });

  it('applies tableLimit after filtering and sorting', () => {
    const plan = planRuleSetTables(compileRuleSetFilters({ tableLimit: 2 }), discovered);
    expect(plan.tables.map(t => t.table.name)).toEqual(['people', 'Accounts']);
    expect(plan).toMatchObject({ matched: 5, truncated: true });
    const exact = planRuleSetTables(compileRuleSetFilters({ tableLimit: 5 }), discovered);
    expect(exact.truncated).toBe(false);
  });

  it('orders by code point, not by locale', () => {
    const names = ['b', 'B', 'a', 'é', 'Z', '日本'].map(n => ({ schema: 's', name: n }));
    expect(names.sort(compareTables).map(t => t.name)).toEqual(['B', 'Z', 'a', 'b', 'é', '日本']);
  });
});
