import type {
  LifecycleState,
  RunResult,
  RunStatus,
  RunTriggerType,
  TaskResult,
} from '@racine/plugin-pipelines-common';
import type { Knex } from 'knex';

/** The engine's durable state: runs, task runs (and for-each iterations), attempts, logs. */

export interface RunRow {
  id: string;
  jobId: string;
  jobVersion: number;
  jobName: string;
  workspace: string;
  runAs: string;
  triggerType: RunTriggerType;
  triggeredBy: string;
  parameters: Record<string, string>;
  status: RunStatus;
  result: RunResult | null;
  stateMessage: string;
  cancelRequested: boolean;
  timedOut: boolean;
  parentRunId: string | null;
  parentTaskKey: string | null;
  parentAttempt: number | null;
  depth: number;
  repairCount: number;
  dedupeKey: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  updatedAt: number;
}

export interface TaskRow {
  runId: string;
  taskKey: string;
  parentKey: string | null;
  iteration: number | null;
  item: unknown;
  state: LifecycleState;
  result: TaskResult | null;
  outcome: string | null;
  attempt: number;
  roundStart: number;
  values: Record<string, unknown> | null;
  error: string | null;
  waitingFor: string | null;
  childRunId: string | null;
  startedAt: number | null;
  endedAt: number | null;
}

export type AttemptState = 'PENDING' | 'RUNNING' | 'SUCCESS' | 'FAILED' | 'TIMEDOUT' | 'CANCELED';

export interface AttemptRow {
  runId: string;
  taskKey: string;
  attempt: number;
  repairId: string | null;
  state: AttemptState;
  runAt: number;
  queuedAt: number;
  startedAt: number | null;
  endedAt: number | null;
  worker: string | null;
  leaseExpiresAt: number | null;
  waitingFor: string | null;
  resumeAt: number | null;
  waitTopic: string | null;
  waitFilter: Record<string, unknown> | null;
  deadlineAt: number | null;
  error: string | null;
}

export interface RepairRow {
  id: string;
  runId: string;
  number: number;
  request: {
    rerunAllFailed: boolean;
    rerunTasks: string[];
    rerunDependents: boolean;
    parameters: Record<string, string> | null;
  };
  tasks: string[];
  createdAt: number;
  createdBy: string;
}

