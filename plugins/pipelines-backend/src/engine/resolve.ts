import {
  MAX_VALUES_BYTES,
  parseReference,
  REFERENCE_PATTERN,
  singleReference,
  type TaskResult,
} from '@racine/plugin-pipelines-common';

/** What dynamic values resolve against while a task starts. */
export interface ResolveContext {
  job: {
    id: string;
    run_id: string;
    name: string;
    workspace: string;
    owner: string;
    'trigger.type': string;
    repair_count: string;
  };
  parameters: Record<string, string>;
  tasks: Map<string, { result: TaskResult | null; values: Record<string, unknown> | null }>;
  /** The current item inside a for-each iteration. */
  input?: { value: unknown };
}

export class ResolveError extends Error {}

const MISSING = Symbol('missing');

function walk(value: unknown, path: string[]): unknown {
  let current = value;
  for (const part of path) {
    if (current && typeof current === 'object' && part in (current as object)) {
      current = (current as Record<string, unknown>)[part];
    } else {
      return MISSING;
    }
  }
  return current;
}

function lookup(expression: string, ctx: ResolveContext): unknown {
  const ref = parseReference(expression);
  switch (ref.kind) {
    case 'unknownNamespace':
      return MISSING;
    case 'invalid':
      throw new ResolveError(ref.message);
    case 'job':
      return ctx.job[ref.field as keyof ResolveContext['job']];
    case 'parameter':
      if (!(ref.name in ctx.parameters)) {
        throw new ResolveError(`'{{${expression}}}': the run has no parameter '${ref.name}'`);
      }
      return ctx.parameters[ref.name];
    case 'input': {
      if (!ctx.input)
        throw new ResolveError(`'{{${expression}}}' is only defined inside a for-each task`);
      const found = walk(ctx.input.value, ref.path);
      if (found === MISSING)
        throw new ResolveError(`'{{${expression}}}': the item has no such field`);
      return found;
    }
    case 'taskResult': {
      const task = ctx.tasks.get(ref.task);
      if (!task?.result)
        throw new ResolveError(`'{{${expression}}}': task '${ref.task}' has not finished`);
      return task.result;
    }
    case 'taskValue': {
      const task = ctx.tasks.get(ref.task);
      const found = task?.values ? walk(task.values, [ref.name, ...ref.path]) : MISSING;
      if (found === MISSING) {
        throw new ResolveError(
          `'{{${expression}}}': task '${ref.task}' did not publish '${[ref.name, ...ref.path].join('.')}'${task?.result ? ` (it ended ${task.result})` : ''}`,
        );
      }
      return found;
    }
  }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Substitutes dynamic values deeply. A string that is exactly one reference takes the
 * referenced JSON value as is (numbers stay numbers); references inside longer text are
 * interpolated as text. Unknown namespaces are left as written.
 */
export function resolveValue(value: unknown, ctx: ResolveContext): unknown {
  if (typeof value === 'string') {
    const single = singleReference(value);
    if (single !== undefined) {
      const found = lookup(single, ctx);
      return found === MISSING ? value : found;
    }
    return value.replace(REFERENCE_PATTERN, (whole, expression: string) => {
      const found = lookup(expression, ctx);
      return found === MISSING ? whole : asText(found);
    });
  }
  if (Array.isArray(value)) return value.map(v => resolveValue(v, ctx));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolveValue(v, ctx)]),
    );
  }
  return value;
}

/** A step's output as task values: an object's fields, anything else as `result`. */
export function valuesOf(output: unknown): Record<string, unknown> {
  if (output && typeof output === 'object' && !Array.isArray(output)) {
    return output as Record<string, unknown>;
  }
  return output === undefined || output === null ? {} : { result: output };
}

export function valuesSizeError(values: Record<string, unknown>): string | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(values), 'utf8');
  return bytes > MAX_VALUES_BYTES
    ? `the task's values are ${bytes} bytes once serialized; at most ${MAX_VALUES_BYTES} (48 KiB) are kept`
    : undefined;
}
