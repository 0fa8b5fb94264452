import {
  failureHandlingRunIfs,
  isSuccessLike,
  type ConditionOperator,
  type Dependency,
  type LifecycleState,
  type Retries,
  type RunIf,
  type RunResult,
  type TaskResult,
} from '@racine/plugin-pipelines-common';

/**
 * The pure semantics of a job run, Databricks Workflows point by point: runIf evaluation,
 * exclusion and upstream-failure propagation, cancellation cascades, leaf-based run results,
 * retries, for-each scheduling, condition operators and repair plans. No I/O: the engine feeds
 * it a snapshot of task states and persists what it decides.
 */

export interface GraphTask {
  key: string;
  dependsOn: Dependency[];
  runIf: RunIf;
}

export interface TaskStatus {
  state: LifecycleState;
  result: TaskResult | null;
  /** A condition task's outcome, "true" or "false". */
  outcome: string | null;
}

export type EdgeState = 'success' | 'failed' | 'canceled' | 'excluded';

export type RunIfDecision = { run: true } | { run: false; result: TaskResult };

/** How one dependency counts for its dependent, given the upstream's result. */
export function edgeState(upstream: TaskStatus, expectedOutcome?: string): EdgeState {
  switch (upstream.result) {
    case 'SUCCESS':
      // A condition's other branch is not taken: that dependency is excluded.
      return expectedOutcome !== undefined && upstream.outcome !== expectedOutcome
        ? 'excluded'
        : 'success';
    case 'FAILED':
    case 'TIMEDOUT':
    case 'UPSTREAM_FAILED':
      return 'failed';
    case 'CANCELED':
    case 'UPSTREAM_CANCELED':
      return 'canceled';
    case 'EXCLUDED':
    case 'SKIPPED':
    default:
      return 'excluded';
  }
}

export function isFailureHandling(runIf: RunIf): boolean {
  return failureHandlingRunIfs.includes(runIf);
}

/**
 * Whether a task runs once every dependency has finished. Excluded dependencies (branches not
 * taken, failure handlers not needed) are left out of the count; a task whose dependencies are
 * all excluded is excluded too, whatever its runIf. A cancelled dependency counts as a
 * failure for the failure-handling conditions (so clean-up still runs after a cancel) and as
 * UPSTREAM_CANCELED for the others; an unmet success condition is UPSTREAM_FAILED when any
 * dependency failed.
 */
export function evaluateRunIf(runIf: RunIf, edges: EdgeState[]): RunIfDecision {
  if (edges.length === 0) return { run: true };
  const relevant = edges.filter(e => e !== 'excluded');
  if (relevant.length === 0) return { run: false, result: 'EXCLUDED' };
  const succeeded = relevant.filter(e => e === 'success').length;
  const failed = relevant.filter(e => e === 'failed').length;
  const canceled = relevant.filter(e => e === 'canceled').length;
  const upstreamProblem: TaskResult = failed > 0 ? 'UPSTREAM_FAILED' : 'UPSTREAM_CANCELED';
  switch (runIf) {
    case 'ALL_SUCCESS':
      return succeeded === relevant.length
        ? { run: true }
        : { run: false, result: upstreamProblem };
    case 'AT_LEAST_ONE_SUCCESS':
      return succeeded > 0 ? { run: true } : { run: false, result: upstreamProblem };
    case 'NONE_FAILED':
      return failed === 0 && canceled === 0
        ? { run: true }
        : { run: false, result: upstreamProblem };
    case 'ALL_DONE':
      return { run: true };
    case 'AT_LEAST_ONE_FAILED':
      return failed + canceled > 0 ? { run: true } : { run: false, result: 'EXCLUDED' };
    case 'ALL_FAILED':
      return failed + canceled === relevant.length
        ? { run: true }
        : { run: false, result: 'EXCLUDED' };
  }
}

/** Tasks in an order where every task comes after its dependencies (definitions are acyclic). */
export function topological(tasks: GraphTask[]): GraphTask[] {
  const byKey = new Map(tasks.map(t => [t.key, t]));
  const done = new Set<string>();
  const out: GraphTask[] = [];
  const visit = (task: GraphTask) => {
    if (done.has(task.key)) return;
    done.add(task.key);
    for (const dep of task.dependsOn) {
      const upstream = byKey.get(dep.task);
      if (upstream) visit(upstream);
    }
    out.push(task);
  };
  tasks.forEach(visit);
  return out;
}

