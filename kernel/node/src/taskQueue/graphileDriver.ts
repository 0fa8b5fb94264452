import { EventEmitter } from 'node:events';
import {
  Logger,
  makeWorkerUtils,
  runTaskList,
  type Job,
  type JobHelpers,
  type Task,
  type TaskList,
  type WorkerEvents,
  type WorkerPool,
  type WorkerUtils,
} from 'graphile-worker';
import type { Knex } from 'knex';
import pg from 'pg';
import {
  HandlerRegistry,
  RunningJob,
  TaskAbortError,
  cancelLocally,
  throttled,
  drainRunningJobs,
  errorMessage,
  normalizeEnqueueBatch,
  normalizeEnqueueOptions,
  registerLocalRunner,
  retryDelayMs,
  toJsonValue,
  validateTaskName,
  type LocalRunner,
  type ResolvedOptions,
} from './shared';
import type {
  EnqueueItem,
  EnqueueOptions,
  HandleOptions,
  TaskHandler,
  TaskQueue,
  TaskQueueLogger,
  TaskQueueStats,
} from './types';

/** Liveness of graphile workers: one row per graphile worker id, refreshed by its process. */
export const WORKERS_TABLE = 'racine_task_workers';
const GRAPHILE_SCHEMA = 'graphile_worker';
/** pg_advisory_lock(int, int) key ('RACI', 'NETQ') serializing schema setup across processes. */
const SETUP_LOCK: [number, number] = [0x52414349, 0x4e455451];

/**
 * Payloads are wrapped so graphile never sees a top-level array: it would merge array payloads
 * on job-key replacement and treat them as "batch jobs".
 */
interface Envelope {
  payload: unknown;
  /** enqueueMany: the job's position in its batch, to map add_jobs' rows back to the items. */
  i?: number;
}

/** Every job carries its task as a flag so per-task limits can be enforced via forbiddenFlags. */
const taskFlag = (task: string) => `task:${task}`;

interface Connection {
  pgPool: pg.Pool;
  utils: WorkerUtils;
  database: string;
}

type State = 'idle' | 'starting' | 'started' | 'stopping' | 'stopped';

export async function pgPoolConfigFromKnex(knex: Knex): Promise<pg.PoolConfig> {
  const config = knex.client.config as Knex.Config;
  let connection: unknown = config.connection;
  if (typeof connection === 'function') connection = await connection();
  if (typeof connection === 'string') return { connectionString: connection };
  if (connection && typeof connection === 'object') {
    // knex-only keys; the rest is node-postgres ClientConfig, which is what knex hands to pg.
    const { expirationChecker: _expirationChecker, ...rest } = connection as Record<
      string,
      unknown
    >;
    return rest as pg.PoolConfig;
  }
  throw new Error('Cannot derive a PostgreSQL connection from the knex configuration');
}

