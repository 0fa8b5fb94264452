import crypto from 'node:crypto';
import os from 'node:os';
import type {
  CreateTaskQueueOptions,
  EnqueueOptions,
  HandleOptions,
  TaskContext,
  TaskHandler,
  TaskQueueLogger,
} from './types';

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_POLL_INTERVAL_MS = 1000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 5000;
export const DEFAULT_STALE_AFTER_MS = 15_000;
/** After stop() aborts a handler's signal, how long it may take to settle before it is abandoned. */
export const ABANDON_GRACE_MS = 1000;
/** graphile-worker's retry delay, used as the default on SQLite too so both engines behave alike. */
export const defaultBackoffMs = (attempt: number) => Math.exp(Math.min(attempt, 10)) * 1000;

const MAX_TASK_NAME_LENGTH = 128; // graphile_worker._private_tasks.identifier
const MAX_KEY_LENGTH = 512; // graphile_worker._private_jobs.key
const MAX_ATTEMPTS_LIMIT = 32_767; // graphile stores attempts as smallint

export interface ResolvedOptions {
  concurrency: number;
  pollIntervalMs: number;
  workerId: string;
  backoffMs: ((attempt: number) => number) | undefined;
  shutdownTimeoutMs: number;
  heartbeatIntervalMs: number;
  staleAfterMs: number;
  logger: TaskQueueLogger;
}

const consoleLogger: TaskQueueLogger = {
  info() {
    // Quiet by default: the kernel passes Backstage's logger, scripts rarely want chatter.
  },
  warn(message, meta) {
    console.warn(`[task-queue] ${message}`, meta ?? '');
  },
  error(message, meta) {
    console.error(`[task-queue] ${message}`, meta ?? '');
  },
};

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}

export function resolveOptions(options: CreateTaskQueueOptions): ResolvedOptions {
  const heartbeatIntervalMs = positiveInteger(
    'heartbeatIntervalMs',
    options.heartbeatIntervalMs,
    DEFAULT_HEARTBEAT_INTERVAL_MS,
  );
  const staleAfterMs = positiveInteger(
    'staleAfterMs',
    options.staleAfterMs,
    Math.max(DEFAULT_STALE_AFTER_MS, heartbeatIntervalMs * 3),
  );
  if (staleAfterMs <= heartbeatIntervalMs) {
    throw new TypeError('staleAfterMs must be greater than heartbeatIntervalMs');
  }
  return {
    concurrency: positiveInteger('concurrency', options.concurrency, DEFAULT_CONCURRENCY),
    pollIntervalMs: positiveInteger(
      'pollIntervalMs',
      options.pollIntervalMs,
      DEFAULT_POLL_INTERVAL_MS,
    ),
    workerId:
      options.workerId ??
      `${os.hostname()}-${process.pid}-${crypto.randomBytes(3).toString('hex')}`,
    backoffMs: options.backoffMs,
    shutdownTimeoutMs: positiveInteger(
      'shutdownTimeoutMs',
      options.shutdownTimeoutMs,
      DEFAULT_SHUTDOWN_TIMEOUT_MS,
    ),
    heartbeatIntervalMs,
    staleAfterMs,
    logger: options.logger ?? consoleLogger,
  };
}

/** Delay before the next attempt, clamped so a buggy backoff cannot stall or spin the queue. */
export function retryDelayMs(backoff: (attempt: number) => number, attempt: number): number {
  const ms = backoff(attempt);
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(ms, 365 * 24 * 3600 * 1000);
}

export function validateTaskName(task: string): void {
  if (typeof task !== 'string' || task.length === 0 || task.length > MAX_TASK_NAME_LENGTH) {
    throw new TypeError(`task name must be 1-${MAX_TASK_NAME_LENGTH} characters`);
  }
}

export interface NormalizedEnqueue {
  runAt: Date | undefined;
  maxAttempts: number;
  key: string | undefined;
}

