import crypto from 'node:crypto';
import os from 'node:os';
import { EventEmitter } from 'node:events';
import type { LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  actingAsUser,
  isGranted,
  type AuditService,
  type InvokeRequest,
  type TaskContext,
  type TaskQueue,
} from '@racine/kernel-node';
import {
  approvalInputSchema,
  conditionInputSchema,
  failInputSchema,
  findReferences,
  forEachInputSchema,
  httpInputSchema,
  notifyInputSchema,
  parseReference,
  pipelinesRunPermission,
  runRef,
  setValuesInputSchema,
  waitForEventInputSchema,
  waitInputSchema,
  runJobInputSchema,
  type NotificationEvent,
  type RepairRequest,
  type RunResult,
  type RunTriggerType,
  type TaskResult,
} from '@racine/plugin-pipelines-common';
import type { JobRecord, JobStore } from '../database/JobStore';
import type {
  ApprovalRow,
  AttemptRow,
  RunRow,
  RunStore,
  RunTx,
  TaskRow,
} from '../database/RunStore';
import type { StepCatalog } from '../services/StepCatalog';
import type { OutboundHttp } from '../services/OutboundHttp';
import type { NotificationDelivery } from '../services/NotificationService';
import {
  DefinitionCache,
  iterationKey,
  type ExecutableTask,
  type LoadedDefinition,
} from './definitions';
import {
  attemptKey,
  Effects,
  ENGINE_TASKS,
  type AttemptRef,
  type AuditNote,
  type InlineSlot,
} from './Effects';
import { resolveValue, valuesOf, valuesSizeError, type ResolveContext } from './resolve';
import {
  advance,
  ConditionError,
  evaluateCondition,
  forEachOutcome,
  nextIterations,
  repairPlan,
  RepairPlanError,
  retryDecision,
  runOutcome,
  type TaskStatus,
} from './semantics';

export interface EngineSettings {
  /** How long a worker's claim on a running attempt lasts without renewal. */
  leaseMs: number;
  /** The recovery sweep re-queues attempts stuck this long. */
  recoverAfterMs: number;
  maxIterations: number;
  maxRunDepth: number;
  workerId: string;
}

export const defaultEngineSettings = (): EngineSettings => ({
  leaseMs: 30_000,
  recoverAfterMs: 30_000,
  maxIterations: 1000,
  maxRunDepth: 5,
  workerId: `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`,
});

/** Decides whether a user may decide an approval naming these approvers. */
export interface ApproverCheck {
  isApprover(user: string, approvers: string[], workspace: string): Promise<boolean>;
}

export interface EngineDeps {
  store: RunStore;
  jobs: JobStore;
  queue: TaskQueue;
  invoker: { invoke(request: InvokeRequest): Promise<unknown> };
  catalog: StepCatalog;
  audit: AuditService;
  permissions: PermissionsService;
  logger: LoggerService;
  http: OutboundHttp;
  approvers: ApproverCheck;
  settings?: Partial<EngineSettings>;
}

export interface StartRunRequest {
  parameters?: Record<string, string>;
  triggerType: RunTriggerType;
  triggeredBy: string;
  /** Runs sharing a dedupe key are one run (schedules, events, child runs). */
  dedupeKey?: string;
  parent?: { runId: string; taskKey: string; attempt: number; depth: number };
}

type StepOutcome = {
  result: 'SUCCESS' | 'FAILED' | 'TIMEDOUT' | 'CANCELED';
  values?: Record<string, unknown> | null;
  error?: string | null;
  outcome?: string | null;
  /** The task fails without retries (an interrupted non-idempotent attempt). */
  noRetry?: boolean;
};

type Claim =
  | { kind: 'gone' }
  | { kind: 'busy' }
  | { kind: 'done' }
  | {
      kind: 'run';
      run: RunRow;
      task: TaskRow;
      attempt: AttemptRow;
      def: LoadedDefinition;
      exec: ExecutableTask;
      resumed: boolean;
    };

let lastCreatedAt = 0;
/**
 * A run's creation time, strictly increasing within this process: queued runs start in
 * creation order (`created_at`, then id), and two runs created in one millisecond would
 * otherwise start in the order of their random ids.
 */
function creationTime(): number {
  lastCreatedAt = Math.max(Date.now(), lastCreatedAt + 1);
  return lastCreatedAt;
}

const ACTIVE_TASK_STATES = ['QUEUED', 'PENDING', 'RUNNING', 'WAITING_FOR_RETRY'];
/** Control steps that only compute: claimed, evaluated and ended in one transaction. */
const INSTANT_STEPS = new Set(['core.condition', 'core.setValues', 'core.fail']);
const MAX_INLINE_HOPS = 10_000;

