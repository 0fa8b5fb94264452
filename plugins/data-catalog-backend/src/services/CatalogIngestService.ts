import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  DEFAULT_WORKSPACE,
  eventTopics,
  type DataSourceDeletedEventPayload,
} from '@racine/kernel-common';
import type { AuditService, TaskQueue } from '@racine/kernel-node';
import {
  assetRef,
  parseAssetRef,
  tableAssetType,
  tableRef,
  type AssetChangedEventPayload,
  type CompleteScan,
  type CompleteScanResponse,
  type IngestTablesResponse,
  type TableBatch,
} from '@racine/plugin-data-catalog-common';
import type { CatalogStore } from '../database/CatalogStore';
import { assetsOfBatch, refPath } from './assetModel';

/** Refs per `asset.changed` event, so one huge scan does not make one huge message. */
export const EVENT_CHUNK_SIZE = 500;
/** Assets marked deleted per transaction when their data source is deleted. */
export const DATA_SOURCE_DELETE_BATCH = 2000;
/** The task queue's task that marks a deleted data source's assets deleted. */
export const RETIRE_DATA_SOURCE_TASK = 'data-catalog.retire-data-source';

function isoTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InputError(`Invalid body: ${field}: must be an ISO-8601 time`);
  return new Date(ms).toISOString();
}

export interface IngestResult extends IngestTablesResponse {
  changedRefs: string[];
}

/**
 * Turns what scans publish into catalog assets. Idempotent: a batch that changes nothing
 * writes nothing and emits nothing; only changed assets get a new update time and are
 * announced on `asset.changed`.
 */
export class CatalogIngestService {
  constructor(
    private readonly deps: {
      store: CatalogStore;
      events: Pick<EventsService, 'publish'>;
      logger: LoggerService;
      now?: () => Date;
      /** Runs once the batches are committed (lineage derivation); its failure never fails ingestion. */
      afterIngest?: (batches: TableBatch[]) => Promise<void>;
    },
  ) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  async ingestTables(batches: TableBatch[]): Promise<IngestResult> {
    const result: IngestResult = {
      tables: 0,
      columns: 0,
      changed: 0,
      deletedColumns: 0,
      changedRefs: [],
    };
    const prepared = batches.map((batch, i) => ({
      batch,
      scannedAt: isoTime(batch.scannedAt, `batches.${i}.scannedAt`),
    }));
    for (const { batch, scannedAt } of prepared) {
      const assets = assetsOfBatch(batch);
      const { changedRefs, deletedColumnRefs } = await this.deps.store.applyTableBatch({
        assets,
        tableRef: tableRef(
          batch.dataSourceId,
          batch.database,
          batch.schema,
          batch.table.name,
          tableAssetType(batch.table.kind),
        ),
        runId: batch.runId,
        scannedAt,
        now: this.now(),
      });
      const refs = [...changedRefs, ...deletedColumnRefs];
      result.tables += 1;
      result.columns += assets.length - 4;
      result.changed += refs.length;
      result.deletedColumns += deletedColumnRefs.length;
      result.changedRefs.push(...refs);
      await this.announce({
        dataSourceId: batch.dataSourceId,
        runId: batch.runId,
        reason: 'ingested',
        refs,
      });
    }
    try {
      await this.deps.afterIngest?.(batches);
    } catch (error) {
      this.deps.logger.warn(`Could not derive lineage of ingested batches: ${String(error)}`);
    }
    return result;
  }

  async completeScan(
    input: CompleteScan,
  ): Promise<CompleteScanResponse & { changedRefs: string[] }> {
    const startedAt = isoTime(input.startedAt, 'startedAt');
    const seenPaths = new Set<string>();
    input.seenTableRefs.forEach((ref, i) => {
      let parsed;
      try {
        parsed = parseAssetRef(ref);
      } catch {
        throw new InputError(`Invalid body: seenTableRefs.${i}: not a data catalog asset ref`);
      }
      if (parsed.type !== 'table' && parsed.type !== 'view') {
        throw new InputError(`Invalid body: seenTableRefs.${i}: must be a table or view ref`);
      }
      // A table that became a view (or back) keeps its path: match on the path.
      seenPaths.add(refPath(ref));
    });
    const { tableRefs, columnRefs, containerRefs } = await this.deps.store.markVanishedTables({
      dataSourceId: input.dataSourceId,
      startedAt,
      seenPaths,
      now: this.now(),
    });
    const refs = [...tableRefs, ...columnRefs, ...containerRefs];
    await this.announce({
      dataSourceId: input.dataSourceId,
      runId: input.runId,
      reason: 'deleted',
      refs,
    });
    return { deleted: tableRefs.length, deletedColumns: columnRefs.length, changedRefs: refs };
  }

