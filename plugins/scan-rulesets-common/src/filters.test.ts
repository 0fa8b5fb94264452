import { describe, expect, it } from 'vitest';
import { compileRuleSetFilters } from './filters';
import { compileGlob, globError } from './glob';

describe('compileGlob', () => {
  it('matches * and ? across dots, case-insensitively', () => {
    expect(compileGlob('*')('anything.at.all')).toBe(true);
    expect(compileGlob('cust*')('Customers')).toBe(true);
    expect(compileGlob('CUST*')('customers')).toBe(true);
    expect(compileGlob('user?')('users')).toBe(true);
    expect(compileGlob('user?')('user')).toBe(false);
    expect(compileGlob('public.*')('public.orders')).toBe(true);
    expect(compileGlob('public.*')('sales.orders')).toBe(false);
    expect(compileGlob('*.orders')('a.b.orders')).toBe(true);
  });

  it('supports brace alternatives and character classes', () => {
    const matches = compileGlob('{orders,invoices}_20[0-9][0-9]');
    expect(matches('orders_2024')).toBe(true);
    expect(matches('INVOICES_2019')).toBe(true);
    expect(matches('refunds_2024')).toBe(false);
  });

  it('treats names as plain text: dots, slashes, quotes, SQL and leading dots', () => {
    expect(compileGlob('*')('a/b')).toBe(true);
    expect(compileGlob('a/*')('a/b/c')).toBe(true);
    expect(compileGlob('*')('.hidden')).toBe(true);
    expect(compileGlob('x"*')('x"; DROP TABLE victims; --')).toBe(true);
    expect(compileGlob("o'*")("o'brien")).toBe(true);
    expect(compileGlob('we"ird sch; ema')('WE"IRD SCH; EMA')).toBe(true);
    expect(compileGlob('semi;colon')('semi;colon')).toBe(true);
    expect(compileGlob('back`tick')('back`tick')).toBe(true);
  });

  it('takes a leading ! literally instead of negating', () => {
    expect(compileGlob('!important')('!important')).toBe(true);
    expect(compileGlob('!important')('other')).toBe(false);
  });

  it('escapes glob characters with a backslash', () => {
    expect(compileGlob('q\\?\\*')('q?*')).toBe(true);
    expect(compileGlob('q\\?\\*')('qx*')).toBe(false);
  });

  it('folds case in non-ASCII names and compares them in NFC', () => {
    expect(compileGlob('clients_é*')('CLIENTS_É_2024')).toBe(true);
    expect(compileGlob('日本*')('日本語')).toBe(true);
    // "é" precomposed in the pattern, decomposed (e + combining acute) in the name.
    expect(compileGlob('caf\u00e9')('cafe\u0301')).toBe(true);
    expect(compileGlob('straße')('STRASSE')).toBe(false);
  });

  it('reports whether a pattern is usable', () => {
    expect(globError('orders_*')).toBeUndefined();
    expect(globError('*.{a,b}')).toBeUndefined();
  });
});

