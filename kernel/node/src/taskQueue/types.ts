import type { Knex } from 'knex';

/** What a handler learns about the job it is running. */
export interface TaskContext {
  /** The job id (stable across retries of the same job). */
  jobId: string;
  /** 1-based: 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  maxAttempts: number;
  /** Aborted when the job is cancelled or the queue is stopping (see README). */
  signal: AbortSignal;
}

export type TaskHandler<P> = (payload: P, ctx: TaskContext) => Promise<void>;

export interface EnqueueOptions {
  /** Do not run before this time. Default: now. */
  runAt?: Date;
  /** Runs (first run + retries) before the job is permanently failed. Default 5. */
  maxAttempts?: number;
  /**
   * Job-key de-duplication: enqueueing the same key again replaces the pending job's task,
   * payload, runAt and maxAttempts (and resets its attempts) instead of adding a second job.
   * If the keyed job is already running, it keeps running but will not be retried, and a new
   * pending job is added under the key.
   */
  key?: string;
}

export interface EnqueueItem<P> {
  payload: P;
  options?: EnqueueOptions;
}

export interface HandleOptions {
  /** Max parallel jobs of this task in this process. Default: the queue's total concurrency. */
  concurrency?: number;
}

export interface TaskQueueStats {
  /** Waiting to run, including jobs scheduled in the future and jobs waiting for a retry. */
  pending: number;
  /** Locked by a worker (in any process). */
  running: number;
  /** Permanently failed (exhausted maxAttempts). Kept for inspection. */
  failed: number;
}

export interface TaskQueue {
  readonly driver: 'sqlite' | 'graphile-worker';
  /** Registers the handler of a task. Call before start(); each task has one handler. */
  handle<P>(task: string, handler: TaskHandler<P>, options?: HandleOptions): void;
  enqueue<P>(task: string, payload: P, options?: EnqueueOptions): Promise<{ id: string }>;
  /**
   * Enqueues many jobs of one task in one round trip (PostgreSQL: graphile's add_jobs; SQLite:
   * one transaction of multi-row inserts). Same semantics as calling enqueue() for each item
   * in order, including job keys: a key repeated in the batch keeps its last item, and every
   * item with that key gets the same id. Every item is validated before anything is written.
   * Resolves the ids in the order of `items`. Callers chunk large sets (e.g. 500 per call).
   */
  enqueueMany<P>(task: string, items: ReadonlyArray<EnqueueItem<P>>): Promise<{ id: string }[]>;
  /**
   * Removes a pending (or permanently failed) job. A running job is not retried; if it runs in
   * this process its signal is aborted. Resolves false when no such job exists.
   */
  cancel(idOrKey: { id?: string; key?: string }): Promise<boolean>;
  stats(): Promise<TaskQueueStats>;
  /** Begins working. An enqueue-only process never calls it. */
  start(): Promise<void>;
  /**
   * Graceful: stops taking jobs, waits for running ones (bounded by `shutdownTimeoutMs`, then
   * their signals are aborted, and jobs still running 1 s later are released for another
   * worker without counting the attempt), releases locks and connections. Idempotent.
   */
  stop(): Promise<void>;
}

/** Structurally compatible with Backstage's `LoggerService`. */
export interface TaskQueueLogger {
  info(message: string, meta?: object): void;
  warn(message: string, meta?: object): void;
  error(message: string, meta?: object): void;
}

export interface CreateTaskQueueOptions {
  knex: Knex;
  logger?: TaskQueueLogger;
  /** Total parallel jobs in this process. Default 4. */
  concurrency?: number;
  /**
   * How often idle workers look for due jobs (run-at delays, retries, jobs released by dead
   * workers). New jobs are picked up immediately (PostgreSQL LISTEN/NOTIFY; on SQLite an
   * in-process wake-up). Default 1000 ms.
   */
  pollIntervalMs?: number;
  /** Identifies this process in locks and logs. Default: `<hostname>-<pid>-<random>`. */
  workerId?: string;
  /**
   * Delay before retry number `attempt` (the attempt that just failed, 1-based). Default:
   * graphile-worker's `exp(min(attempt, 10))` seconds, on both drivers.
   */
  backoffMs?: (attempt: number) => number;
  /** How long stop() waits for running handlers before aborting their signals. Default 10 s. */
  shutdownTimeoutMs?: number;
  /** PostgreSQL: how often this process proves it is alive. Default 5 s. */
  heartbeatIntervalMs?: number;
  /**
   * PostgreSQL: a worker whose heartbeat is older than this is presumed dead and its jobs are
   * released for others. Must comfortably exceed heartbeatIntervalMs. Default 15 s.
   */
  staleAfterMs?: number;
}
