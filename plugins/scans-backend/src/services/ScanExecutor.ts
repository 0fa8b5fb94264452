import crypto from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { TaskAbortError, type TaskContext, type TaskQueue } from '@racine/kernel-node';
import {
  builtinConnectors,
  ConnectorRegistry,
  fingerprintTables,
  UnknownTableError,
  type ConnectorSession,
  type DiscoveredTable,
  type Discovery,
} from '@racine/plugin-datasources-node';
import {
  planRuleSetTables,
  SYSTEM_SCHEMAS,
  type RuleSetDefinition,
} from '@racine/plugin-scan-rulesets-common';
import type { ScanLogEntry } from '@racine/plugin-scans-common';
import type {
  NewTable,
  RunRecord,
  ScanStore,
  TableRecord,
  TableState,
} from '../database/ScanStore';
import { buildTableBatch, discoveredTableRef, toIngestProfile, type ColumnFindings } from './batch';
import { classifySample, scanStateFingerprint } from './classification';
import type { Collaborators } from './collaborators';
import { errorText, isTransientError, RunCanceledError, TableTimeoutError } from './errors';
import { RunContextCache, type RunContext } from './RunContextCache';
import { SessionPool } from './SessionPool';
import type { ScanSettings } from './settings';
import { SourceLeases, type SourceLease } from './SourceLeases';
import { progressOf } from './views';

export const PLAN_TASK = 'scans.plan';
export const TABLE_TASK = 'scans.table';
export const FINALIZE_TASK = 'scans.finalize';

/** Crash safety net only: handlers catch their own errors and schedule their own retries. */
const JOB_MAX_ATTEMPTS = 10;
/** Table jobs per enqueueMany call. */
const ENQUEUE_BATCH = 500;
const MAX_KEY_LENGTH = 400;

export interface PlanPayload {
  runId: string;
}
export interface TablePayload {
  runId: string;
  tableRef: string;
}

/** What a planned table row keeps: the structure discovered at planning time. */
interface PlannedTable {
  database: string;
  table: DiscoveredTable;
}

export const planKey = (runId: string) => `${runId}:plan`;
export const finalizeKey = (runId: string) => `${runId}:finalize`;
/** `<runId>:<tableRef>`, so replaying a plan never queues a table twice. */
export function tableKey(runId: string, tableRef: string): string {
  const key = `${runId}:${tableRef}`;
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `${runId}:sha256:${crypto.createHash('sha256').update(tableRef).digest('hex')}`;
}

const iso = () => new Date().toISOString();

/** Runs `work` until it settles or `signal` aborts, whichever comes first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined); // settles later, unobserved, when aborted first
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function throwIfAborted(signal: AbortSignal) {
  if (signal.aborted) throw signal.reason;
}

/** The database segment of catalog refs: the connector's name for it (MySQL has none). */
export function catalogDatabaseName(
  discovery: Pick<Discovery, 'database'>,
  config: Record<string, unknown>,
): string {
  return discovery.database ?? (typeof config.database === 'string' ? config.database : 'default');
}

/** The connector's change fingerprint, or null (scan the table) when the engine cannot tell. */
async function fingerprintOf(
  session: ConnectorSession,
  table: { schema: string; name: string },
): Promise<string | null> {
  try {
    return await session.fingerprint({ schema: table.schema, name: table.name });
  } catch (error) {
    if (isTransientError(error) || error instanceof UnknownTableError) throw error;
    return null;
  }
}

/**
 * The server-side statement timeout of a scan's sessions: a backstop a little past the rule
 * set's per-table timeout, which the task enforces itself (so it reports it as such).
 */
function statementTimeoutMs(definition: RuleSetDefinition): number {
  return (definition.tableTimeoutSeconds + 5) * 1000;
}