describe('compileRuleSetFilters', () => {
  it('includes everything but the system schemas by default', () => {
    const f = compileRuleSetFilters({});
    expect(f.includesSchema('public')).toBe(true);
    expect(f.includesSchema('sales')).toBe(true);
    for (const system of [
      'information_schema',
      'pg_catalog',
      'pg_toast',
      'mysql',
      'performance_schema',
      'sys',
    ]) {
      expect(f.includesSchema(system)).toBe(false);
      expect(f.includesSchema(system.toUpperCase())).toBe(false);
      expect(f.includesTable(system, 'tables')).toBe(false);
    }
    expect(f.includesTable('public', 'orders')).toBe(true);
    expect(f.includesColumn('public', 'orders', 'id')).toBe(true);
    expect(f.definition.sampling.size).toBe(100);
  });

  it('lets a rule set scan system schemas by clearing the exclusions', () => {
    const f = compileRuleSetFilters({ exclude: { schemas: [] } });
    expect(f.includesSchema('information_schema')).toBe(true);
  });

  it('matches tables by name or by schema.table', () => {
    const f = compileRuleSetFilters({ include: { tables: ['orders', 'sales.*'] } });
    expect(f.includesTable('public', 'orders')).toBe(true);
    expect(f.includesTable('public', 'ORDERS')).toBe(true);
    expect(f.includesTable('sales', 'anything')).toBe(true);
    expect(f.includesTable('public', 'customers')).toBe(false);
    expect(f.includesTable('Sales', 'leads')).toBe(true);
  });

  it('matches columns by column, table.column or schema.table.column', () => {
    const f = compileRuleSetFilters({
      include: { columns: ['email', 'customers.*', 'crm.contacts.phone'] },
    });
    expect(f.includesColumn('public', 'users', 'EMAIL')).toBe(true);
    expect(f.includesColumn('public', 'customers', 'anything')).toBe(true);
    expect(f.includesColumn('crm', 'contacts', 'phone')).toBe(true);
    expect(f.includesColumn('other', 'contacts', 'phone')).toBe(false);
    expect(f.includesColumn('public', 'users', 'name')).toBe(false);
  });

  it('matches a glob without a dot against the bare name only', () => {
    const f = compileRuleSetFilters({ exclude: { tables: ['*tmp*'], columns: ['*password*'] } });
    // Not every table of schema "tmp_stage", not every column of table "password_resets".
    expect(f.includesTable('tmp_stage', 'orders')).toBe(true);
    expect(f.includesTable('public', 'orders_tmp')).toBe(false);
    expect(f.includesColumn('public', 'password_resets', 'id')).toBe(true);
    expect(f.includesColumn('public', 'users', 'password')).toBe(false);
    const dotted = compileRuleSetFilters({ include: { columns: ['*.email'] } });
    expect(dotted.includesColumn('crm', 'users', 'email')).toBe(true);
    expect(dotted.includesColumn('crm', 'users', 'name')).toBe(false);
  });

  it('lets exclusion win over inclusion at every level', () => {
    const f = compileRuleSetFilters({
      include: { schemas: ['public', 'staging'], tables: ['*'], columns: ['*'] },
      exclude: {
        schemas: ['staging'],
        tables: ['tmp_*', 'public.audit_log'],
        columns: ['*password*', 'users.ssn'],
      },
    });
    expect(f.includesSchema('staging')).toBe(false);
    expect(f.includesTable('staging', 'orders')).toBe(false);
    expect(f.includesTable('public', 'tmp_import')).toBe(false);
    expect(f.includesTable('public', 'TMP_import')).toBe(false);
    expect(f.includesTable('public', 'audit_log')).toBe(false);
    expect(f.includesTable('public', 'orders')).toBe(true);
    expect(f.includesColumn('public', 'users', 'password_hash')).toBe(false);
    expect(f.includesColumn('public', 'users', 'ssn')).toBe(false);
    expect(f.includesColumn('public', 'people', 'ssn')).toBe(true);
    expect(f.includesColumn('public', 'tmp_import', 'id')).toBe(false);
  });

  it('requires the parent level: a column of an excluded table is excluded', () => {
    const f = compileRuleSetFilters({ include: { schemas: ['crm'], columns: ['email'] } });
    expect(f.includesColumn('public', 'users', 'email')).toBe(false);
    expect(f.includesColumn('crm', 'users', 'email')).toBe(true);
  });

  it('treats an empty include list as everything', () => {
    const f = compileRuleSetFilters({ include: { schemas: [], tables: [], columns: [] } });
    expect(f.includesSchema('public')).toBe(true);
    expect(f.includesTable('public', 'orders')).toBe(true);
    expect(f.includesColumn('public', 'orders', 'id')).toBe(true);
  });

  it('handles hostile names with dots, quotes, slashes and unicode', () => {
    const f = compileRuleSetFilters({
      include: { schemas: ['we"ird sch; ema', 'public'], tables: ['*'] },
      exclude: { tables: ['x"; DROP*', 'a.b'], columns: ['quote"d', 'col with space'] },
    });
    expect(f.includesSchema('we"ird sch; ema')).toBe(true);
    expect(f.includesTable('we"ird sch; ema', 'x"; DROP TABLE victims; --')).toBe(false);
    expect(f.includesTable('we"ird sch; ema', '日本')).toBe(true);
    // A table literally named "a.b" is excluded; table "b" of schema "a" is not in an included schema.
    expect(f.includesTable('public', 'a.b')).toBe(false);
    expect(f.includesTable('public', 'a/b')).toBe(true);
    expect(f.includesColumn('public', '日本', 'QUOTE"D')).toBe(false);
    expect(f.includesColumn('public', '日本', 'clients_é')).toBe(true);
    expect(f.includesColumn('public', 'orders', 'col with space')).toBe(false);
  });

  it('does not confuse a dotted table name with a schema-qualified pattern', () => {
    const f = compileRuleSetFilters({ exclude: { tables: ['sales.orders'] } });
    expect(f.includesTable('sales', 'orders')).toBe(false);
    // Schema "public", table literally named "sales.orders": the name form matches too,
    // and exclusion wins, which is the safe reading.
    expect(f.includesTable('public', 'sales.orders')).toBe(false);
    expect(f.includesTable('public', 'orders')).toBe(true);
  });

  it('selects classifiers by id or category, both case-insensitively', () => {
    const all = compileRuleSetFilters({});
    expect(all.includesClassifier('PII.EMAIL_ADDRESS', ['PII'])).toBe(true);
    const some = compileRuleSetFilters({
      classifiers: { ids: ['fin.iban'], categories: ['pii', 'GOV'] },
    });
    expect(some.includesClassifier('FIN.IBAN', ['FINANCIAL'])).toBe(true);
    expect(some.includesClassifier('PII.EMAIL_ADDRESS', ['PII'])).toBe(true);
    expect(some.includesClassifier('GOV.US_SSN', ['PII', 'GOV'])).toBe(true);
    expect(some.includesClassifier('SECRET.JWT', ['SECRET'])).toBe(false);
    expect(some.includesClassifier('SECRET.JWT')).toBe(false);
  });

  it('throws a ZodError for an invalid definition', () => {
    expect(() => compileRuleSetFilters({ sampling: { size: 0 } })).toThrow(/Too small/);
  });

  it('evaluates hundreds of patterns over many names', () => {
    const f = compileRuleSetFilters({
      include: { tables: Array.from({ length: 200 }, (_, i) => `t${i}_*`) },
      exclude: { tables: Array.from({ length: 200 }, (_, i) => `t${i}_tmp*`) },
    });
    let included = 0;
    let expected = 0;
    for (let i = 0; i < 20_000; i++) {
      if (f.includesTable('public', `t${i % 300}_x`)) included++;
      if (i % 300 < 200) expected++;
    }
    expect(included).toBe(expected);
    expect(f.includesTable('public', 't5_tmp_1')).toBe(false);
  });
});