export interface LogRow {
  id: number;
  runId: string;
  taskKey: string | null;
  attempt: number | null;
  time: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface ApprovalRow {
  runId: string;
  taskKey: string;
  attempt: number;
  jobId: string;
  jobName: string;
  workspace: string;
  approvers: string[];
  message: string;
  state: 'PENDING' | 'APPROVED' | 'DENIED' | 'TIMEDOUT' | 'CANCELED';
  decidedBy: string | null;
  decidedAt: number | null;
  comment: string | null;
  createdAt: number;
}

export interface RunListFilter {
  jobId?: string;
  workspace?: string;
  status?: RunStatus;
  limit: number;
  before?: { createdAt: number; id: string };
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const json = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);

type Raw = Record<string, unknown>;

function toRun(r: Raw): RunRow {
  return {
    id: r.id as string,
    jobId: r.job_id as string,
    jobVersion: Number(r.job_version),
    jobName: r.job_name as string,
    workspace: r.workspace as string,
    runAs: r.run_as as string,
    triggerType: r.trigger_type as RunTriggerType,
    triggeredBy: r.triggered_by as string,
    parameters: json<Record<string, string>>(r.parameters) ?? {},
    status: r.status as RunStatus,
    result: (r.result as RunResult | null) ?? null,
    stateMessage: (r.state_message as string) ?? '',
    cancelRequested: Boolean(r.cancel_requested),
    timedOut: Boolean(r.timed_out),
    parentRunId: (r.parent_run_id as string | null) ?? null,
    parentTaskKey: (r.parent_task_key as string | null) ?? null,
    parentAttempt: n(r.parent_attempt),
    depth: Number(r.depth),
    repairCount: Number(r.repair_count),
    dedupeKey: (r.dedupe_key as string | null) ?? null,
    createdAt: Number(r.created_at),
    startedAt: n(r.started_at),
    endedAt: n(r.ended_at),
    updatedAt: Number(r.updated_at),
  };
}

function fromRun(run: Partial<RunRow>): Raw {
  const map: Record<keyof RunRow, string> = {
    id: 'id',
    jobId: 'job_id',
    jobVersion: 'job_version',
    jobName: 'job_name',
    workspace: 'workspace',
    runAs: 'run_as',
    triggerType: 'trigger_type',
    triggeredBy: 'triggered_by',
    parameters: 'parameters',
    status: 'status',
    result: 'result',
    stateMessage: 'state_message',
    cancelRequested: 'cancel_requested',
    timedOut: 'timed_out',
    parentRunId: 'parent_run_id',
    parentTaskKey: 'parent_task_key',
    parentAttempt: 'parent_attempt',
    depth: 'depth',
    repairCount: 'repair_count',
    dedupeKey: 'dedupe_key',
    createdAt: 'created_at',
    startedAt: 'started_at',
    endedAt: 'ended_at',
    updatedAt: 'updated_at',
  };
  const out: Raw = {};
  for (const [k, v] of Object.entries(run)) {
    const column = map[k as keyof RunRow];
    out[column] = k === 'parameters' ? JSON.stringify(v) : v;
  }
  return out;
}

function toTask(r: Raw): TaskRow {
  return {
    runId: r.run_id as string,
    taskKey: r.task_key as string,
    parentKey: (r.parent_key as string | null) ?? null,
    iteration: n(r.iteration),
    item: json<unknown>(r.item),
    state: r.state as LifecycleState,
    result: (r.result as TaskResult | null) ?? null,
    outcome: (r.outcome as string | null) ?? null,
    attempt: Number(r.attempt),
    roundStart: Number(r.round_start),
    values: json<Record<string, unknown>>(r.task_values),
    error: (r.error as string | null) ?? null,
    waitingFor: (r.waiting_for as string | null) ?? null,
    childRunId: (r.child_run_id as string | null) ?? null,
    startedAt: n(r.started_at),
    endedAt: n(r.ended_at),
  };
}

export type TaskPatch = Partial<Omit<TaskRow, 'runId' | 'taskKey'>>;

function fromTask(task: TaskPatch & { runId?: string; taskKey?: string }): Raw {
  const map: Record<string, string> = {
    runId: 'run_id',
    taskKey: 'task_key',
    parentKey: 'parent_key',
    iteration: 'iteration',
    item: 'item',
    state: 'state',
    result: 'result',
    outcome: 'outcome',
    attempt: 'attempt',
    roundStart: 'round_start',
    values: 'task_values',
    error: 'error',
    waitingFor: 'waiting_for',
    childRunId: 'child_run_id',
    startedAt: 'started_at',
    endedAt: 'ended_at',
  };
  const out: Raw = {};
  for (const [k, v] of Object.entries(task)) {
    if (v === undefined) continue;
    out[map[k]] = k === 'values' || k === 'item' ? (v === null ? null : JSON.stringify(v)) : v;
  }
  return out;
}

function toAttempt(r: Raw): AttemptRow {
  return {
    runId: r.run_id as string,
    taskKey: r.task_key as string,
    attempt: Number(r.attempt),
    repairId: (r.repair_id as string | null) ?? null,
    state: r.state as AttemptState,
    runAt: Number(r.run_at),
    queuedAt: Number(r.queued_at),
    startedAt: n(r.started_at),
    endedAt: n(r.ended_at),
    worker: (r.worker as string | null) ?? null,
    leaseExpiresAt: n(r.lease_expires_at),
    waitingFor: (r.waiting_for as string | null) ?? null,
    resumeAt: n(r.resume_at),
    waitTopic: (r.wait_topic as string | null) ?? null,
    waitFilter: json<Record<string, unknown>>(r.wait_filter),
    deadlineAt: n(r.deadline_at),
    error: (r.error as string | null) ?? null,
  };
}

export type AttemptPatch = Partial<Omit<AttemptRow, 'runId' | 'taskKey' | 'attempt'>>;

function fromAttempt(
  a: AttemptPatch & { runId?: string; taskKey?: string; attempt?: number },
): Raw {
  const map: Record<string, string> = {
    runId: 'run_id',
    taskKey: 'task_key',
    attempt: 'attempt',
    repairId: 'repair_id',
    state: 'state',
    runAt: 'run_at',
    queuedAt: 'queued_at',
    startedAt: 'started_at',
    endedAt: 'ended_at',
    worker: 'worker',
    leaseExpiresAt: 'lease_expires_at',
    waitingFor: 'waiting_for',
    resumeAt: 'resume_at',
    waitTopic: 'wait_topic',
    waitFilter: 'wait_filter',
    deadlineAt: 'deadline_at',
    error: 'error',
  };
  const out: Raw = {};
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out[map[k]] = k === 'waitFilter' ? (v === null ? null : JSON.stringify(v)) : v;
  }
  return out;
}