function databaseIdentity(config: pg.PoolConfig): string {
  if (config.connectionString) {
    try {
      const url = new URL(config.connectionString);
      return `pg:${url.hostname}:${url.port || 5432}${url.pathname}`;
    } catch {
      return `pg:${config.connectionString}`;
    }
  }
  return `pg:${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
}

/** Forwards graphile's own log lines, minus per-job chatter (we log job failures ourselves). */
function graphileLogger(logger: TaskQueueLogger): Logger {
  return new Logger(scope => (level, message, meta) => {
    if (meta?.failure || meta?.success) return;
    const context = { ...scope, component: 'graphile-worker' };
    switch (level as string) {
      case 'error':
        logger.error(message, context);
        break;
      case 'warning':
        logger.warn(message, context);
        break;
      case 'info':
        logger.info(message, context);
        break;
      default:
        break; // debug
    }
  });
}

/** Runs `fn` while holding a session advisory lock on a dedicated client. */
async function withSetupLock<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1::int, $2::int)', SETUP_LOCK);
    try {
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock($1::int, $2::int)', SETUP_LOCK);
    }
  } finally {
    client.release();
  }
}

/**
 * PostgreSQL driver on graphile-worker 0.16. Any number of processes share the work through
 * graphile's SKIP LOCKED job fetch and LISTEN/NOTIFY. On top of graphile it adds: per-task
 * concurrency (forbiddenFlags + task flags), a configurable retry backoff (rescheduling after
 * graphile's failJob), cancellation of running jobs, and liveness (heartbeats + forceUnlockWorkers)
 * so a killed process's jobs run again within `staleAfterMs` instead of graphile's 4 hours.
 */
export class GraphileTaskQueue implements TaskQueue, LocalRunner {
  readonly driver = 'graphile-worker' as const;
  readonly workerId: string;
  private readonly logger: TaskQueueLogger;
  private readonly registry: HandlerRegistry;
  private state: State = 'idle';
  private connection: Promise<Connection> | undefined;
  private startPromise: Promise<void> | undefined;
  private stopPromise: Promise<void> | undefined;
  private workerPool: WorkerPool | undefined;
  private unregisterRunner: (() => void) | undefined;

  /** Jobs running in this process, by job id. */
  private readonly active = new Map<string, RunningJob>();
  /** The job each graphile worker of this process is running, for per-task counts. */
  private readonly jobByWorker = new Map<string, Job>();
  private readonly runningByTask = new Map<string, number>();
  /** Jobs cut short by stop(), whose attempt is given back once graphile has released them. */
  private readonly interrupted = new Set<string>();
  /** Reschedules issued after graphile finished a job; stop() waits for them. */
  private readonly followUps = new Set<Promise<void>>();

  /** Graphile worker ids of this process (graphile assigns `worker-<random>` to each). */
  private readonly graphileWorkerIds: string[] = [];
  /** Heartbeat rows exist: until then workers must not lock jobs (a crash would orphan them). */
  private registered = false;
  private ready: Promise<void> = Promise.resolve();
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private heartbeatInFlight: Promise<void> | undefined;

  /**
   * With per-task limits below the total, job fetches are serialized so each fetch sees the
   * counts left by the previous one (otherwise two idle workers could both take task X's
   * last slot). Released by the event that ends the fetch.
   */
  private readonly serializeFetches: () => boolean;
  private fetchBusy = false;
  private readonly fetchWaiters: Array<() => void> = [];
  private readonly fetchErrorLog = throttled(30_000);

  constructor(
    private readonly knex: Knex,
    private readonly options: ResolvedOptions,
  ) {
    this.workerId = options.workerId;
    this.logger = options.logger;
    this.registry = new HandlerRegistry(options.concurrency);
    this.serializeFetches = () =>
      [...this.registry.handlers.values()].some(h => h.limit < options.concurrency);
  }

  handle<P>(task: string, handler: TaskHandler<P>, options?: HandleOptions): void {
    this.registry.add(task, handler, options, this.state !== 'idle');
  }

  async enqueue<P>(task: string, payload: P, options?: EnqueueOptions): Promise<{ id: string }> {
    validateTaskName(task);
    const { runAt, maxAttempts, key } = normalizeEnqueueOptions(options);
    const { utils } = await this.connect();
    const envelope: Envelope = { payload: toJsonValue(payload) };
    // add_job can return no row if a keyed job is locked between its two statements; once more
    // then sees the lock and adds a fresh job.
    for (let attempt = 0; attempt < 2; attempt++) {
      const job = await utils.addJob(task, envelope, {
        runAt,
        maxAttempts,
        jobKey: key,
        jobKeyMode: 'replace',
        flags: [taskFlag(task)],
      });
      if (job?.id != null) return { id: String(job.id) };
    }
    throw new Error(`Could not enqueue '${task}': its key was contended`);
  }

  async enqueueMany<P>(
    task: string,
    items: ReadonlyArray<EnqueueItem<P>>,
  ): Promise<{ id: string }[]> {
    validateTaskName(task);
    const { jobs, slot } = normalizeEnqueueBatch(items);
    if (jobs.length === 0) return [];
    const { utils } = await this.connect();
    const ids: Array<string | undefined> = new Array(jobs.length);
    let missing = jobs.map((_, index) => index);
    // graphile's add_jobs (what add_job runs in 'replace' mode), one statement for the batch.
    // Its rows come back in no particular order, hence the position in the envelope. As in
    // enqueue(), a keyed job locked between its two statements yields no row: once more.
    for (let attempt = 0; attempt < 2 && missing.length > 0; attempt++) {
      const specs = missing.map(index => {
        const job = jobs[index];
        const envelope: Envelope = { payload: job.payload, i: index };
        return {
          envelope,
          runAt: job.runAt?.toISOString() ?? null,
          maxAttempts: job.maxAttempts,
          key: job.key ?? null,
        };
      });
      const { rows } = await utils.withPgClient(client =>
        client.query<{ id: string; i: number }>(
          `select jobs.id::text as id, (jobs.payload->>'i')::int as i
           from ${GRAPHILE_SCHEMA}.add_jobs(array(
             select row(
               $1::text, spec->'envelope', null::text, (spec->>'runAt')::timestamptz,
               (spec->>'maxAttempts')::int, spec->>'key', null::int, array[$2::text]
             )::${GRAPHILE_SCHEMA}.job_spec
             from json_array_elements($3::json) with ordinality as specs (spec, n)
             order by n
           )) as jobs`,
          [task, taskFlag(task), JSON.stringify(specs)],
        ),
      );
      for (const row of rows) ids[row.i] = row.id;
      missing = missing.filter(index => ids[index] === undefined);
    }
    if (missing.length > 0) {
      throw new Error(`Could not enqueue '${task}': ${missing.length} key(s) were contended`);
    }
    return slot.map(index => ({ id: ids[index]! }));
  }

  async cancel(idOrKey: { id?: string; key?: string }): Promise<boolean> {
    const { id, key } = idOrKey;
    if (id === undefined && key === undefined) throw new TypeError('cancel() needs an id or a key');
    const { utils, database } = await this.connect();
    if (id !== undefined) {
      if (!/^\d+$/.test(id)) return false;
      const { rows } = await utils.withPgClient(client =>
        client.query<{ locked: boolean }>(
          `select locked_at is not null as locked from ${GRAPHILE_SCHEMA}.jobs where id = $1::bigint and ($2::text is null or key = $2::text)`,
          [id, key ?? null],
        ),
      );
      if (rows.length === 0) return false;
      if (!rows[0].locked) {
        const deleted = await utils.completeJobs([id]);
        if (deleted.length > 0) return true;
      }
      // Running (or locked since): prevent any retry and free the key, like graphile's
      // remove_job does for keyed jobs. There is no public function for this by id.
      const { rowCount } = await utils.withPgClient(client =>
        client.query(
          `update ${GRAPHILE_SCHEMA}._private_jobs set attempts = max_attempts, key = null, updated_at = now() where id = $1::bigint and locked_at is not null`,
          [id],
        ),
      );
      cancelLocally(database, id);
      return (rowCount ?? 0) > 0;
    }
    const { rows } = await utils.withPgClient(client =>
      client.query<{ id: string | null; locked_at: Date | null }>(
        `select id::text as id, locked_at from ${GRAPHILE_SCHEMA}.remove_job($1::text)`,
        [key],
      ),
    );
    const removed = rows[0];
    if (!removed?.id) return false;
    if (removed.locked_at) cancelLocally(database, removed.id);
    return true;
  }

  async stats(): Promise<TaskQueueStats> {
    const { utils } = await this.connect();
    const { rows } = await utils.withPgClient(client =>
      client.query<TaskQueueStats>(
        `select
           count(*) filter (where locked_at is null and attempts < max_attempts)::int as pending,
           count(*) filter (where locked_at is not null)::int as running,
           count(*) filter (where locked_at is null and attempts >= max_attempts)::int as failed
         from ${GRAPHILE_SCHEMA}.jobs`,
      ),
    );
    return rows[0];
  }

  start(): Promise<void> {
    if (this.state !== 'idle') {
      return Promise.reject(new Error(`TaskQueue cannot start: it is ${this.state}`));
    }
    this.state = 'starting';
    this.startPromise = this.doStart();
    return this.startPromise;
  }

  stop(): Promise<void> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  cancelLocal(jobId: string): boolean {
    const job = this.active.get(jobId);
    job?.cancel();
    return job !== undefined;
  }

  wake(): void {
    // graphile's LISTEN/NOTIFY already wakes idle workers on insert.
  }

  private connect(): Promise<Connection> {
    if (this.state === 'stopped' || this.state === 'stopping') {
      return Promise.reject(new Error('TaskQueue is stopped'));
    }
    if (!this.connection) {
      this.connection = this.openConnection();
      // A failed attempt (database down) must not poison later calls.
      this.connection.catch(() => {
        this.connection = undefined;
      });
    }
    return this.connection;
  }

  private async openConnection(): Promise<Connection> {
    const config = await pgPoolConfigFromKnex(this.knex);
    // Workers + LISTEN client + utils/heartbeat queries + the setup lock's client.
    const pgPool = new pg.Pool({ ...config, max: this.options.concurrency + 4 });
    pgPool.on('error', error => {
      this.logger.warn('Idle PostgreSQL client of the task queue failed', {
        error: errorMessage(error),
      });
    });
    try {
      // makeWorkerUtils installs/migrates graphile's schema; serialize with other processes.
      const utils = await withSetupLock(pgPool, () =>
        makeWorkerUtils({ pgPool, logger: graphileLogger(this.logger) }),
      );
      return { pgPool, utils, database: databaseIdentity(config) };
    } catch (error) {
      await pgPool.end().catch(() => undefined);
      throw error;
    }
  }

  private async doStart(): Promise<void> {
    const { pgPool, database } = await this.connect();
    if (this.state !== 'starting') return; // stop() was called meanwhile
    if (this.registry.handlers.size === 0) {
      this.logger.info('Task queue started without handlers; it will only enqueue');
      this.state = 'started';
      return;
    }
    await this.knex.transaction(async trx => {
      await trx.raw('select pg_advisory_xact_lock(?::int, ?::int)', SETUP_LOCK);
      await trx.raw(
        `create table if not exists ?? (
           worker_id text primary key,
           owner text not null,
           heartbeat_at timestamptz not null default now()
         )`,
        [WORKERS_TABLE],
      );
    });
    await this.sweepDeadWorkers().catch(error => {
      this.logger.warn('Could not release jobs of dead task workers', {
        error: errorMessage(error),
      });
    });
    if (this.state !== 'starting') return;

    this.unregisterRunner = registerLocalRunner(database, this);
    const events: WorkerEvents = new EventEmitter();
    this.listen(events);
    let markReady: () => void = () => undefined;
    this.ready = new Promise<void>(resolve => {
      markReady = resolve;
    });
    this.state = 'started';
    // Creates the graphile workers synchronously (each emits worker:create) and starts them;
    // their first fetch waits in forbiddenFlags until the heartbeat rows are written.
    this.workerPool = runTaskList(
      {
        concurrency: this.options.concurrency,
        pollInterval: this.options.pollIntervalMs,
        logger: graphileLogger(this.logger),
        events,
        forbiddenFlags: () => this.forbiddenFlags(),
        // Backstage (or the worker script) owns process signals and calls stop().
        noHandleSignals: true,
        // We abort our own signals in stop(); keep graphile's pool-level abort out of the way.
        gracefulShutdownAbortTimeout: this.options.shutdownTimeoutMs * 2 + 60_000,
      },
      this.taskList(),
      pgPool,
    );
    this.workerPool.promise.catch(error => {
      this.logger.error('Task worker pool failed', { error: errorMessage(error) });
    });
    await this.heartbeat();
    markReady();
    this.heartbeatTimer = setInterval(() => {
      if (this.heartbeatInFlight) return;
      this.heartbeatInFlight = this.heartbeat().finally(() => {
        this.heartbeatInFlight = undefined;
      });
    }, this.options.heartbeatIntervalMs);
  }

  private taskList(): TaskList {
    const list: TaskList = {};
    for (const [task, { handler }] of this.registry.handlers) {
      const run: Task = async (raw: unknown, helpers: JobHelpers) => {
        const { job } = helpers;
        const id = String(job.id);
        const running = new RunningJob(id, task);
        this.active.set(id, running);
        try {
          const payload = (raw as Envelope | null)?.payload ?? null;
          const outcome = await running.run(handler, payload, {
            jobId: id,
            attempt: job.attempts,
            maxAttempts: job.max_attempts,
          });
          switch (outcome.kind) {
            case 'success':
            case 'cancelled':
              return; // graphile completes (deletes) the job
            case 'interrupted':
              this.interrupted.add(id);
              throw new TaskAbortError('shutdown');
            case 'error':
              // graphile treats a falsy throw as success and needs `.message`: normalize.
              throw outcome.error instanceof Error
                ? outcome.error
                : new Error(errorMessage(outcome.error));
          }
        } finally {
          this.active.delete(id);
        }
      };
      list[task] = run;
    }
    return list;
  }

  private listen(events: WorkerEvents) {
    events.on('worker:create', ({ worker }) => {
      this.graphileWorkerIds.push(worker.workerId);
    });
    events.on('job:start', ({ worker, job }) => {
      this.jobByWorker.set(worker.workerId, job);
      this.adjustRunning(job.task_identifier, +1);
      this.releaseFetch();
    });
    events.on('worker:getJob:empty', () => this.releaseFetch());
    events.on('worker:getJob:error', ({ error }) => {
      this.releaseFetch();
      this.fetchErrorLog(() =>
        this.logger.warn('Task worker could not fetch a job', { error: errorMessage(error) }),
      );
    });
    events.on('job:complete', ({ worker, job, error }) => {
      this.jobFinished(worker.workerId);
      if (!error) return;
      const id = String(job.id);
      if (this.interrupted.delete(id)) {
        this.track(this.giveBackAttempt(job));
        return;
      }
      this.logger.warn(`Task '${job.task_identifier}' job ${id} failed`, {
        attempt: job.attempts,
        maxAttempts: job.max_attempts,
        error: errorMessage(error),
      });
      if (job.attempts < job.max_attempts && this.options.backoffMs) {
        this.track(this.rescheduleRetry(job, this.options.backoffMs));
      }
    });
    events.on('worker:fatalError', ({ worker, error }) => {
      // graphile could not record a job's outcome (connection lost); that worker is gone and
      // the job stays locked until the heartbeat-based or 4-hour unlock.
      this.jobFinished(worker.workerId);
      this.logger.error('Task worker stopped after a fatal error', { error: errorMessage(error) });
    });
  }

  private jobFinished(graphileWorkerId: string) {
    const job = this.jobByWorker.get(graphileWorkerId);
    if (!job) return;
    this.jobByWorker.delete(graphileWorkerId);
    this.adjustRunning(job.task_identifier, -1);
  }

  private adjustRunning(task: string, delta: number) {
    this.runningByTask.set(task, Math.max(0, (this.runningByTask.get(task) ?? 0) + delta));
  }

  /** Called by each graphile worker before every fetch: which task flags it must skip. */
  private async forbiddenFlags(): Promise<string[] | null> {
    // Never throws: every call must be matched by exactly one fetch-ending event.
    const serialize = this.serializeFetches();
    if (serialize) await this.acquireFetch();
    await this.ready;
    const all = [...this.registry.handlers.keys()].map(taskFlag);
    if (this.state !== 'started' || !this.registered) return all;
    if (!serialize) return null;
    const full: string[] = [];
    for (const [task, { limit }] of this.registry.handlers) {
      if ((this.runningByTask.get(task) ?? 0) >= limit) full.push(taskFlag(task));
    }
    return full.length > 0 ? full : null;
  }

  private acquireFetch(): Promise<void> {
    if (!this.serializeFetches()) return Promise.resolve();
    if (!this.fetchBusy) {
      this.fetchBusy = true;
      return Promise.resolve();
    }
    return new Promise(resolve => this.fetchWaiters.push(resolve));
  }

  private releaseFetch() {
    if (!this.serializeFetches()) return;
    const next = this.fetchWaiters.shift();
    if (next) next();
    else this.fetchBusy = false;
  }

  private track(promise: Promise<void>) {
    const tracked = promise
      .catch(error => {
        this.logger.warn('Could not reschedule a task job', { error: errorMessage(error) });
      })
      .finally(() => this.followUps.delete(tracked));
    this.followUps.add(tracked);
  }

  /** graphile's failJob delays by exp(attempts) s; move the run to our own backoff instead. */
  private async rescheduleRetry(job: Job, backoff: (attempt: number) => number) {
    const connection = await this.connection;
    if (!connection) return;
    await connection.utils.withPgClient(client =>
      client.query(
        `select from ${GRAPHILE_SCHEMA}.reschedule_jobs(array[$1::bigint], run_at := now() + $2::int * interval '1 millisecond')`,
        [String(job.id), Math.round(retryDelayMs(backoff, job.attempts))],
      ),
    );
  }

  /**
   * A job interrupted by stop() did not really fail: make it due now with the attempt given
   * back. Guarded on `attempts` so a concurrent cancel (attempts := max_attempts) wins.
   */
  private async giveBackAttempt(job: Job) {
    const connection = await this.connection;
    if (!connection) return;
    await connection.utils.withPgClient(client =>
      client.query(
        `select from ${GRAPHILE_SCHEMA}.reschedule_jobs(
           array(select id from ${GRAPHILE_SCHEMA}.jobs where id = $1::bigint and attempts = $2::int and locked_at is null),
           run_at := now(), attempts := $3::int)`,
        [String(job.id), job.attempts, Math.max(0, job.attempts - 1)],
      ),
    );
  }

  private async heartbeat(): Promise<void> {
    try {
      if (this.graphileWorkerIds.length > 0) {
        await this.knex(WORKERS_TABLE)
          .insert(
            this.graphileWorkerIds.map(id => ({
              worker_id: id,
              owner: this.workerId,
              heartbeat_at: this.knex.fn.now(),
            })),
          )
          .onConflict('worker_id')
          .merge(['heartbeat_at', 'owner']);
      }
      this.registered = true;
    } catch (error) {
      this.logger.warn('Task queue heartbeat failed', { error: errorMessage(error) });
    }
    try {
      await this.sweepDeadWorkers();
    } catch (error) {
      this.logger.warn('Could not release jobs of dead task workers', {
        error: errorMessage(error),
      });
    }
  }

  /** Releases the jobs of workers (in any process) whose heartbeat is older than staleAfterMs. */
  private async sweepDeadWorkers(): Promise<void> {
    // Not connect(): a heartbeat may still be in flight while stop() runs.
    const connection = await this.connection;
    if (!connection) return;
    const staleBefore = () =>
      this.knex.raw(`now() - ?::int * interval '1 millisecond'`, [this.options.staleAfterMs]);
    const stale: string[] = await this.knex(WORKERS_TABLE)
      .where('heartbeat_at', '<', staleBefore())
      // We are alive by definition, even if our own heartbeats failed for a while.
      .whereNotIn('worker_id', this.graphileWorkerIds)
      .pluck('worker_id');
    if (stale.length === 0) return;
    // Unlock first, then forget: if we die in between, the next sweep simply repeats it.
    await connection.utils.forceUnlockWorkers(stale);
    await this.knex(WORKERS_TABLE)
      .whereIn('worker_id', stale)
      .andWhere('heartbeat_at', '<', staleBefore())
      .del();
    this.logger.warn(`Released the jobs of ${stale.length} dead task worker(s)`, {
      workerIds: stale,
    });
  }

  private async doStop(): Promise<void> {
    this.state = 'stopping';
    await this.startPromise?.catch(() => undefined);
    const workerPool = this.workerPool;
    if (workerPool) {
      await drainRunningJobs(
        () => this.active.values(),
        () => workerPool.gracefulShutdown('Racine task queue is stopping'),
        this.options.shutdownTimeoutMs,
      );
    }
    while (this.followUps.size > 0) await Promise.all([...this.followUps]);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    await this.heartbeatInFlight;
    this.unregisterRunner?.();
    if (this.graphileWorkerIds.length > 0) {
      await this.knex(WORKERS_TABLE)
        .whereIn('worker_id', this.graphileWorkerIds)
        .del()
        .catch(error => {
          this.logger.warn('Could not remove task worker heartbeats', {
            error: errorMessage(error),
          });
        });
    }
    const connection = await this.connection?.catch(() => undefined);
    this.state = 'stopped';
    if (connection) {
      await Promise.resolve()
        .then(() => connection.utils.release())
        .catch(() => undefined);
      await connection.pgPool.end().catch(() => undefined);
    }
  }
}
