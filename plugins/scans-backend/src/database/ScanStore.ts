import type {
  ScanLogEntry,
  ScanRunStatus,
  ScanTableStatus,
  ScanTrigger,
} from '@racine/plugin-scans-common';
import type { Knex } from 'knex';
import { sqliteTransaction } from '@racine/kernel-node';

/** Where a running run is in its life: planning → scanning → finalizing → done. */
export type RunPhase = 'planning' | 'scanning' | 'finalizing' | 'done';

export interface RunRecord {
  seq: number;
  id: string;
  dataSourceId: string;
  dataSourceName: string;
  workspace: string;
  ruleSetId: string;
  ruleSetName: string;
  ruleSetVersion: number;
  status: ScanRunStatus;
  phase: RunPhase;
  trigger: ScanTrigger;
  scheduleId: string | null;
  requestedBy: string;
  tablesTotal: number;
  tablesDone: number;
  tablesSkipped: number;
  tablesFailed: number;
  rowsSampled: number;
  columnsClassified: number;
  labelsFound: number;
  errors: number;
  fullScan: boolean | null;
  planAttempts: number;
  notified: boolean;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  updatedAt: string;
}

export type NewRun = Pick<
  RunRecord,
  | 'id'
  | 'dataSourceId'
  | 'dataSourceName'
  | 'workspace'
  | 'ruleSetId'
  | 'ruleSetName'
  | 'ruleSetVersion'
  | 'trigger'
  | 'scheduleId'
  | 'requestedBy'
  | 'createdAt'
>;

export interface TableRecord {
  id: number;
  runId: string;
  tableRef: string;
  schema: string;
  table: string;
  kind: string;
  status: ScanTableStatus;
  attempts: number;
  token: string | null;
  fingerprint: string | null;
  /** JSON of the discovered table structure. */
  discovered: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  rowsSampled: number;
  columns: number;
  labels: number;
  error: string | null;
  updatedAt: string;
}

export type NewTable = Pick<
  TableRecord,
  'tableRef' | 'schema' | 'table' | 'kind' | 'status' | 'fingerprint' | 'discovered'
>;

export interface TableState {
  fingerprint: string;
  ruleSetId: string;
  ruleSetVersion: number;
}

export interface TableOutcome {
  status: 'succeeded' | 'failed';
  rowsSampled: number;
  columns: number;
  /** Columns that were sampled and classified. */
  columnsClassified: number;
  labels: number;
  error: string | null;
  durationMs: number;
  now: string;
  /** Recorded for incremental rescans when the table succeeded. */
  state?: { dataSourceId: string; fingerprint: string; ruleSetId: string; ruleSetVersion: number };
}

/** Asks for one of a data source's concurrency slots. */
export interface LeaseRequest {
  dataSourceId: string;
  /** Slots the data source has (`racine.scans.maxConcurrencyPerSource`). */
  slots: number;
  holder: string;
  nowMs: number;
  ttlMs: number;
}

export interface HeldLease {
  dataSourceId: string;
  slot: number;
  holder: string;
}

/** What ends a table execution, written in the same transaction. */
export interface TableWrapUp {
  log?: NewLogEntry;
  /** Released with the table's final write. */
  lease?: HeldLease;
}

export interface NewLogEntry {
  runId: string;
  tableRef: string | null;
  level: ScanLogEntry['level'];
  message: string;
  time: string;
}

export interface ScheduleRecord {
  id: string;
  name: string;
  dataSourceId: string;
  ruleSetId: string;
  cron: string;
  timezone: string;
  paused: boolean;
  workspace: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastRunId: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ListRunsFilter {
  dataSourceId?: string;
  status?: ScanRunStatus;
  scheduleId?: string;
  limit: number;
  /** Exclusive upper bound on `seq` (runs are listed newest first). */
  beforeSeq?: number;
}

/** Everything the scans plugin keeps in its own database. */
export interface ScanStore {
  insertRun(run: NewRun): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(filter: ListRunsFilter): Promise<RunRecord[]>;
  /** queued → running (phase planning). False when the run was not queued. */
  markRunStarted(id: string, now: string): Promise<boolean>;
  incrementPlanAttempts(id: string, now: string): Promise<number>;
  /**
   * Records the planned tables and moves the run to `scanning`, once: false (and nothing
   * written) when the run is no longer planning.
   */
  completePlan(
    id: string,
    plan: { tables: NewTable[]; fullScan: boolean; now: string },
  ): Promise<boolean>;
  /** Ends a queued or running run as failed. False when it had already ended. */
  failRun(id: string, error: string, now: string): Promise<boolean>;
  /**
   * Ends a queued or running run as canceled and marks its unfinished tables canceled.
   * Returns the refs of those tables, or undefined when the run had already ended.
   */
  cancelRun(id: string, now: string): Promise<string[] | undefined>;
  /** scanning → finalizing when every table finished. True for exactly one caller. */
  claimFinalize(id: string, now: string): Promise<boolean>;
  /** Ends a running run with its final status. True for exactly one caller. */
  finishRun(id: string, status: 'succeeded' | 'failed', now: string): Promise<boolean>;
  markNotified(id: string): Promise<void>;
  /** Unfinished runs untouched since `before`, for crash recovery. */
  listStalledRuns(before: string, limit: number): Promise<RunRecord[]>;