/** Whether a rule set looks at the whole data source, so unseen tables really vanished. */
export function coversWholeSource(definition: RuleSetDefinition): boolean {
  const everything = (patterns: readonly string[]) =>
    patterns.length === 0 || patterns.every(p => p === '*' || p === '**');
  const system = new Set<string>(SYSTEM_SCHEMAS);
  return (
    everything(definition.include.schemas) &&
    everything(definition.include.tables) &&
    definition.exclude.tables.length === 0 &&
    definition.exclude.schemas.every(s => system.has(s.toLowerCase()))
  );
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return results;
}

export interface ScanExecutorOptions {
  store: ScanStore;
  queue: TaskQueue;
  collaborators: Collaborators;
  settings: ScanSettings;
  logger: LoggerService;
  connectors?: ConnectorRegistry;
}

/**
 * The scan engine: three TaskQueue tasks. `scans.plan` discovers the tables a rule set selects,
 * skips the unchanged ones (incremental) and queues one `scans.table` task per remaining table;
 * any worker process takes table tasks, bounded per data source by database leases. Each table
 * is sampled, profiled, classified in-process and published to the catalog. The task that
 * finishes the last table claims the run with a conditional UPDATE and queues `scans.finalize`,
 * which reports vanished tables to the catalog, ends the run and emits `scan.completed`.
 * Every step is idempotent, so a replayed or duplicated job changes nothing.
 */
export class ScanExecutor {
  private readonly store: ScanStore;
  private readonly queue: TaskQueue;
  private readonly collaborators: Collaborators;
  private readonly settings: ScanSettings;
  private readonly logger: LoggerService;
  private readonly contexts: RunContextCache;
  private readonly sessions: SessionPool;
  private readonly leases: SourceLeases;
  private readonly runs = new Map<string, RunRecord>();

  constructor(options: ScanExecutorOptions) {
    this.store = options.store;
    this.queue = options.queue;
    this.collaborators = options.collaborators;
    this.settings = options.settings;
    this.logger = options.logger;
    this.contexts = new RunContextCache(options.collaborators);
    this.sessions = new SessionPool(
      options.connectors ?? new ConnectorRegistry(builtinConnectors()),
      {
        idleMs: options.settings.sessionIdleMs,
        maxConnections: options.settings.maxConcurrencyPerSource,
      },
    );
    this.leases = new SourceLeases(options.store, {
      slots: options.settings.maxConcurrencyPerSource,
      ttlMs: options.settings.leaseTtlMs,
    });
  }

  /** Registers the task handlers; call before the queue starts (in the plugin's init). */
  register(): void {
    this.queue.handle<PlanPayload>(PLAN_TASK, (payload, ctx) => this.plan(payload, ctx));
    this.queue.handle<TablePayload>(TABLE_TASK, (payload, ctx) => this.scanTable(payload, ctx));
    this.queue.handle<PlanPayload>(FINALIZE_TASK, payload => this.finalize(payload));
  }

  async close(): Promise<void> {
    await this.sessions.closeAll();
  }

  enqueuePlan(runId: string, delayMs = 0) {
    return this.queue.enqueue<PlanPayload>(
      PLAN_TASK,
      { runId },
      { key: planKey(runId), maxAttempts: JOB_MAX_ATTEMPTS, runAt: new Date(Date.now() + delayMs) },
    );
  }

  private enqueueTable(runId: string, tableRef: string, delayMs = 0) {
    return this.queue.enqueue<TablePayload>(
      TABLE_TASK,
      { runId, tableRef },
      {
        key: tableKey(runId, tableRef),
        maxAttempts: JOB_MAX_ATTEMPTS,
        runAt: new Date(Date.now() + delayMs),
      },
    );
  }

