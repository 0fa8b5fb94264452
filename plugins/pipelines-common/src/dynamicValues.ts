/**
 * Dynamic values: `{{job.id}}`, `{{job.run_id}}`, `{{job.parameters.<name>}}`,
 * `{{tasks.<key>.values.<name>}}`, `{{tasks.<key>.result_state}}`, and `{{input}}` inside a
 * for-each task. Names in these namespaces are checked when a job is saved; text in any other
 * `{{…}}` is left as written.
 */

export const REFERENCE_PATTERN = /\{\{\s*([^{}]*?)\s*\}\}/g;
export const KNOWN_NAMESPACES = ['job', 'tasks', 'input'] as const;

/** The job fields a reference can name besides parameters. */
export const JOB_FIELDS = [
  'id',
  'run_id',
  'name',
  'workspace',
  'owner',
  'trigger.type',
  'repair_count',
];

export type ParsedReference =
  | { kind: 'job'; field: string }
  | { kind: 'parameter'; name: string }
  | { kind: 'taskValue'; task: string; name: string; path: string[] }
  | { kind: 'taskResult'; task: string }
  | { kind: 'input'; path: string[] }
  | { kind: 'unknownNamespace' }
  | { kind: 'invalid'; message: string };

/** Every `{{…}}` expression (trimmed) in a value, searched deeply through arrays and objects. */
export function findReferences(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    for (const match of value.matchAll(REFERENCE_PATTERN)) into.push(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) findReferences(item, into);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) findReferences(item, into);
  }
  return into;
}

export function parseReference(expression: string): ParsedReference {
  const parts = expression.split('.');
  const [namespace, ...rest] = parts;
  if (!(KNOWN_NAMESPACES as readonly string[]).includes(namespace)) {
    return { kind: 'unknownNamespace' };
  }
  if (parts.some(p => p.length === 0)) {
    return { kind: 'invalid', message: `'{{${expression}}}' has an empty name` };
  }
  if (namespace === 'input') return { kind: 'input', path: rest };
  if (namespace === 'job') {
    if (rest[0] === 'parameters') {
      if (rest.length !== 2) {
        return { kind: 'invalid', message: `'{{${expression}}}' must be job.parameters.<name>` };
      }
      return { kind: 'parameter', name: rest[1] };
    }
    const field = rest.join('.');
    if (!JOB_FIELDS.includes(field)) {
      return {
        kind: 'invalid',
        message: `'{{${expression}}}': job has no '${field}' (known: ${JOB_FIELDS.join(', ')}, parameters.<name>)`,
      };
    }
    return { kind: 'job', field };
  }
  // tasks.<key>.values.<name>[.<path>] | tasks.<key>.result_state
  const [task, what, name, ...path] = rest;
  if (!task || !what) {
    return {
      kind: 'invalid',
      message: `'{{${expression}}}' must be tasks.<key>.values.<name> or tasks.<key>.result_state`,
    };
  }
  if (what === 'result_state' && name === undefined) return { kind: 'taskResult', task };
  if (what === 'values' && name !== undefined) return { kind: 'taskValue', task, name, path };
  return {
    kind: 'invalid',
    message: `'{{${expression}}}': a task exposes values.<name> and result_state`,
  };
}

/** Whether a string is exactly one reference (then it resolves to the raw JSON value). */
export function singleReference(value: string): string | undefined {
  const match = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(value);
  return match ? match[1] : undefined;
}

/** Suggestions for `{{…}}` autocompletion in the builder, for a task given its upstream tasks. */
export function referenceSuggestions(options: {
  parameters: string[];
  upstream: { key: string; outputs: string[] | null }[];
  inForEach?: boolean;
}): string[] {
  const out = [
    'job.id',
    'job.run_id',
    'job.name',
    'job.workspace',
    'job.owner',
    'job.trigger.type',
  ];
  for (const p of options.parameters) out.push(`job.parameters.${p}`);
  for (const t of options.upstream) {
    out.push(`tasks.${t.key}.result_state`);
    for (const o of t.outputs ?? []) out.push(`tasks.${t.key}.values.${o}`);
  }
  if (options.inForEach) out.push('input');
  return out.map(s => `{{${s}}}`);
}