  getTable(runId: string, tableRef: string): Promise<TableRecord | undefined>;
  /**
   * In one transaction: takes a slot of the data source and moves the table pending → running
   * under `token`, counting an attempt; also takes over a running table whose owner stopped
   * its heartbeat before `staleBefore` (its worker died), and returns the claimed row. Only
   * while the run is running. `busy`: no free slot; `gone`: the table is not claimable
   * (finished, owned by a live worker, or its run ended).
   */
  claimTable(
    runId: string,
    tableRef: string,
    token: string,
    times: { now: string; staleBefore: string },
    lease: LeaseRequest,
  ): Promise<{ slot: number; table: TableRecord } | 'busy' | 'gone'>;
  /** Heartbeat of the execution that owns a running table. */
  touchTable(runId: string, tableRef: string, token: string, now: string): Promise<void>;
  /** Heartbeat of a run's planning. */
  touchRun(id: string, now: string): Promise<void>;
  /**
   * Ends a table run under `token` and adds it to the run's progress, once (`recorded`); in the
   * same transaction logs, releases the lease, and claims the run's completion when this was
   * its last table (`finalize`: true for exactly one caller).
   */
  finishTable(
    runId: string,
    tableRef: string,
    token: string,
    outcome: TableOutcome,
    wrapUp?: TableWrapUp,
  ): Promise<{ recorded: boolean; finalize: boolean }>;
  /** running → pending under `token`, for a retry (with its log line and lease release). */
  releaseTable(
    runId: string,
    tableRef: string,
    token: string,
    now: string,
    wrapUp?: TableWrapUp,
  ): Promise<boolean>;
  listTables(
    runId: string,
    options: { status?: ScanTableStatus; limit: number; afterId?: number },
  ): Promise<TableRecord[]>;
  listTablesUpdatedSince(runId: string, since: string, limit: number): Promise<TableRecord[]>;
  listTableRefs(runId: string, statuses?: ScanTableStatus[]): Promise<string[]>;
  /** Tables a crash may have left without a job: pending, or running without a recent heartbeat. */
  listRecoverableTableRefs(runId: string, staleBefore: string): Promise<string[]>;
  getTableStates(dataSourceId: string, tableRefs: string[]): Promise<Map<string, TableState>>;

  appendLogs(entries: NewLogEntry[]): Promise<void>;
  listLogs(
    runId: string,
    options: { after?: number; level?: ScanLogEntry['level']; limit: number; tableRefs?: string[] },
  ): Promise<ScanLogEntry[]>;

  insertSchedule(schedule: ScheduleRecord): Promise<void>;
  getSchedule(id: string): Promise<ScheduleRecord | undefined>;
  listSchedules(filter: { dataSourceId?: string }): Promise<ScheduleRecord[]>;
  updateSchedule(
    id: string,
    patch: Partial<Omit<ScheduleRecord, 'id' | 'createdAt' | 'createdBy'>>,
  ): Promise<boolean>;
  deleteSchedule(id: string): Promise<boolean>;
  listDueSchedules(now: string, limit: number): Promise<ScheduleRecord[]>;
  /** Moves a due schedule to its next time, once: false when another caller already did. */
  advanceSchedule(
    id: string,
    expectedNextRunAt: string,
    update: { nextRunAt: string | null; lastRunAt: string; now: string },
  ): Promise<boolean>;
  setScheduleLastRun(id: string, runId: string): Promise<void>;

  ensureLeaseSlots(dataSourceId: string, slots: number): Promise<void>;
  /** Takes a free slot (one statement, safe across processes); undefined when all are held. */
  acquireLease(request: LeaseRequest): Promise<number | undefined>;
  renewLease(
    dataSourceId: string,
    slot: number,
    holder: string,
    expiresAtMs: number,
  ): Promise<boolean>;
  releaseLease(dataSourceId: string, slot: number, holder: string): Promise<void>;
  countActiveLeases(dataSourceId: string, nowMs: number): Promise<number>;
}

type Row = Record<string, unknown>;

const str = (v: unknown): string => String(v);
const optStr = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => Number(v ?? 0);
const optNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const optBool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Boolean(v));

function toRun(row: Row): RunRecord {
  return {
    seq: num(row.seq),
    id: str(row.id),
    dataSourceId: str(row.data_source_id),
    dataSourceName: str(row.data_source_name),
    workspace: str(row.workspace),
    ruleSetId: str(row.rule_set_id),
    ruleSetName: str(row.rule_set_name),
    ruleSetVersion: num(row.rule_set_version),
    status: str(row.status) as ScanRunStatus,
    phase: str(row.phase) as RunPhase,
    trigger: str(row.trigger) as ScanTrigger,
    scheduleId: optStr(row.schedule_id),
    requestedBy: str(row.requested_by),
    tablesTotal: num(row.tables_total),
    tablesDone: num(row.tables_done),
    tablesSkipped: num(row.tables_skipped),
    tablesFailed: num(row.tables_failed),
    rowsSampled: num(row.rows_sampled),
    columnsClassified: num(row.columns_classified),
    labelsFound: num(row.labels_found),
    errors: num(row.errors),
    fullScan: optBool(row.full_scan),
    planAttempts: num(row.plan_attempts),
    notified: Boolean(row.notified),
    error: optStr(row.error),
    createdAt: str(row.created_at),
    startedAt: optStr(row.started_at),
    endedAt: optStr(row.ended_at),
    updatedAt: str(row.updated_at),
  };
}

