/** One field that differs between two versions; `path` is dotted (`definition.sampling.size`). */
export interface RuleSetChange {
  path: string;
  /** The value in the older version (`null` when the field did not exist). */
  from: unknown;
  /** The value in the newer version (`null` when the field does not exist). */
  to: unknown;
}

export interface RuleSetDiff {
  changes: RuleSetChange[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A field-by-field structured diff of two JSON values. Objects are walked key by key (keys
 * of `from` first, in their order, then keys only `to` has); arrays and scalars are leaves,
 * so a changed glob list is one change carrying both whole lists.
 */
export function diffValues(from: unknown, to: unknown, prefix = ''): RuleSetChange[] {
  if (isPlainObject(from) && isPlainObject(to)) {
    const keys = [...Object.keys(from), ...Object.keys(to).filter(k => !(k in from))];
    return keys.flatMap(key => diffValues(from[key], to[key], prefix ? `${prefix}.${key}` : key));
  }
  if (sameValue(from, to)) return [];
  return [{ path: prefix, from: from ?? null, to: to ?? null }];
}

/** What a rule set version is compared on. */
export interface RuleSetSnapshot {
  name: string;
  description: string;
  definition: unknown;
}

/** Changes from one version of a rule set to another (name, description, every definition field). */
export function diffRuleSetVersions(from: RuleSetSnapshot, to: RuleSetSnapshot): RuleSetDiff {
  return {
    changes: diffValues(
      { name: from.name, description: from.description, definition: from.definition },
      { name: to.name, description: to.description, definition: to.definition },
    ),
  };
}