  /** The table jobs of a run, ENQUEUE_BATCH per statement (one enqueue each costs a round trip). */
  private async enqueueTables(runId: string, tableRefs: readonly string[]): Promise<void> {
    for (let start = 0; start < tableRefs.length; start += ENQUEUE_BATCH) {
      const runAt = new Date();
      await this.queue.enqueueMany<TablePayload>(
        TABLE_TASK,
        tableRefs.slice(start, start + ENQUEUE_BATCH).map(tableRef => ({
          payload: { runId, tableRef },
          options: { key: tableKey(runId, tableRef), maxAttempts: JOB_MAX_ATTEMPTS, runAt },
        })),
      );
    }
  }

  enqueueFinalize(runId: string) {
    return this.queue.enqueue<PlanPayload>(
      FINALIZE_TASK,
      { runId },
      { key: finalizeKey(runId), maxAttempts: JOB_MAX_ATTEMPTS },
    );
  }

  /** Drops the queued jobs of a canceled run; running ones see their abort signal. */
  async dropJobs(runId: string, tableRefs: string[]): Promise<void> {
    const keys = [
      planKey(runId),
      finalizeKey(runId),
      ...tableRefs.map(ref => tableKey(runId, ref)),
    ];
    await mapLimit(keys, 8, key => this.queue.cancel({ key }).catch(() => false));
    this.contexts.forget(runId);
    this.runs.delete(runId);
  }

  private retryDelay(attempt: number): number {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.settings;
    const delay = Math.min(retryBaseDelayMs * 2 ** Math.max(0, attempt - 1), retryMaxDelayMs);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  }

  async log(
    runId: string,
    tableRef: string | null,
    level: ScanLogEntry['level'],
    message: string,
  ): Promise<void> {
    try {
      await this.store.appendLogs([{ runId, tableRef, level, message, time: iso() }]);
    } catch (error) {
      this.logger.warn(`Could not record a scan log line of run ${runId}: ${errorText(error)}`);
    }
  }

  // ---------------------------------------------------------------- plan

  private async plan({ runId }: PlanPayload, ctx: TaskContext): Promise<void> {
    let run = await this.store.getRun(runId);
    if (!run) return;
    if (run.status === 'queued') {
      await this.store.markRunStarted(runId, iso());
      run = await this.store.getRun(runId);
      if (!run) return;
    }
    if (run.status !== 'running') return;
    if (run.phase !== 'planning') {
      // A replayed plan: the tables are recorded; make sure each unfinished one has its job.
      if (run.phase === 'scanning') {
        await this.enqueueUnfinished(runId);
        await this.maybeFinalize(runId);
      }
      return;
    }

    const lease = await this.leases.acquire(run.dataSourceId);
    if (!lease) {
      await this.enqueuePlan(runId, this.settings.busyRetryDelayMs);
      return;
    }
    const controller = new AbortController();
    const stopWatching = this.watch(run, controller, ctx.signal, async () => {
      await lease.renew();
      await this.store.touchRun(runId, iso());
    });
    try {
      const attempt = await this.store.incrementPlanAttempts(runId, iso());
      try {
        await untilAborted(this.discoverAndRecord(run, controller.signal), controller.signal);
      } catch (raw) {
        const error = controller.signal.aborted ? controller.signal.reason : raw;
        if (error instanceof RunCanceledError) return;
        if (error instanceof TaskAbortError && error.reason === 'shutdown') throw error;
        if (isTransientError(error) && attempt < this.settings.planAttempts) {
          const delay = this.retryDelay(attempt);
          await this.log(
            runId,
            null,
            'warn',
            `Planning failed (attempt ${attempt} of ${this.settings.planAttempts}), retrying in ${Math.round(delay / 1000)} s: ${errorText(error)}`,
          );
          await this.enqueuePlan(runId, delay);
          return;
        }
        await this.log(runId, null, 'error', `Planning failed: ${errorText(error)}`);
        if (await this.store.failRun(runId, `Planning failed: ${errorText(error)}`, iso())) {
          await this.notify(runId);
        }
        return;
      }
    } finally {
      stopWatching();
      await lease.release().catch(() => undefined);
    }
    await this.enqueueUnfinished(runId);
    await this.maybeFinalize(runId);
  }

