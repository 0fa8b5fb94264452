import path from 'node:path';
import type { Knex } from 'knex';
import { isBetterSqlite, withSqliteConnection } from '../database/sqliteTransaction';
import {
  HandlerRegistry,
  RunningJob,
  cancelLocally,
  defaultBackoffMs,
  drainRunningJobs,
  errorMessage,
  localRunnersOf,
  normalizeEnqueueBatch,
  normalizeEnqueueOptions,
  registerLocalRunner,
  retryDelayMs,
  sleep,
  throttled,
  toJsonValue,
  validateTaskName,
  type JobOutcome,
  type LocalRunner,
  type ResolvedOptions,
} from './shared';
import type {
  EnqueueItem,
  EnqueueOptions,
  HandleOptions,
  TaskHandler,
  TaskQueue,
  TaskQueueStats,
} from './types';

export const JOBS_TABLE = 'racine_task_jobs';

/** One statement per entry: better-sqlite3 prepares a single statement at a time. */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${JOBS_TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task TEXT NOT NULL,
    payload TEXT NOT NULL,
    "key" TEXT,
    run_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    last_error TEXT,
    locked_by TEXT,
    locked_at INTEGER,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'failed')),
    created_at INTEGER NOT NULL
  )`,
  // NULLs are distinct in a SQLite unique index: unique when not null.
  `CREATE UNIQUE INDEX IF NOT EXISTS ${JOBS_TABLE}_key ON ${JOBS_TABLE} ("key")`,
  `CREATE INDEX IF NOT EXISTS ${JOBS_TABLE}_due ON ${JOBS_TABLE} (state, run_at)`,
];

interface ClaimedRow {
  id: number;
  task: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

type State = 'idle' | 'starting' | 'started' | 'stopping' | 'stopped';

/** Both sqlite dialects of knex return the rows of a raw statement that yields rows. */
function rows<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : [];
}

/** Rows per multi-row INSERT of enqueueMany: 6 bindings each, far below SQLite's 32,766. */
const INSERT_BATCH_ROWS = 1000;
/** Bindings per `IN (...)` list. */
const IN_LIST_SIZE = 500;

const placeholders = (count: number) => Array.from({ length: count }, () => '?').join(', ');

let memoryDatabaseCounter = 0;
const memoryDatabaseIds = new WeakMap<Knex, string>();

/** Queues of this process that use the same SQLite file share liveness and wake-ups. */
function databaseIdentity(knex: Knex): string {
  const connection: unknown = (knex.client.config as Knex.Config).connection;
  const filename =
    typeof connection === 'string'
      ? connection
      : connection && typeof connection === 'object' && 'filename' in connection
        ? String((connection as { filename: unknown }).filename)
        : undefined;
  if (filename && filename !== ':memory:' && !filename.startsWith('file:')) {
    return `sqlite:${path.resolve(filename)}`;
  }
  // In-memory (or URI) databases: one per knex instance as far as we can tell.
  let id = memoryDatabaseIds.get(knex);
  if (!id) {
    id = `sqlite-memory:${++memoryDatabaseCounter}`;
    memoryDatabaseIds.set(knex, id);
  }
  return id;
}

/**
 * SQLite driver: an in-process runner over the persisted `racine_task_jobs` table. A SQLite
 * file belongs to one process, so on start every job locked by a runner that is not alive in
 * this process is released (its process died mid-job). Idle runners poll every
 * `pollIntervalMs` (sooner when a scheduled job falls due) and are woken at once by an enqueue
 * from any queue of this process.
 */
export class SqliteTaskQueue implements TaskQueue, LocalRunner {
  readonly driver = 'sqlite' as const;
  readonly workerId: string;
  private readonly database: string;
  private readonly registry: HandlerRegistry;
  private state: State = 'idle';
  private schemaReady: Promise<void> | undefined;
  private startPromise: Promise<void> | undefined;
  private stopPromise: Promise<void> | undefined;
  private unregisterRunner: (() => void) | undefined;

  private readonly active = new Map<string, { job: RunningJob; done: Promise<void> }>();
  private readonly runningByTask = new Map<string, number>();
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly fetchErrorLog = throttled(30_000);
  /** better-sqlite3: claim and delete on the connection directly (`withSqliteConnection`). */
  private readonly direct: boolean;

  constructor(
    private readonly knex: Knex,
    private readonly options: ResolvedOptions,
  ) {
    this.workerId = options.workerId;
    this.database = databaseIdentity(knex);
    this.direct = isBetterSqlite(knex);
    this.registry = new HandlerRegistry(options.concurrency);
  }

  handle<P>(task: string, handler: TaskHandler<P>, options?: HandleOptions): void {
    this.registry.add(task, handler, options, this.state !== 'idle');
  }

  async enqueue<P>(task: string, payload: P, options?: EnqueueOptions): Promise<{ id: string }> {
    this.assertOpen();
    validateTaskName(task);
    const { runAt, maxAttempts, key } = normalizeEnqueueOptions(options);
    const json = JSON.stringify(toJsonValue(payload));
    await this.ensureSchema();
    const now = Date.now();
    const id = await this.knex.transaction(async trx => {
      if (key !== undefined) {
        // A running job under this key keeps running but is not retried; the new enqueue
        // becomes a fresh job (graphile-worker's job-key semantics).
        await trx.raw(
          `UPDATE ${JOBS_TABLE} SET "key" = NULL, max_attempts = attempts WHERE "key" = ? AND state = 'running'`,
          [key],
        );
      }
      const inserted = rows<{ id: number }>(
        await trx.raw(
          `INSERT INTO ${JOBS_TABLE} (task, payload, "key", run_at, attempts, max_attempts, state, created_at)
           VALUES (?, ?, ?, ?, 0, ?, 'pending', ?)
           ON CONFLICT ("key") DO UPDATE SET
             task = excluded.task, payload = excluded.payload, run_at = excluded.run_at,
             max_attempts = excluded.max_attempts, attempts = 0, last_error = NULL,
             state = 'pending', locked_by = NULL, locked_at = NULL
           RETURNING id`,
          [task, json, key ?? null, runAt?.getTime() ?? now, maxAttempts, now],
        ),
      );
      return inserted[0].id;
    });
    for (const runner of localRunnersOf(this.database)) runner.wake();
    return { id: String(id) };
  }

  async enqueueMany<P>(
    task: string,
    items: ReadonlyArray<EnqueueItem<P>>,
  ): Promise<{ id: string }[]> {
    this.assertOpen();
    validateTaskName(task);
    const { jobs, slot } = normalizeEnqueueBatch(items);
    if (jobs.length === 0) return [];
    await this.ensureSchema();
    const now = Date.now();
    const ids = await this.knex.transaction(async trx => {
      const keys = jobs.flatMap(job => (job.key === undefined ? [] : [job.key]));
      for (let start = 0; start < keys.length; start += IN_LIST_SIZE) {
        const chunk = keys.slice(start, start + IN_LIST_SIZE);
        // As in enqueue(): a running keyed job is not retried, the new item is a fresh job.
        await trx.raw(
          `UPDATE ${JOBS_TABLE} SET "key" = NULL, max_attempts = attempts WHERE "key" IN (${placeholders(chunk.length)}) AND state = 'running'`,
          chunk,
        );
      }
      const jobIds: number[] = [];
      for (let start = 0; start < jobs.length; start += INSERT_BATCH_ROWS) {
        const chunk = jobs.slice(start, start + INSERT_BATCH_ROWS);
        const inserted = rows<{ id: number; key: string | null }>(
          await trx.raw(
            `INSERT INTO ${JOBS_TABLE} (task, payload, "key", run_at, attempts, max_attempts, state, created_at)
             VALUES ${chunk.map(() => `(?, ?, ?, ?, 0, ?, 'pending', ?)`).join(', ')}
             ON CONFLICT ("key") DO UPDATE SET
               task = excluded.task, payload = excluded.payload, run_at = excluded.run_at,
               max_attempts = excluded.max_attempts, attempts = 0, last_error = NULL,
               state = 'pending', locked_by = NULL, locked_at = NULL
             RETURNING id, "key"`,
            chunk.flatMap(job => [
              task,
              JSON.stringify(job.payload),
              job.key ?? null,
              job.runAt?.getTime() ?? now,
              job.maxAttempts,
              now,
            ]),
          ),
        );
        // RETURNING order is unspecified: keyed rows map by key; unkeyed rows were all new
        // rows of this statement, inserted in VALUES order with increasing AUTOINCREMENT ids.
        const idByKey = new Map<string, number>();
        const fresh: number[] = [];
        for (const row of inserted) {
          if (row.key === null) fresh.push(row.id);
          else idByKey.set(row.key, row.id);
        }
        fresh.sort((a, b) => a - b);
        let next = 0;
        for (const job of chunk) {
          const id = job.key === undefined ? fresh[next++] : idByKey.get(job.key);
          if (id === undefined) throw new Error(`Could not enqueue '${task}': a job went missing`);
          jobIds.push(id);
        }
      }
      return jobIds;
    });
    for (const runner of localRunnersOf(this.database)) runner.wake();
    return slot.map(index => ({ id: String(ids[index]) }));
  }

  async cancel(idOrKey: { id?: string; key?: string }): Promise<boolean> {
    const { id, key } = idOrKey;
    if (id === undefined && key === undefined) throw new TypeError('cancel() needs an id or a key');
    this.assertOpen();
    if (id !== undefined && !/^\d+$/.test(id)) return false;
    await this.ensureSchema();
    const conditions: string[] = [];
    const bindings: Array<string | number> = [];
    if (id !== undefined) {
      conditions.push('id = ?');
      bindings.push(Number(id));
    }
    if (key !== undefined) {
      conditions.push('"key" = ?');
      bindings.push(key);
    }
    const where = conditions.join(' AND ');
    const runningId = await this.knex.transaction(async trx => {
      const deleted = rows(
        await trx.raw(
          `DELETE FROM ${JOBS_TABLE} WHERE ${where} AND state <> 'running' RETURNING id`,
          bindings,
        ),
      );
      if (deleted.length > 0) return null;
      // Running: never retry it, and free its key for a new job.
      const marked = rows<{ id: number }>(
        await trx.raw(
          `UPDATE ${JOBS_TABLE} SET "key" = NULL, max_attempts = attempts WHERE ${where} AND state = 'running' RETURNING id`,
          bindings,
        ),
      );
      return marked.length > 0 ? String(marked[0].id) : undefined;
    });
    if (runningId === undefined) return false;
    if (runningId !== null) cancelLocally(this.database, runningId);
    return true;
  }

  async stats(): Promise<TaskQueueStats> {
    this.assertOpen();
    await this.ensureSchema();
    const counts = rows<{ state: string; n: number }>(
      await this.knex.raw(`SELECT state, COUNT(*) AS n FROM ${JOBS_TABLE} GROUP BY state`),
    );
    const stats: TaskQueueStats = { pending: 0, running: 0, failed: 0 };
    for (const { state, n } of counts) {
      if (state === 'pending' || state === 'running' || state === 'failed')
        stats[state] = Number(n);
    }
    return stats;
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
    const entry = this.active.get(jobId);
    entry?.job.cancel();
    return entry !== undefined;
  }

  wake(): void {
    this.pump();
  }

  private assertOpen() {
    // Same contract as the PostgreSQL driver, whose stop() closes its connections.
    if (this.state === 'stopping' || this.state === 'stopped')
      throw new Error('TaskQueue is stopped');
  }

  private ensureSchema(): Promise<void> {
    if (!this.schemaReady) {
      this.schemaReady = (async () => {
        for (const statement of SCHEMA) await this.knex.raw(statement);
      })();
      this.schemaReady.catch(() => {
        this.schemaReady = undefined;
      });
    }
    return this.schemaReady;
  }

  private async doStart(): Promise<void> {
    await this.ensureSchema();
    if (this.state !== 'starting') return;
    this.unregisterRunner = registerLocalRunner(this.database, this);
    // Every lock not held by a live runner of this process was left by a dead process.
    const live = localRunnersOf(this.database).map(runner => runner.workerId);
    const released = rows<{ id: number }>(
      await this.knex.raw(
        `UPDATE ${JOBS_TABLE} SET
           state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
           last_error = CASE WHEN attempts >= max_attempts THEN 'The worker running the job died' ELSE last_error END,
           locked_by = NULL, locked_at = NULL
         WHERE state = 'running' AND (locked_by IS NULL OR locked_by NOT IN (${placeholders(live.length)}))
         RETURNING id`,
        live,
      ),
    );
    if (released.length > 0) {
      this.logger.warn(
        `Released ${released.length} task job(s) left running by a previous process`,
        {
          jobIds: released.map(row => String(row.id)),
        },
      );
    }
    if (this.state !== 'starting') return;
    this.state = 'started';
    this.pump();
  }

  private get logger() {
    return this.options.logger;
  }

  /** Claims and launches due jobs while there is capacity; never runs twice concurrently. */
  private pump(): void {
    if (this.state !== 'started') return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    this.pumping = (async () => {
      try {
        await this.fill();
      } catch (error) {
        this.fetchErrorLog(() =>
          this.logger.error('Task queue could not fetch jobs', { error: errorMessage(error) }),
        );
      }
      await this.scheduleWake();
    })().finally(() => {
      this.pumping = undefined;
      // Woken while finishing up (an enqueue or a job that just ended): go again now.
      if (this.pumpAgain) this.pump();
    });
  }

  private async fill(): Promise<void> {
    do {
      this.pumpAgain = false;
      while (this.state === 'started' && this.active.size < this.options.concurrency) {
        const eligible = this.eligibleTasks();
        if (eligible.length === 0) break;
        const row = await this.claim(eligible);
        if (!row) break;
        if (this.state !== 'started') {
          // stop() began while we were claiming: hand the job straight back.
          await this.finish(row, { kind: 'interrupted' });
          break;
        }
        this.launch(row);
      }
    } while (this.pumpAgain && this.state === 'started');
  }

  private eligibleTasks(): string[] {
    const tasks: string[] = [];
    for (const [task, { limit }] of this.registry.handlers) {
      if ((this.runningByTask.get(task) ?? 0) < limit) tasks.push(task);
    }
    return tasks;
  }

  private async claim(tasks: string[]): Promise<ClaimedRow | undefined> {
    const now = Date.now();
    // One statement, so it is atomic even against another connection to the same file. Run
    // on the connection directly: a busy queue claims and deletes jobs many times a second.
    const sql = `UPDATE ${JOBS_TABLE}
         SET state = 'running', locked_by = ?, locked_at = ?, attempts = attempts + 1
         WHERE state = 'pending' AND id = (
           SELECT id FROM ${JOBS_TABLE}
           WHERE state = 'pending' AND run_at <= ? AND task IN (${placeholders(tasks.length)})
           ORDER BY run_at, id
           LIMIT 1
         )
         RETURNING id, task, payload, attempts, max_attempts`;
    const bindings = [this.workerId, now, now, ...tasks];
    if (this.direct)
      return withSqliteConnection(
        this.knex,
        db => db.prepare(sql).get(...bindings) as ClaimedRow | undefined,
      );
    return rows<ClaimedRow>(await this.knex.raw(sql, bindings))[0];
  }

  /** Sleeps until the next scheduled job of a task with free capacity, at most pollIntervalMs. */
  private async scheduleWake(): Promise<void> {
    if (this.state !== 'started') return;
    let delay = this.options.pollIntervalMs;
    const eligible = this.active.size < this.options.concurrency ? this.eligibleTasks() : [];
    if (eligible.length > 0) {
      try {
        const [next] = rows<{ run_at: number | null }>(
          await this.knex.raw(
            `SELECT MIN(run_at) AS run_at FROM ${JOBS_TABLE} WHERE state = 'pending' AND task IN (${placeholders(eligible.length)})`,
            eligible,
          ),
        );
        if (next?.run_at != null) {
          delay = Math.min(delay, Math.max(10, Number(next.run_at) - Date.now()));
        }
      } catch (error) {
        this.fetchErrorLog(() =>
          this.logger.warn('Task queue could not look up the next due job', {
            error: errorMessage(error),
          }),
        );
      }
    }
    if (this.state !== 'started') return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.pump();
    }, delay);
  }

  private launch(row: ClaimedRow) {
    const id = String(row.id);
    const job = new RunningJob(id, row.task);
    this.runningByTask.set(row.task, (this.runningByTask.get(row.task) ?? 0) + 1);
    const entry = { job, done: Promise.resolve() };
    this.active.set(id, entry);
    entry.done = this.execute(job, row)
      .catch(error => {
        this.logger.error(`Task queue could not record the outcome of job ${id}`, {
          error: errorMessage(error),
        });
      })
      .finally(() => {
        this.active.delete(id);
        this.runningByTask.set(row.task, Math.max(0, (this.runningByTask.get(row.task) ?? 1) - 1));
        this.pump();
      });
  }

  private async execute(job: RunningJob, row: ClaimedRow): Promise<void> {
    const registered = this.registry.handlers.get(row.task);
    let outcome: JobOutcome;
    if (!registered) {
      outcome = { kind: 'error', error: new Error(`No handler for task '${row.task}'`) };
    } else {
      try {
        const payload: unknown = JSON.parse(row.payload);
        outcome = await job.run(registered.handler, payload, {
          jobId: job.id,
          attempt: row.attempts,
          maxAttempts: row.max_attempts,
        });
      } catch (error) {
        outcome = { kind: 'error', error }; // unparseable payload
      }
    }
    // The job stays locked by us until this lands (nothing else would release it before a
    // restart), so ride out transient errors such as a busy database.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.finish(row, outcome);
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await sleep(100 * 2 ** attempt);
      }
    }
  }

  /** Records a job's outcome; every statement is guarded by our lock on it. */
  private async finish(row: ClaimedRow, outcome: JobOutcome): Promise<void> {
    const mine = `id = ? AND locked_by = ? AND state = 'running'`;
    const lock = [row.id, this.workerId];
    switch (outcome.kind) {
      case 'success':
      case 'cancelled':
        if (this.direct)
          await withSqliteConnection(this.knex, db =>
            db.prepare(`DELETE FROM ${JOBS_TABLE} WHERE ${mine}`).run(...lock),
          );
        else await this.knex.raw(`DELETE FROM ${JOBS_TABLE} WHERE ${mine}`, lock);
        return;
      case 'interrupted':
        // Not a failure: due again now, without counting this attempt.
        await this.knex.raw(
          `UPDATE ${JOBS_TABLE} SET state = 'pending', locked_by = NULL, locked_at = NULL,
             attempts = MAX(attempts - 1, 0), run_at = ? WHERE ${mine}`,
          [Date.now(), ...lock],
        );
        return;
      case 'error': {
        const message = errorMessage(outcome.error);
        this.logger.warn(`Task '${row.task}' job ${row.id} failed`, {
          attempt: row.attempts,
          maxAttempts: row.max_attempts,
          error: message,
        });
        const delay = retryDelayMs(this.options.backoffMs ?? defaultBackoffMs, row.attempts);
        // max_attempts is re-read here: a cancel or key replacement may have lowered it.
        await this.knex.raw(
          `UPDATE ${JOBS_TABLE} SET
             state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END,
             run_at = CASE WHEN attempts >= max_attempts THEN run_at ELSE ? END,
             last_error = ?, locked_by = NULL, locked_at = NULL
           WHERE ${mine}`,
          [Date.now() + Math.round(delay), message, ...lock],
        );
        return;
      }
    }
  }

  private async doStop(): Promise<void> {
    const wasStarted = this.state !== 'idle';
    this.state = 'stopping';
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (wasStarted) {
      await this.startPromise?.catch(() => undefined);
      await drainRunningJobs(
        () => [...this.active.values()].map(entry => entry.job),
        async () => {
          // A fetch in flight may still launch a job: wait until nothing is left.
          while (this.pumping || this.active.size > 0) {
            await this.pumping;
            await Promise.all([...this.active.values()].map(entry => entry.done));
          }
        },
        this.options.shutdownTimeoutMs,
      );
    }
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.unregisterRunner?.();
    this.state = 'stopped';
  }
}
