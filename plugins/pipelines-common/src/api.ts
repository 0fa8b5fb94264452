import type { JobDefinition } from './definition';
import type { LifecycleState, RunResult, RunStatus, RunTriggerType, TaskResult } from './states';

/** HTTP contracts of `/api/pipelines`. Field names are public API: add, never rename. */

export interface RunSummary {
  id: string;
  status: RunStatus;
  result: RunResult | null;
  trigger: RunTriggerType;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
}

export interface Job extends JobDefinition {
  id: string;
  ref: string;
  workspace: string;
  /** The user runs execute as: whoever saved the current version. */
  owner: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** Next scheduled fire time, when scheduled and not paused. */
  nextRunAt: string | null;
}

export interface JobListItem extends Job {
  /** Most recent runs, newest first (at most 20). */
  recentRuns: RunSummary[];
  /** Share of the recent finished runs that succeeded (SUCCESS or SUCCESS_WITH_FAILURES), 0..1. */
  successRate: number | null;
}

export interface JobVersion {
  jobId: string;
  version: number;
  createdAt: string;
  createdBy: string;
  note: string;
  definition: JobDefinition;
}

export interface FieldChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface JobVersionDiff {
  jobId: string;
  from: number;
  to: number;
  tasksAdded: string[];
  tasksRemoved: string[];
  tasksChanged: { key: string; changes: FieldChange[] }[];
  settingsChanged: FieldChange[];
}

export interface TaskAttempt {
  attempt: number;
  state: 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'TIMEDOUT' | 'CANCELED';
  repairId: string | null;
  queuedAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  error: string | null;
  worker: string | null;
}

export interface TaskRun {
  key: string;
  step: string;
  state: LifecycleState;
  result: TaskResult | null;
  /** A condition task's outcome ("true" / "false"). */
  outcome: string | null;
  attempts: TaskAttempt[];
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  values: Record<string, unknown> | null;
  error: string | null;
  /** What a RUNNING task is waiting for without holding a worker. */
  waitingFor: 'approval' | 'timer' | 'childRun' | 'iterations' | 'event' | null;
  childRunId: string | null;
  /** Iterations of a core.forEach task. */
  iterations?: TaskIteration[];
}

export interface TaskIteration extends Omit<TaskRun, 'iterations' | 'step'> {
  index: number;
  item: unknown;
}

export interface RunRepair {
  id: string;
  number: number;
  createdAt: string;
  createdBy: string;
  rerunAllFailed: boolean;
  rerunTasks: string[];
  rerunDependents: boolean;
  parameters: Record<string, string> | null;
  /** Task keys that were reset and run again. */
  tasks: string[];
}

export interface Run {
  id: string;
  ref: string;
  jobId: string;
  jobName: string;
  jobVersion: number;
  workspace: string;
  runAs: string;
  trigger: RunTriggerType;
  triggeredBy: string;
  parameters: Record<string, string>;
  status: RunStatus;
  result: RunResult | null;
  stateMessage: string;
  cancelRequested: boolean;
  parentRunId: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  tasks: TaskRun[];
  repairs: RunRepair[];
}

export interface RunLogLine {
  id: number;
  time: string;
  taskKey: string | null;
  attempt: number | null;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface Approval {
  runId: string;
  jobId: string;
  jobName: string;
  taskKey: string;
  attempt: number;
  workspace: string;
  approvers: string[];
  message: string;
  state: 'PENDING' | 'APPROVED' | 'DENIED' | 'TIMEDOUT' | 'CANCELED';
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
  createdAt: string;
}

export interface PipelineNotification {
  id: string;
  recipient: string;
  title: string;
  message: string;
  jobId: string | null;
  runId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface PipelineTemplate extends JobDefinition {
  id: string;
  ref: string;
  workspace: string | null;
  visibility: 'private' | 'workspace' | 'builtin';
  builtin: boolean;
  owner: string;
  createdAt: string;
  updatedAt: string;
  /** Step types the template needs that are not registered here (it cannot be instantiated). */
  missingSteps: string[];
}

export interface StepCatalogEntry {
  id: string;
  title: string;
  description: string;
  pluginId: string;
  actionId: string | null;
  inputSchema: Record<string, unknown>;
  outputs: string[] | null;
  idempotent: boolean;
  uiHints?: Record<string, { widget?: string; placeholder?: string; help?: string }>;
  builtin: boolean;
}

export function jobRef(id: string) {
  return `racine:pipelines:job/${id}`;
}
export function runRef(id: string) {
  return `racine:pipelines:run/${id}`;
}
export function templateRef(id: string) {
  return `racine:pipelines:template/${id}`;
}
