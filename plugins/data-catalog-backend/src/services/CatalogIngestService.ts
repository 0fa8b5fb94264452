import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import { eventTopics } from '@racine/kernel-common';
import {
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