function toTable(row: Row): TableRecord {
  return {
    id: num(row.id),
    runId: str(row.run_id),
    tableRef: str(row.table_ref),
    schema: str(row.schema_name),
    table: str(row.table_name),
    kind: str(row.kind),
    status: str(row.status) as ScanTableStatus,
    attempts: num(row.attempts),
    token: optStr(row.token),
    fingerprint: optStr(row.fingerprint),
    discovered: str(row.discovered),
    startedAt: optStr(row.started_at),
    endedAt: optStr(row.ended_at),
    durationMs: optNum(row.duration_ms),
    rowsSampled: num(row.rows_sampled),
    columns: num(row.columns),
    labels: num(row.labels),
    error: optStr(row.error),
    updatedAt: str(row.updated_at),
  };
}

function toSchedule(row: Row): ScheduleRecord {
  return {
    id: str(row.id),
    name: str(row.name),
    dataSourceId: str(row.data_source_id),
    ruleSetId: str(row.rule_set_id),
    cron: str(row.cron),
    timezone: str(row.timezone),
    paused: Boolean(row.paused),
    workspace: str(row.workspace),
    nextRunAt: optStr(row.next_run_at),
    lastRunAt: optStr(row.last_run_at),
    lastRunId: optStr(row.last_run_id),
    createdBy: str(row.created_by),
    createdAt: str(row.created_at),
    updatedAt: str(row.updated_at),
  };
}

function toLog(row: Row): ScanLogEntry {
  return {
    seq: num(row.seq),
    time: str(row.time),
    level: str(row.level) as ScanLogEntry['level'],
    tableRef: optStr(row.table_ref),
    message: str(row.message),
  };
}

