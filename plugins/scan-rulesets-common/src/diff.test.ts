import { describe, expect, it } from 'vitest';
import { ruleSetDefinitionSchema } from './definition';
import { diffRuleSetVersions, diffValues } from './diff';

describe('diffRuleSetVersions', () => {
  const base = { name: 'Quick', description: 'd', definition: ruleSetDefinitionSchema.parse({}) };

  it('is empty for equal versions', () => {
    expect(diffRuleSetVersions(base, structuredClone(base))).toEqual({ changes: [] });
  });

  it('lists each changed field with a dotted path, in schema order', () => {
    const next = {
      name: 'Quick PII',
      description: 'd',
      definition: ruleSetDefinitionSchema.parse({
        include: { tables: ['orders', 'customers'] },
        sampling: { size: 500 },
        profiling: { enabled: false },
        tableLimit: 10,
      }),
    };
    expect(diffRuleSetVersions(base, next).changes).toEqual([
      { path: 'name', from: 'Quick', to: 'Quick PII' },
      { path: 'definition.include.tables', from: ['*'], to: ['orders', 'customers'] },
      { path: 'definition.sampling.size', from: 100, to: 500 },
      { path: 'definition.profiling.enabled', from: true, to: false },
      { path: 'definition.tableLimit', from: null, to: 10 },
    ]);
  });

  it('treats arrays as whole values, order included', () => {
    expect(diffValues({ a: ['x', 'y'] }, { a: ['y', 'x'] })).toEqual([
      { path: 'a', from: ['x', 'y'], to: ['y', 'x'] },
    ]);
  });

  it('reports fields only one side has, with null for the missing side', () => {
    expect(diffValues({ a: 1 }, { b: 2 })).toEqual([
      { path: 'a', from: 1, to: null },
      { path: 'b', from: null, to: 2 },
    ]);
    expect(diffValues({ a: { b: 1 } }, { a: 3 })).toEqual([{ path: 'a', from: { b: 1 }, to: 3 }]);
  });
});
