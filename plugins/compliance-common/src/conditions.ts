import { z } from 'zod';

/**
 * The compliance rule language: a JSON condition tree, evaluated by walking it (no `eval`,
 * no user regular expressions; globs are escaped and anchored), with bounded size and depth.
 *
 * - `{all: [...]}`, `{any: [...]}`, `{not: {...}}`
 * - `{field: 'asset.owners', op: 'notEmpty'}`: a comparison on a dotted path of the subject
 * - `{some: 'labels', where: {...}}`, `{none: 'grants', where: {...}}`,
 *   `{every: 'labels', where: {...}}`: quantifiers over an array; inside `where`, paths are
 *   relative to the element (`categories`, `classifierId`, …)
 *
 * A comparison on an array-valued field holds when any element satisfies it (`eq`, `glob`,
 * `startsWith`, `in`); `contains` tests membership (arrays) or a substring (strings).
 */
export const conditionOps = [
  'eq',
  'neq',
  'in',
  'notIn',
  'exists',
  'missing',
  'empty',
  'notEmpty',
  'glob',
  'startsWith',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'withinDays',
  'olderThanDays',
] as const;
export type ConditionOp = (typeof conditionOps)[number];

export type Scalar = string | number | boolean | null;

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: string; op: ConditionOp; value?: Scalar | Scalar[] }
  | { some: string; where?: Condition }
  | { none: string; where?: Condition }
  | { every: string; where: Condition };

const MAX_NODES = 200;
const MAX_DEPTH = 12;

const path = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'must be a dotted field path');
const scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(conditionSchema).min(1).max(50) }),
    z.strictObject({ any: z.array(conditionSchema).min(1).max(50) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({
      field: path,
      op: z.enum(conditionOps),
      value: z.union([scalar, z.array(scalar).max(200)]).optional(),
    }),
    z.strictObject({ some: path, where: conditionSchema.optional() }),
    z.strictObject({ none: path, where: conditionSchema.optional() }),
    z.strictObject({ every: path, where: conditionSchema }),
  ]),
) as z.ZodType<Condition>;

/** Counts nodes and depth; throws a message naming the limit when the tree is too large. */
export function checkConditionSize(condition: Condition): void {
  let nodes = 0;
  const walk = (c: Condition, depth: number) => {
    nodes += 1;
    if (nodes > MAX_NODES) throw new Error(`a condition may have at most ${MAX_NODES} nodes`);
    if (depth > MAX_DEPTH) throw new Error(`a condition may nest at most ${MAX_DEPTH} levels`);
    if ('all' in c) c.all.forEach(x => walk(x, depth + 1));
    else if ('any' in c) c.any.forEach(x => walk(x, depth + 1));
    else if ('not' in c) walk(c.not, depth + 1);
    else if ('where' in c && c.where) walk(c.where, depth + 1);
  };
  walk(condition, 1);
}

const OPS_NEEDING_VALUE = new Set<ConditionOp>([
  'eq',
  'neq',
  'in',
  'notIn',
  'glob',
  'startsWith',
  'contains',
  'gt',
  'gte',
  'lt',
  'lte',
  'withinDays',
  'olderThanDays',
]);

/** A validated condition (schema, size, and every operator given the value it needs). */
export const validConditionSchema = conditionSchema.superRefine((condition, ctx) => {
  try {
    checkConditionSize(condition);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return;
  }
  const walk = (c: Condition) => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if ('op' in c) {
      if (OPS_NEEDING_VALUE.has(c.op) && c.value === undefined)
        ctx.addIssue({ code: 'custom', message: `${c.field}: operator ${c.op} needs a value` });
      if ((c.op === 'in' || c.op === 'notIn') && !Array.isArray(c.value))
        ctx.addIssue({ code: 'custom', message: `${c.field}: operator ${c.op} needs an array` });
    } else if ('where' in c && c.where) walk(c.where);
  };
  walk(condition);
});

const globCache = new Map<string, RegExp>();
/** `*` matches any run of characters, `?` one; everything else is literal. Case-sensitive. */
export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .split('')
      .map(ch => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    if (globCache.size > 5000) globCache.clear();
    globCache.set(glob, re);
  }
  return re;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Reads a dotted path of own properties only (never `__proto__`, `constructor`, …). */
