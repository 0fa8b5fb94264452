import {
  jobRef,
  runRef,
  type Approval,
  type Job,
  type JobVersion,
  type Run,
  type RunLogLine,
  type RunSummary,
  type TaskAttempt,
  type TaskIteration,
  type TaskRun,
} from '@racine/plugin-pipelines-common';
import type { JobRecord, JobVersionRecord } from '../database/JobStore';
import type {
  ApprovalRow,
  AttemptRow,
  LogRow,
  RepairRow,
  RunRow,
  TaskRow,
} from '../database/RunStore';
import type { LoadedDefinition } from '../engine/definitions';

/** Row → API shapes of `/api/pipelines`. */

export const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

const duration = (start: number | null, end: number | null) =>
  start !== null && end !== null ? Math.max(0, end - start) : null;

export function toJobView(job: JobRecord): Job {
  return {
    ...job.definition,
    id: job.id,
    ref: jobRef(job.id),
    workspace: job.workspace,
    owner: job.owner,
    version: job.version,
    createdAt: iso(job.createdAt)!,
    createdBy: job.createdBy,
    updatedAt: iso(job.updatedAt)!,
    updatedBy: job.updatedBy,
    nextRunAt: iso(job.nextFireAt),
  };
}

export function toVersionView(version: JobVersionRecord): JobVersion {
  return {
    jobId: version.jobId,
    version: version.version,
    createdAt: iso(version.createdAt)!,
    createdBy: version.createdBy,
    note: version.note,
    definition: version.definition,
  };
}

export function toRunSummary(run: RunRow): RunSummary {
  return {
    id: run.id,
    status: run.status,
    result: run.result,
    trigger: run.triggerType,
    createdAt: iso(run.createdAt)!,
    startedAt: iso(run.startedAt),
    endedAt: iso(run.endedAt),
    durationMs: duration(run.startedAt, run.endedAt),
  };
}

function toAttempt(a: AttemptRow): TaskAttempt {
  return {
    attempt: a.attempt,
    state: a.state,
    repairId: a.repairId,
    queuedAt: iso(a.queuedAt),
    startedAt: iso(a.startedAt),
    endedAt: iso(a.endedAt),
    durationMs: duration(a.startedAt, a.endedAt),
    error: a.error,
    worker: a.worker,
  };
}

function taskBase(
  task: TaskRow,
  attempts: AttemptRow[],
): Omit<TaskRun, 'key' | 'step' | 'iterations'> {
  return {
    state: task.state,
    result: task.result,
    outcome: task.outcome,
    attempts: attempts.map(toAttempt),
    startedAt: iso(task.startedAt),
    endedAt: iso(task.endedAt),
    durationMs: duration(task.startedAt, task.endedAt),
    values: task.values,
    error: task.error,
    waitingFor: (task.waitingFor as TaskRun['waitingFor']) ?? null,
    childRunId: task.childRunId,
  };
}

export function toRunView(
  run: RunRow,
  def: LoadedDefinition,
  tasks: TaskRow[],
  attempts: AttemptRow[],
  repairs: RepairRow[],
): Run {
  const attemptsByTask = new Map<string, AttemptRow[]>();
  for (const a of attempts)
    attemptsByTask.set(a.taskKey, [...(attemptsByTask.get(a.taskKey) ?? []), a]);
  const rows = new Map(tasks.map(t => [t.taskKey, t]));
  const iterations = new Map<string, TaskRow[]>();
  for (const t of tasks) {
    if (t.parentKey) iterations.set(t.parentKey, [...(iterations.get(t.parentKey) ?? []), t]);
  }
  return {
    id: run.id,
    ref: runRef(run.id),
    jobId: run.jobId,
    jobName: run.jobName,
    jobVersion: run.jobVersion,
    workspace: run.workspace,
    runAs: run.runAs,
    trigger: run.triggerType,
    triggeredBy: run.triggeredBy,
    parameters: run.parameters,
    status: run.status,
    result: run.result,
    stateMessage: run.stateMessage,
    cancelRequested: run.cancelRequested,
    parentRunId: run.parentRunId,
    createdAt: iso(run.createdAt)!,
    startedAt: iso(run.startedAt),
    endedAt: iso(run.endedAt),
    durationMs: duration(run.startedAt, run.endedAt),
    tasks: def.definition.tasks.flatMap(t => {
      const row = rows.get(t.key);
      if (!row) return [];
      const view: TaskRun = {
        key: t.key,
        step: t.step,
        ...taskBase(row, attemptsByTask.get(t.key) ?? []),
      };
      if (t.step === 'core.forEach') {
        view.iterations = (iterations.get(t.key) ?? [])
          .sort((a, b) => (a.iteration ?? 0) - (b.iteration ?? 0))
          .map((it): TaskIteration => ({
            key: it.taskKey,
            index: it.iteration ?? 0,
            item: it.item,
            ...taskBase(it, attemptsByTask.get(it.taskKey) ?? []),
          }));
      }
      return [view];
    }),
    repairs: repairs.map(r => ({
      id: r.id,
      number: r.number,
      createdAt: iso(r.createdAt)!,
      createdBy: r.createdBy,
      rerunAllFailed: r.request.rerunAllFailed,
      rerunTasks: r.request.rerunTasks,
      rerunDependents: r.request.rerunDependents,
      parameters: r.request.parameters,
      tasks: r.tasks,
    })),
  };
}

export function toLogView(line: LogRow): RunLogLine {
  return {
    id: line.id,
    time: iso(line.time)!,
    taskKey: line.taskKey,
    attempt: line.attempt,
    level: line.level,
    message: line.message,
  };
}

export function toApprovalView(row: ApprovalRow): Approval {
  return {
    runId: row.runId,
    jobId: row.jobId,
    jobName: row.jobName,
    taskKey: row.taskKey,
    attempt: row.attempt,
    workspace: row.workspace,
    approvers: row.approvers,
    message: row.message,
    state: row.state,
    decidedBy: row.decidedBy,
    decidedAt: iso(row.decidedAt),
    comment: row.comment,
    createdAt: iso(row.createdAt)!,
  };
}