export function normalizeEnqueueOptions(options: EnqueueOptions | undefined): NormalizedEnqueue {
  const runAt = options?.runAt;
  if (runAt !== undefined && (!(runAt instanceof Date) || Number.isNaN(runAt.getTime()))) {
    throw new TypeError('runAt must be a valid Date');
  }
  const maxAttempts = positiveInteger('maxAttempts', options?.maxAttempts, DEFAULT_MAX_ATTEMPTS);
  if (maxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw new TypeError(`maxAttempts must be at most ${MAX_ATTEMPTS_LIMIT}`);
  }
  const key = options?.key;
  if (
    key !== undefined &&
    (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH)
  ) {
    throw new TypeError(`key must be 1-${MAX_KEY_LENGTH} characters`);
  }
  return { runAt, maxAttempts, key };
}

/**
 * An enqueueMany batch, validated. Items that share a key collapse into the last
 * one (as sequential enqueues would replace the pending job); `slot` maps each input item to
 * its job in `jobs`.
 */
export interface NormalizedBatch {
  jobs: Array<NormalizedEnqueue & { payload: unknown }>;
  slot: number[];
}

export function normalizeEnqueueBatch(
  items: ReadonlyArray<{ payload: unknown; options?: EnqueueOptions }>,
): NormalizedBatch {
  if (!Array.isArray(items)) throw new TypeError('enqueueMany() needs an array of items');
  const jobs: NormalizedBatch['jobs'] = [];
  const slot: number[] = [];
  const byKey = new Map<string, number>();
  for (const item of items) {
    if (!item || typeof item !== 'object') throw new TypeError('enqueueMany() items are objects');
    const job = { ...normalizeEnqueueOptions(item.options), payload: toJsonValue(item.payload) };
    const existing = job.key === undefined ? undefined : byKey.get(job.key);
    if (existing !== undefined) {
      jobs[existing] = job;
      slot.push(existing);
      continue;
    }
    if (job.key !== undefined) byKey.set(job.key, jobs.length);
    slot.push(jobs.length);
    jobs.push(job);
  }
  return { jobs, slot };
}

/** Payloads travel as JSON; `undefined` has no JSON form, so it is stored as null on both engines. */
export function toJsonValue(payload: unknown): unknown {
  return payload === undefined ? null : payload;
}

export interface RegisteredHandler {
  handler: TaskHandler<unknown>;
  /** Max parallel jobs of this task in this process (already capped at the total). */
  limit: number;
}

export class HandlerRegistry {
  readonly handlers = new Map<string, RegisteredHandler>();

  constructor(private readonly totalConcurrency: number) {}

  add<P>(
    task: string,
    handler: TaskHandler<P>,
    options: HandleOptions | undefined,
    started: boolean,
  ) {
    if (started) throw new Error(`handle('${task}') must be called before start()`);
    validateTaskName(task);
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    if (this.handlers.has(task)) throw new Error(`task '${task}' already has a handler`);
    const limit = positiveInteger('concurrency', options?.concurrency, this.totalConcurrency);
    this.handlers.set(task, {
      // The queue cannot check payload types at runtime; the handler's author owns P.
      handler: handler as TaskHandler<unknown>,
      limit: Math.min(limit, this.totalConcurrency),
    });
  }
}

/** Why a job's signal was aborted; available as `ctx.signal.reason`. */
export class TaskAbortError extends Error {
  constructor(readonly reason: 'cancelled' | 'shutdown') {
    super(reason === 'cancelled' ? 'The job was cancelled' : 'The task queue is shutting down');
    this.name = 'AbortError';
  }
}

export type JobOutcome =
  | { kind: 'success' }
  | { kind: 'error'; error: unknown }
  /** Cancelled while running: never retried, whatever the handler did. */
  | { kind: 'cancelled' }
  /** Cut short by stop(): released for another run without counting the attempt. */
  | { kind: 'interrupted' };