export interface AdvanceResult {
  /** Tasks whose runIf holds: hand them to a worker. */
  start: string[];
  /** Tasks that end without running (EXCLUDED, UPSTREAM_FAILED, UPSTREAM_CANCELED, CANCELED). */
  resolved: { key: string; result: TaskResult }[];
}

/**
 * One step of the DAG: every BLOCKED task whose dependencies have all terminated is either
 * started or resolved, and resolutions cascade downstream in the same pass. While a run is
 * being cancelled only failure-handling tasks still start; the others end CANCELED.
 */
export function advance(
  tasks: GraphTask[],
  statuses: Map<string, TaskStatus>,
  options: { canceling?: boolean; order?: GraphTask[] } = {},
): AdvanceResult {
  const current = new Map(statuses);
  const result: AdvanceResult = { start: [], resolved: [] };
  for (const task of options.order ?? topological(tasks)) {
    const status = current.get(task.key);
    if (!status || status.state !== 'BLOCKED') continue;
    const upstream = task.dependsOn.map(d => current.get(d.task));
    if (upstream.some(u => !u || u.state !== 'TERMINATED')) continue;
    const decision = evaluateRunIf(
      task.runIf,
      task.dependsOn.map((d, i) => edgeState(upstream[i]!, d.outcome)),
    );
    if (decision.run && options.canceling && !isFailureHandling(task.runIf)) {
      result.resolved.push({ key: task.key, result: 'CANCELED' });
      current.set(task.key, { state: 'TERMINATED', result: 'CANCELED', outcome: null });
    } else if (decision.run) {
      result.start.push(task.key);
      current.set(task.key, { state: 'PENDING', result: null, outcome: null });
    } else {
      result.resolved.push({ key: task.key, result: decision.result });
      current.set(task.key, { state: 'TERMINATED', result: decision.result, outcome: null });
    }
  }
  return result;
}

/** Tasks no other task depends on. */
export function leafKeys(tasks: GraphTask[]): string[] {
  const upstream = new Set(tasks.flatMap(t => t.dependsOn.map(d => d.task)));
  return tasks.filter(t => !upstream.has(t.key)).map(t => t.key);
}

/**
 * The run's result once every task has terminated (null before): CANCELED or TIMEDOUT when
 * the run was cancelled or timed out; otherwise SUCCESS when every task succeeded (EXCLUDED
 * counts as success), SUCCESS_WITH_FAILURES when a non-leaf failed but every leaf succeeded,
 * FAILED when a leaf did not succeed.
 */
export function runOutcome(
  tasks: GraphTask[],
  statuses: Map<string, TaskStatus>,
  options: { canceled?: boolean; timedOut?: boolean } = {},
): RunResult | null {
  const all = tasks.map(t => statuses.get(t.key));
  if (all.some(s => !s || s.state !== 'TERMINATED')) return null;
  if (options.timedOut) return 'TIMEDOUT';
  if (options.canceled) return 'CANCELED';
  if (all.every(s => s!.result === 'SKIPPED')) return 'SKIPPED';
  if (all.every(s => isSuccessLike(s!.result))) return 'SUCCESS';
  const leaves = leafKeys(tasks);
  return leaves.every(k => isSuccessLike(statuses.get(k)!.result))
    ? 'SUCCESS_WITH_FAILURES'
    : 'FAILED';
}

export interface RetryDecision {
  retry: boolean;
  delayMs: number;
}

/**
 * Whether a task attempt that ended FAILED or TIMEDOUT is retried. `attemptsSoFar` counts the
 * attempts of the current execution (a repair starts a new count).
 */
export function retryDecision(
  retries: Retries | undefined,
  attemptsSoFar: number,
  result: 'FAILED' | 'TIMEDOUT',
): RetryDecision {
  if (!retries || retries.max <= 0) return { retry: false, delayMs: 0 };
  if (result === 'TIMEDOUT' && !retries.onTimeout) return { retry: false, delayMs: 0 };
  return attemptsSoFar <= retries.max
    ? { retry: true, delayMs: retries.minIntervalMs }
    : { retry: false, delayMs: 0 };
}

export const repairableResults: TaskResult[] = [
  'FAILED',
  'TIMEDOUT',
  'CANCELED',
  'UPSTREAM_FAILED',
  'UPSTREAM_CANCELED',
];

export class RepairPlanError extends Error {}