  private async discoverAndRecord(run: RunRecord, signal: AbortSignal): Promise<void> {
    const context = await this.contexts.get(run);
    const { filters } = context;
    const definition = context.ruleSet.definition;
    const lease = await this.sessions.acquire(context.connection, statementTimeoutMs(definition));
    let broken = false;
    try {
      const { session } = lease;
      const discovery = await session.discover({
        includeSchemas: (schema: string) => filters.includesSchema(schema),
        includeTables: table => filters.includesTable(table.schema, table.name),
      });
      throwIfAborted(signal);
      const database = catalogDatabaseName(discovery, context.connection.config);
      // The same planning as the rule set preview, so a preview shows exactly what a scan reads.
      const plan = planRuleSetTables(
        filters,
        discovery.schemas.flatMap(schema => schema.tables),
      );
      const tables = plan.tables.map(planned => planned.table);
      const found = plan.matched;
      const limited = plan.truncated;
      const refs = tables.map(table => discoveredTableRef(run.dataSourceId, database, table));

      const states = definition.incremental
        ? await this.store.getTableStates(run.dataSourceId, refs)
        : new Map<string, TableState>();
      const fingerprints = await this.planFingerprints(session, tables, i => {
        const state = states.get(refs[i]!);
        return (
          state !== undefined &&
          state.ruleSetId === run.ruleSetId &&
          state.ruleSetVersion === run.ruleSetVersion
        );
      });

      const planned: NewTable[] = tables.map((table, i) => {
        const ref = refs[i]!;
        const fingerprint = fingerprints[i] ?? null;
        const state = states.get(ref);
        const unchanged =
          definition.incremental &&
          fingerprint !== null &&
          state !== undefined &&
          state.fingerprint === scanStateFingerprint(fingerprint, context.classificationRevision) &&
          state.ruleSetId === run.ruleSetId &&
          state.ruleSetVersion === run.ruleSetVersion;
        const record: PlannedTable = { database, table };
        return {
          tableRef: ref,
          schema: table.schema,
          table: table.name,
          kind: table.kind,
          status: unchanged ? 'skipped' : 'pending',
          fingerprint,
          // Only a table task reads the structure back; a skipped table never gets one.
          discovered: unchanged ? '{}' : JSON.stringify(record),
        };
      });
      throwIfAborted(signal);
      const fullScan = coversWholeSource(definition) && !limited;
      const recorded = await this.store.completePlan(run.id, {
        tables: planned,
        fullScan,
        now: iso(),
      });
      if (recorded) {
        const skipped = planned.filter(t => t.status === 'skipped').length;
        const schemas = new Set(tables.map(t => t.schema)).size;
        const lines = [
          `Planned ${planned.length} table(s) in ${schemas} schema(s) with rule set '${context.ruleSet.name}' v${context.ruleSet.version}` +
            (skipped > 0 ? `; ${skipped} unchanged since their last scan are skipped` : ''),
        ];
        if (limited)
          lines.push(
            `Table limit ${definition.tableLimit} reached: ${found - planned.length} table(s) left out`,
          );
        if (!fullScan)
          lines.push(
            'Partial scan (filters or table limit): tables it did not see are not reported as deleted',
          );
        await this.store.appendLogs(
          lines.map(message => ({
            runId: run.id,
            tableRef: null,
            level: 'info' as const,
            message,
            time: iso(),
          })),
        );
      }
    } catch (error) {
      broken = isTransientError(error);
      throw error;
    } finally {
      await lease.release(broken);
    }
  }

