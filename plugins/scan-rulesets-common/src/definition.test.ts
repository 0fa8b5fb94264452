import { describeIssues } from '@racine/kernel-node';
import { describe, expect, it } from 'vitest';
import {
  defaultRuleSetDefinition,
  PROFILE_METRICS,
  ruleSetDefinitionSchema,
  SYSTEM_SCHEMAS,
} from './definition';

function issuesOf(value: unknown): string {
  const result = ruleSetDefinitionSchema.safeParse(value);
  if (result.success) throw new Error('expected the definition to be invalid');
  return describeIssues(result.error);
}

describe('ruleSetDefinitionSchema', () => {
  it('fills every default from an empty object', () => {
    expect(ruleSetDefinitionSchema.parse({})).toEqual({
      include: { schemas: ['*'], tables: ['*'], columns: ['*'] },
      exclude: { schemas: [...SYSTEM_SCHEMAS], tables: [], columns: [] },
      classifiers: { ids: [], categories: [], minConfidence: 0.6 },
      sampling: { size: 100, strategy: 'random' },
      profiling: { enabled: true, metrics: [...PROFILE_METRICS] },
      incremental: true,
      tableLimit: null,
      tableTimeoutSeconds: 120,
    });
    expect(SYSTEM_SCHEMAS).toEqual([
      'information_schema',
      'pg_catalog',
      'pg_toast',
      'mysql',
      'performance_schema',
      'sys',
    ]);
  });

  it('fills defaults inside a partly given section and keeps what was given', () => {
    const parsed = ruleSetDefinitionSchema.parse({
      include: { tables: ['orders'] },
      exclude: { schemas: [] },
      sampling: { size: 5 },
      tableLimit: 3,
    });
    expect(parsed.include).toEqual({ schemas: ['*'], tables: ['orders'], columns: ['*'] });
    expect(parsed.exclude).toEqual({ schemas: [], tables: [], columns: [] });
    expect(parsed.sampling).toEqual({ size: 5, strategy: 'random' });
    expect(parsed.tableLimit).toBe(3);
  });

  it('never shares default arrays between parses', () => {
    const a = defaultRuleSetDefinition();
    a.exclude.schemas.push('mutated');
    a.profiling.metrics.pop();
    const b = defaultRuleSetDefinition();
    expect(b.exclude.schemas).toEqual([...SYSTEM_SCHEMAS]);
    expect(b.profiling.metrics).toEqual([...PROFILE_METRICS]);
  });

  it('trims glob patterns and rejects empty ones', () => {
    expect(
      ruleSetDefinitionSchema.parse({ include: { tables: ['  orders '] } }).include.tables,
    ).toEqual(['orders']);
    expect(issuesOf({ include: { tables: ['ok', '   '] } })).toMatch(
      /^include\.tables\.1: must not be empty/,
    );
  });

  it('names each bad field precisely', () => {
    expect(issuesOf({ sampling: { size: 10_001 } })).toMatch(/^sampling\.size: Too big/);
    expect(issuesOf({ sampling: { size: 0 } })).toMatch(/^sampling\.size: Too small/);
    expect(issuesOf({ sampling: { size: 2.5 } })).toMatch(/^sampling\.size: /);
    expect(issuesOf({ sampling: { strategy: 'all' } })).toMatch(/^sampling\.strategy: /);
    expect(issuesOf({ classifiers: { minConfidence: 1.5 } })).toMatch(
      /^classifiers\.minConfidence: Too big/,
    );
    expect(issuesOf({ classifiers: { minConfidence: -0.1 } })).toMatch(
      /^classifiers\.minConfidence: Too small/,
    );
    expect(issuesOf({ tableTimeoutSeconds: 0 })).toMatch(/^tableTimeoutSeconds: Too small/);
    expect(issuesOf({ tableTimeoutSeconds: 3601 })).toMatch(/^tableTimeoutSeconds: Too big/);
    expect(issuesOf({ tableLimit: 0 })).toMatch(/^tableLimit: Too small/);
    expect(issuesOf({ profiling: { metrics: ['rowCount', 'median'] } })).toMatch(
      /^profiling\.metrics\.1: /,
    );
    expect(issuesOf({ profiling: { metrics: ['min', 'min'] } })).toMatch(
      /^profiling\.metrics: must not list a metric twice/,
    );
    expect(issuesOf({ incremental: 'yes' })).toMatch(/^incremental: /);
    expect(issuesOf({ include: { schemas: 'public' } })).toMatch(/^include\.schemas: /);
  });

  it('reports every bad field at once', () => {
    const message = issuesOf({
      sampling: { size: 0 },
      tableTimeoutSeconds: 99999,
      classifiers: { ids: [''] },
    });
    expect(message).toMatch(/sampling\.size: /);
    expect(message).toMatch(/tableTimeoutSeconds: /);
    expect(message).toMatch(/classifiers\.ids\.0: /);
  });

  it('rejects unknown keys, so typos are not silently ignored', () => {
    expect(issuesOf({ sampleSize: 10 })).toMatch(/sampleSize/);
    expect(issuesOf({ sampling: { size: 10, sise: 3 } })).toMatch(/^sampling: .*sise/);
  });

  it('accepts null as "no table limit" and the extremes of every range', () => {
    const parsed = ruleSetDefinitionSchema.parse({
      tableLimit: null,
      sampling: { size: 10_000, strategy: 'first' },
      classifiers: { minConfidence: 0 },
      tableTimeoutSeconds: 3600,
      profiling: { enabled: false, metrics: [] },
    });
    expect(parsed.tableLimit).toBeNull();
    expect(parsed.sampling).toEqual({ size: 10_000, strategy: 'first' });
    expect(parsed.profiling).toEqual({ enabled: false, metrics: [] });
  });

  it('accepts hostile but valid names as globs', () => {
    const hostile = [
      'we"ird sch; ema',
      "o'brien",
      'x"; DROP TABLE victims; --',
      '日本',
      'a/b',
      '$1?',
      '!important',
    ];
    const parsed = ruleSetDefinitionSchema.parse({ include: { tables: hostile } });
    expect(parsed.include.tables).toEqual(hostile);
  });

  it('describes itself as JSON Schema for forms and actions', () => {
    const schema = ruleSetDefinitionSchema.toJSONSchema({ io: 'input' }) as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(Object.keys(schema.properties)).toEqual([
      'include',
      'exclude',
      'classifiers',
      'sampling',
      'profiling',
      'incremental',
      'tableLimit',
      'tableTimeoutSeconds',
    ]);
    expect(schema.properties.sampling.properties?.size).toMatchObject({
      type: 'integer',
      maximum: 10_000,
    });
  });
});