function toApproval(r: Raw): ApprovalRow {
  return {
    runId: r.run_id as string,
    taskKey: r.task_key as string,
    attempt: Number(r.attempt),
    jobId: r.job_id as string,
    jobName: r.job_name as string,
    workspace: r.workspace as string,
    approvers: json<string[]>(r.approvers) ?? [],
    message: r.message as string,
    state: r.state as ApprovalRow['state'],
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: n(r.decided_at),
    comment: (r.comment as string | null) ?? null,
    createdAt: Number(r.created_at),
  };
}

const CHUNK = 200;

/**
 * Reads and writes of the engine's tables through one knex handle: the store itself for
 * reads, or a transaction (see RunStore.transaction) for the engine's state transitions.
 */
export class RunTx {
  constructor(
    readonly db: Knex | Knex.Transaction,
    private readonly postgres: boolean,
  ) {}

  /** Locks the run row for the rest of the transaction (PostgreSQL; SQLite has one writer). */
  async lockRun(id: string): Promise<RunRow | undefined> {
    const query = this.db('pipelines_runs').where({ id }).first();
    const row = (await (this.postgres ? query.forUpdate() : query)) as Raw | undefined;
    return row ? toRun(row) : undefined;
  }

  async lockJob(id: string): Promise<boolean> {
    const query = this.db('pipelines_jobs').where({ id }).first('id');
    return Boolean(await (this.postgres ? query.forUpdate() : query));
  }

  async run(id: string): Promise<RunRow | undefined> {
    const row = (await this.db('pipelines_runs').where({ id }).first()) as Raw | undefined;
    return row ? toRun(row) : undefined;
  }

  async runByDedupeKey(key: string): Promise<RunRow | undefined> {
    const row = (await this.db('pipelines_runs').where({ dedupe_key: key }).first()) as
      Raw | undefined;
    return row ? toRun(row) : undefined;
  }

  async insertRun(run: RunRow): Promise<void> {
    await this.db('pipelines_runs').insert(fromRun(run));
  }

  async updateRun(id: string, patch: Partial<RunRow>): Promise<void> {
    await this.db('pipelines_runs')
      .where({ id })
      .update(fromRun({ ...patch, updatedAt: Date.now() }));
  }

  async touchRun(id: string): Promise<void> {
    await this.db('pipelines_runs').where({ id }).update({ updated_at: Date.now() });
  }

  async countActiveRuns(jobId: string): Promise<number> {
    const [{ count }] = (await this.db('pipelines_runs')
      .where({ job_id: jobId })
      .whereIn('status', ['PENDING', 'RUNNING'])
      .count({ count: '*' })) as { count: string | number }[];
    return Number(count);
  }

  async countRuns(jobId: string, statuses: RunStatus[]): Promise<number> {
    const [{ count }] = (await this.db('pipelines_runs')
      .where({ job_id: jobId })
      .whereIn('status', statuses)
      .count({ count: '*' })) as { count: string | number }[];
    return Number(count);
  }