  /**
   * Fingerprints at planning time. A connector with `fingerprintMany` fingerprints every table
   * in a few catalog queries, so table tasks need not; otherwise only the tables that could be
   * skipped (`skippable`) are fingerprinted here, one call each, and the others by their own
   * task, in parallel. Null where the engine cannot tell (the table is scanned).
   */
  private async planFingerprints(
    session: ConnectorSession,
    tables: readonly DiscoveredTable[],
    skippable: (index: number) => boolean,
  ): Promise<(string | null)[]> {
    const refs = tables.map(table => ({ schema: table.schema, name: table.name }));
    if (session.fingerprintMany) {
      try {
        return await fingerprintTables(session, refs);
      } catch (error) {
        if (isTransientError(error)) throw error;
        return refs.map(() => null);
      }
    }
    return mapLimit(refs, this.settings.maxConcurrencyPerSource, async (table, i) =>
      skippable(i) ? fingerprintOf(session, table) : null,
    );
  }

  private async enqueueUnfinished(runId: string): Promise<void> {
    const refs = await this.store.listTableRefs(runId, ['pending']);
    await this.enqueueTables(runId, refs);
  }

  // ---------------------------------------------------------------- tables

  private async scanTable({ runId, tableRef }: TablePayload, ctx: TaskContext): Promise<void> {
    // The happy path is one transaction: the claim checks the run and the table in SQL and
    // returns the row; the run's fixed fields come from this process's cache.
    const run = await this.runOf(runId);
    if (!run || run.status !== 'running') return;
    const staleBefore = new Date(Date.now() - this.leases.ttlMs).toISOString();
    const token = crypto.randomUUID();
    const request = await this.leases.request(run.dataSourceId, token);
    const claim = await this.store.claimTable(
      runId,
      tableRef,
      token,
      { now: iso(), staleBefore },
      request,
    );
    if (claim === 'gone') {
      const [current, row] = await Promise.all([
        this.store.getRun(runId),
        this.store.getTable(runId, tableRef),
      ]);
      if (!current || current.status !== 'running') {
        this.runs.delete(runId);
        return;
      }
      if (row?.status === 'running' && row.updatedAt >= staleBefore) {
        // Another worker is on it and alive; look again once its heartbeat could have gone stale.
        await this.enqueueTable(runId, tableRef, Math.ceil(this.leases.ttlMs / 2));
      }
      return; // otherwise finished already (a replay)
    }
    if (claim === 'busy') {
      // Every slot of the data source is taken (by any worker): try again shortly.
      await this.enqueueTable(runId, tableRef, this.settings.busyRetryDelayMs);
      return;
    }
    const lease = this.leases.held({
      dataSourceId: run.dataSourceId,
      slot: claim.slot,
      holder: token,
    });
    let finalize = false;
    try {
      finalize = await this.runClaimedTable(run, claim.table, token, lease, ctx);
    } finally {
      await lease.release().catch(() => undefined);
    }
    if (finalize) await this.enqueueFinalize(runId);
  }

  /**
   * A run's record as first read by this process: only its fixed fields (data source, rule set
   * version) are used, the claim checks its status in SQL. Re-read once it is seen ended.
   */
  private async runOf(runId: string): Promise<RunRecord | undefined> {
    const cached = this.runs.get(runId);
    if (cached) return cached;
    const run = await this.store.getRun(runId);
    if (run?.status === 'running') {
      if (this.runs.size >= 64) this.runs.delete(this.runs.keys().next().value!);
      this.runs.set(runId, run);
    }
    return run;
  }

