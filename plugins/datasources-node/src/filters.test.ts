import { describe, expect, it } from 'vitest';
import { compileDiscoveryFilter } from './filters.js';

describe('compileDiscoveryFilter', () => {
  it('includes everything by default', () => {
    const filter = compileDiscoveryFilter();
    expect(filter.schema('anything')).toBe(true);
    expect(filter.table({ schema: 's', name: 't' })).toBe(true);
  });

  it('matches exact names, globs, regular expressions and predicates', () => {
    const filter = compileDiscoveryFilter({
      includeSchemas: ['sales', 'hr_*', /^crm\d$/, name => name.endsWith('_raw')],
    });
    expect(['sales', 'hr_2024', 'crm1', 'events_raw'].every(filter.schema)).toBe(true);
    expect(['Sales', 'hr', 'crm12', 'sales2'].some(filter.schema)).toBe(false);
  });

  it('treats only * and ? as glob characters', () => {
    const filter = compileDiscoveryFilter({ includeTables: ['a.b(c)+', 'x?z*'] });
    expect(filter.table({ schema: 's', name: 'a.b(c)+' })).toBe(true);
    expect(filter.table({ schema: 's', name: 'aXb(c)+' })).toBe(false);
    expect(filter.table({ schema: 's', name: 'xyz' })).toBe(true);
    expect(filter.table({ schema: 's', name: 'xz' })).toBe(false);
  });

  it('lets exclusion win and gives predicates the full table reference', () => {
    const filter = compileDiscoveryFilter({
      includeTables: '*',
      excludeTables: [table => table.schema === 'tmp', 'secret_*'],
      excludeSchemas: 'audit',
    });
    expect(filter.table({ schema: 'tmp', name: 'orders' })).toBe(false);
    expect(filter.table({ schema: 'sales', name: 'secret_keys' })).toBe(false);
    expect(filter.table({ schema: 'sales', name: 'orders' })).toBe(true);
    expect(filter.schema('audit')).toBe(false);
  });

  it('is not confused by global regular expressions', () => {
    const filter = compileDiscoveryFilter({ includeSchemas: /^a/g });
    expect([filter.schema('ab'), filter.schema('ac'), filter.schema('ad')]).toEqual([
      true,
      true,
      true,
    ]);
  });
});