  async queuedRuns(jobId: string, limit: number): Promise<RunRow[]> {
    const rows = (await this.db('pipelines_runs')
      .where({ job_id: jobId, status: 'QUEUED' })
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)) as Raw[];
    return rows.map(toRun);
  }

  async listRuns(filter: RunListFilter): Promise<RunRow[]> {
    const query = this.db('pipelines_runs');
    if (filter.jobId) query.where({ job_id: filter.jobId });
    if (filter.workspace) query.where({ workspace: filter.workspace });
    if (filter.status) query.where({ status: filter.status });
    if (filter.before) {
      const { createdAt, id } = filter.before;
      query.where(q =>
        q
          .where('created_at', '<', createdAt)
          .orWhere(q2 => q2.where('created_at', '=', createdAt).andWhere('id', '<', id)),
      );
    }
    const rows = (await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)) as Raw[];
    return rows.map(toRun);
  }

  /** The most recent runs of each job, newest first. */
  async recentRuns(jobIds: string[], perJob: number): Promise<Map<string, RunRow[]>> {
    const out = new Map<string, RunRow[]>();
    if (jobIds.length === 0) return out;
    const rows = (await this.db
      .select('*')
      .from(
        this.db('pipelines_runs')
          .select(
            '*',
            this.db.raw(
              'row_number() over (partition by job_id order by created_at desc, id desc) as rn',
            ),
          )
          .whereIn('job_id', jobIds)
          .as('ranked'),
      )
      .where('rn', '<=', perJob)
      .orderBy('created_at', 'desc')) as Raw[];
    for (const row of rows) {
      const run = toRun(row);
      out.set(run.jobId, [...(out.get(run.jobId) ?? []), run]);
    }
    return out;
  }

  async runIdsOfJob(jobId: string): Promise<string[]> {
    return (await this.db('pipelines_runs').where({ job_id: jobId }).pluck('id')) as string[];
  }

  async childRuns(parentRunId: string): Promise<RunRow[]> {
    return ((await this.db('pipelines_runs').where({ parent_run_id: parentRunId })) as Raw[]).map(
      toRun,
    );
  }

  async insertTasks(tasks: (TaskPatch & { runId: string; taskKey: string })[]): Promise<void> {
    for (let i = 0; i < tasks.length; i += CHUNK) {
      await this.db('pipelines_task_runs').insert(tasks.slice(i, i + CHUNK).map(fromTask));
    }
  }

  async task(runId: string, taskKey: string): Promise<TaskRow | undefined> {
    const row = (await this.db('pipelines_task_runs')
      .where({ run_id: runId, task_key: taskKey })
      .first()) as Raw | undefined;
    return row ? toTask(row) : undefined;
  }

  /** Top-level tasks (no for-each iterations), or the iterations of one for-each task. */
  async tasks(
    runId: string,
    options: { parentKey?: string; keys?: string[]; all?: boolean } = {},
  ): Promise<TaskRow[]> {
    const query = this.db('pipelines_task_runs').where({ run_id: runId });
    if (options.keys) query.whereIn('task_key', options.keys);
    else if (options.parentKey) query.where({ parent_key: options.parentKey });
    else if (!options.all) query.whereNull('parent_key');
    return ((await query) as Raw[]).map(toTask);
  }

  /** The lifecycle columns of a run's top-level tasks (what advancing the DAG reads). */
  async taskStates(runId: string): Promise<
    {
      taskKey: string;
      state: LifecycleState;
      result: TaskResult | null;
      outcome: string | null;
      attempt: number;
    }[]
  > {
    const rows = (await this.db('pipelines_task_runs')
      .where({ run_id: runId })
      .whereNull('parent_key')
      .select('task_key', 'state', 'result', 'outcome', 'attempt')) as Raw[];
    return rows.map(r => ({
      taskKey: r.task_key as string,
      state: r.state as LifecycleState,
      result: (r.result as TaskResult | null) ?? null,
      outcome: (r.outcome as string | null) ?? null,
      attempt: Number(r.attempt),
    }));
  }

  async updateTask(runId: string, taskKey: string, patch: TaskPatch): Promise<void> {
    await this.db('pipelines_task_runs')
      .where({ run_id: runId, task_key: taskKey })
      .update(fromTask(patch));
  }

  async updateTasks(runId: string, taskKeys: string[], patch: TaskPatch): Promise<void> {
    for (let i = 0; i < taskKeys.length; i += CHUNK) {
      await this.db('pipelines_task_runs')
        .where({ run_id: runId })
        .whereIn('task_key', taskKeys.slice(i, i + CHUNK))
        .update(fromTask(patch));
    }
  }

  /** Removes a for-each task's iterations with their attempts and approvals (before it runs again). */
  async deleteIterations(runId: string, parentKey: string): Promise<void> {
    const keys = (await this.db('pipelines_task_runs')
      .where({ run_id: runId, parent_key: parentKey })
      .pluck('task_key')) as string[];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      await this.db('pipelines_attempts')
        .where({ run_id: runId })
        .whereIn('task_key', chunk)
        .delete();
      await this.db('pipelines_approvals')
        .where({ run_id: runId })
        .whereIn('task_key', chunk)
        .delete();
    }
    await this.db('pipelines_task_runs').where({ run_id: runId, parent_key: parentKey }).delete();
  }

  async insertAttempts(
    attempts: (AttemptPatch & { runId: string; taskKey: string; attempt: number })[],
  ): Promise<void> {
    for (let i = 0; i < attempts.length; i += CHUNK) {
      await this.db('pipelines_attempts').insert(attempts.slice(i, i + CHUNK).map(fromAttempt));
    }
  }

  async attempt(runId: string, taskKey: string, attempt: number): Promise<AttemptRow | undefined> {
    const row = (await this.db('pipelines_attempts')
      .where({ run_id: runId, task_key: taskKey, attempt })
      .first()) as Raw | undefined;
    return row ? toAttempt(row) : undefined;
  }

  async attempts(runId: string, options: { states?: AttemptState[] } = {}): Promise<AttemptRow[]> {
    const query = this.db('pipelines_attempts').where({ run_id: runId });
    if (options.states) query.whereIn('state', options.states);
    return ((await query.orderBy('task_key').orderBy('attempt')) as Raw[]).map(toAttempt);
  }

  /** Conditional update: only when the attempt is still in one of `states` (and held by `worker`). */
  async updateAttempt(
    key: { runId: string; taskKey: string; attempt: number },
    patch: AttemptPatch,
    where: { states?: AttemptState[]; worker?: string } = {},
  ): Promise<boolean> {
    const query = this.db('pipelines_attempts').where({
      run_id: key.runId,
      task_key: key.taskKey,
      attempt: key.attempt,
    });
    if (where.states) query.whereIn('state', where.states);
    if (where.worker) query.where({ worker: where.worker });
    return (await query.update(fromAttempt(patch))) > 0;
  }

  async cancelOpenAttempts(runId: string, taskKeys: string[] | 'all', now: number): Promise<void> {
    const query = this.db('pipelines_attempts')
      .where({ run_id: runId })
      .whereIn('state', ['PENDING', 'RUNNING']);
    if (taskKeys !== 'all') query.whereIn('task_key', taskKeys);
    await query.update({
      state: 'CANCELED',
      ended_at: now,
      lease_expires_at: null,
      waiting_for: null,
    });
  }

  private bufferedLogs: Omit<LogRow, 'id'>[] = [];

  /** Buffers a log line, written in one insert with the others when the transaction ends. */
  bufferLog(line: Omit<LogRow, 'id'>): void {
    this.bufferedLogs.push(line);
  }

  async flushLogs(): Promise<void> {
    if (this.bufferedLogs.length === 0) return;
    const lines = this.bufferedLogs;
    this.bufferedLogs = [];
    await this.insertLogs(lines);
  }

  async insertLogs(lines: Omit<LogRow, 'id'>[]): Promise<void> {
    for (let i = 0; i < lines.length; i += CHUNK) {
      await this.db('pipelines_logs').insert(
        lines.slice(i, i + CHUNK).map(l => ({
          run_id: l.runId,
          task_key: l.taskKey,
          attempt: l.attempt,
          time: l.time,
          level: l.level,
          message: l.message,
        })),
      );
    }
  }

  async logs(
    runId: string,
    options: { after?: number; taskKey?: string; limit: number },
  ): Promise<LogRow[]> {
    const query = this.db('pipelines_logs').where({ run_id: runId });
    if (options.after !== undefined) query.where('id', '>', options.after);
    if (options.taskKey) query.where({ task_key: options.taskKey });
    const rows = (await query.orderBy('id').limit(options.limit)) as Raw[];
    return rows.map(r => ({
      id: Number(r.id),
      runId: r.run_id as string,
      taskKey: (r.task_key as string | null) ?? null,
      attempt: n(r.attempt),
      time: Number(r.time),
      level: r.level as LogRow['level'],
      message: r.message as string,
    }));
  }

  async insertRepair(repair: RepairRow): Promise<void> {
    await this.db('pipelines_repairs').insert({
      id: repair.id,
      run_id: repair.runId,
      number: repair.number,
      request: JSON.stringify(repair.request),
      tasks: JSON.stringify(repair.tasks),
      created_at: repair.createdAt,
      created_by: repair.createdBy,
    });
  }

  async repairs(runId: string): Promise<RepairRow[]> {
    const rows = (await this.db('pipelines_repairs')
      .where({ run_id: runId })
      .orderBy('number')) as Raw[];
    return rows.map(r => ({
      id: r.id as string,
      runId: r.run_id as string,
      number: Number(r.number),
      request: JSON.parse(r.request as string) as RepairRow['request'],
      tasks: JSON.parse(r.tasks as string) as string[],
      createdAt: Number(r.created_at),
      createdBy: r.created_by as string,
    }));
  }

  async insertApproval(approval: ApprovalRow): Promise<void> {
    await this.db('pipelines_approvals')
      .insert({
        run_id: approval.runId,
        task_key: approval.taskKey,
        attempt: approval.attempt,
        job_id: approval.jobId,
        job_name: approval.jobName,
        workspace: approval.workspace,
        approvers: JSON.stringify(approval.approvers),
        message: approval.message,
        state: approval.state,
        decided_by: null,
        decided_at: null,
        comment: null,
        created_at: approval.createdAt,
      })
      .onConflict(['run_id', 'task_key', 'attempt'])
      .ignore();
  }

  async approval(
    runId: string,
    taskKey: string,
    attempt: number,
  ): Promise<ApprovalRow | undefined> {
    const row = (await this.db('pipelines_approvals')
      .where({ run_id: runId, task_key: taskKey, attempt })
      .first()) as Raw | undefined;
    return row ? toApproval(row) : undefined;
  }

  async approvals(filter: {
    runId?: string;
    state?: ApprovalRow['state'];
    limit: number;
  }): Promise<ApprovalRow[]> {
    const query = this.db('pipelines_approvals');
    if (filter.runId) query.where({ run_id: filter.runId });
    if (filter.state) query.where({ state: filter.state });
    const rows = (await query.orderBy('created_at', 'desc').limit(filter.limit)) as Raw[];
    return rows.map(toApproval);
  }

  async decideApproval(
    key: { runId: string; taskKey: string; attempt: number },
    patch: {
      state: ApprovalRow['state'];
      decidedBy?: string;
      comment?: string | null;
      decidedAt: number;
    },
  ): Promise<boolean> {
    const updated = await this.db('pipelines_approvals')
      .where({ run_id: key.runId, task_key: key.taskKey, attempt: key.attempt, state: 'PENDING' })
      .update({
        state: patch.state,
        decided_by: patch.decidedBy ?? null,
        decided_at: patch.decidedAt,
        comment: patch.comment ?? null,
      });
    return updated > 0;
  }

  async cancelPendingApprovals(
    runId: string,
    taskKeys: string[] | 'all',
    now: number,
  ): Promise<void> {
    const query = this.db('pipelines_approvals').where({ run_id: runId, state: 'PENDING' });
    if (taskKeys !== 'all') query.whereIn('task_key', taskKeys);
    await query.update({ state: 'CANCELED', decided_at: now });
  }

  /** Attempts that lost their queue job or their worker, for the recovery sweep. */
  async stalledAttempts(now: number, olderThanMs: number, limit: number): Promise<AttemptRow[]> {
    const before = now - olderThanMs;
    const rows = (await this.db('pipelines_attempts')
      .where(q =>
        q
          .where(p =>
            p
              .where({ state: 'PENDING' })
              .andWhere('run_at', '<', before)
              .andWhere('queued_at', '<', before),
          )
          .orWhere(r =>
            r
              .where({ state: 'RUNNING' })
              .whereNull('waiting_for')
              .andWhere('lease_expires_at', '<', before),
          )
          .orWhere(t =>
            t.where({ state: 'RUNNING', waiting_for: 'timer' }).andWhere('resume_at', '<', before),
          )
          .orWhere(d =>
            d
              .where({ state: 'RUNNING' })
              .whereNotNull('deadline_at')
              .andWhere('deadline_at', '<', before),
          ),
      )
      .limit(limit)) as Raw[];
    return rows.map(toAttempt);
  }

  async waitingForEvents(topic: string): Promise<AttemptRow[]> {
    const rows = (await this.db('pipelines_attempts').where({
      state: 'RUNNING',
      waiting_for: 'event',
      wait_topic: topic,
    })) as Raw[];
    return rows.map(toAttempt);
  }

  async childRunWaits(limit: number): Promise<AttemptRow[]> {
    const rows = (await this.db('pipelines_attempts')
      .where({ state: 'RUNNING', waiting_for: 'childRun' })
      .limit(limit)) as Raw[];
    return rows.map(toAttempt);
  }

  async insertEvent(topic: string, payload: unknown, now: number): Promise<void> {
    await this.db('pipelines_events').insert({
      topic,
      payload: JSON.stringify(payload ?? null),
      received_at: now,
    });
  }

  async events(topic: string, since: number): Promise<{ payload: unknown; receivedAt: number }[]> {
    const rows = (await this.db('pipelines_events')
      .where({ topic })
      .andWhere('received_at', '>=', since)
      .orderBy('id')) as Raw[];
    return rows.map(r => ({
      payload: JSON.parse(r.payload as string),
      receivedAt: Number(r.received_at),
    }));
  }

  async pruneEvents(before: number): Promise<void> {
    await this.db('pipelines_events').where('received_at', '<', before).delete();
  }

  /** Runs of jobs with free slots that are still QUEUED (a lost promotion), for the sweep. */
  async jobsWithQueuedRuns(limit: number): Promise<string[]> {
    return (await this.db('pipelines_runs')
      .where({ status: 'QUEUED' })
      .distinct('job_id')
      .limit(limit)
      .pluck('job_id')) as string[];
  }

  async deleteRunsOfJob(jobId: string): Promise<void> {
    const ids = await this.runIdsOfJob(jobId);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      for (const table of [
        'pipelines_logs',
        'pipelines_attempts',
        'pipelines_task_runs',
        'pipelines_repairs',
        'pipelines_approvals',
      ]) {
        await this.db(table).whereIn('run_id', chunk).delete();
      }
      await this.db('pipelines_runs').whereIn('id', chunk).delete();
    }
  }
}

export class RunStore {
  readonly postgres: boolean;
  readonly read: RunTx;

  constructor(readonly knex: Knex) {
    this.postgres = ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));
    this.read = new RunTx(knex, this.postgres);
  }

  /** One transaction; the log lines it buffered are written just before it commits. */
  transaction<T>(fn: (tx: RunTx) => Promise<T>): Promise<T> {
    return this.knex.transaction(async trx => {
      const tx = new RunTx(trx, this.postgres);
      const result = await fn(tx);
      await tx.flushLogs();
      return result;
    });
  }
}
