/**
 * Run and task states, named as Databricks Workflows names them. A task has a lifecycle
 * `state` and, once TERMINATED, a `result`; a run likewise has a `status` and a `result`.
 */

/** When a task runs, evaluated once every dependency has finished. */
export const runIfConditions = [
  'ALL_SUCCESS',
  'AT_LEAST_ONE_SUCCESS',
  'NONE_FAILED',
  'ALL_DONE',
  'AT_LEAST_ONE_FAILED',
  'ALL_FAILED',
] as const;
export type RunIf = (typeof runIfConditions)[number];

/** runIf conditions meant to handle failures: they still run when the run is cancelled. */
export const failureHandlingRunIfs: readonly RunIf[] = [
  'ALL_DONE',
  'AT_LEAST_ONE_FAILED',
  'ALL_FAILED',
];

export const taskResults = [
  'SUCCESS',
  'FAILED',
  'TIMEDOUT',
  'CANCELED',
  /** A failure-handling runIf not met, or a branch not taken: counted as success. */
  'EXCLUDED',
  'UPSTREAM_FAILED',
  'UPSTREAM_CANCELED',
  /** The run was skipped (maxConcurrentRuns reached with queueing off). */
  'SKIPPED',
] as const;
export type TaskResult = (typeof taskResults)[number];

export const lifecycleStates = [
  /** Waiting for a slot: the run is queued, or a for-each iteration waits for concurrency. */
  'QUEUED',
  /** Ready and handed to the task queue, not yet picked up by a worker. */
  'PENDING',
  /** Waiting for upstream tasks to finish. */
  'BLOCKED',
  'RUNNING',
  'WAITING_FOR_RETRY',
  'TERMINATED',
] as const;
export type LifecycleState = (typeof lifecycleStates)[number];

/** A run's result comes from its leaf tasks (or from how it ended). */
export const runResults = [
  'SUCCESS',
  /** A non-leaf task failed but every leaf task succeeded. */
  'SUCCESS_WITH_FAILURES',
  'FAILED',
  'CANCELED',
  'TIMEDOUT',
  'SKIPPED',
] as const;
export type RunResult = (typeof runResults)[number];

/** Run lifecycle: QUEUED (maxConcurrentRuns), PENDING (no task started yet), RUNNING, TERMINATED. */
export const runStatuses = ['QUEUED', 'PENDING', 'RUNNING', 'TERMINATED'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Results that count as success for run results and runIf evaluation. */
export function isSuccessLike(result: TaskResult | null | undefined): boolean {
  return result === 'SUCCESS' || result === 'EXCLUDED';
}

export const conditionOperators = [
  'EQUAL_TO',
  'NOT_EQUAL',
  'GREATER_THAN',
  'GREATER_THAN_OR_EQUAL',
  'LESS_THAN',
  'LESS_THAN_OR_EQUAL',
] as const;
export type ConditionOperator = (typeof conditionOperators)[number];

export const runTriggerTypes = ['manual', 'schedule', 'event', 'runJob', 'action'] as const;
export type RunTriggerType = (typeof runTriggerTypes)[number];

/** Task output values are JSON, at most this many bytes once serialized. */
export const MAX_VALUES_BYTES = 48 * 1024;
