import type { RunResult } from '@racine/plugin-pipelines-common';
import type { RunRow } from '../database/RunStore';

/** Queue jobs of the engine. */
export const ENGINE_TASKS = {
  /** Runs one task attempt: payload {runId, taskKey, attempt}, key `<runId>:<taskKey>:<attempt>`. */
  task: 'pipelines.task',
  /** Wakes a core.wait task. */
  resume: 'pipelines.resume',
  /** Ends an attempt that outlived its timeout (durable, whichever worker holds it). */
  timeout: 'pipelines.timeout',
  /** Ends a run that outlived the job timeout. */
  runTimeout: 'pipelines.runTimeout',
  /** Sends the `duration` notifications of a run still going after the threshold. */
  durationCheck: 'pipelines.durationCheck',
  /** Delivers a notification (in-app rows and webhooks), retried by the queue. */
  notify: 'pipelines.notify',
} as const;

export interface AttemptRef {
  runId: string;
  taskKey: string;
  attempt: number;
}

export function attemptKey(ref: AttemptRef): string {
  return `${ref.runId}:${ref.taskKey}:${ref.attempt}`;
}

export interface QueuedJob {
  task: string;
  payload: unknown;
  key: string;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * Lets a worker that just ended a task run one of the dependents it made ready itself, in
 * the queue slot it already holds, instead of waiting for the queue to hand it out. The
 * dependent's queue job is still written (delayed by the lease length) as a backstop.
 */
export interface InlineSlot {
  allow: boolean;
  next?: AttemptRef;
}

export interface AuditNote {
  run: Pick<RunRow, 'id' | 'workspace' | 'jobId' | 'runAs'>;
  verb: string;
  summary: string;
  outcome?: 'success' | 'failure';
  details?: Record<string, unknown>;
}

/**
 * What a state transition asks for once its transaction has committed: queue jobs first
 * (that is the latency path from a task's end to its dependent's start), then audit records,
 * live updates, notifications and follow-up transitions on other runs.
 */
export class Effects {
  readonly enqueue: QueuedJob[] = [];
  readonly audits: AuditNote[] = [];
  readonly changedRuns = new Set<string>();
  readonly runsStarted: RunRow[] = [];
  readonly runsEnded: { run: RunRow; result: RunResult }[] = [];
  readonly promoteJobs = new Set<string>();
  readonly cancelRuns: { runId: string; reason: string }[] = [];
  readonly abortLocal: string[] = [];
  readonly approvalsOpened: {
    run: RunRow;
    taskKey: string;
    approvers: string[];
    message: string;
  }[] = [];
  /** Attempts made ready to run now (no retry delay), in order. */
  readonly ready: AttemptRef[] = [];

  queue(job: QueuedJob) {
    this.enqueue.push(job);
  }

  audit(note: AuditNote) {
    this.audits.push(note);
  }

  /** DAG progress joins the record of the task end that caused it (one record per transition). */
  auditAdvance(note: AuditNote) {
    const last = this.audits.at(-1);
    if (last && last.run.id === note.run.id && last.verb === 'pipelines.task.end') {
      last.summary = `${last.summary}; ${note.summary}`;
      last.details = { ...last.details, ...note.details };
    } else {
      this.audits.push(note);
    }
  }
}
