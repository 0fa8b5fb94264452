import { describe, expect, it } from 'vitest';
import {
  evaluateCondition,
  globToRegExp,
  validConditionSchema,
  type Condition,
} from './conditions';

const subject = {
  asset: { type: 'column', owners: [], tags: ['retention:6y', 'pii'], description: '  ', score: 5 },
  labels: [
    { classifierId: 'PII.EMAIL_ADDRESS', categories: ['PII'], status: 'approved' },
    { classifierId: 'SECRET.API_TOKEN', categories: ['SECRET'], status: 'suggested' },
  ],
  dataSource: { environment: 'staging', lastScannedAt: '2026-11-01T00:00:00.000Z' },
};
const NOW = Date.parse('2026-11-20T00:00:00.000Z');
const check = (c: Condition) => evaluateCondition(c, subject, NOW);

describe('compliance condition language', () => {
  it('compares fields, arrays and times', () => {
    expect(check({ field: 'asset.type', op: 'eq', value: 'column' })).toBe(true);
    expect(check({ field: 'asset.owners', op: 'empty' })).toBe(true);
    expect(check({ field: 'asset.description', op: 'notEmpty' })).toBe(false);
    expect(check({ field: 'asset.tags', op: 'glob', value: 'retention:*' })).toBe(true);
    expect(check({ field: 'asset.tags', op: 'contains', value: 'pii' })).toBe(true);
    expect(check({ field: 'asset.tags', op: 'neq', value: 'pii' })).toBe(false);
    expect(check({ field: 'dataSource.environment', op: 'in', value: ['prod', 'staging'] })).toBe(
      true,
    );
    expect(check({ field: 'dataSource.environment', op: 'notIn', value: ['prod'] })).toBe(true);
    expect(check({ field: 'asset.score', op: 'gte', value: 5 })).toBe(true);
    expect(check({ field: 'asset.score', op: 'gt', value: '4' })).toBe(false);
    expect(check({ field: 'dataSource.lastScannedAt', op: 'withinDays', value: 30 })).toBe(true);
    expect(check({ field: 'dataSource.lastScannedAt', op: 'olderThanDays', value: 10 })).toBe(true);
    expect(check({ field: 'dataSource.missing', op: 'missing' })).toBe(true);
  });

  it('quantifies over arrays and combines', () => {
    const secret: Condition = {
      some: 'labels',
      where: { field: 'classifierId', op: 'glob', value: 'SECRET.*' },
    };
    expect(check(secret)).toBe(true);
    expect(
      check({ none: 'labels', where: { field: 'categories', op: 'contains', value: 'PCI' } }),
    ).toBe(true);
    expect(
      check({ every: 'labels', where: { field: 'status', op: 'eq', value: 'approved' } }),
    ).toBe(false);
    expect(
      check({ all: [secret, { not: { field: 'asset.type', op: 'eq', value: 'table' } }] }),
    ).toBe(true);
    expect(
      check({ any: [{ field: 'asset.type', op: 'eq', value: 'view' }, { some: 'nothing' }] }),
    ).toBe(false);
  });

  it('never reads inherited properties and treats globs literally', () => {
    expect(check({ field: 'asset.constructor', op: 'exists' })).toBe(false);
    expect(check({ field: 'asset.toString', op: 'exists' })).toBe(false);
    expect(globToRegExp('a.b(*)').test('a.b(xyz)')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });

  it('rejects malformed, unknown and oversized trees', () => {
    expect(validConditionSchema.safeParse({ field: 'a', op: 'eq' }).success).toBe(false);
    expect(validConditionSchema.safeParse({ field: 'a', op: 'in', value: 'x' }).success).toBe(
      false,
    );
    expect(validConditionSchema.safeParse({ field: 'a', op: 'regex', value: '.*' }).success).toBe(
      false,
    );
    expect(validConditionSchema.safeParse({ field: '__proto__[0]', op: 'exists' }).success).toBe(
      false,
    );
    expect(validConditionSchema.safeParse({ $where: 'x' }).success).toBe(false);
    let deep: Condition = { field: 'a', op: 'exists' };
    for (let i = 0; i < 20; i++) deep = { not: deep };
    expect(validConditionSchema.safeParse(deep).success).toBe(false);
    const wide = {
      any: Array.from({ length: 50 }, () => ({
        all: Array.from({ length: 5 }, () => ({ field: 'a', op: 'exists' })),
      })),
    };
    expect(validConditionSchema.safeParse(wide).success).toBe(false);
    expect(
      validConditionSchema.safeParse({ all: [{ field: 'asset.owners', op: 'notEmpty' }] }).success,
    ).toBe(true);
  });
});