/** Every task that transitively depends on one of `keys`. */
export function downstreamOf(tasks: GraphTask[], keys: Iterable<string>): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const t of tasks) {
    for (const d of t.dependsOn) dependents.set(d.task, [...(dependents.get(d.task) ?? []), t.key]);
  }
  const out = new Set<string>();
  const todo = [...keys];
  while (todo.length) {
    for (const next of dependents.get(todo.pop()!) ?? []) {
      if (!out.has(next)) {
        out.add(next);
        todo.push(next);
      }
    }
  }
  return out;
}

/**
 * The tasks a repair resets and runs again, in definition order: every failed task
 * (FAILED, TIMEDOUT, CANCELED, UPSTREAM_*) and all their dependents, or the chosen tasks
 * (and, if asked, their dependents).
 */
export function repairPlan(
  tasks: GraphTask[],
  statuses: Map<string, TaskStatus>,
  request: { rerunAllFailed?: boolean; rerunTasks?: string[]; rerunDependents?: boolean },
): string[] {
  const keys = new Set(tasks.map(t => t.key));
  let chosen: Set<string>;
  if (request.rerunAllFailed) {
    const failed = tasks
      .filter(t => {
        const result = statuses.get(t.key)?.result;
        return result !== null && result !== undefined && repairableResults.includes(result);
      })
      .map(t => t.key);
    if (failed.length === 0) throw new RepairPlanError('the run has no failed tasks to repair');
    chosen = new Set([...failed, ...downstreamOf(tasks, failed)]);
  } else {
    const requested = request.rerunTasks ?? [];
    const unknown = requested.filter(k => !keys.has(k));
    if (unknown.length)
      throw new RepairPlanError(`no task ${unknown.map(k => `'${k}'`).join(', ')} in this run`);
    if (requested.length === 0) throw new RepairPlanError('choose at least one task to rerun');
    chosen = new Set(requested);
    if (request.rerunDependents) for (const k of downstreamOf(tasks, requested)) chosen.add(k);
  }
  return tasks.filter(t => chosen.has(t.key)).map(t => t.key);
}

export interface IterationStatus {
  index: number;
  state: LifecycleState;
  result: TaskResult | null;
}

/** Iterations of a for-each task to start now, in order, keeping at most `concurrency` active. */
export function nextIterations(iterations: IterationStatus[], concurrency: number): number[] {
  const active = iterations.filter(i =>
    ['PENDING', 'RUNNING', 'WAITING_FOR_RETRY'].includes(i.state),
  ).length;
  const free = Math.max(0, concurrency - active);
  return iterations
    .filter(i => i.state === 'QUEUED')
    .sort((a, b) => a.index - b.index)
    .slice(0, free)
    .map(i => i.index);
}

/** A for-each task's end once every iteration has terminated (null before). */
export function forEachOutcome(
  iterations: IterationStatus[],
): { result: TaskResult; succeeded: number; failed: number } | null {
  if (iterations.some(i => i.state !== 'TERMINATED')) return null;
  const succeeded = iterations.filter(i => isSuccessLike(i.result)).length;
  const failed = iterations.length - succeeded;
  return { result: failed === 0 ? 'SUCCESS' : 'FAILED', succeeded, failed };
}

export class ConditionError extends Error {}

function operand(value: unknown, side: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new ConditionError(
    `${side} operand must be a string, number or boolean, not ${value === null ? 'null' : typeof value}`,
  );
}

function numeric(value: string, side: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new ConditionError(`${side} operand '${value}' is not a number`);
  return n;
}

/**
 * A condition task's outcome: EQUAL_TO and NOT_EQUAL compare the operands as strings
 * (`12.0` is not `12`), the ordering operators compare them as numbers (`12.0 >= 12`).
 */
export function evaluateCondition(left: unknown, op: ConditionOperator, right: unknown): boolean {
  const l = operand(left, 'left');
  const r = operand(right, 'right');
  switch (op) {
    case 'EQUAL_TO':
      return l === r;
    case 'NOT_EQUAL':
      return l !== r;
    case 'GREATER_THAN':
      return numeric(l, 'left') > numeric(r, 'right');
    case 'GREATER_THAN_OR_EQUAL':
      return numeric(l, 'left') >= numeric(r, 'right');
    case 'LESS_THAN':
      return numeric(l, 'left') < numeric(r, 'right');
    case 'LESS_THAN_OR_EQUAL':
      return numeric(l, 'left') <= numeric(r, 'right');
  }
}