  /** Returns true when this table was the run's last one and its completion was claimed. */
  private async runClaimedTable(
    run: RunRecord,
    row: TableRecord,
    token: string,
    lease: SourceLease,
    ctx: TaskContext,
  ): Promise<boolean> {
    const started = performance.now();
    const controller = new AbortController();
    const stopWatching = this.watch(run, controller, ctx.signal, async () => {
      await lease.renew();
      await this.store.touchTable(run.id, row.tableRef, token, iso());
    });
    const logLine = (level: ScanLogEntry['level'], message: string) => ({
      runId: run.id,
      tableRef: row.tableRef,
      level,
      message,
      time: iso(),
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = (async () => {
        const context = await this.contexts.get(run);
        const seconds = context.ruleSet.definition.tableTimeoutSeconds;
        timer = setTimeout(
          () => controller.abort(new TableTimeoutError(seconds)),
          seconds * 1000 - (performance.now() - started),
        );
        return this.processTable(run, row, context, controller.signal);
      })();
      const { fingerprint, ...result } = await untilAborted(work, controller.signal);
      const durationMs = performance.now() - started;
      const { finalize } = await this.store.finishTable(
        run.id,
        row.tableRef,
        token,
        {
          status: 'succeeded',
          ...result,
          error: null,
          durationMs,
          now: iso(),
          state: fingerprint
            ? {
                dataSourceId: run.dataSourceId,
                fingerprint,
                ruleSetId: run.ruleSetId,
                ruleSetVersion: run.ruleSetVersion,
              }
            : undefined,
        },
        {
          lease,
          log: logLine(
            'info',
            `Scanned ${row.schema}.${row.table}: ${result.rowsSampled} rows sampled, ${result.columnsClassified} of ${result.columns} columns classified, ${result.labels} label(s), ${Math.round(durationMs)} ms`,
          ),
        },
      );
      lease.settled();
      return finalize;
    } catch (raw) {
      const error = controller.signal.aborted ? controller.signal.reason : raw;
      const durationMs = performance.now() - started;
      if (error instanceof RunCanceledError) return false; // cancelRun already marked the table
      if (error instanceof TaskAbortError && error.reason === 'shutdown') {
        // This process is stopping: hand the table back; the queue runs the job again elsewhere.
        await this.store.releaseTable(run.id, row.tableRef, token, iso(), { lease });
        lease.settled();
        throw error;
      }
      if (
        !(error instanceof TableTimeoutError) &&
        isTransientError(error) &&
        row.attempts < this.settings.tableAttempts
      ) {
        const delay = this.retryDelay(row.attempts);
        const released = await this.store.releaseTable(run.id, row.tableRef, token, iso(), {
          lease,
          log: logLine(
            'warn',
            `Attempt ${row.attempts} of ${this.settings.tableAttempts} failed, retrying in ${(delay / 1000).toFixed(1)} s: ${errorText(error)}`,
          ),
        });
        lease.settled();
        if (released) await this.enqueueTable(run.id, row.tableRef, delay);
        return false;
      }
      const message =
        error instanceof UnknownTableError ? 'The table no longer exists' : errorText(error);
      const { finalize } = await this.store.finishTable(
        run.id,
        row.tableRef,
        token,
        {
          status: 'failed',
          rowsSampled: 0,
          columns: 0,
          columnsClassified: 0,
          labels: 0,
          error: message,
          durationMs,
          now: iso(),
        },
        { lease, log: logLine('error', `${row.schema}.${row.table} failed: ${message}`) },
      );
      lease.settled();
      return finalize;
    } finally {
      if (timer) clearTimeout(timer);
      stopWatching();
    }
  }

  /** Sample → profile → classify → publish one table. Sampled values never leave this function. */
  private async processTable(
    run: RunRecord,
    row: TableRecord,
    context: RunContext,
    signal: AbortSignal,
  ) {
    const { table, database } = JSON.parse(row.discovered) as PlannedTable;
    const definition = context.ruleSet.definition;
    const { filters, engine } = context;
    const included = table.columns.filter(c =>
      filters.includesColumn(table.schema, table.name, c.name),
    );
    const ref = { schema: table.schema, name: table.name };
    const lease = await this.sessions.acquire(context.connection, statementTimeoutMs(definition));
    let broken = false;
    try {
      const { session } = lease;
      // Before sampling, so a change made while the table is scanned shows at the next scan.
      const fingerprint = row.fingerprint ?? (await fingerprintOf(session, ref));
      throwIfAborted(signal);
      const findings = new Map<string, ColumnFindings>();
      let rowsSampled = 0;
      let labels = 0;
      if (included.length > 0) {
        const sample = await session.sample(
          ref,
          included.map(c => c.name),
          definition.sampling.size,
          definition.sampling.strategy,
        );
        throwIfAborted(signal);
        rowsSampled = sample.rows.length;
        const columnInfo = new Map(included.map(c => [c.name, c]));
        const columnLabels = classifySample(engine, {
          schema: table.schema,
          table: table.name,
          neighbourColumns: table.columns.map(c => c.name),
          columns: sample.columns.map(name => {
            const column = columnInfo.get(name);
            return {
              name,
              ...(column?.dataType ? { dataType: column.dataType } : {}),
              ...(column?.comment ? { comment: column.comment } : {}),
            };
          }),
          rows: sample.rows,
        });
        sample.columns.forEach((name, index) => {
          const found = columnLabels[index] ?? [];
          labels += found.length;
          findings.set(name, { labels: found });
        });
      }
      let rowCount: number | null = null;
      if (definition.profiling.enabled && definition.profiling.metrics.length > 0) {
        for (const column of included) {
          throwIfAborted(signal);
          const profile = await this.profileColumn(session, ref, column.name, run.id, row.tableRef);
          if (!profile) continue;
          rowCount ??= profile.rowCount;
          const entry = findings.get(column.name) ?? { labels: [] };
          entry.profile = toIngestProfile(profile, definition.profiling.metrics);
          findings.set(column.name, entry);
        }
      }
      throwIfAborted(signal);
      const batch = buildTableBatch({
        dataSourceId: run.dataSourceId,
        dataSourceName: context.connection.name,
        workspace: context.connection.workspace,
        runId: run.id,
        scannedAt: iso(),
        database,
        table,
        fingerprint,
        rowCount,
        findings,
      });
      await this.collaborators.catalog.publishTables([batch], signal);
      return {
        rowsSampled,
        columns: table.columns.length,
        columnsClassified: included.length,
        labels,
        // Kept with the classification revision: new rules or overrides rescan unchanged tables.
        fingerprint:
          fingerprint && scanStateFingerprint(fingerprint, context.classificationRevision),
      };
    } catch (error) {
      broken = isTransientError(error);
      throw error;
    } finally {
      await lease.release(broken);
    }
  }

  private async profileColumn(
    session: ConnectorSession,
    table: { schema: string; name: string },
    column: string,
    runId: string,
    tableRef: string,
  ) {
    try {
      return await session.profile(table, column);
    } catch (error) {
      if (isTransientError(error) || error instanceof UnknownTableError) throw error;
      await this.log(
        runId,
        tableRef,
        'warn',
        `Could not profile column ${JSON.stringify(column)}: ${errorText(error)}`,
      );
      return undefined;
    }
  }

  /**
   * While a task works: renew its data source lease, and abort it when the run is canceled
   * (by any replica: the run row is the truth) or the queue cancels or stops the job.
   */
  private watch(
    run: RunRecord,
    controller: AbortController,
    jobSignal: AbortSignal,
    heartbeat: () => Promise<void>,
  ): () => void {
    const onJobAbort = () => {
      const reason: unknown = jobSignal.reason;
      controller.abort(
        reason instanceof TaskAbortError && reason.reason === 'cancelled'
          ? new RunCanceledError()
          : reason,
      );
    };
    if (jobSignal.aborted) onJobAbort();
    jobSignal.addEventListener('abort', onJobAbort, { once: true });
    let lastRenew = Date.now();
    let busy = false;
    const interval = setInterval(() => {
      if (busy || controller.signal.aborted) return;
      busy = true;
      void (async () => {
        try {
          const current = await this.store.getRun(run.id);
          if (!current || current.status !== 'running') {
            controller.abort(new RunCanceledError());
            return;
          }
          if (Date.now() - lastRenew >= this.leases.ttlMs / 3) {
            lastRenew = Date.now();
            await heartbeat();
          }
        } catch (error) {
          this.logger.warn(`Scan watchdog of run ${run.id} failed: ${errorText(error)}`);
        } finally {
          busy = false;
        }
      })();
    }, this.settings.cancelCheckMs);
    interval.unref();
    return () => {
      clearInterval(interval);
      jobSignal.removeEventListener('abort', onJobAbort);
    };
  }

  // ---------------------------------------------------------------- completion

  /** Claims the run's completion (exactly one caller wins) and queues its finalization. */
  async maybeFinalize(runId: string): Promise<void> {
    if (await this.store.claimFinalize(runId, iso())) {
      await this.enqueueFinalize(runId);
    }
  }

  private async finalize({ runId }: PlanPayload): Promise<void> {
    const run = await this.store.getRun(runId);
    if (!run) return;
    if (run.status === 'running' && run.phase === 'finalizing') {
      const allFailed = run.tablesTotal > 0 && run.tablesFailed === run.tablesTotal;
      if (allFailed) {
        await this.log(runId, null, 'error', `Every table failed (${run.tablesFailed})`);
        await this.store.failRun(runId, `Every table failed (${run.tablesFailed})`, iso());
      } else {
        if (run.fullScan && run.startedAt) {
          const seenTableRefs = await this.store.listTableRefs(runId);
          try {
            const { deleted } = await this.collaborators.catalog.completeScan({
              dataSourceId: run.dataSourceId,
              runId,
              startedAt: run.startedAt,
              seenTableRefs,
            });
            await this.log(
              runId,
              null,
              'info',
              `Catalog updated: ${seenTableRefs.length} table(s) seen, ${deleted} no longer present marked deleted`,
            );
          } catch (error) {
            // Transient: the queue runs this job again (with backoff).
            if (isTransientError(error)) throw error;
            await this.log(
              runId,
              null,
              'error',
              `Could not report vanished tables to the catalog: ${errorText(error)}`,
            );
          }
        }
        await this.store.finishRun(runId, 'succeeded', iso());
      }
      this.contexts.forget(runId);
      this.runs.delete(runId);
    }
    await this.notify(runId);
  }

  /** Emits `scan.completed` once the run ended (again only if a previous attempt was lost). */
  async notify(runId: string): Promise<void> {
    const run = await this.store.getRun(runId);
    if (!run || run.notified || !['succeeded', 'failed', 'canceled'].includes(run.status)) return;
    try {
      await this.collaborators.events.scanCompleted({
        runId,
        dataSourceId: run.dataSourceId,
        status: run.status,
        progress: progressOf(run),
      });
      await this.store.markNotified(runId);
    } catch (error) {
      this.logger.warn(`Could not publish scan.completed for run ${runId}: ${errorText(error)}`);
    }
  }

  /** Crash recovery, run by the global scheduled task: re-queue what a dead process left. */
  async recoverStalledRuns(): Promise<void> {
    const before = new Date(Date.now() - this.settings.stalledAfterMs).toISOString();
    for (const run of await this.store.listStalledRuns(before, 50)) {
      if (run.status === 'queued' || (run.status === 'running' && run.phase === 'planning')) {
        await this.enqueuePlan(run.id);
      } else if (run.status === 'running' && run.phase === 'scanning') {
        // Jobs are at-least-once, but a job can still be lost for good (a SQLite runner that
        // crashed on it past its attempts): queue again what has no live owner (keys dedupe).
        const staleBefore = new Date(Date.now() - this.leases.ttlMs).toISOString();
        const refs = await this.store.listRecoverableTableRefs(run.id, staleBefore);
        await this.enqueueTables(run.id, refs);
        await this.maybeFinalize(run.id);
      } else if (run.status === 'running' && run.phase === 'finalizing') {
        await this.enqueueFinalize(run.id);
      } else {
        await this.notify(run.id);
      }
    }
  }
}