  /**
   * The data source is gone (`datasource.deleted`): every asset of it still active is marked
   * deleted, as a rescan marks a vanished table (history and labels stay), batch by batch, and
   * announced on `asset.changed`. Idempotent: a repeat finds nothing active and does nothing.
   */
  async deleteDataSource(dataSourceId: string): Promise<{ deleted: number }> {
    let deleted = 0;
    for (;;) {
      const refs = await this.deps.store.markDataSourceAssetsDeleted({
        dataSourceId,
        limit: DATA_SOURCE_DELETE_BATCH,
        now: this.now(),
      });
      if (refs.length === 0) return { deleted };
      deleted += refs.length;
      await this.announce({ dataSourceId, runId: '', reason: 'deleted', refs });
    }
  }

  /**
   * Marks the assets of every data source deleted from now on (`datasource.deleted`): the
   * event only queues a durable task (RETIRE_DATA_SOURCE_TASK), so that the deletion's
   * request does not wait for a large source (100,000 assets: about 7 s on SQLite), and a
   * restart midway resumes it (retried until no asset of the source is left active).
   */
  async subscribeToDataSourceDeletions(deps: {
    events: Pick<EventsService, 'subscribe'>;
    audit: AuditService;
    queue: Pick<TaskQueue, 'handle' | 'enqueue'>;
  }): Promise<void> {
    deps.queue.handle<DataSourceDeletedEventPayload>(
      RETIRE_DATA_SOURCE_TASK,
      payload => this.retireDataSource(payload, deps.audit),
      { concurrency: 1 },
    );
    await deps.events.subscribe({
      id: 'data-catalog-datasource-deleted',
      topics: [eventTopics.dataSourceDeleted],
      onEvent: async ({ eventPayload }) => {
        const payload = (eventPayload ?? {}) as Partial<DataSourceDeletedEventPayload>;
        const { dataSourceId } = payload;
        if (typeof dataSourceId !== 'string' || dataSourceId === '') return;
        const task: DataSourceDeletedEventPayload = {
          dataSourceId,
          name: typeof payload.name === 'string' ? payload.name : dataSourceId,
          workspace: typeof payload.workspace === 'string' ? payload.workspace : DEFAULT_WORKSPACE,
          deletedBy: typeof payload.deletedBy === 'string' ? payload.deletedBy : 'system',
        };
        try {
          await deps.queue.enqueue(RETIRE_DATA_SOURCE_TASK, task, {
            maxAttempts: 5,
            key: `${RETIRE_DATA_SOURCE_TASK}:${dataSourceId}`,
          });
        } catch (error) {
          this.deps.logger.warn(
            `Could not queue marking the assets of deleted data source '${task.name}' (${dataSourceId}) deleted: ${String(error)}`,
          );
        }
      },
    });
  }

  /** RETIRE_DATA_SOURCE_TASK: the source's assets marked deleted, audited when any were. */
  private async retireDataSource(
    task: DataSourceDeletedEventPayload,
    audit: AuditService,
  ): Promise<void> {
    const { deleted } = await this.deleteDataSource(task.dataSourceId);
    // A repeat that changed nothing is not a mutation: it leaves no trace in the audit trail.
    if (deleted > 0)
      await audit.record({
        actor: task.deletedBy,
        workspace: task.workspace,
        resource: assetRef('datasource', [task.dataSourceId]),
        verb: 'assets.datasourceDeleted',
        summary: `Data source '${task.name}' was deleted: ${deleted} catalog asset(s) marked deleted`,
        details: { dataSourceId: task.dataSourceId, deleted },
      });
  }

  private async announce(payload: AssetChangedEventPayload) {
    for (let i = 0; i < payload.refs.length; i += EVENT_CHUNK_SIZE) {
      const eventPayload: AssetChangedEventPayload = {
        ...payload,
        refs: payload.refs.slice(i, i + EVENT_CHUNK_SIZE),
      };
      try {
        await this.deps.events.publish({ topic: eventTopics.assetChanged, eventPayload });
      } catch (error) {
        // The catalog is already committed; a lost notification must not fail the ingestion.
        this.deps.logger.warn(`Could not publish ${eventTopics.assetChanged}: ${String(error)}`);
      }
    }
  }
}