const scheduleColumns: Record<keyof ScheduleRecord, string> = {
  id: 'id',
  name: 'name',
  dataSourceId: 'data_source_id',
  ruleSetId: 'rule_set_id',
  cron: 'cron',
  timezone: 'timezone',
  paused: 'paused',
  workspace: 'workspace',
  nextRunAt: 'next_run_at',
  lastRunAt: 'last_run_at',
  lastRunId: 'last_run_id',
  createdBy: 'created_by',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** Rows of a raw statement with RETURNING: an array on SQLite, `{rows}` on PostgreSQL. */
function rowsOf(result: unknown): Row[] {
  return (Array.isArray(result) ? result : ((result as { rows?: Row[] }).rows ?? [])) as Row[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * PostgreSQL: makes the current transaction's commit not wait for its WAL flush
 * (`synchronous_commit = off`, transaction-local), for the claim and finish of a table. The
 * commit is still atomic and ordered: a server crash can only lose the last fraction of a second
 * of such commits, and the next synchronous commit (the task queue's job completion) flushes them
 * first. A lost claim or finish leaves the table pending, or running without heartbeat, which the
 * recovery task picks up again.
 */
const ASYNC_COMMIT = `set_config('synchronous_commit', 'off', true)`;

/**
 * Takes a free (or expired) concurrency slot of a data source at random (`also`: a further
 * condition). Bindings: holder, expires, data source, now, data source, slots, now.
 */
const ACQUIRE_LEASE_SQL = (lock: string, also = '') => `
  UPDATE scans_source_leases SET holder = ?, expires_at = ?
   WHERE data_source_id = ? AND (holder IS NULL OR expires_at < ?)
     AND slot = (SELECT slot FROM scans_source_leases
                  WHERE data_source_id = ? AND slot < ? AND (holder IS NULL OR expires_at < ?)
                  ORDER BY random() LIMIT 1 ${lock}) ${also}
   RETURNING slot`;

/**
 * A run table that may be claimed: pending, or running with a stale heartbeat, in a running
 * run. Bindings: stale-before, run id.
 */
const CLAIMABLE_TABLE_SQL = `(status = 'pending' OR (status = 'running' AND updated_at < ?))
   AND EXISTS (SELECT 1 FROM scans_runs r WHERE r.id = ? AND r.status = 'running')`;

/** What claiming a run table sets. Bindings: token, now, now. */
const CLAIM_TABLE_SET_SQL = `status = 'running', token = ?, attempts = attempts + 1,
   started_at = coalesce(started_at, ?), error = NULL, updated_at = ?`;

const RELEASE_LEASE_SQL = `UPDATE scans_source_leases SET holder = NULL, expires_at = 0
   WHERE data_source_id = ? AND slot = ? AND holder = ?`;

const TABLE_STATE_CONFLICT = `ON CONFLICT (data_source_id, table_ref) DO UPDATE SET
   fingerprint = excluded.fingerprint, rule_set_id = excluded.rule_set_id,
   rule_set_version = excluded.rule_set_version, run_id = excluded.run_id,
   scanned_at = excluded.scanned_at`;

const UPSERT_TABLE_STATE_SQL = `INSERT INTO scans_table_state
   (data_source_id, table_ref, fingerprint, rule_set_id, rule_set_version, run_id, scanned_at)
   VALUES (?, ?, ?, ?, ?, ?, ?) ${TABLE_STATE_CONFLICT}`;

/** What a finished table adds to its run's counters (bindings: `runCounterBindings`). */
const RUN_COUNTERS = `
  tables_done = tables_done + 1,
  tables_failed = tables_failed + ?,
  rows_sampled = rows_sampled + ?,
  columns_classified = columns_classified + ?,
  labels_found = labels_found + ?,
  errors = errors + ?,
  updated_at = ?,
  phase = CASE WHEN status = 'running' AND phase = 'scanning' AND tables_done + 1 >= tables_total
               THEN 'finalizing' ELSE phase END`;

function runCounterBindings(outcome: TableOutcome, wrapUp: TableWrapUp): Knex.RawBinding[] {
  return [
    outcome.status === 'failed' ? 1 : 0,
    outcome.rowsSampled,
    outcome.columnsClassified,
    outcome.labels,
    wrapUp.log?.level === 'error' ? 1 : 0,
    outcome.now,
  ];
}

/** Whether the run row returned by a finishing table's counter update says it was the last. */
function completesRun(row: Row | undefined): boolean {
  return (
    row !== undefined &&
    row.phase === 'finalizing' &&
    num(row.tables_done) === num(row.tables_total)
  );
}

const UNFINISHED_TABLE: ScanTableStatus[] = ['pending', 'running'];

/** The knex implementation of ScanStore, on SQLite and PostgreSQL alike. */
export class KnexScanStore implements ScanStore {
  private readonly isPostgres: boolean;

  constructor(private readonly knex: Knex) {
    const client = String((knex.client.config as Knex.Config).client);
    this.isPostgres = ['pg', 'postgres', 'postgresql'].includes(client);
  }

  async insertRun(run: NewRun): Promise<void> {
    await this.knex('scans_runs').insert({
      id: run.id,
      data_source_id: run.dataSourceId,
      data_source_name: run.dataSourceName,
      workspace: run.workspace,
      rule_set_id: run.ruleSetId,
      rule_set_name: run.ruleSetName,
      rule_set_version: run.ruleSetVersion,
      status: 'queued',
      phase: 'planning',
      trigger: run.trigger,
      schedule_id: run.scheduleId,
      requested_by: run.requestedBy,
      created_at: run.createdAt,
      updated_at: run.createdAt,
    });
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = await this.knex('scans_runs').where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  async listRuns(filter: ListRunsFilter): Promise<RunRecord[]> {
    const query = this.knex('scans_runs').orderBy('seq', 'desc').limit(filter.limit);
    if (filter.dataSourceId) query.where('data_source_id', filter.dataSourceId);
    if (filter.status) query.where('status', filter.status);
    if (filter.scheduleId) query.where('schedule_id', filter.scheduleId);
    if (filter.beforeSeq !== undefined) query.where('seq', '<', filter.beforeSeq);
    return (await query).map(toRun);
  }

  async markRunStarted(id: string, now: string): Promise<boolean> {
    const updated = await this.knex('scans_runs')
      .where({ id, status: 'queued' })
      .update({ status: 'running', phase: 'planning', started_at: now, updated_at: now });
    return updated === 1;
  }

  async incrementPlanAttempts(id: string, now: string): Promise<number> {
    await this.knex('scans_runs')
      .where({ id })
      .update({ plan_attempts: this.knex.raw('plan_attempts + 1'), updated_at: now });
    const row = await this.knex('scans_runs').where({ id }).first('plan_attempts');
    return num(row?.plan_attempts);
  }

  async completePlan(
    id: string,
    plan: { tables: NewTable[]; fullScan: boolean; now: string },
  ): Promise<boolean> {
    const { tables, fullScan, now } = plan;
    return this.knex.transaction(async trx => {
      // Claim the transition first so a replayed plan writes nothing.
      const skipped = tables.filter(t => t.status === 'skipped').length;
      const claimed = await trx('scans_runs')
        .where({ id, status: 'running', phase: 'planning' })
        .update({
          phase: 'scanning',
          tables_total: tables.length,
          tables_done: skipped,
          tables_skipped: skipped,
          full_scan: fullScan,
          updated_at: now,
        });
      if (claimed !== 1) return false;
      for (const batch of chunks(tables, 200)) {
        await trx('scans_run_tables').insert(
          batch.map(t => ({
            run_id: id,
            table_ref: t.tableRef,
            schema_name: t.schema,
            table_name: t.table,
            kind: t.kind,
            status: t.status,
            fingerprint: t.fingerprint,
            discovered: t.discovered,
            duration_ms: t.status === 'skipped' ? 0 : null,
            started_at: t.status === 'skipped' ? now : null,
            ended_at: t.status === 'skipped' ? now : null,
            updated_at: now,
          })),
        );
      }
      return true;
    });
  }

  async failRun(id: string, error: string, now: string): Promise<boolean> {
    const updated = await this.knex('scans_runs')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .update({ status: 'failed', phase: 'done', error, ended_at: now, updated_at: now });
    return updated === 1;
  }

  async cancelRun(id: string, now: string): Promise<string[] | undefined> {
    const updated = await this.knex('scans_runs')
      .where({ id })
      .whereIn('status', ['queued', 'running'])
      .update({ status: 'canceled', phase: 'done', ended_at: now, updated_at: now });
    if (updated !== 1) return undefined;
    // Not in the run row's transaction: a finishing table locks its table row and then the
    // run row, so holding the run row while updating tables could deadlock with it. A table
    // that finishes in between keeps its real status; the rest is canceled here.
    return this.knex.transaction(async trx => {
      const refs: string[] = await trx('scans_run_tables')
        .where({ run_id: id })
        .whereIn('status', UNFINISHED_TABLE)
        .orderBy('id')
        .pluck('table_ref');
      await trx('scans_run_tables')
        .where({ run_id: id })
        .whereIn('status', UNFINISHED_TABLE)
        .update({ status: 'canceled', token: null, ended_at: now, updated_at: now });
      return refs;
    });
  }

  async claimFinalize(id: string, now: string): Promise<boolean> {
    return this.claimFinalizeIn(this.knex, id, now);
  }

  private async claimFinalizeIn(db: Knex, id: string, now: string): Promise<boolean> {
    const updated = await db('scans_runs')
      .where({ id, status: 'running', phase: 'scanning' })
      .where('tables_done', '>=', db.ref('tables_total'))
      .update({ phase: 'finalizing', updated_at: now });
    return updated === 1;
  }

  async finishRun(id: string, status: 'succeeded' | 'failed', now: string): Promise<boolean> {
    const updated = await this.knex('scans_runs')
      .where({ id, status: 'running' })
      .update({ status, phase: 'done', ended_at: now, updated_at: now });
    return updated === 1;
  }

  async markNotified(id: string): Promise<void> {
    await this.knex('scans_runs').where({ id }).update({ notified: true });
  }

  async listStalledRuns(before: string, limit: number): Promise<RunRecord[]> {
    const rows = await this.knex('scans_runs')
      .where(q =>
        q
          .whereIn('status', ['queued', 'running'])
          .orWhere(inner =>
            inner.whereIn('status', ['succeeded', 'failed', 'canceled']).where('notified', false),
          ),
      )
      .where('updated_at', '<', before)
      .orderBy('seq')
      .limit(limit);
    return rows.map(toRun);
  }

  async getTable(runId: string, tableRef: string): Promise<TableRecord | undefined> {
    const row = await this.knex('scans_run_tables')
      .where({ run_id: runId, table_ref: tableRef })
      .first();
    return row ? toTable(row) : undefined;
  }

  async claimTable(
    runId: string,
    tableRef: string,
    token: string,
    times: { now: string; staleBefore: string },
    lease: LeaseRequest,
  ): Promise<{ slot: number; table: TableRecord } | 'busy' | 'gone'> {
    if (this.isPostgres) return this.claimTablePostgres(runId, tableRef, token, times, lease);
    const gone = Symbol('gone');
    try {
      return await sqliteTransaction(this.knex, db => {
        const { dataSourceId, slots, holder, nowMs, ttlMs } = lease;
        const leased = db
          .prepare(ACQUIRE_LEASE_SQL(''))
          .get(holder, nowMs + ttlMs, dataSourceId, nowMs, dataSourceId, slots, nowMs);
        if (!leased) return 'busy' as const;
        const row = db
          .prepare(
            `UPDATE scans_run_tables SET ${CLAIM_TABLE_SET_SQL}
             WHERE run_id = ? AND table_ref = ? AND ${CLAIMABLE_TABLE_SQL}
             RETURNING *`,
          )
          .get(token, times.now, times.now, runId, tableRef, times.staleBefore, runId);
        // Not claimable: roll the lease back with the transaction.
        if (!row) throw gone;
        return { slot: num(leased.slot), table: toTable(row) };
      });
    } catch (error) {
      if (error === gone) return 'gone';
      throw error;
    }
  }

  /**
   * PostgreSQL: `claimTable` in one statement (one round trip instead of four) with an
   * asynchronous commit. The table row is locked first; a slot is taken only when the table is
   * claimable, and the table is claimed only when a slot was taken, so nothing is left half done.
   */
  private async claimTablePostgres(
    runId: string,
    tableRef: string,
    token: string,
    times: { now: string; staleBefore: string },
    lease: LeaseRequest,
  ): Promise<{ slot: number; table: TableRecord } | 'busy' | 'gone'> {
    const { dataSourceId, slots, holder, nowMs, ttlMs } = lease;
    const result: unknown = await this.knex.raw(
      `WITH relaxed AS (SELECT ${ASYNC_COMMIT} AS v),
       claimable AS (
         SELECT id FROM scans_run_tables
          WHERE run_id = ? AND table_ref = ? AND ${CLAIMABLE_TABLE_SQL}
            AND (SELECT v FROM relaxed) IS NOT NULL
          FOR UPDATE),
       leased AS (${ACQUIRE_LEASE_SQL('FOR UPDATE SKIP LOCKED', 'AND EXISTS (SELECT 1 FROM claimable)')}),
       claimed AS (
         UPDATE scans_run_tables SET ${CLAIM_TABLE_SET_SQL}
          WHERE id IN (SELECT id FROM claimable) AND EXISTS (SELECT 1 FROM leased)
          RETURNING *)
       SELECT (SELECT count(*) FROM claimable)::integer AS claimable_count,
              (SELECT slot FROM leased) AS leased_slot, claimed.*
         FROM (SELECT 1) AS one LEFT JOIN claimed ON true`,
      [
        runId,
        tableRef,
        times.staleBefore,
        runId,
        holder,
        nowMs + ttlMs,
        dataSourceId,
        nowMs,
        dataSourceId,
        slots,
        nowMs,
        token,
        times.now,
        times.now,
      ],
    );
    const row = rowsOf(result)[0]!;
    if (num(row.claimable_count) === 0) return 'gone';
    if (row.leased_slot === null || row.id === null) return 'busy';
    return { slot: num(row.leased_slot), table: toTable(row) };
  }

  async touchTable(runId: string, tableRef: string, token: string, now: string): Promise<void> {
    await this.knex('scans_run_tables')
      .where({ run_id: runId, table_ref: tableRef, token, status: 'running' })
      .update({ updated_at: now });
  }

  async touchRun(id: string, now: string): Promise<void> {
    await this.knex('scans_runs').where({ id }).update({ updated_at: now });
  }

  async finishTable(
    runId: string,
    tableRef: string,
    token: string,
    outcome: TableOutcome,
    wrapUp: TableWrapUp = {},
  ): Promise<{ recorded: boolean; finalize: boolean }> {
    if (this.isPostgres) return this.finishTablePostgres(runId, tableRef, token, outcome, wrapUp);
    return sqliteTransaction(this.knex, db => {
      if (wrapUp.lease) {
        const { dataSourceId, slot, holder } = wrapUp.lease;
        db.prepare(RELEASE_LEASE_SQL).run(dataSourceId, slot, holder);
      }
      const finished = db
        .prepare(
          `UPDATE scans_run_tables SET status = ?, ended_at = ?, duration_ms = ?, rows_sampled = ?,
                  columns = ?, labels = ?, error = ?, updated_at = ?
            WHERE run_id = ? AND table_ref = ? AND token = ? AND status = 'running'`,
        )
        .run(
          outcome.status,
          outcome.now,
          Math.round(outcome.durationMs),
          outcome.rowsSampled,
          outcome.columns,
          outcome.labels,
          outcome.error,
          outcome.now,
          runId,
          tableRef,
          token,
        );
      if (finished.changes !== 1) return { recorded: false, finalize: false };
      if (outcome.status === 'succeeded' && outcome.state) {
        const { state } = outcome;
        db.prepare(UPSERT_TABLE_STATE_SQL).run(
          state.dataSourceId,
          tableRef,
          state.fingerprint,
          state.ruleSetId,
          state.ruleSetVersion,
          runId,
          outcome.now,
        );
      }
      if (wrapUp.log) {
        const { log } = wrapUp;
        db.prepare(
          'INSERT INTO scans_run_logs (run_id, table_ref, level, message, time) VALUES (?, ?, ?, ?, ?)',
        ).run(log.runId, log.tableRef, log.level, log.message, log.time);
      }
      // Last, so the run row (which every finishing table updates) is written at the end of the
      // transaction. Each table counts once (the token guard above), so exactly one finisher
      // brings tables_done to tables_total and claims the run's completion here.
      const counted = db
        .prepare(
          `UPDATE scans_runs SET ${RUN_COUNTERS} WHERE id = ? RETURNING tables_done, tables_total, phase`,
        )
        .get(...runCounterBindings(outcome, wrapUp), runId);
      return { recorded: true, finalize: completesRun(counted) };
    });
  }

  /**
   * PostgreSQL: the lease release, the table row, its incremental state, its log line and the
   * run's counters in one statement (one round trip instead of eight), with an asynchronous
   * commit (`ASYNC_COMMIT`). The run's counters move only when the table row was finished by
   * this token; the run row's lock serializes the increments, so exactly one finisher sees
   * tables_done reach tables_total and claims the run's completion.
   */
  private async finishTablePostgres(
    runId: string,
    tableRef: string,
    token: string,
    outcome: TableOutcome,
    wrapUp: TableWrapUp,
  ): Promise<{ recorded: boolean; finalize: boolean }> {
    const ctes: string[] = [
      `relaxed AS (SELECT ${ASYNC_COMMIT} AS v)`,
      `finished AS (
         UPDATE scans_run_tables SET status = ?, ended_at = ?, duration_ms = ?, rows_sampled = ?,
                columns = ?, labels = ?, error = ?, updated_at = ?
          WHERE run_id = ? AND table_ref = ? AND token = ? AND status = 'running'
          RETURNING id)`,
      `counted AS (
         UPDATE scans_runs SET ${RUN_COUNTERS}
          WHERE id = ? AND EXISTS (SELECT 1 FROM finished)
          RETURNING tables_done, tables_total, phase)`,
    ];
    const bindings: Knex.RawBinding[] = [
      outcome.status,
      outcome.now,
      Math.round(outcome.durationMs),
      outcome.rowsSampled,
      outcome.columns,
      outcome.labels,
      outcome.error,
      outcome.now,
      runId,
      tableRef,
      token,
      ...runCounterBindings(outcome, wrapUp),
      runId,
    ];
    if (wrapUp.lease) {
      ctes.push(`released AS (${RELEASE_LEASE_SQL} RETURNING slot)`);
      bindings.push(wrapUp.lease.dataSourceId, wrapUp.lease.slot, wrapUp.lease.holder);
    }
    if (outcome.status === 'succeeded' && outcome.state) {
      ctes.push(`state AS (
         INSERT INTO scans_table_state
                (data_source_id, table_ref, fingerprint, rule_set_id, rule_set_version, run_id, scanned_at)
         SELECT ?, ?, ?, ?, ?::integer, ?, ? WHERE EXISTS (SELECT 1 FROM finished)
         ${TABLE_STATE_CONFLICT}
         RETURNING 1)`);
      bindings.push(
        outcome.state.dataSourceId,
        tableRef,
        outcome.state.fingerprint,
        outcome.state.ruleSetId,
        outcome.state.ruleSetVersion,
        runId,
        outcome.now,
      );
    }
    if (wrapUp.log) {
      ctes.push(`logged AS (
         INSERT INTO scans_run_logs (run_id, table_ref, level, message, time)
         SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM finished)
         RETURNING 1)`);
      const { log } = wrapUp;
      bindings.push(log.runId, log.tableRef, log.level, log.message, log.time);
    }
    // Every data-modifying CTE runs whether or not it is referenced; `relaxed` is a plain
    // SELECT, so it is referenced to run.
    const result: unknown = await this.knex.raw(
      `WITH ${ctes.join(',\n')}
       SELECT (SELECT count(*) FROM finished)::integer AS finished, (SELECT v FROM relaxed) AS relaxed,
              counted.tables_done, counted.tables_total, counted.phase
         FROM (SELECT 1) AS one LEFT JOIN counted ON true`,
      bindings,
    );
    const row = rowsOf(result)[0]!;
    if (num(row.finished) !== 1) return { recorded: false, finalize: false };
    return { recorded: true, finalize: completesRun(row) };
  }

  async releaseTable(
    runId: string,
    tableRef: string,
    token: string,
    now: string,
    wrapUp: TableWrapUp = {},
  ): Promise<boolean> {
    return this.knex.transaction(async trx => {
      if (wrapUp.lease) await this.releaseIn(trx, wrapUp.lease);
      const updated = await trx('scans_run_tables')
        .where({ run_id: runId, table_ref: tableRef, token, status: 'running' })
        .update({ status: 'pending', token: null, updated_at: now });
      if (updated === 1 && wrapUp.log) await this.insertLogs(trx, [wrapUp.log]);
      return updated === 1;
    });
  }

  async listTables(
    runId: string,
    options: { status?: ScanTableStatus; limit: number; afterId?: number },
  ): Promise<TableRecord[]> {
    const query = this.knex('scans_run_tables')
      .where({ run_id: runId })
      .orderBy('id')
      .limit(options.limit);
    if (options.status) query.where('status', options.status);
    if (options.afterId !== undefined) query.where('id', '>', options.afterId);
    return (await query).map(toTable);
  }

  async listTablesUpdatedSince(
    runId: string,
    since: string,
    limit: number,
  ): Promise<TableRecord[]> {
    const rows = await this.knex('scans_run_tables')
      .where({ run_id: runId })
      .where('updated_at', '>=', since)
      .orderBy('updated_at')
      .limit(limit);
    return rows.map(toTable);
  }

  async listTableRefs(runId: string, statuses?: ScanTableStatus[]): Promise<string[]> {
    const query = this.knex('scans_run_tables').where({ run_id: runId }).orderBy('id');
    if (statuses) query.whereIn('status', statuses);
    return query.pluck('table_ref');
  }

  async listRecoverableTableRefs(runId: string, staleBefore: string): Promise<string[]> {
    return this.knex('scans_run_tables')
      .where({ run_id: runId })
      .where(q =>
        q
          .where('status', 'pending')
          .orWhere(inner => inner.where('status', 'running').where('updated_at', '<', staleBefore)),
      )
      .orderBy('id')
      .pluck('table_ref');
  }

  async getTableStates(
    dataSourceId: string,
    tableRefs: string[],
  ): Promise<Map<string, TableState>> {
    const states = new Map<string, TableState>();
    for (const batch of chunks(tableRefs, 500)) {
      const rows = await this.knex('scans_table_state')
        .where({ data_source_id: dataSourceId })
        .whereIn('table_ref', batch);
      for (const row of rows) {
        states.set(str(row.table_ref), {
          fingerprint: str(row.fingerprint),
          ruleSetId: str(row.rule_set_id),
          ruleSetVersion: num(row.rule_set_version),
        });
      }
    }
    return states;
  }

  async appendLogs(entries: NewLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.knex.transaction(async trx => {
      await this.insertLogs(trx, entries);
      const errorsByRun = new Map<string, number>();
      for (const e of entries) {
        if (e.level === 'error') errorsByRun.set(e.runId, (errorsByRun.get(e.runId) ?? 0) + 1);
      }
      for (const [runId, count] of errorsByRun) {
        await trx('scans_runs')
          .where({ id: runId })
          .update({ errors: trx.raw('errors + ?', [count]) });
      }
    });
  }

  private async insertLogs(db: Knex, entries: NewLogEntry[]): Promise<void> {
    for (const batch of chunks(entries, 200)) {
      await db('scans_run_logs').insert(
        batch.map(e => ({
          run_id: e.runId,
          table_ref: e.tableRef,
          level: e.level,
          message: e.message,
          time: e.time,
        })),
      );
    }
  }

  async listLogs(
    runId: string,
    options: { after?: number; level?: ScanLogEntry['level']; limit: number; tableRefs?: string[] },
  ): Promise<ScanLogEntry[]> {
    const query = this.knex('scans_run_logs')
      .where({ run_id: runId })
      .orderBy('seq')
      .limit(options.limit);
    if (options.after !== undefined) query.where('seq', '>', options.after);
    if (options.level) query.where('level', options.level);
    if (options.tableRefs) query.whereIn('table_ref', options.tableRefs);
    return (await query).map(toLog);
  }

  async insertSchedule(schedule: ScheduleRecord): Promise<void> {
    const row: Row = {};
    for (const [key, column] of Object.entries(scheduleColumns)) {
      row[column] = schedule[key as keyof ScheduleRecord];
    }
    await this.knex('scans_schedules').insert(row);
  }

  async getSchedule(id: string): Promise<ScheduleRecord | undefined> {
    const row = await this.knex('scans_schedules').where({ id }).first();
    return row ? toSchedule(row) : undefined;
  }

  async listSchedules(filter: { dataSourceId?: string }): Promise<ScheduleRecord[]> {
    const query = this.knex('scans_schedules').orderBy('created_at').orderBy('id');
    if (filter.dataSourceId) query.where('data_source_id', filter.dataSourceId);
    return (await query).map(toSchedule);
  }

  async updateSchedule(
    id: string,
    patch: Partial<Omit<ScheduleRecord, 'id' | 'createdAt' | 'createdBy'>>,
  ): Promise<boolean> {
    const row: Row = {};
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) row[scheduleColumns[key as keyof ScheduleRecord]] = value;
    }
    if (Object.keys(row).length === 0) return Boolean(await this.getSchedule(id));
    return (await this.knex('scans_schedules').where({ id }).update(row)) === 1;
  }

  async deleteSchedule(id: string): Promise<boolean> {
    return (await this.knex('scans_schedules').where({ id }).del()) === 1;
  }

  async listDueSchedules(now: string, limit: number): Promise<ScheduleRecord[]> {
    const rows = await this.knex('scans_schedules')
      .where({ paused: false })
      .whereNotNull('next_run_at')
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(limit);
    return rows.map(toSchedule);
  }

  async advanceSchedule(
    id: string,
    expectedNextRunAt: string,
    update: { nextRunAt: string | null; lastRunAt: string; now: string },
  ): Promise<boolean> {
    const updated = await this.knex('scans_schedules')
      .where({ id, next_run_at: expectedNextRunAt, paused: false })
      .update({
        next_run_at: update.nextRunAt,
        last_run_at: update.lastRunAt,
        updated_at: update.now,
      });
    return updated === 1;
  }

  async setScheduleLastRun(id: string, runId: string): Promise<void> {
    await this.knex('scans_schedules').where({ id }).update({ last_run_id: runId });
  }

  async ensureLeaseSlots(dataSourceId: string, slots: number): Promise<void> {
    const rows = Array.from({ length: slots }, (_, slot) => ({
      data_source_id: dataSourceId,
      slot,
      holder: null,
      expires_at: 0,
    }));
    await this.knex('scans_source_leases')
      .insert(rows)
      .onConflict(['data_source_id', 'slot'])
      .ignore();
  }

  async acquireLease(request: LeaseRequest): Promise<number | undefined> {
    return this.acquireIn(this.knex, request);
  }

  /**
   * One statement takes a random free slot. On PostgreSQL the sub-select locks the row it picks
   * (SKIP LOCKED: concurrent takers pick different rows); SQLite serializes writers.
   */
  private async acquireIn(db: Knex, request: LeaseRequest): Promise<number | undefined> {
    const { dataSourceId, slots, holder, nowMs, ttlMs } = request;
    const result: unknown = await db.raw(
      ACQUIRE_LEASE_SQL(this.isPostgres ? 'FOR UPDATE SKIP LOCKED' : ''),
      [holder, nowMs + ttlMs, dataSourceId, nowMs, dataSourceId, slots, nowMs],
    );
    const rows = (
      Array.isArray(result) ? result : ((result as { rows?: Row[] }).rows ?? [])
    ) as Row[];
    return rows.length > 0 ? num(rows[0]!.slot) : undefined;
  }

  private async releaseIn(db: Knex, lease: HeldLease): Promise<void> {
    await db.raw(RELEASE_LEASE_SQL, [lease.dataSourceId, lease.slot, lease.holder]);
  }

  async renewLease(
    dataSourceId: string,
    slot: number,
    holder: string,
    expiresAtMs: number,
  ): Promise<boolean> {
    const updated = await this.knex('scans_source_leases')
      .where({ data_source_id: dataSourceId, slot, holder })
      .update({ expires_at: expiresAtMs });
    return updated === 1;
  }

  async releaseLease(dataSourceId: string, slot: number, holder: string): Promise<void> {
    await this.releaseIn(this.knex, { dataSourceId, slot, holder });
  }

  async countActiveLeases(dataSourceId: string, nowMs: number): Promise<number> {
    const row = await this.knex('scans_source_leases')
      .where({ data_source_id: dataSourceId })
      .whereNotNull('holder')
      .where('expires_at', '>=', nowMs)
      .count({ n: '*' })
      .first();
    return num(row?.n);
  }
}
