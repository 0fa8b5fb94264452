import { builtinStep } from './builtinSteps';
import type { JobDefinition, TaskDefinition } from './definition';
import { findReferences, parseReference } from './dynamicValues';

/** What validation needs to know about a step type. */
export interface StepInfo {
  id: string;
  /** Declared output values; `null` when they depend on the input. */
  outputs: string[] | null;
  /** Required top-level input fields (from the input JSON Schema). */
  required: string[];
}

export interface DefinitionIssue {
  /** Dotted path in the definition, e.g. `tasks.2.dependsOn.0.task`. */
  path: string;
  message: string;
}

export interface ValidationResult {
  issues: DefinitionIssue[];
  /** Step types the definition uses that are not registered (a group off, or not built). */
  missingSteps: string[];
}

/** Tasks in dependency order; `undefined` when there is a cycle (see findCycle). */
export function topologicalOrder(
  tasks: Pick<TaskDefinition, 'key' | 'dependsOn'>[],
): string[] | undefined {
  const keys = new Set(tasks.map(t => t.key));
  const indegree = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    const deps = [...new Set(t.dependsOn.map(d => d.task).filter(k => keys.has(k)))];
    indegree.set(t.key, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), t.key]);
  }
  const ready = tasks.filter(t => indegree.get(t.key) === 0).map(t => t.key);
  const order: string[] = [];
  while (ready.length) {
    const key = ready.shift()!;
    order.push(key);
    for (const next of dependents.get(key) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return order.length === indegree.size ? order : undefined;
}

/** One dependency cycle as a list of task keys (first repeated at the end), if any. */
export function findCycle(
  tasks: Pick<TaskDefinition, 'key' | 'dependsOn'>[],
): string[] | undefined {
  const deps = new Map(tasks.map(t => [t.key, t.dependsOn.map(d => d.task)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (key: string): string[] | undefined => {
    state.set(key, 'visiting');
    stack.push(key);
    for (const dep of deps.get(key) ?? []) {
      if (!deps.has(dep)) continue;
      if (state.get(dep) === 'visiting') return [...stack.slice(stack.indexOf(dep)), dep];
      if (!state.has(dep)) {
        const found = visit(dep);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(key, 'done');
    return undefined;
  };
  for (const t of tasks) {
    if (!state.has(t.key)) {
      const found = visit(t.key);
      if (found) return found.reverse();
    }
  }
  return undefined;
}

/** Every task a task transitively depends on. */
export function upstreamOf(
  tasks: Pick<TaskDefinition, 'key' | 'dependsOn'>[],
  key: string,
): Set<string> {
  const deps = new Map(tasks.map(t => [t.key, t.dependsOn.map(d => d.task)]));
  const seen = new Set<string>();
  const todo = [...(deps.get(key) ?? [])];
  while (todo.length) {
    const next = todo.pop()!;
    if (seen.has(next) || !deps.has(next)) continue;
    seen.add(next);
    todo.push(...(deps.get(next) ?? []));
  }
  return seen;
}

/** Outputs a task publishes: the step's declared outputs, or a setValues task's names. */
export function taskOutputs(
  task: Pick<TaskDefinition, 'step' | 'input'>,
  step?: StepInfo,
): string[] | null {
  if (task.step === 'core.setValues') {
    const values = task.input.values;
    return values && typeof values === 'object' && !Array.isArray(values)
      ? Object.keys(values)
      : [];
  }
  return step?.outputs ?? null;
}

function checkReferences(
  value: unknown,
  path: string,
  ctx: {
    task: TaskDefinition;
    byKey: Map<string, TaskDefinition>;
    upstream: Set<string>;
    parameters: Set<string>;
    steps: (id: string) => StepInfo | undefined;
    inForEach: boolean;
  },
  issues: DefinitionIssue[],
) {
  for (const expression of findReferences(value)) {
    const ref = parseReference(expression);
    const fail = (message: string) => issues.push({ path, message });
    switch (ref.kind) {
      case 'invalid':
        fail(ref.message);
        break;
      case 'parameter':
        if (!ctx.parameters.has(ref.name)) {
          fail(`'{{${expression}}}': the job has no parameter '${ref.name}'`);
        }
        break;
      case 'input':
        if (!ctx.inForEach) fail(`'{{${expression}}}' is only defined inside a core.forEach task`);
        break;
      case 'taskValue':
      case 'taskResult': {
        const target = ctx.byKey.get(ref.task);
        if (!target) {
          fail(`'{{${expression}}}': there is no task '${ref.task}'`);
        } else if (!ctx.upstream.has(ref.task)) {
          fail(
            `'{{${expression}}}': task '${ref.task}' is not upstream of '${ctx.task.key}' (add it to dependsOn)`,
          );
        } else if (ref.kind === 'taskValue') {
          const outputs = taskOutputs(target, ctx.steps(target.step));
          if (outputs && !outputs.includes(ref.name)) {
            fail(
              `'{{${expression}}}': task '${ref.task}' (${target.step}) has no value '${ref.name}'${outputs.length ? ` (it has: ${outputs.join(', ')})` : ''}`,
            );
          }
        }
        break;
      }
      default:
        break;
    }
  }
}

function checkRequired(
  input: Record<string, unknown>,
  step: StepInfo | undefined,
  path: string,
  issues: DefinitionIssue[],
) {
  if (!step) return;
  for (const field of step.required) {
    if (input[field] === undefined)
      issues.push({ path: `${path}.${field}`, message: `required by ${step.id}` });
  }
}

/**
 * Checks a job definition against the step catalog: unique keys, known dependencies, no
 * cycles, outcomes only after conditions, registered steps with their required inputs, and
 * every dynamic value in a known namespace.
 */
export function validateJobDefinition(
  definition: JobDefinition,
  steps: (id: string) => StepInfo | undefined,
  options: { jobId?: string } = {},
): ValidationResult {
  const issues: DefinitionIssue[] = [];
  const missing = new Set<string>();
  const byKey = new Map<string, TaskDefinition>();
  definition.tasks.forEach((task, i) => {
    if (byKey.has(task.key)) {
      issues.push({ path: `tasks.${i}.key`, message: `duplicate task key '${task.key}'` });
    }
    byKey.set(task.key, task);
  });
  const parameterNames = new Set<string>();
  definition.parameters.forEach((p, i) => {
    if (parameterNames.has(p.name)) {
      issues.push({ path: `parameters.${i}.name`, message: `duplicate parameter '${p.name}'` });
    }
    parameterNames.add(p.name);
  });

  definition.tasks.forEach((task, i) => {
    const seen = new Set<string>();
    task.dependsOn.forEach((dep, j) => {
      const path = `tasks.${i}.dependsOn.${j}`;
      if (dep.task === task.key)
        issues.push({ path: `${path}.task`, message: `'${task.key}' depends on itself` });
      else if (!byKey.has(dep.task))
        issues.push({ path: `${path}.task`, message: `there is no task '${dep.task}'` });
      if (seen.has(dep.task))
        issues.push({ path: `${path}.task`, message: `'${dep.task}' is listed twice` });
      seen.add(dep.task);
      const upstream = byKey.get(dep.task);
      if (upstream && upstream.step === 'core.condition' && dep.outcome === undefined) {
        issues.push({
          path: `${path}.outcome`,
          message: `a dependency on condition '${dep.task}' must choose outcome "true" or "false"`,
        });
      }
      if (upstream && upstream.step !== 'core.condition' && dep.outcome !== undefined) {
        issues.push({
          path: `${path}.outcome`,
          message: `'${dep.task}' is not a core.condition task`,
        });
      }
    });
  });

  const cycle = findCycle(definition.tasks);
  if (cycle) issues.push({ path: 'tasks', message: `dependency cycle: ${cycle.join(' → ')}` });

  definition.tasks.forEach((task, i) => {
    const path = `tasks.${i}`;
    const builtin = builtinStep(task.step);
    const step = steps(task.step);
    if (!step) missing.add(task.step);
    const upstream = cycle
      ? new Set(task.dependsOn.map(d => d.task))
      : upstreamOf(definition.tasks, task.key);
    const ctx = { task, byKey, upstream, parameters: parameterNames, steps, inForEach: false };
    if (builtin) {
      const inputCheck = builtin.input.safeParse(task.input);
      if (!inputCheck.success) {
        for (const issue of inputCheck.error.issues) {
          // Dynamic values are checked below and resolved at run time.
          const at = issue.path.reduce<unknown>(
            (v, k) =>
              v && typeof v === 'object'
                ? (v as Record<PropertyKey, unknown>)[k as PropertyKey]
                : undefined,
            task.input,
          );
          if (typeof at === 'string' && findReferences(at).length) continue;
          issues.push({
            path: [`${path}.input`, ...issue.path].join('.'),
            message: at === undefined ? `required by ${task.step}` : issue.message,
          });
        }
      }
    } else {
      checkRequired(task.input, step, `${path}.input`, issues);
    }
    if (task.step === 'core.forEach') {
      const { task: nested, ...rest } = task.input as { task?: TaskDefinition };
      checkReferences(rest, `${path}.input`, ctx, issues);
      if (nested && typeof nested === 'object' && typeof nested.step === 'string') {
        if (nested.step === 'core.forEach') {
          issues.push({
            path: `${path}.input.task.step`,
            message: 'a for-each task cannot run another for-each task',
          });
        }
        const nestedStep = steps(nested.step);
        if (!nestedStep) missing.add(nested.step);
        else if (!builtinStep(nested.step))
          checkRequired(nested.input ?? {}, nestedStep, `${path}.input.task.input`, issues);
        checkReferences(
          nested.input ?? {},
          `${path}.input.task.input`,
          { ...ctx, inForEach: true },
          issues,
        );
      }
    } else {
      checkReferences(task.input, `${path}.input`, ctx, issues);
    }
    if (task.step === 'core.runJob' && options.jobId && task.input.jobId === options.jobId) {
      issues.push({ path: `${path}.input.jobId`, message: 'a job cannot run itself' });
    }
  });

  definition.triggers.forEach((trigger, i) => {
    for (const expression of findReferences(trigger.filter)) {
      issues.push({
        path: `triggers.${i}.filter`,
        message: `'{{${expression}}}': filters take literal values`,
      });
    }
  });

  return { issues, missingSteps: [...missing].sort() };
}
