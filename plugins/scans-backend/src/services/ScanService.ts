import crypto from 'node:crypto';
import type { BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import type { AuditService } from '@racine/kernel-node';
import {
  DEFAULT_RULE_SET_ID,
  scanRunRef,
  terminalScanRunStatuses,
  type ScanLogEntry,
  type ScanRun,
  type ScanRunStatus,
  type ScanRunTable,
  type ScanTableStatus,
  type ScanTrigger,
} from '@racine/plugin-scans-common';
import type { ScanStore } from '../database/ScanStore';
import type { Collaborators, DataSourceConnection, RuleSet } from './collaborators';
import { errorText, TransientError } from './errors';
import type { ScanExecutor } from './ScanExecutor';
import { toRunView, toTableView } from './views';

/** Who asks: a user or plugin (with credentials), or the scans plugin itself (schedules). */
export interface Caller {
  actor: string;
  credentials?: BackstageCredentials;
}

export interface StartRunOptions {
  trigger: ScanTrigger;
  scheduleId?: string | null;
}

/** Runs as the API sees them: start, list, inspect, cancel. The work is ScanExecutor's. */
export class ScanService {
  constructor(
    private readonly deps: {
      store: ScanStore;
      executor: ScanExecutor;
      collaborators: Collaborators;
      audit: AuditService;
      logger: LoggerService;
    },
  ) {}

  /** Resolves the data source and the rule set version a run will use (404 when unknown). */
  async resolveTargets(
    dataSourceId: string,
    ruleSetId: string,
  ): Promise<{ connection: DataSourceConnection; ruleSet: RuleSet }> {
    const guard = async <T>(what: string, id: string, load: () => Promise<T>): Promise<T> => {
      try {
        return await load();
      } catch (error) {
        if (error instanceof NotFoundError) throw new NotFoundError(`${what} '${id}' not found`);
        if (error instanceof TransientError) throw new ServiceUnavailableError(errorText(error));
        throw error;
      }
    };
    const [connection, ruleSet] = await Promise.all([
      guard('Data source', dataSourceId, () =>
        this.deps.collaborators.dataSources.getConnection(dataSourceId),
      ),
      guard('Rule set', ruleSetId, () => this.deps.collaborators.ruleSets.getRuleSet(ruleSetId)),
    ]);
    return { connection, ruleSet };
  }

  async startRun(
    input: { dataSourceId: string; ruleSetId?: string },
    caller: Caller,
    options: StartRunOptions,
  ): Promise<ScanRun> {
    const ruleSetId = input.ruleSetId ?? DEFAULT_RULE_SET_ID;
    let targets;
    try {
      targets = await this.resolveTargets(input.dataSourceId, ruleSetId);
    } catch (error) {
      await this.deps.audit.record({
        ...caller,
        verb: 'scan.run',
        outcome: 'failure',
        resource: `racine:datasources:datasource/${input.dataSourceId}`,
        summary: `Scan of data source '${input.dataSourceId}' not started: ${errorText(error)}`,
      });
      throw error;
    }
    const { connection, ruleSet } = targets;
    const id = crypto.randomUUID();
    const now = new Date().toISOString();
    await this.deps.store.insertRun({
      id,
      dataSourceId: connection.id,
      dataSourceName: connection.name,
      workspace: connection.workspace,
      ruleSetId: ruleSet.id,
      ruleSetName: ruleSet.name,
      ruleSetVersion: ruleSet.version,
      trigger: options.trigger,
      scheduleId: options.scheduleId ?? null,
      requestedBy: caller.actor,
      createdAt: now,
    });
    // The answer is the run as queued, whatever a fast worker did since.
    const queued = await this.getRun(id);
    await this.deps.executor.log(
      id,
      null,
      'info',
      `Queued by ${caller.actor} (${options.trigger}): data source '${connection.name}', rule set '${ruleSet.name}' v${ruleSet.version}`,
    );
    await this.deps.executor.enqueuePlan(id);
    await this.deps.audit.record({
      ...caller,
      workspace: connection.workspace,
      verb: 'scan.run',
      resource: scanRunRef(id),
      summary: `Started a scan of '${connection.name}' with rule set '${ruleSet.name}' v${ruleSet.version}`,
      details: {
        dataSourceId: connection.id,
        ruleSetId: ruleSet.id,
        ruleSetVersion: ruleSet.version,
        trigger: options.trigger,
      },
    });
    return queued;
  }

  async getRun(id: string): Promise<ScanRun> {
    const run = await this.deps.store.getRun(id);
    if (!run) throw new NotFoundError(`Scan run '${id}' not found`);
    return toRunView(run);
  }

  async listRuns(query: {
    dataSourceId?: string;
    status?: ScanRunStatus;
    scheduleId?: string;
    limit: number;
    cursor?: string;
  }): Promise<{ items: ScanRun[]; nextCursor: string | null }> {
    const rows = await this.deps.store.listRuns({
      dataSourceId: query.dataSourceId,
      status: query.status,
      scheduleId: query.scheduleId,
      limit: query.limit + 1,
      beforeSeq: query.cursor === undefined ? undefined : Number(query.cursor),
    });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map(toRunView),
      nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.seq) : null,
    };
  }

  async listTables(
    runId: string,
    query: { status?: ScanTableStatus; limit: number; cursor?: string },
  ): Promise<{ items: ScanRunTable[]; nextCursor: string | null }> {
    await this.getRun(runId);
    const rows = await this.deps.store.listTables(runId, {
      status: query.status,
      limit: query.limit + 1,
      afterId: query.cursor === undefined ? undefined : Number(query.cursor),
    });
    const page = rows.slice(0, query.limit);
    const items = await this.withLogs(runId, page);
    return {
      items,
      nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null,
    };
  }

  /** Table views with their log lines, in one query for the whole page. */
  async withLogs(
    runId: string,
    rows: Awaited<ReturnType<ScanStore['listTables']>>,
  ): Promise<ScanRunTable[]> {
    const logs =
      rows.length === 0
        ? []
        : await this.deps.store.listLogs(runId, {
            tableRefs: rows.map(r => r.tableRef),
            limit: rows.length * 20,
          });
    const byRef = new Map<string, ScanLogEntry[]>();
    for (const line of logs) {
      if (!line.tableRef) continue;
      const list = byRef.get(line.tableRef) ?? [];
      list.push(line);
      byRef.set(line.tableRef, list);
    }
    return rows.map(row => toTableView(row, byRef.get(row.tableRef) ?? []));
  }

  async listLogs(
    runId: string,
    query: { after?: number; level?: ScanLogEntry['level']; limit: number },
  ): Promise<{ items: ScanLogEntry[] }> {
    await this.getRun(runId);
    return { items: await this.deps.store.listLogs(runId, query) };
  }

  async cancelRun(id: string, caller: Caller): Promise<ScanRun> {
    const run = await this.deps.store.getRun(id);
    if (!run) throw new NotFoundError(`Scan run '${id}' not found`);
    if (terminalScanRunStatuses.includes(run.status)) {
      throw new ConflictError(`Scan run '${id}' already ended (${run.status})`);
    }
    const refs = await this.deps.store.cancelRun(id, new Date().toISOString());
    if (!refs) {
      const current = await this.deps.store.getRun(id);
      throw new ConflictError(`Scan run '${id}' already ended (${current?.status ?? 'unknown'})`);
    }
    await this.deps.executor.dropJobs(id, refs);
    await this.deps.executor.log(
      id,
      null,
      'warn',
      `Canceled by ${caller.actor}; ${refs.length} unfinished table(s) dropped`,
    );
    await this.deps.audit.record({
      ...caller,
      workspace: run.workspace,
      verb: 'scan.cancel',
      resource: scanRunRef(id),
      summary: `Canceled the scan of '${run.dataSourceName}' (${refs.length} unfinished tables)`,
    });
    await this.deps.executor.notify(id);
    return this.getRun(id);
  }
}
