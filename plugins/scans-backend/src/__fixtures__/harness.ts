import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { ActivityRecord } from '@racine/kernel-common';
import {
  createTaskQueue,
  type ActivityEntry,
  type AuditService,
  type TaskQueue,
} from '@racine/kernel-node';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import {
  tableAssetType,
  tableBatchSchema,
  tableRef,
  type CompleteScan,
  type TableBatch,
  type TableBatchInput,
} from '@racine/plugin-data-catalog-common';
import {
  ruleSetDefinitionSchema,
  type RuleSetDefinitionInput,
} from '@racine/plugin-scan-rulesets-common';
import type { ScanRun } from '@racine/plugin-scans-common';
import { migrateScansDatabase } from '../database/migrations';
import { KnexScanStore } from '../database/ScanStore';
import type {
  CatalogPublisher,
  Collaborators,
  DataSourceConnection,
  RuleSet,
  ScanCompletedPayload,
} from '../services/collaborators';
import { TransientError } from '../services/errors';
import { ScanExecutor } from '../services/ScanExecutor';
import { ScanService } from '../services/ScanService';
import { ScheduleService } from '../services/ScheduleService';
import { DEFAULT_SCAN_SETTINGS, type ScanSettings } from '../services/settings';

export function quietLogger(): LoggerService {
  const logger: LoggerService = {
    info: () => undefined,
    debug: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}

/**
 * The data catalog's ingestion contract, kept in memory for service tests: every batch is
 * validated with the real `tableBatchSchema`, assets are keyed by ref (so a replayed batch
 * changes nothing), and `completeScan` marks unseen tables of the source deleted.
 */
export class RecordingCatalog implements CatalogPublisher {
  readonly tables = new Map<
    string,
    { batch: TableBatch; status: 'active' | 'deleted'; publishes: number }
  >();
  readonly completions: CompleteScan[] = [];
  /** The next this many publishes fail as an unavailable catalog would (HTTP 503). */
  unavailableFor = 0;

  async publishTables(batches: TableBatchInput[]): Promise<void> {
    if (this.unavailableFor > 0) {
      this.unavailableFor -= 1;
      throw new TransientError(
        'POST /api/data-catalog/ingest/tables answered 503: Service Unavailable',
      );
    }
    for (const input of batches) {
      const batch = tableBatchSchema.parse(input);
      const ref = tableRef(
        batch.dataSourceId,
        batch.database,
        batch.schema,
        batch.table.name,
        tableAssetType(batch.table.kind === 'partition' ? 'table' : batch.table.kind),
      );
      const current = this.tables.get(ref);
      this.tables.set(ref, { batch, status: 'active', publishes: (current?.publishes ?? 0) + 1 });
    }
  }

  async completeScan(complete: CompleteScan): Promise<{ deleted: number }> {
    this.completions.push(complete);
    const seen = new Set(complete.seenTableRefs);
    let deleted = 0;
    for (const [ref, entry] of this.tables) {
      if (
        entry.batch.dataSourceId !== complete.dataSourceId ||
        seen.has(ref) ||
        entry.status === 'deleted'
      )
        continue;
      entry.status = 'deleted';
      deleted += 1;
    }
    return { deleted };
  }

  ofSource(dataSourceId: string) {
    return [...this.tables.entries()].filter(([, e]) => e.batch.dataSourceId === dataSourceId);
  }
}

/** Rule sets with versions, validated by the real definition schema. */
export class RuleSetShelf {
  private readonly versions = new Map<
    string,
    { name: string; definitions: RuleSet['definition'][] }
  >();

  put(id: string, name: string, definition: RuleSetDefinitionInput): RuleSet {
    const entry = this.versions.get(id) ?? { name, definitions: [] };
    entry.name = name;
    entry.definitions.push(ruleSetDefinitionSchema.parse(definition));
    this.versions.set(id, entry);
    return {
      id,
      name,
      version: entry.definitions.length,
      definition: entry.definitions[entry.definitions.length - 1]!,
    };
  }

  async getRuleSet(id: string, version?: number): Promise<RuleSet> {
    const entry = this.versions.get(id);
    const v = version ?? entry?.definitions.length ?? 0;
    const definition = entry?.definitions[v - 1];
    if (!entry || !definition) throw new NotFoundError(`rule set ${id} v${version}`);
    return { id, name: entry.name, version: v, definition };
  }
}

export class SourceShelf {
  readonly sources = new Map<string, DataSourceConnection>();
  requests = 0;

  put(connection: DataSourceConnection) {
    this.sources.set(connection.id, connection);
  }

  async getConnection(id: string): Promise<DataSourceConnection> {
    this.requests += 1;
    const source = this.sources.get(id);
    if (!source) throw new NotFoundError(`data source ${id}`);
    return structuredClone(source);
  }
}

export interface Harness {
  db: TestDatabase;
  store: KnexScanStore;
  queue: TaskQueue;
  executor: ScanExecutor;
  scans: ScanService;
  schedules: ScheduleService;
  catalog: RecordingCatalog;
  ruleSets: RuleSetShelf;
  sources: SourceShelf;
  events: ScanCompletedPayload[];
  audit: ActivityEntry[];
  collaborators: Collaborators;
  settings: ScanSettings;
  /** Another worker process's view: its own queue and executor on the same database. */
  addWorker(
    concurrency?: number,
  ): Promise<{ queue: TaskQueue; executor: ScanExecutor; stop(): Promise<void> }>;
  start(input: { dataSourceId: string; ruleSetId?: string }): Promise<ScanRun>;
  waitForRun(id: string, done?: (run: ScanRun) => boolean, timeoutMs?: number): Promise<ScanRun>;
  stop(): Promise<void>;
}

export const TEST_SETTINGS: ScanSettings = {
  ...DEFAULT_SCAN_SETTINGS,
  leaseTtlMs: 4_000,
  retryBaseDelayMs: 200,
  retryMaxDelayMs: 1_000,
  busyRetryDelayMs: 150,
  cancelCheckMs: 150,
  sessionIdleMs: 2_000,
  stalledAfterMs: 300,
};

export async function createHarness(
  options: { settings?: Partial<ScanSettings>; concurrency?: number } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  await migrateScansDatabase(db.knex);
  const store = new KnexScanStore(db.knex);
  const settings = { ...TEST_SETTINGS, ...options.settings };
  const catalog = new RecordingCatalog();
  const ruleSets = new RuleSetShelf();
  const sources = new SourceShelf();
  const events: ScanCompletedPayload[] = [];
  const auditEntries: ActivityEntry[] = [];
  const audit: AuditService = {
    record: async entry => {
      auditEntries.push(entry);
      return {} as ActivityRecord;
    },
  };
  const collaborators: Collaborators = {
    dataSources: sources,
    ruleSets,
    catalog,
    events: { scanCompleted: async payload => void events.push(payload) },
  };
  const logger = quietLogger();
  const makeWorker = async (concurrency: number) => {
    const queue = createTaskQueue({
      knex: db.knex,
      concurrency,
      pollIntervalMs: 100,
      shutdownTimeoutMs: 2_000,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const executor = new ScanExecutor({ store, queue, collaborators, settings, logger });
    executor.register();
    await queue.start();
    return {
      queue,
      executor,
      async stop() {
        await queue.stop();
        await executor.close();
      },
    };
  };
  const main = await makeWorker(options.concurrency ?? 4);
  const extra: Array<{ stop(): Promise<void> }> = [];
  const scans = new ScanService({ store, executor: main.executor, collaborators, audit, logger });
  const schedules = new ScheduleService({ store, scans, audit, logger });
  const harness: Harness = {
    db,
    store,
    queue: main.queue,
    executor: main.executor,
    scans,
    schedules,
    catalog,
    ruleSets,
    sources,
    events,
    audit: auditEntries,
    collaborators,
    settings,
    async addWorker(concurrency = 4) {
      const worker = await makeWorker(concurrency);
      extra.push(worker);
      return worker;
    },
    start: input => scans.startRun(input, { actor: 'user:default/tester' }, { trigger: 'manual' }),
    async waitForRun(
      id,
      done = run => ['succeeded', 'failed', 'canceled'].includes(run.status),
      timeoutMs = 60_000,
    ) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await scans.getRun(id);
        if (done(run)) return run;
        if (Date.now() > deadline)
          throw new Error(`Run ${id} did not get there in time: ${JSON.stringify(run)}`);
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    },
    async stop() {
      for (const worker of extra) await worker.stop();
      await main.stop();
      await db.destroy();
    },
  };
  return harness;
}
