import { describe, expect, it } from 'vitest';
import {
  resolveValue,
  ResolveError,
  valuesOf,
  valuesSizeError,
  type ResolveContext,
} from './resolve';

const ctx: ResolveContext = {
  job: {
    id: 'job-1',
    run_id: 'run-1',
    name: 'Nightly',
    workspace: 'default',
    owner: 'user:default/alice',
    'trigger.type': 'manual',
    repair_count: '0',
  },
  parameters: { ds: 'sales', n: '12' },
  tasks: new Map([
    [
      'scan',
      {
        result: 'SUCCESS' as const,
        values: { id: 's-1', count: 42, progress: { errors: 0 }, ids: ['a', 'b'] },
      },
    ],
    ['failed', { result: 'FAILED' as const, values: null }],
  ]),
  input: { value: { name: 'orders', size: 3 } },
};

describe('dynamic value resolution', () => {
  it.each([
    ['{{job.id}}', 'job-1'],
    ['{{ job.run_id }}', 'run-1'],
    ['{{job.parameters.ds}}', 'sales'],
    ['{{tasks.scan.values.count}}', 42],
    ['{{tasks.scan.values.ids}}', ['a', 'b']],
    ['{{tasks.scan.values.progress.errors}}', 0],
    ['{{tasks.failed.result_state}}', 'FAILED'],
    ['{{input}}', { name: 'orders', size: 3 }],
    ['{{input.name}}', 'orders'],
    [
      'scan {{tasks.scan.values.id}} found {{tasks.scan.values.count}} in {{job.parameters.ds}}',
      'scan s-1 found 42 in sales',
    ],
    ['ids: {{tasks.scan.values.ids}}', 'ids: ["a","b"]'],
    ['{{secrets.token}} stays', '{{secrets.token}} stays'],
    ['{{env.HOME}}', '{{env.HOME}}'],
  ])('%s → %j', (template, expected) => {
    expect(resolveValue(template, ctx)).toEqual(expected);
  });

  it('resolves deeply through objects and arrays', () => {
    expect(resolveValue({ a: ['{{job.name}}', { b: '{{job.parameters.n}}' }], c: 1 }, ctx)).toEqual(
      {
        a: ['Nightly', { b: '12' }],
        c: 1,
      },
    );
  });

  it.each([
    ['{{job.parameters.nope}}', /the run has no parameter 'nope'/],
    ['{{tasks.failed.values.id}}', /task 'failed' did not publish 'id' \(it ended FAILED\)/],
    ['{{tasks.ghost.result_state}}', /task 'ghost' has not finished/],
    ['{{input.colour}}', /the item has no such field/],
  ])('refuses %s', (template, message) => {
    expect(() => resolveValue(template, ctx)).toThrow(ResolveError);
    expect(() => resolveValue(template, ctx)).toThrow(message);
  });

  it('turns outputs into values and bounds their size', () => {
    expect(valuesOf({ ok: true })).toEqual({ ok: true });
    expect(valuesOf([1, 2])).toEqual({ result: [1, 2] });
    expect(valuesOf(null)).toEqual({});
    expect(valuesSizeError({ s: 'x'.repeat(40_000) })).toBeUndefined();
    expect(valuesSizeError({ s: 'é'.repeat(30_000) })).toMatch(/60008 bytes/);
  });
});