function getter(dotted: string): (subject: unknown) => unknown {
  const keys = dotted.split('.');
  return subject => {
    let current: unknown = subject;
    for (let i = 0; i < keys.length; i++) {
      if (current === null || current === undefined || typeof current !== 'object')
        return undefined;
      const key = keys[i]!;
      if (!hasOwn.call(current, key)) return undefined;
      current = (current as Record<string, unknown>)[key];
    }
    return current;
  };
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

const DAY_MS = 86_400_000;

function compareScalar(actual: unknown, op: ConditionOp, expected: unknown, now: number): boolean {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual as Scalar);
    case 'glob':
      return typeof actual === 'string' && globToRegExp(String(expected)).test(actual);
    case 'startsWith':
      return typeof actual === 'string' && actual.startsWith(String(expected));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (
        typeof actual !== typeof expected ||
        (typeof actual !== 'number' && typeof actual !== 'string')
      )
        return false;
      const a = actual as number | string;
      const b = expected as number | string;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
    case 'withinDays':
    case 'olderThanDays': {
      if (typeof actual !== 'string' || typeof expected !== 'number') return false;
      const time = Date.parse(actual);
      if (Number.isNaN(time)) return false;
      const age = (now - time) / DAY_MS;
      return op === 'withinDays' ? age <= expected : age > expected;
    }
    default:
      return false;
  }
}

/** A compiled condition: a tree of closures, built once per rule and run per asset. */
export type CompiledCondition = (subject: unknown, now: number) => boolean;

function compileComparison(field: string, op: ConditionOp, value: unknown): CompiledCondition {
  const read = getter(field);
  switch (op) {
    case 'exists':
      return s => {
        const a = read(s);
        return a !== undefined && a !== null;
      };
    case 'missing':
      return s => {
        const a = read(s);
        return a === undefined || a === null;
      };
    case 'empty':
      return s => isEmpty(read(s));
    case 'notEmpty':
      return s => !isEmpty(read(s));
    case 'neq':
      return (s, now) => {
        const a = read(s);
        if (Array.isArray(a)) return !a.includes(value as Scalar);
        return !compareScalar(a, 'eq', value, now);
      };
    case 'notIn':
      return (s, now) => {
        const a = read(s);
        if (!Array.isArray(a)) return !compareScalar(a, 'in', value, now);
        for (const item of a) if (compareScalar(item, 'in', value, now)) return false;
        return true;
      };
    case 'contains':
      return s => {
        const a = read(s);
        if (Array.isArray(a)) return a.includes(value as Scalar);
        return typeof a === 'string' && typeof value === 'string' && a.includes(value);
      };
    default:
      if (op === 'glob') globToRegExp(String(value));
      return (s, now) => {
        const a = read(s);
        if (!Array.isArray(a)) return compareScalar(a, op, value, now);
        for (const item of a) if (compareScalar(item, op, value, now)) return true;
        return false;
      };
  }
}

/** Compiles a (validated) condition into closures; evaluation then does no parsing. */
export function compileCondition(condition: Condition): CompiledCondition {
  if ('all' in condition) {
    const parts = condition.all.map(compileCondition);
    return (s, now) => {
      for (let i = 0; i < parts.length; i++) if (!parts[i]!(s, now)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map(compileCondition);
    return (s, now) => {
      for (let i = 0; i < parts.length; i++) if (parts[i]!(s, now)) return true;
      return false;
    };
  }
  if ('not' in condition) {
    const inner = compileCondition(condition.not);
    return (s, now) => !inner(s, now);
  }
  if ('some' in condition || 'none' in condition || 'every' in condition) {
    const kind = 'some' in condition ? 'some' : 'none' in condition ? 'none' : 'every';
    const read = getter(
      'some' in condition ? condition.some : 'none' in condition ? condition.none : condition.every,
    );
    const where = condition.where ? compileCondition(condition.where) : undefined;
    return (s, now) => {
      const raw = read(s);
      const items = Array.isArray(raw) ? raw : [];
      let any = false;
      let all = true;
      for (let i = 0; i < items.length; i++) {
        const ok = where ? where(items[i], now) : true;
        if (ok) any = true;
        else all = false;
        if (kind !== 'every' && any) break;
        if (kind === 'every' && !all) break;
      }
      return kind === 'some' ? any : kind === 'none' ? !any : all;
    };
  }
  return compileComparison(condition.field, condition.op, condition.value);
}

const compiledCache = new WeakMap<object, CompiledCondition>();

/** Evaluates a condition against a subject. `now` (ms) makes time operators deterministic. */
export function evaluateCondition(
  condition: Condition,
  subject: unknown,
  now: number = Date.now(),
): boolean {
  let compiled = compiledCache.get(condition);
  if (!compiled) {
    compiled = compileCondition(condition);
    compiledCache.set(condition, compiled);
  }
  return compiled(subject, now);
}