function errorText(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

function matchesFilter(payload: unknown, filter: Record<string, unknown> | null): boolean {
  for (const [path, expected] of Object.entries(filter ?? {})) {
    let current: unknown = payload;
    for (const part of path.split('.')) {
      current =
        current && typeof current === 'object'
          ? (current as Record<string, unknown>)[part]
          : undefined;
    }
    if (current === undefined || current === null || String(current) !== String(expected))
      return false;
  }
  return true;
}

/**
 * The orchestration engine. Its state lives in the database; every task attempt is a TaskQueue
 * job, so any number of workers share runs. Each transition is one transaction that locks the
 * run row, so exactly one worker advances a run's DAG; the dependents it starts are enqueued as
 * soon as that transaction commits.
 */
export class RunEngine {
  private readonly settings: EngineSettings;
  private readonly definitions: DefinitionCache;
  private readonly local = new Map<string, AbortController>();
  private readonly live = new EventEmitter();
  private auditChain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: EngineDeps) {
    this.settings = { ...defaultEngineSettings(), ...deps.settings };
    this.definitions = new DefinitionCache(deps.store.knex);
    this.live.setMaxListeners(0);
  }

  get workerId() {
    return this.settings.workerId;
  }

  definition(jobId: string, version: number) {
    return this.definitions.load(jobId, version);
  }

  /** Registers the queue handlers (before the queue starts). */
  register(options: { concurrency?: number } = {}) {
    const { queue } = this.deps;
    queue.handle<AttemptRef>(
      ENGINE_TASKS.task,
      (payload, ctx) => this.handleAttempt(payload, ctx),
      {
        concurrency: options.concurrency,
      },
    );
    queue.handle<AttemptRef>(ENGINE_TASKS.resume, payload => this.handleResume(payload));
    queue.handle<AttemptRef>(ENGINE_TASKS.timeout, payload => this.handleTimeout(payload));
    queue.handle<{ runId: string; repairCount: number }>(ENGINE_TASKS.runTimeout, payload =>
      this.handleRunTimeout(payload),
    );
    queue.handle<{ runId: string }>(ENGINE_TASKS.durationCheck, payload =>
      this.handleDurationCheck(payload),
    );
  }

  /** Live updates of a run (state changes and logs) made by this process. */
  onRunChanged(runId: string, listener: () => void): () => void {
    this.live.on(runId, listener);
    return () => this.live.off(runId, listener);
  }

  // ---------------------------------------------------------------------------------------
  // Starting runs

  async startRun(job: JobRecord, request: StartRunRequest): Promise<RunRow> {
    const def = await this.definitions.load(job.id, job.version);
    const parameters: Record<string, string> = {};
    for (const p of def.definition.parameters) parameters[p.name] = p.default;
    const unknown = Object.keys(request.parameters ?? {}).filter(name => !(name in parameters));
    if (unknown.length) {
      throw new InputError(
        `Invalid parameters: ${unknown.map(n => `'${n}'`).join(', ')} ${unknown.length > 1 ? 'are not parameters' : 'is not a parameter'} of job '${job.name}'${def.definition.parameters.length ? ` (it has: ${def.definition.parameters.map(p => p.name).join(', ')})` : ''}`,
      );
    }
    Object.assign(parameters, request.parameters ?? {});
    if ((request.parent?.depth ?? -1) + 1 > this.settings.maxRunDepth) {
      throw new InputError(
        `Runs may nest at most ${this.settings.maxRunDepth} levels deep (core.runJob)`,
      );
    }
    const fx = new Effects();
    const run = await this.deps.store.transaction(async tx => {
      if (request.dedupeKey) {
        const existing = await tx.runByDedupeKey(request.dedupeKey);
        if (existing) return existing;
      }
      if (!(await tx.lockJob(job.id))) throw new NotFoundError(`No job '${job.id}'`);
      const active = await tx.countActiveRuns(job.id);
      const queued = await tx.countRuns(job.id, ['QUEUED']);
      const hasSlot = active < def.definition.maxConcurrentRuns && queued === 0;
      const now = creationTime();
      const skipped = !hasSlot && !def.definition.queue.enabled;
      const row: RunRow = {
        id: crypto.randomUUID(),
        jobId: job.id,
        jobVersion: job.version,
        jobName: job.name,
        workspace: job.workspace,
        runAs: job.owner,
        triggerType: request.triggerType,
        triggeredBy: request.triggeredBy,
        parameters,
        status: skipped ? 'TERMINATED' : hasSlot ? 'PENDING' : 'QUEUED',
        result: skipped ? 'SKIPPED' : null,
        stateMessage: skipped
          ? `Skipped: the job already has ${active} active run(s) (maxConcurrentRuns ${def.definition.maxConcurrentRuns}) and queueing is off`
          : hasSlot
            ? ''
            : `Queued: waiting for one of ${def.definition.maxConcurrentRuns} run slot(s)`,
        cancelRequested: false,
        timedOut: false,
        parentRunId: request.parent?.runId ?? null,
        parentTaskKey: request.parent?.taskKey ?? null,
        parentAttempt: request.parent?.attempt ?? null,
        depth: (request.parent?.depth ?? -1) + 1,
        repairCount: 0,
        dedupeKey: request.dedupeKey ?? null,
        createdAt: now,
        startedAt: null,
        endedAt: skipped ? now : null,
        updatedAt: now,
      };
      await tx.insertRun(row);
      await tx.insertTasks(
        def.definition.tasks.map(t => ({
          runId: row.id,
          taskKey: t.key,
          state: skipped
            ? ('TERMINATED' as const)
            : hasSlot
              ? ('BLOCKED' as const)
              : ('QUEUED' as const),
          result: skipped ? ('SKIPPED' as const) : null,
          attempt: 0,
          roundStart: 0,
          endedAt: skipped ? now : null,
        })),
      );
      await this.log(
        tx,
        row.id,
        null,
        null,
        'info',
        `Run created by ${request.triggeredBy} (${request.triggerType}) from version ${job.version} of job '${job.name}'`,
      );
      if (row.stateMessage)
        await this.log(tx, row.id, null, null, skipped ? 'warn' : 'info', row.stateMessage);
      fx.audit({
        run: row,
        verb: skipped
          ? 'pipelines.run.skip'
          : hasSlot
            ? 'pipelines.run.start'
            : 'pipelines.run.queue',
        summary: `${skipped ? 'Skipped' : hasSlot ? 'Started' : 'Queued'} a run of job '${job.name}' (${request.triggerType})`,
        details: { parameters },
      });
      if (hasSlot) await this.activate(tx, row, def, fx);
      if (skipped) fx.runsEnded.push({ run: row, result: 'SKIPPED' });
      fx.changedRuns.add(row.id);
      return row;
    });
    await this.apply(fx);
    return run;
  }

  /** Moves a run from PENDING/QUEUED to having its root tasks handed to workers. */
  private async activate(tx: RunTx, run: RunRow, def: LoadedDefinition, fx: Effects) {
    const now = Date.now();
    if (run.status === 'QUEUED') {
      await tx.updateTasks(
        run.id,
        def.definition.tasks.map(t => t.key),
        { state: 'BLOCKED' },
      );
      run.status = 'PENDING';
      run.stateMessage = '';
      await tx.updateRun(run.id, { status: 'PENDING', stateMessage: '' });
      await this.log(tx, run.id, null, null, 'info', 'A run slot is free: starting');
    }
    fx.runsStarted.push(run);
    const { timeoutSeconds, durationWarningSeconds } = def.definition;
    if (timeoutSeconds) {
      fx.queue({
        task: ENGINE_TASKS.runTimeout,
        payload: { runId: run.id, repairCount: run.repairCount },
        key: `${run.id}:timeout:${run.repairCount}`,
        runAt: new Date(now + timeoutSeconds * 1000),
      });
    }
    if (durationWarningSeconds && run.repairCount === 0) {
      fx.queue({
        task: ENGINE_TASKS.durationCheck,
        payload: { runId: run.id },
        key: `${run.id}:duration`,
        runAt: new Date(now + durationWarningSeconds * 1000),
      });
    }
    await this.propagate(tx, run, def, fx);
  }

  /** Runs QUEUED runs of a job while it has free slots. */
  async promote(jobId: string): Promise<void> {
    if ((await this.deps.store.read.countRuns(jobId, ['QUEUED'])) === 0) return;
    const job = await this.deps.jobs.get(jobId);
    if (!job) return;
    const fx = new Effects();
    await this.deps.store.transaction(async tx => {
      if (!(await tx.lockJob(jobId))) return;
      const active = await tx.countActiveRuns(jobId);
      const queued = await tx.queuedRuns(jobId, 1000);
      for (const run of queued) {
        const def = await this.definitions.load(run.jobId, run.jobVersion, tx);
        const limit = job.definition.maxConcurrentRuns;
        if (active + fx.runsStarted.length >= limit) break;
        await this.activate(tx, run, def, fx);
        fx.changedRuns.add(run.id);
      }
    });
    await this.apply(fx);
  }

  // ---------------------------------------------------------------------------------------
  // The DAG

  private async statuses(
    tx: RunTx,
    runId: string,
  ): Promise<Map<string, TaskStatus & { attempt: number }>> {
    const rows = await tx.taskStates(runId);
    return new Map(rows.map(r => [r.taskKey, r]));
  }

  /**
   * Starts every task whose dependencies are done and whose runIf holds, resolves the others
   * (cascading), and ends the run when every task has terminated.
   */
  private async propagate(tx: RunTx, run: RunRow, def: LoadedDefinition, fx: Effects) {
    const statuses = await this.statuses(tx, run.id);
    const step = advance(def.graph, statuses, { canceling: run.cancelRequested, order: def.order });
    const now = Date.now();
    if (step.resolved.length) {
      const byResult = new Map<TaskResult, string[]>();
      for (const r of step.resolved)
        byResult.set(r.result, [...(byResult.get(r.result) ?? []), r.key]);
      for (const [result, keys] of byResult) {
        await tx.updateTasks(run.id, keys, { state: 'TERMINATED', result, endedAt: now });
        for (const key of keys)
          statuses.set(key, { ...statuses.get(key)!, state: 'TERMINATED', result });
        await this.log(
          tx,
          run.id,
          null,
          null,
          result === 'EXCLUDED' ? 'info' : 'warn',
          `${keys.join(', ')}: ${result}`,
        );
      }
    }
    if (step.start.length) {
      await this.scheduleAttempts(
        tx,
        run,
        step.start.map(key => ({ key, attempt: statuses.get(key)!.attempt + 1 })),
        fx,
        now,
      );
      for (const key of step.start) statuses.set(key, { ...statuses.get(key)!, state: 'PENDING' });
    }
    if (step.resolved.length || step.start.length) {
      fx.auditAdvance({
        run,
        verb: 'pipelines.run.advance',
        summary: [
          step.start.length ? `started ${step.start.join(', ')}` : '',
          ...step.resolved.map(r => `${r.key} ${r.result}`),
        ]
          .filter(Boolean)
          .join('; '),
        details: { start: step.start, resolved: step.resolved },
      });
    }
    const result = runOutcome(def.graph, statuses, {
      canceled: run.cancelRequested,
      timedOut: run.timedOut,
    });
    if (result) await this.finishRun(tx, run, result, fx);
  }

  private async scheduleAttempts(
    tx: RunTx,
    run: RunRow,
    items: { key: string; attempt: number; delayMs?: number; waiting?: boolean }[],
    fx: Effects,
    now: number,
  ) {
    const repairId = run.repairCount > 0 ? `${run.id}-r${run.repairCount}` : null;
    await tx.insertAttempts(
      items.map(i => ({
        runId: run.id,
        taskKey: i.key,
        attempt: i.attempt,
        repairId,
        state: 'PENDING' as const,
        runAt: now + (i.delayMs ?? 0),
        queuedAt: now,
      })),
    );
    const groups = new Map<string, string[]>();
    for (const i of items) {
      const group = `${i.attempt}|${i.waiting ? 'W' : 'P'}`;
      groups.set(group, [...(groups.get(group) ?? []), i.key]);
    }
    for (const [group, keys] of groups) {
      const [attempt, mode] = group.split('|');
      await tx.updateTasks(run.id, keys, {
        state: mode === 'W' ? 'WAITING_FOR_RETRY' : 'PENDING',
        attempt: Number(attempt),
        waitingFor: null,
      });
    }
    for (const i of items) {
      if (!i.delayMs) fx.ready.push({ runId: run.id, taskKey: i.key, attempt: i.attempt });
      fx.queue({
        task: ENGINE_TASKS.task,
        payload: { runId: run.id, taskKey: i.key, attempt: i.attempt },
        key: attemptKey({ runId: run.id, taskKey: i.key, attempt: i.attempt }),
        runAt: i.delayMs ? new Date(now + i.delayMs) : undefined,
        maxAttempts: 25,
      });
    }
  }

  private async finishRun(tx: RunTx, run: RunRow, result: RunResult, fx: Effects) {
    const now = Date.now();
    const message = run.timedOut
      ? run.stateMessage
      : run.cancelRequested
        ? run.stateMessage || 'Cancelled'
        : '';
    await tx.updateRun(run.id, {
      status: 'TERMINATED',
      result,
      endedAt: now,
      stateMessage: message,
    });
    run.status = 'TERMINATED';
    run.result = result;
    run.endedAt = now;
    await this.log(
      tx,
      run.id,
      null,
      null,
      result === 'SUCCESS' ? 'info' : 'warn',
      `Run ended: ${result}`,
    );
    fx.audit({
      run,
      verb: 'pipelines.run.end',
      summary: `Run of job '${run.jobName}' ended ${result}`,
      outcome: result === 'SUCCESS' || result === 'SUCCESS_WITH_FAILURES' ? 'success' : 'failure',
    });
    fx.runsEnded.push({ run, result });
    fx.promoteJobs.add(run.jobId);
  }

  // ---------------------------------------------------------------------------------------
  // Attempts

  /**
   * A queue job of one attempt. After the attempt ends, the worker goes on with a dependent
   * it made ready (see InlineSlot), so a chain costs no queue round trip per task.
   */
  private async handleAttempt(first: AttemptRef, ctx: TaskContext): Promise<void> {
    let ref: AttemptRef | undefined = first;
    for (let hop = 0; ref; hop++) {
      const current: AttemptRef = ref;
      const slot: InlineSlot = { allow: !ctx.signal.aborted && hop < MAX_INLINE_HOPS };
      const fx = new Effects();
      const claim = await this.deps.store.transaction(tx => this.claim(tx, current, fx));
      this.takeInline(fx, slot);
      await this.apply(fx);
      if (claim.kind === 'busy') {
        // Another live worker holds it (a duplicate delivery): look again once its lease may have lapsed.
        await this.deps.queue.enqueue(ENGINE_TASKS.task, current, {
          key: attemptKey(current),
          runAt: new Date(Date.now() + this.settings.leaseMs),
          maxAttempts: 25,
        });
      } else if (claim.kind === 'run') {
        await this.execute(claim, ctx, slot);
      }
      // This attempt ran inline: its backstop job is no longer needed.
      if (hop > 0) {
        this.deps.queue
          .cancel({ key: attemptKey(current) })
          .catch(error =>
            this.deps.logger.warn(
              `Could not drop the backstop job of ${attemptKey(current)}: ${errorText(error)}`,
            ),
          );
      }
      ref = slot.next;
    }
  }

  private takeInline(fx: Effects, slot?: InlineSlot) {
    if (!slot?.allow || slot.next || fx.ready.length === 0) return;
    const ref = fx.ready[0];
    const job = fx.enqueue.find(j => j.key === attemptKey(ref));
    if (!job) return;
    job.runAt = new Date(Date.now() + this.settings.leaseMs);
    slot.next = ref;
  }

  private async claim(tx: RunTx, ref: AttemptRef, fx: Effects): Promise<Claim> {
    const run = await tx.lockRun(ref.runId);
    if (!run) return { kind: 'gone' };
    const attempt = await tx.attempt(ref.runId, ref.taskKey, ref.attempt);
    const task = await tx.task(ref.runId, ref.taskKey);
    if (!attempt || !task || task.attempt !== ref.attempt) return { kind: 'gone' };
    const def = await this.definitions.load(run.jobId, run.jobVersion, tx);
    const exec = DefinitionCache.executable(def, task.taskKey, task.parentKey);
    if (!exec) return { kind: 'gone' };
    const now = Date.now();
    if (attempt.state === 'PENDING') {
      if (run.status === 'PENDING') {
        await tx.updateRun(run.id, { status: 'RUNNING', startedAt: run.startedAt ?? now });
        run.status = 'RUNNING';
      }
      fx.changedRuns.add(run.id);
      if (INSTANT_STEPS.has(exec.step)) {
        // A control step that only computes: evaluated and ended in this same transaction.
        let outcome: StepOutcome;
        try {
          outcome = this.instantStep(exec.step, await this.resolveInput(run, task, exec, tx));
        } catch (error) {
          outcome = { result: 'FAILED', error: errorText(error) };
        }
        await this.completeAttempt(tx, run, def, ref, outcome, fx, { claimedAt: now, task });
        return { kind: 'done' };
      }
      const deadlineAt = exec.timeoutSeconds ? now + exec.timeoutSeconds * 1000 : null;
      await tx.updateAttempt(ref, {
        state: 'RUNNING',
        startedAt: now,
        worker: this.settings.workerId,
        leaseExpiresAt: now + this.settings.leaseMs,
        deadlineAt,
      });
      await tx.updateTask(run.id, task.taskKey, {
        state: 'RUNNING',
        startedAt: task.startedAt ?? now,
        waitingFor: null,
      });
      await this.log(
        tx,
        run.id,
        task.taskKey,
        ref.attempt,
        'info',
        `Attempt ${ref.attempt} started (${exec.step}) on ${this.settings.workerId}`,
      );
      fx.audit({
        run,
        verb: 'pipelines.task.start',
        summary: `Task '${task.taskKey}' attempt ${ref.attempt} started (${exec.step})`,
        details: { task: task.taskKey, attempt: ref.attempt, step: exec.step },
      });
      if (deadlineAt) {
        fx.queue({
          task: ENGINE_TASKS.timeout,
          payload: ref,
          key: `${attemptKey(ref)}:timeout`,
          runAt: new Date(deadlineAt + 250),
        });
      }
      return {
        kind: 'run',
        run,
        task: { ...task, state: 'RUNNING' },
        attempt: { ...attempt, state: 'RUNNING', startedAt: now, deadlineAt },
        def,
        exec,
        resumed: false,
      };
    }
    if (attempt.state !== 'RUNNING') return { kind: 'gone' };
    // A parked attempt (approval, timer, child run, iterations, event) is driven by its wake-up.
    if (attempt.waitingFor) return { kind: 'gone' };
    if ((attempt.leaseExpiresAt ?? 0) > now) return { kind: 'busy' };
    // The worker that held it stopped mid-way.
    if (this.deps.catalog.isIdempotent(exec)) {
      const reclaimed = await tx.updateAttempt(
        ref,
        { worker: this.settings.workerId, leaseExpiresAt: now + this.settings.leaseMs },
        { states: ['RUNNING'] },
      );
      if (!reclaimed) return { kind: 'gone' };
      await this.log(
        tx,
        run.id,
        task.taskKey,
        ref.attempt,
        'warn',
        `The worker running attempt ${ref.attempt} (${attempt.worker}) stopped; ${exec.step} is idempotent, so ${this.settings.workerId} runs it again`,
      );
      fx.changedRuns.add(run.id);
      return { kind: 'run', run, task, attempt, def, exec, resumed: true };
    }
    await this.completeAttempt(
      tx,
      run,
      def,
      ref,
      {
        result: 'FAILED',
        error: `Interrupted: the worker running this attempt (${attempt.worker}) stopped mid-way, and ${exec.step} is not idempotent, so it was not run again (its effect may or may not have happened). Repair the run to run it again.`,
        noRetry: true,
      },
      fx,
    );
    return { kind: 'done' };
  }

  /**
   * Ends an attempt (conditionally: only if it is still RUNNING), then retries it, or ends the
   * task and advances the DAG. Returns false when the attempt had already ended.
   */
  private async completeAttempt(
    tx: RunTx,
    run: RunRow,
    def: LoadedDefinition,
    ref: AttemptRef,
    outcome: StepOutcome,
    fx: Effects,
    options: {
      worker?: string;
      /** Claimed and ended in one transaction (an instant step): the attempt is still PENDING. */
      claimedAt?: number;
      task?: TaskRow;
    } = {},
  ): Promise<boolean> {
    const task = options.task ?? (await tx.task(run.id, ref.taskKey));
    if (!task || task.attempt !== ref.attempt) return false;
    const exec = DefinitionCache.executable(def, task.taskKey, task.parentKey);
    const now = Date.now();
    const claimedAt = options.claimedAt;
    const startedAt = task.startedAt ?? claimedAt;
    let { result, values = null, error = null } = outcome;
    if (values) {
      const tooBig = valuesSizeError(values);
      if (tooBig) {
        result = 'FAILED';
        error = tooBig;
        values = null;
      }
    }
    const ended = await tx.updateAttempt(
      ref,
      claimedAt === undefined
        ? { state: result, endedAt: now, error, leaseExpiresAt: null, waitingFor: null }
        : {
            state: result,
            startedAt: claimedAt,
            endedAt: now,
            error,
            worker: this.settings.workerId,
          },
      { states: [claimedAt === undefined ? 'RUNNING' : 'PENDING'], worker: options.worker },
    );
    if (!ended) return false;
    await this.log(
      tx,
      run.id,
      task.taskKey,
      ref.attempt,
      result === 'SUCCESS' ? 'info' : 'error',
      `Attempt ${ref.attempt}${claimedAt === undefined ? '' : ` (${exec?.step})`} ended ${result}${error ? `: ${error}` : ''}`,
    );
    fx.abortLocal.push(attemptKey(ref));
    fx.changedRuns.add(run.id);

    // What the task was waiting for ends with it.
    if (task.waitingFor === 'approval') {
      await tx.decideApproval(ref, {
        state: result === 'TIMEDOUT' ? 'TIMEDOUT' : 'CANCELED',
        decidedAt: now,
      });
    }
    if (task.waitingFor === 'iterations' && result !== 'SUCCESS') {
      await this.cancelIterations(tx, run, task.taskKey, now);
    }
    if (
      task.waitingFor === 'childRun' &&
      task.childRunId &&
      (result === 'TIMEDOUT' || result === 'CANCELED')
    ) {
      fx.cancelRuns.push({
        runId: task.childRunId,
        reason: `its parent task '${task.taskKey}' ended ${result}`,
      });
    }

    if (
      (result === 'FAILED' || result === 'TIMEDOUT') &&
      !run.cancelRequested &&
      !outcome.noRetry
    ) {
      const decision = retryDecision(exec?.retries, ref.attempt - task.roundStart, result);
      if (decision.retry) {
        await tx.updateTask(run.id, task.taskKey, { error, startedAt });
        await this.scheduleAttempts(
          tx,
          run,
          [
            {
              key: task.taskKey,
              attempt: ref.attempt + 1,
              delayMs: decision.delayMs,
              waiting: decision.delayMs > 0,
            },
          ],
          fx,
          now,
        );
        await this.log(
          tx,
          run.id,
          task.taskKey,
          ref.attempt,
          'info',
          `Retrying${decision.delayMs ? ` in ${decision.delayMs} ms` : ''} (retry ${ref.attempt - task.roundStart} of ${exec?.retries?.max})`,
        );
        fx.audit({
          run,
          verb: 'pipelines.task.retry',
          summary: `Task '${task.taskKey}' attempt ${ref.attempt} ended ${result}; retry scheduled`,
          outcome: 'failure',
          details: { task: task.taskKey, attempt: ref.attempt, error },
        });
        return true;
      }
    }

    await tx.updateTask(run.id, task.taskKey, {
      state: 'TERMINATED',
      result,
      outcome: outcome.outcome ?? null,
      values,
      error,
      startedAt,
      endedAt: now,
      waitingFor: null,
    });
    fx.audit({
      run,
      verb: 'pipelines.task.end',
      summary: `Task '${task.taskKey}' ended ${result}${error ? `: ${error.slice(0, 200)}` : ''}`,
      outcome: result === 'SUCCESS' ? 'success' : 'failure',
      details: {
        task: task.taskKey,
        attempt: ref.attempt,
        result,
        outcome: outcome.outcome ?? undefined,
      },
    });
    if (task.parentKey) await this.iterationEnded(tx, run, def, task.parentKey, fx);
    else await this.propagate(tx, run, def, fx);
    return true;
  }

  private async cancelIterations(tx: RunTx, run: RunRow, parentKey: string, now: number) {
    const iterations = await tx.tasks(run.id, { parentKey });
    const open = iterations.filter(i => ACTIVE_TASK_STATES.includes(i.state)).map(i => i.taskKey);
    if (!open.length) return;
    await tx.cancelOpenAttempts(run.id, open, now);
    await tx.updateTasks(run.id, open, {
      state: 'TERMINATED',
      result: 'CANCELED',
      endedAt: now,
      waitingFor: null,
    });
  }

  private async iterationEnded(
    tx: RunTx,
    run: RunRow,
    def: LoadedDefinition,
    parentKey: string,
    fx: Effects,
  ) {
    const parent = await tx.task(run.id, parentKey);
    if (!parent || parent.state !== 'RUNNING') return;
    const parentAttempt = await tx.attempt(run.id, parentKey, parent.attempt);
    if (!parentAttempt || parentAttempt.state !== 'RUNNING') return;
    const iterations = await tx.tasks(run.id, { parentKey });
    const statuses = iterations.map(i => ({
      index: i.iteration ?? 0,
      state: i.state,
      result: i.result,
    }));
    const outcome = forEachOutcome(statuses);
    const ref = { runId: run.id, taskKey: parentKey, attempt: parent.attempt };
    if (outcome) {
      await this.completeAttempt(
        tx,
        run,
        def,
        ref,
        {
          result: outcome.result === 'SUCCESS' ? 'SUCCESS' : 'FAILED',
          values: {
            iterations: iterations.length,
            succeeded: outcome.succeeded,
            failed: outcome.failed,
          },
          error: outcome.failed
            ? `${outcome.failed} of ${iterations.length} iteration(s) failed`
            : null,
        },
        fx,
      );
      return;
    }
    const concurrency = Number(parentAttempt.waitFilter?.concurrency ?? 1);
    const start = nextIterations(statuses, concurrency);
    if (start.length) {
      await this.scheduleAttempts(
        tx,
        run,
        start.map(index => ({ key: iterationKey(parentKey, index), attempt: 1 })),
        fx,
        Date.now(),
      );
    }
  }

  /** Runs a claimed attempt to its end. */
  private async execute(
    claim: Extract<Claim, { kind: 'run' }>,
    ctx?: TaskContext,
    slot?: InlineSlot,
  ): Promise<void> {
    const { run, task, def, exec } = claim;
    const ref = { runId: run.id, taskKey: task.taskKey, attempt: claim.attempt.attempt };
    let input: Record<string, unknown>;
    try {
      input = await this.resolveInput(run, task, exec);
    } catch (error) {
      await this.finish(run, def, ref, { result: 'FAILED', error: errorText(error) }, { slot });
      return;
    }
    switch (exec.step) {
      case 'core.condition':
      case 'core.setValues':
      case 'core.fail':
        await this.finish(run, def, ref, this.instantStep(exec.step, input), { slot });
        return;
      case 'core.wait':
        await this.parkWait(run, def, ref, input);
        return;
      case 'core.approval':
        await this.parkApproval(run, def, ref, input);
        return;
      case 'core.runJob':
        await this.parkRunJob(run, def, ref, input);
        return;
      case 'core.forEach':
        await this.parkForEach(run, def, ref, input);
        return;
      case 'core.waitForEvent':
        await this.parkWaitForEvent(run, def, ref, input);
        return;
      default:
        await this.runInWorker(claim, ref, input, ctx, slot);
    }
  }

  private async resolveInput(
    run: RunRow,
    task: TaskRow,
    exec: ExecutableTask,
    reader: RunTx = this.deps.store.read,
  ): Promise<Record<string, unknown>> {
    // A for-each task resolves its items now; its nested task resolves per iteration.
    const source =
      exec.step === 'core.forEach' && !task.parentKey
        ? { ...exec.input, task: undefined }
        : exec.input;
    const referenced = new Set<string>();
    for (const expression of findReferences(source)) {
      const ref = parseReference(expression);
      if (ref.kind === 'taskValue' || ref.kind === 'taskResult') referenced.add(ref.task);
    }
    const rows = referenced.size ? await reader.tasks(run.id, { keys: [...referenced] }) : [];
    const ctx: ResolveContext = {
      job: {
        id: run.jobId,
        run_id: run.id,
        name: run.jobName,
        workspace: run.workspace,
        owner: run.runAs,
        'trigger.type': run.triggerType,
        repair_count: String(run.repairCount),
      },
      parameters: run.parameters,
      tasks: new Map(rows.map(r => [r.taskKey, { result: r.result, values: r.values }])),
      input: task.parentKey ? { value: task.item } : undefined,
    };
    const resolved = resolveValue(source, ctx) as Record<string, unknown>;
    if (exec.step === 'core.forEach' && !task.parentKey) resolved.task = exec.input.task;
    return resolved;
  }

  private instantStep(step: string, input: Record<string, unknown>): StepOutcome {
    try {
      if (step === 'core.condition') {
        const { left, op, right } = conditionInputSchema.parse(input);
        const outcome = evaluateCondition(left, op, right) ? 'true' : 'false';
        return { result: 'SUCCESS', outcome, values: { outcome } };
      }
      if (step === 'core.setValues') {
        return { result: 'SUCCESS', values: setValuesInputSchema.parse(input).values };
      }
      return { result: 'FAILED', error: failInputSchema.parse(input).message };
    } catch (error) {
      if (error instanceof ConditionError)
        return { result: 'FAILED', error: `Condition: ${error.message}` };
      return { result: 'FAILED', error: `Invalid input for ${step}: ${errorText(error)}` };
    }
  }

  /** Ends an attempt in its own transaction and applies what follows. */
  private async finish(
    run: RunRow,
    def: LoadedDefinition,
    ref: AttemptRef,
    outcome: StepOutcome,
    options: { worker?: string; slot?: InlineSlot } = {},
  ): Promise<boolean> {
    const fx = new Effects();
    const done = await this.deps.store.transaction(async tx => {
      const current = await tx.lockRun(run.id);
      if (!current) return false;
      return this.completeAttempt(tx, current, def, ref, outcome, fx, { worker: options.worker });
    });
    this.takeInline(fx, options.slot);
    await this.apply(fx);
    return done;
  }

  /** Marks a running attempt as waiting for something, without holding a worker. */
  private async park(
    ref: AttemptRef,
    waitingFor: 'approval' | 'timer' | 'childRun' | 'iterations' | 'event',
    patch: {
      resumeAt?: number;
      waitTopic?: string;
      waitFilter?: Record<string, unknown>;
      childRunId?: string;
    },
    inTx?: (tx: RunTx, run: RunRow, fx: Effects) => Promise<void>,
  ): Promise<boolean> {
    const fx = new Effects();
    const parked = await this.deps.store.transaction(async tx => {
      const run = await tx.lockRun(ref.runId);
      if (!run) return false;
      const ok = await tx.updateAttempt(
        ref,
        {
          waitingFor,
          leaseExpiresAt: null,
          resumeAt: patch.resumeAt,
          waitTopic: patch.waitTopic,
          waitFilter: patch.waitFilter,
        },
        { states: ['RUNNING'] },
      );
      if (!ok) return false;
      await tx.updateTask(ref.runId, ref.taskKey, { waitingFor, childRunId: patch.childRunId });
      await tx.touchRun(ref.runId);
      fx.changedRuns.add(ref.runId);
      if (inTx) await inTx(tx, run, fx);
      return true;
    });
    await this.apply(fx);
    return parked;
  }

  private async parkWait(
    run: RunRow,
    def: LoadedDefinition,
    ref: AttemptRef,
    input: Record<string, unknown>,
  ) {
    const parsed = waitInputSchema.safeParse(input);
    const seconds = parsed.success ? Number(parsed.data.seconds) : Number.NaN;
    if (!Number.isFinite(seconds) || seconds < 0) {
      await this.finish(run, def, ref, {
        result: 'FAILED',
        error: `core.wait: seconds must be a number of seconds, got ${JSON.stringify(input.seconds)}`,
      });
      return;
    }
    const resumeAt = Date.now() + seconds * 1000;
    const parked = await this.park(ref, 'timer', { resumeAt }, async (tx, current) => {
      await this.log(tx, current.id, ref.taskKey, ref.attempt, 'info', `Waiting ${seconds} s`);
    });
    if (parked) {
      await this.deps.queue.enqueue(ENGINE_TASKS.resume, ref, {
        key: `${attemptKey(ref)}:resume`,
        runAt: new Date(resumeAt),
        maxAttempts: 25,
      });
    }
  }

  private async handleResume(ref: AttemptRef): Promise<void> {
    const fx = new Effects();
    await this.deps.store.transaction(async tx => {
      const run = await tx.lockRun(ref.runId);
      const attempt = run && (await tx.attempt(ref.runId, ref.taskKey, ref.attempt));
      if (!run || !attempt || attempt.state !== 'RUNNING' || attempt.waitingFor !== 'timer') return;
      if ((attempt.resumeAt ?? 0) > Date.now() + 50) {
        fx.queue({
          task: ENGINE_TASKS.resume,
          payload: ref,
          key: `${attemptKey(ref)}:resume`,
          runAt: new Date(attempt.resumeAt!),
        });
        return;
      }
      const def = await this.definitions.load(run.jobId, run.jobVersion, tx);
      const waited = Math.round(
        ((attempt.resumeAt ?? Date.now()) - (attempt.startedAt ?? Date.now())) / 1000,
      );
      await this.completeAttempt(
        tx,
        run,
        def,
        ref,
        { result: 'SUCCESS', values: { waitedSeconds: waited } },
        fx,
      );
    });
    await this.apply(fx);
  }

  private async parkApproval(
    run: RunRow,
    def: LoadedDefinition,
    ref: AttemptRef,
    input: Record<string, unknown>,
  ) {
    const parsed = approvalInputSchema.safeParse(input);
    if (!parsed.success) {
      await this.finish(run, def, ref, {
        result: 'FAILED',
        error: `Invalid input for core.approval: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      });
      return;
    }
    const { approvers, message } = parsed.data;
    await this.park(ref, 'approval', {}, async (tx, current, fx) => {
      await tx.insertApproval({
        runId: ref.runId,
        taskKey: ref.taskKey,
        attempt: ref.attempt,
        jobId: current.jobId,
        jobName: current.jobName,
        workspace: current.workspace,
        approvers,
        message,
        state: 'PENDING',
        decidedBy: null,
        decidedAt: null,
        comment: null,
        createdAt: Date.now(),
      });
      await this.log(
        tx,
        current.id,
        ref.taskKey,
        ref.attempt,
        'info',
        `Waiting for approval by ${approvers.length ? approvers.join(', ') : 'anyone holding pipelines.approve'}`,
      );
      fx.approvalsOpened.push({ run: current, taskKey: ref.taskKey, approvers, message });
    });
  }

  async decideApproval(
    runId: string,
    taskKey: string,
    decision: { approve: boolean; comment?: string },
    user: string,
  ): Promise<ApprovalRow> {
    const task = await this.deps.store.read.task(runId, taskKey);
    if (!task) throw new NotFoundError(`No task '${taskKey}' in run '${runId}'`);
    const approval = await this.deps.store.read.approval(runId, taskKey, task.attempt);
    if (!approval)
      throw new NotFoundError(`Task '${taskKey}' of run '${runId}' is not waiting for an approval`);
    if (approval.state !== 'PENDING') {
      throw new ConflictError(
        `The approval of task '${taskKey}' was already ${approval.state.toLowerCase()}`,
      );
    }
    if (!(await this.deps.approvers.isApprover(user, approval.approvers, approval.workspace))) {
      throw new NotAllowedError(
        `${user} is not an approver of task '${taskKey}' (approvers: ${approval.approvers.join(', ')})`,
      );
    }
    const fx = new Effects();
    const decided = await this.deps.store.transaction(async tx => {
      const run = await tx.lockRun(runId);
      if (!run) throw new NotFoundError(`No run '${runId}'`);
      const now = Date.now();
      const ref = { runId, taskKey, attempt: approval.attempt };
      const ok = await tx.decideApproval(ref, {
        state: decision.approve ? 'APPROVED' : 'DENIED',
        decidedBy: user,
        comment: decision.comment ?? null,
        decidedAt: now,
      });
      if (!ok) return undefined;
      // The approval is decided: the task no longer waits for it.
      await tx.updateTask(runId, taskKey, { waitingFor: null });
      const def = await this.definitions.load(run.jobId, run.jobVersion, tx);
      await this.log(
        tx,
        runId,
        taskKey,
        approval.attempt,
        'info',
        `${decision.approve ? 'Approved' : 'Denied'} by ${user}${decision.comment ? `: ${decision.comment}` : ''}`,
      );
      await this.completeAttempt(
        tx,
        run,
        def,
        ref,
        decision.approve
          ? {
              result: 'SUCCESS',
              values: { approved: true, decidedBy: user, comment: decision.comment ?? '' },
            }
          : {
              result: 'FAILED',
              values: { approved: false, decidedBy: user, comment: decision.comment ?? '' },
              error: `Denied by ${user}${decision.comment ? `: ${decision.comment}` : ''}`,
              noRetry: true,
            },
        fx,
      );
      return tx.approval(runId, taskKey, approval.attempt);
    });
    await this.apply(fx);
    if (!decided) throw new ConflictError(`The approval of task '${taskKey}' was already decided`);
    return decided;
  }

  private async parkRunJob(
    run: RunRow,
    def: LoadedDefinition,
    ref: AttemptRef,
    input: Record<string, unknown>,
  ) {
    const fail = (error: string) => this.finish(run, def, ref, { result: 'FAILED', error });
    const parsed = runJobInputSchema.safeParse(input);
    if (!parsed.success)
      return void (await fail(
        `Invalid input for core.runJob: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      ));
    const job = await this.deps.jobs.get(parsed.data.jobId);
    if (!job) return void (await fail(`core.runJob: there is no job '${parsed.data.jobId}'`));
    if (
      !(await isGranted(this.deps.permissions, actingAsUser(run.runAs), pipelinesRunPermission))
    ) {
      return void (await fail(`core.runJob: ${run.runAs} (the job owner) lacks pipelines.run`));
    }
    const parked = await this.park(ref, 'childRun', {});
    if (!parked) return;
    let child: RunRow;
    try {
      child = await this.startRun(job, {
        parameters: Object.fromEntries(
          Object.entries(parsed.data.parameters).map(([k, v]) => [k, String(v)]),
        ),
        triggerType: 'runJob',
        triggeredBy: `${run.runAs} (run ${run.id})`,
        dedupeKey: `runJob:${attemptKey(ref)}`,
        parent: { runId: run.id, taskKey: ref.taskKey, attempt: ref.attempt, depth: run.depth },
      });
    } catch (error) {
      await this.finish(run, def, ref, {
        result: 'FAILED',
        error: `core.runJob: ${errorText(error)}`,
      });
      return;
    }
    const fx = new Effects();
    await this.deps.store.transaction(async tx => {
      await tx.lockRun(run.id);
      await tx.updateTask(run.id, ref.taskKey, { childRunId: child.id });
      await this.log(
        tx,
        run.id,
        ref.taskKey,
        ref.attempt,
        'info',
        `Started child run ${child.id} of job '${job.name}'`,
      );
      fx.changedRuns.add(run.id);
    });
    await this.apply(fx);
    if (child.status === 'TERMINATED') await this.childRunEnded(child);
  }

  /** Completes the core.runJob task waiting for a child run that just ended. */
  private async childRunEnded(child: RunRow): Promise<void> {
    if (!child.parentRunId || !child.parentTaskKey || child.parentAttempt === null) return;
    const fx = new Effects();
    await this.deps.store.transaction(async tx => {
      const parent = await tx.lockRun(child.parentRunId!);
      if (!parent) return;
      const def = await this.definitions.load(parent.jobId, parent.jobVersion, tx);
      const ok = child.result === 'SUCCESS' || child.result === 'SUCCESS_WITH_FAILURES';
      await this.completeAttempt(
        tx,
        parent,
        def,
        { runId: parent.id, taskKey: child.parentTaskKey!, attempt: child.parentAttempt! },
        {
          result: ok ? 'SUCCESS' : 'FAILED',
          values: { runId: child.id, result: child.result },
          error: ok
            ? null
            : `Child run ${child.id} of job '${child.jobName}' ended ${child.result}`,
        },
        fx,
      );
    });
    await this.apply(fx);
  }

  private async parkForEach(
    run: RunRow,
    def: LoadedDefinition,
    ref: AttemptRef,
    input: Record<string, unknown>,
  ) {
    const parsed = forEachInputSchema.safeParse(input);
    if (!parsed.success) {
      await this.finish(run, def, ref, {
        result: 'FAILED',
        error: `Invalid input for core.forEach: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      });
      return;
    }
    let items: unknown = parsed.data.inputs;
    if (typeof items === 'string') {
      try {
        items = JSON.parse(items);
      } catch {
        items = undefined;
      }
    }
    if (!Array.isArray(items)) {
      await this.finish(run, def, ref, {
        result: 'FAILED',
        error: 'core.forEach: inputs must be a JSON array',
      });
      return;
    }
    if (items.length > this.settings.maxIterations) {
      await this.finish(run, def, ref, {
        result: 'FAILED',
        error: `core.forEach: ${items.length} items; at most ${this.settings.maxIterations}`,
      });
      return;
    }
    if (items.length === 0) {
      await this.finish(run, def, ref, {
        result: 'SUCCESS',
        values: { iterations: 0, succeeded: 0, failed: 0 },
      });
      return;
    }
    const list = items;
    const { concurrency } = parsed.data;
    await this.park(ref, 'iterations', { waitFilter: { concurrency } }, async (tx, current, fx) => {
      await tx.deleteIterations(current.id, ref.taskKey);
      await tx.insertTasks(
        list.map((item, index) => ({
          runId: current.id,
          taskKey: iterationKey(ref.taskKey, index),
          parentKey: ref.taskKey,
          iteration: index,
          item,
          state: 'QUEUED' as const,
          attempt: 0,
          roundStart: 0,
        })),
      );
      const start = Array.from({ length: Math.min(concurrency, list.length) }, (_, i) => i);
      await this.scheduleAttempts(
        tx,
        current,
        start.map(index => ({ key: iterationKey(ref.taskKey, index), attempt: 1 })),
        fx,
        Date.now(),
      );
      await this.log(
        tx,
        current.id,
        ref.taskKey,
        ref.attempt,
        'info',
        `${list.length} iteration(s), ${concurrency} at a time`,
      );
    });
  }

  private async parkWaitForEvent(
    run: RunRow,
    def: LoadedDefinition,
    ref: AttemptRef,
    input: Record<string, unknown>,
  ) {
    const parsed = waitForEventInputSchema.safeParse(input);
    if (!parsed.success) {
      await this.finish(run, def, ref, {
        result: 'FAILED',
        error: `Invalid input for core.waitForEvent: ${parsed.error.issues.map(i => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      });
      return;
    }
    const { topic, filter } = parsed.data;
    const parked = await this.park(
      ref,
      'event',
      { waitTopic: topic, waitFilter: filter },
      async (tx, current) => {
        await this.log(
          tx,
          current.id,
          ref.taskKey,
          ref.attempt,
          'info',
          `Waiting for ${topic} ${JSON.stringify(filter)}`,
        );
      },
    );
    if (!parked) return;
    // Parked first, then look at what already arrived: an event landing in between is seen by one side.
    for (const event of await this.deps.store.read.events(topic, run.createdAt)) {
      if (matchesFilter(event.payload, filter)) {
        await this.finish(run, def, ref, {
          result: 'SUCCESS',
          values: { topic, payload: event.payload },
        });
        return;
      }
    }
  }

  /** A kernel event: start the jobs it triggers and wake the tasks waiting for it. */
  async onEvent(
    topic: string,
    payload: unknown,
    startTriggered: (job: JobRecord, payload: unknown) => Promise<void>,
  ): Promise<void> {
    await this.deps.store.read.insertEvent(topic, payload, Date.now());
    for (const attempt of await this.deps.store.read.waitingForEvents(topic)) {
      if (!matchesFilter(payload, attempt.waitFilter)) continue;
      const run = await this.deps.store.read.run(attempt.runId);
      if (!run) continue;
      const def = await this.definitions.load(run.jobId, run.jobVersion);
      await this.finish(run, def, attempt, { result: 'SUCCESS', values: { topic, payload } });
    }
    for (const job of await this.deps.jobs.jobsTriggeredBy(topic)) {
      if (
        job.definition.triggers.some(t => t.event === topic && matchesFilter(payload, t.filter))
      ) {
        await startTriggered(job, payload);
      }
    }
  }

  private async runInWorker(
    claim: Extract<Claim, { kind: 'run' }>,
    ref: AttemptRef,
    input: Record<string, unknown>,
    ctx?: TaskContext,
    slot?: InlineSlot,
  ): Promise<void> {
    const { run, def, exec, attempt } = claim;
    const key = attemptKey(ref);
    const controller = new AbortController();
    this.local.set(key, controller);
    const onShutdown = () => controller.abort(new Error('shutdown'));
    ctx?.signal.addEventListener('abort', onShutdown);
    const leaseMs = this.settings.leaseMs;
    const renew = setInterval(
      () => {
        this.deps.store.read
          .updateAttempt(
            ref,
            { leaseExpiresAt: Date.now() + leaseMs },
            { states: ['RUNNING'], worker: this.settings.workerId },
          )
          .then(held => {
            if (!held) controller.abort(new Error('ended elsewhere'));
          })
          .catch(error =>
            this.deps.logger.warn(`Could not renew the lease of ${key}: ${errorText(error)}`),
          );
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
    let deadlineTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<StepOutcome>(resolve => {
      if (!attempt.deadlineAt) return;
      deadlineTimer = setTimeout(
        () => resolve({ result: 'TIMEDOUT', error: `Timed out after ${exec.timeoutSeconds} s` }),
        Math.max(0, attempt.deadlineAt - Date.now()),
      );
    });
    const aborted = new Promise<null>(resolve =>
      controller.signal.addEventListener('abort', () => resolve(null)),
    );
    try {
      const work = this.runStep(run, exec, input, controller.signal).catch(
        (error): StepOutcome => ({ result: 'FAILED', error: errorText(error) }),
      );
      const outcome = await Promise.race([work, deadline, aborted]);
      if (outcome === null) {
        if (ctx?.signal.aborted) {
          // Shutting down: leave the attempt RUNNING; its lease lapses and another worker takes it.
          throw new Error(`attempt ${key} interrupted by shutdown`);
        }
        return;
      }
      const ended = await this.finish(run, def, ref, outcome, {
        worker: this.settings.workerId,
        slot,
      });
      if (!ended) {
        this.deps.logger.info(
          `Attempt ${key} had already ended elsewhere; its result was discarded`,
        );
      }
    } finally {
      clearInterval(renew);
      if (deadlineTimer) clearTimeout(deadlineTimer);
      ctx?.signal.removeEventListener('abort', onShutdown);
      this.local.delete(key);
    }
  }

  /** Steps that run inside the worker: kernel actions, HTTP requests, notifications. */
  private async runStep(
    run: RunRow,
    exec: ExecutableTask,
    input: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<StepOutcome> {
    if (exec.step === 'core.http') {
      const parsed = httpInputSchema.parse(input);
      const response = await this.deps.http.request({
        method: parsed.method,
        url: parsed.url,
        headers: parsed.headers,
        body: parsed.body,
        signal,
      });
      const values = { status: response.status, body: response.body };
      if (parsed.failOnHttpError && response.status >= 400) {
        return { result: 'FAILED', values, error: `HTTP ${response.status} from ${parsed.url}` };
      }
      return { result: 'SUCCESS', values };
    }
    if (exec.step === 'core.notify') {
      const parsed = notifyInputSchema.parse(input);
      const recipients = [...new Set(parsed.recipients.map(r => (r === 'owner' ? run.runAs : r)))];
      const deliveries: NotificationDelivery[] = recipients.map(to => ({
        channel: 'inApp',
        to,
        dedupeKey: `${run.id}:${exec.key}:${to}:${crypto.createHash('sha1').update(parsed.message).digest('hex').slice(0, 12)}`,
        workspace: run.workspace,
        jobId: run.jobId,
        runId: run.id,
        title: parsed.title || `Job '${run.jobName}'`,
        message: parsed.message,
        payload: {},
      }));
      if (parsed.webhook) {
        this.deps.http.check(parsed.webhook, 'webhook');
        deliveries.push({
          channel: 'webhook',
          to: parsed.webhook,
          dedupeKey: `${run.id}:${exec.key}:webhook`,
          workspace: run.workspace,
          jobId: run.jobId,
          runId: run.id,
          title: parsed.title || `Job '${run.jobName}'`,
          message: parsed.message,
          payload: {
            event: 'notify',
            job: { id: run.jobId, name: run.jobName },
            run: { id: run.id, ref: runRef(run.id) },
            task: exec.key,
          },
        });
      }
      for (const delivery of deliveries) {
        await this.deps.queue.enqueue(ENGINE_TASKS.notify, delivery, {
          key: `notify:${delivery.dedupeKey}`,
          maxAttempts: 5,
        });
      }
      return {
        result: 'SUCCESS',
        values: { notified: recipients.length + (parsed.webhook ? 1 : 0) },
      };
    }
    const step = this.deps.catalog.get(exec.step);
    if (!step?.actionId) {
      return {
        result: 'FAILED',
        error: `Step type '${exec.step}' is not registered (is its group switched off?)`,
      };
    }
    const output = await this.deps.invoker.invoke({
      actionId: step.actionId,
      input,
      credentials: actingAsUser(run.runAs),
      workspace: run.workspace,
    });
    return { result: 'SUCCESS', values: valuesOf(output) };
  }

  private async handleTimeout(ref: AttemptRef): Promise<void> {
    const fx = new Effects();
    await this.deps.store.transaction(async tx => {
      const run = await tx.lockRun(ref.runId);
      const attempt = run && (await tx.attempt(ref.runId, ref.taskKey, ref.attempt));
      if (!run || !attempt || attempt.state !== 'RUNNING' || !attempt.deadlineAt) return;
      if (attempt.deadlineAt > Date.now()) return;
      const def = await this.definitions.load(run.jobId, run.jobVersion, tx);
      const task = await tx.task(run.id, ref.taskKey);
      const exec = task && DefinitionCache.executable(def, task.taskKey, task.parentKey);
      await this.completeAttempt(
        tx,
        run,
        def,
        ref,
        { result: 'TIMEDOUT', error: `Timed out after ${exec?.timeoutSeconds ?? '?'} s` },
        fx,
      );
    });
    await this.apply(fx);
  }

  // ---------------------------------------------------------------------------------------
  // Cancel, job timeout, repair

  async cancelRun(runId: string, by: string, reason?: string): Promise<RunRow> {
    const fx = new Effects();
    const run = await this.deps.store.transaction(async tx => {
      const current = await tx.lockRun(runId);
      if (!current) throw new NotFoundError(`No run '${runId}'`);
      if (current.status === 'TERMINATED') {
        throw new ConflictError(`Run '${runId}' has already ended (${current.result})`);
      }
      await this.cancelInTx(tx, current, fx, {
        by,
        reason: reason ?? `Cancelled by ${by}`,
        timedOut: false,
      });
      return current;
    });
    await this.apply(fx);
    return (await this.deps.store.read.run(run.id)) ?? run;
  }

  private async cancelInTx(
    tx: RunTx,
    run: RunRow,
    fx: Effects,
    options: { by: string; reason: string; timedOut: boolean },
  ) {
    const now = Date.now();
    const def = await this.definitions.load(run.jobId, run.jobVersion, tx);
    run.cancelRequested = true;
    run.timedOut = options.timedOut;
    run.stateMessage = options.reason;
    await tx.updateRun(run.id, {
      cancelRequested: true,
      timedOut: options.timedOut,
      stateMessage: options.reason,
    });
    await this.log(tx, run.id, null, null, 'warn', options.reason);
    fx.audit({
      run,
      verb: options.timedOut ? 'pipelines.run.timeout' : 'pipelines.run.cancel',
      summary: `${options.timedOut ? 'Timed out' : 'Cancelled'} run of job '${run.jobName}': ${options.reason}`,
      details: { by: options.by },
    });
    const all = await tx.tasks(run.id, { all: true });
    const open = all.filter(t => ACTIVE_TASK_STATES.includes(t.state));
    for (const t of open) {
      if (t.childRunId && t.waitingFor === 'childRun')
        fx.cancelRuns.push({
          runId: t.childRunId,
          reason: `its parent run was ${options.timedOut ? 'timed out' : 'cancelled'}`,
        });
      if (t.state === 'RUNNING')
        fx.abortLocal.push(attemptKey({ runId: run.id, taskKey: t.taskKey, attempt: t.attempt }));
    }
    if (open.length) {
      const keys = open.map(t => t.taskKey);
      await tx.cancelOpenAttempts(run.id, keys, now);
      await tx.cancelPendingApprovals(run.id, keys, now);
      await tx.updateTasks(run.id, keys, {
        state: 'TERMINATED',
        result: 'CANCELED',
        endedAt: now,
        waitingFor: null,
      });
      await this.log(tx, run.id, null, null, 'warn', `${keys.join(', ')}: CANCELED`);
    }
    fx.changedRuns.add(run.id);
    if (run.status === 'QUEUED') {
      await this.finishRun(tx, run, options.timedOut ? 'TIMEDOUT' : 'CANCELED', fx);
      return;
    }
    await this.propagate(tx, run, def, fx);
  }

  private async handleRunTimeout(payload: { runId: string; repairCount: number }): Promise<void> {
    const fx = new Effects();
    await this.deps.store.transaction(async tx => {
      const run = await tx.lockRun(payload.runId);
      if (!run || run.status === 'TERMINATED' || run.repairCount !== payload.repairCount) return;
      const def = await this.definitions.load(run.jobId, run.jobVersion, tx);
      await this.cancelInTx(tx, run, fx, {
        by: 'plugin:pipelines',
        reason: `Timed out: the job timeout is ${def.definition.timeoutSeconds} s`,
        timedOut: true,
      });
    });
    await this.apply(fx);
  }

  private async handleDurationCheck(payload: { runId: string }): Promise<void> {
    const run = await this.deps.store.read.run(payload.runId);
    if (!run || run.status === 'TERMINATED') return;
    const def = await this.definitions.load(run.jobId, run.jobVersion);
    await this.enqueueNotifications(run, def, 'duration');
  }

  async repairRun(
    runId: string,
    request: RepairRequest,
    by: string,
  ): Promise<{ run: RunRow; repairId: string; tasks: string[] }> {
    const fx = new Effects();
    const result = await this.deps.store.transaction(async tx => {
      const run = await tx.lockRun(runId);
      if (!run) throw new NotFoundError(`No run '${runId}'`);
      if (run.status !== 'TERMINATED') {
        throw new ConflictError(
          `Run '${runId}' is ${run.status}; only an ended run can be repaired`,
        );
      }
      if (run.result === 'SKIPPED')
        throw new ConflictError(`Run '${runId}' was skipped; start a new run instead`);
      const def = await this.definitions.load(run.jobId, run.jobVersion, tx);
      const statuses = await this.statuses(tx, run.id);
      let keys: string[];
      try {
        keys = repairPlan(def.graph, statuses, request);
      } catch (error) {
        if (error instanceof RepairPlanError)
          throw new InputError(`Invalid repair: ${error.message}`);
        throw error;
      }
      let parameters = run.parameters;
      if (request.parameters) {
        const unknown = Object.keys(request.parameters).filter(n => !(n in run.parameters));
        if (unknown.length)
          throw new InputError(
            `Invalid repair: parameters: ${unknown.map(n => `'${n}'`).join(', ')} not defined by the job`,
          );
        parameters = { ...run.parameters, ...request.parameters };
      }
      const number = run.repairCount + 1;
      const repairId = `${run.id}-r${number}`;
      const now = Date.now();
      await tx.insertRepair({
        id: repairId,
        runId,
        number,
        request: {
          rerunAllFailed: Boolean(request.rerunAllFailed),
          rerunTasks: request.rerunTasks ?? [],
          rerunDependents: Boolean(request.rerunDependents),
          parameters: request.parameters ?? null,
        },
        tasks: keys,
        createdAt: now,
        createdBy: by,
      });
      for (const key of keys) {
        const task = await tx.task(runId, key);
        if (def.tasks.get(key)?.step === 'core.forEach') await tx.deleteIterations(runId, key);
        await tx.updateTask(runId, key, {
          state: 'BLOCKED',
          result: null,
          outcome: null,
          values: null,
          error: null,
          waitingFor: null,
          childRunId: null,
          startedAt: null,
          endedAt: null,
          roundStart: task?.attempt ?? 0,
        });
      }
      Object.assign(run, {
        status: 'RUNNING',
        result: null,
        endedAt: null,
        cancelRequested: false,
        timedOut: false,
        stateMessage: '',
        repairCount: number,
        parameters,
      });
      await tx.updateRun(runId, {
        status: 'RUNNING',
        result: null,
        endedAt: null,
        cancelRequested: false,
        timedOut: false,
        stateMessage: '',
        repairCount: number,
        parameters,
      });
      await this.log(
        tx,
        runId,
        null,
        null,
        'info',
        `Repair ${number} by ${by}: rerunning ${keys.join(', ')}`,
      );
      fx.audit({
        run,
        verb: 'pipelines.run.repair',
        summary: `Repair ${number} of run of job '${run.jobName}': rerunning ${keys.join(', ')}`,
        details: { tasks: keys, by },
      });
      fx.changedRuns.add(runId);
      if (def.definition.timeoutSeconds) {
        fx.queue({
          task: ENGINE_TASKS.runTimeout,
          payload: { runId, repairCount: number },
          key: `${runId}:timeout:${number}`,
          runAt: new Date(now + def.definition.timeoutSeconds * 1000),
        });
      }
      await this.propagate(tx, run, def, fx);
      return { run, repairId, tasks: keys };
    });
    await this.apply(fx);
    return result;
  }

  // ---------------------------------------------------------------------------------------
  // After commit

  private async apply(fx: Effects): Promise<void> {
    // In order, a few at a time: the first dependents become available while the rest are written.
    for (let i = 0; i < fx.enqueue.length; i += 8) {
      await Promise.all(
        fx.enqueue.slice(i, i + 8).map(job =>
          this.deps.queue.enqueue(job.task, job.payload, {
            key: job.key,
            runAt: job.runAt,
            maxAttempts: job.maxAttempts ?? 10,
          }),
        ),
      );
    }
    for (const key of fx.abortLocal) this.local.get(key)?.abort(new Error('attempt ended'));
    for (const runId of fx.changedRuns) this.live.emit(runId);
    for (const note of fx.audits) this.recordAudit(note);
    for (const run of fx.runsStarted) {
      const def = await this.definitions.load(run.jobId, run.jobVersion);
      if (run.repairCount === 0) await this.enqueueNotifications(run, def, 'start');
    }
    for (const { run, result } of fx.runsEnded) {
      const def = await this.definitions.load(run.jobId, run.jobVersion);
      const event: NotificationEvent | undefined =
        result === 'SUCCESS' || result === 'SUCCESS_WITH_FAILURES'
          ? 'success'
          : result === 'SKIPPED'
            ? undefined
            : 'failure';
      if (event) await this.enqueueNotifications(run, def, event);
      if (run.parentRunId) await this.childRunEnded(run);
    }
    for (const { run, taskKey, approvers, message } of fx.approvalsOpened) {
      for (const to of approvers.filter(a => a.startsWith('user:'))) {
        await this.deps.queue.enqueue(
          ENGINE_TASKS.notify,
          {
            channel: 'inApp',
            to,
            dedupeKey: `${run.id}:${taskKey}:approval:${to}`,
            workspace: run.workspace,
            jobId: run.jobId,
            runId: run.id,
            title: `Approval requested: job '${run.jobName}'`,
            message: message || `Task '${taskKey}' waits for your approval`,
            payload: {},
          } satisfies NotificationDelivery,
          { key: `notify:${run.id}:${taskKey}:approval:${to}`, maxAttempts: 5 },
        );
      }
    }
    for (const { runId, reason } of fx.cancelRuns) {
      try {
        await this.cancelRun(runId, 'plugin:pipelines', `Cancelled: ${reason}`);
      } catch (error) {
        if (!(error instanceof ConflictError) && !(error instanceof NotFoundError)) {
          this.deps.logger.warn(`Could not cancel child run ${runId}: ${errorText(error)}`);
        }
      }
    }
    for (const jobId of fx.promoteJobs) await this.promote(jobId);
  }

  /**
   * Audit records are appended in order by one background chain, so a worker hands the next
   * task out without waiting for the hash-chained trail; close() drains it.
   */
  private recordAudit(note: AuditNote) {
    this.auditChain = this.auditChain.then(async () => {
      try {
        await this.deps.audit.record({
          actor: 'plugin:pipelines',
          workspace: note.run.workspace,
          verb: note.verb,
          resource: runRef(note.run.id),
          summary: note.summary.slice(0, 4000),
          outcome: note.outcome ?? 'success',
          details: { jobId: note.run.jobId, runAs: note.run.runAs, ...note.details },
        });
      } catch (error) {
        this.deps.logger.warn(
          `Could not audit ${note.verb} of run ${note.run.id}: ${errorText(error)}`,
        );
      }
    });
  }

  /** Waits for pending audit records (on shutdown). */
  async close(): Promise<void> {
    await this.auditChain;
  }

  private async enqueueNotifications(run: RunRow, def: LoadedDefinition, event: NotificationEvent) {
    const rules = def.definition.notifications.filter(n => n.on.includes(event));
    for (const [i, rule] of rules.entries()) {
      const to = rule.channel === 'inApp' && rule.to === 'owner' ? run.runAs : rule.to;
      const title = `Job '${run.jobName}': ${event === 'start' ? 'run started' : event === 'success' ? `run ${(run.result ?? 'SUCCESS').toLowerCase().replace(/_/g, ' ')}` : event === 'failure' ? `run ${(run.result ?? 'FAILED').toLowerCase()}` : 'run is taking long'}`;
      const delivery: NotificationDelivery = {
        channel: rule.channel,
        to,
        dedupeKey: `${run.id}:${event}:${run.repairCount}:${i}:${to}`,
        workspace: run.workspace,
        jobId: run.jobId,
        runId: run.id,
        title,
        message: run.stateMessage || title,
        payload: {
          event,
          job: { id: run.jobId, name: run.jobName },
          run: { id: run.id, ref: runRef(run.id), status: run.status, result: run.result },
        },
      };
      try {
        await this.deps.queue.enqueue(ENGINE_TASKS.notify, delivery, {
          key: `notify:${delivery.dedupeKey}`,
          maxAttempts: 5,
        });
      } catch (error) {
        this.deps.logger.warn(
          `Could not queue a ${event} notification of run ${run.id}: ${errorText(error)}`,
        );
      }
    }
  }

  private async log(
    tx: RunTx,
    runId: string,
    taskKey: string | null,
    attempt: number | null,
    level: 'info' | 'warn' | 'error',
    message: string,
  ) {
    tx.bufferLog({
      runId,
      taskKey,
      attempt,
      time: Date.now(),
      level,
      message: message.slice(0, 8000),
    });
  }

  // ---------------------------------------------------------------------------------------
  // Recovery

  /**
   * Run by one replica at a time: re-queues attempts whose queue job was lost (a crash
   * between commit and enqueue) or whose worker died, wakes timers and child-run waits that
   * were missed, promotes queued runs, and prunes old events.
   */
  async sweep(): Promise<{ requeued: number }> {
    const now = Date.now();
    let requeued = 0;
    for (const attempt of await this.deps.store.read.stalledAttempts(
      now,
      this.settings.recoverAfterMs,
      200,
    )) {
      const ref = { runId: attempt.runId, taskKey: attempt.taskKey, attempt: attempt.attempt };
      if (attempt.state === 'RUNNING' && attempt.deadlineAt && attempt.deadlineAt < now) {
        await this.deps.queue.enqueue(ENGINE_TASKS.timeout, ref, {
          key: `${attemptKey(ref)}:timeout`,
        });
      } else if (attempt.waitingFor === 'timer') {
        await this.deps.queue.enqueue(ENGINE_TASKS.resume, ref, {
          key: `${attemptKey(ref)}:resume`,
        });
      } else {
        await this.deps.queue.enqueue(ENGINE_TASKS.task, ref, {
          key: attemptKey(ref),
          runAt: attempt.runAt > now ? new Date(attempt.runAt) : undefined,
          maxAttempts: 25,
        });
      }
      requeued++;
    }
    for (const attempt of await this.deps.store.read.childRunWaits(200)) {
      const task = await this.deps.store.read.task(attempt.runId, attempt.taskKey);
      const child = task?.childRunId ? await this.deps.store.read.run(task.childRunId) : undefined;
      if (child?.status === 'TERMINATED') await this.childRunEnded(child);
    }
    for (const jobId of await this.deps.store.read.jobsWithQueuedRuns(100))
      await this.promote(jobId);
    await this.deps.store.read.pruneEvents(now - 24 * 3600_000);
    return { requeued };
  }
}