/** A job this process is running: its abort controller and how it is being wound down. */
export class RunningJob {
  readonly controller = new AbortController();
  cancelled = false;
  private shutdownAborted = false;
  private abandonedFlag = false;
  private abandonReject: ((reason: unknown) => void) | undefined;
  private readonly abandoned = new Promise<never>((_, reject) => {
    this.abandonReject = reject;
  });

  constructor(
    readonly id: string,
    readonly task: string,
  ) {
    // The race in run() may never observe this promise; keep Node from reporting it.
    this.abandoned.catch(() => undefined);
  }

  cancel() {
    if (this.cancelled) return;
    this.cancelled = true;
    this.controller.abort(new TaskAbortError('cancelled'));
  }

  abortForShutdown() {
    if (this.controller.signal.aborted) return;
    this.shutdownAborted = true;
    this.controller.abort(new TaskAbortError('shutdown'));
  }

  /** Stops waiting for a handler that ignored its signal; its job is released. */
  abandon() {
    this.abandonedFlag = true;
    this.abandonReject?.(new TaskAbortError('shutdown'));
  }

  async run(
    handler: TaskHandler<unknown>,
    payload: unknown,
    ctx: Omit<TaskContext, 'signal'>,
  ): Promise<JobOutcome> {
    let outcome: JobOutcome;
    try {
      // Promise.resolve().then(): a handler that throws synchronously is still a failed job.
      await Promise.race([
        Promise.resolve().then(() => handler(payload, { ...ctx, signal: this.controller.signal })),
        this.abandoned,
      ]);
      outcome = { kind: 'success' };
    } catch (error) {
      outcome = { kind: 'error', error };
    }
    // A cancelled job is never run again, even if stop() also cut it short.
    if (this.cancelled) return { kind: 'cancelled' };
    if (this.abandonedFlag) return { kind: 'interrupted' };
    if (outcome.kind === 'error' && this.shutdownAborted) return { kind: 'interrupted' };
    return outcome;
  }
}

/**
 * Bounded graceful drain shared by both drivers: wait for `settled`; after `timeoutMs` abort
 * the running jobs' signals; ABANDON_GRACE_MS later give up on handlers that ignore it.
 */
export async function drainRunningJobs(
  running: () => Iterable<RunningJob>,
  settled: () => Promise<void>,
  timeoutMs: number,
): Promise<void> {
  const abortTimer = setTimeout(() => {
    for (const job of running()) job.abortForShutdown();
  }, timeoutMs);
  const abandonTimer = setTimeout(() => {
    for (const job of running()) job.abandon();
  }, timeoutMs + ABANDON_GRACE_MS);
  try {
    await settled();
  } finally {
    clearTimeout(abortTimer);
    clearTimeout(abandonTimer);
  }
}

/** Logs at most once per interval: a database outage must not turn every poll into a log line. */
export function throttled(intervalMs: number) {
  let last = 0;
  return (log: () => void) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    log();
  };
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  const text = String(error);
  return text || 'Non-error thrown';
}

/**
 * Queues of this process, per database, so that cancel() can abort a job run by another
 * queue instance of the same process, and so the SQLite driver knows which lockers are alive.
 */
export interface LocalRunner {
  readonly workerId: string;
  /** Aborts the job if this runner is running it; true when it was. */
  cancelLocal(jobId: string): boolean;
  /** Nudges the runner to look for work now. */
  wake(): void;
}

const localRunners = new Map<string, Set<LocalRunner>>();

export function registerLocalRunner(database: string, runner: LocalRunner): () => void {
  let set = localRunners.get(database);
  if (!set) {
    set = new Set();
    localRunners.set(database, set);
  }
  set.add(runner);
  return () => {
    const current = localRunners.get(database);
    current?.delete(runner);
    if (current?.size === 0) localRunners.delete(database);
  };
}

export function localRunnersOf(database: string): LocalRunner[] {
  return [...(localRunners.get(database) ?? [])];
}

export function cancelLocally(database: string, jobId: string): boolean {
  let found = false;
  for (const runner of localRunnersOf(database)) {
    if (runner.cancelLocal(jobId)) found = true;
  }
  return found;
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
