import type { ColumnProfile, DiscoveredTable } from '@racine/plugin-datasources-node';
import {
  tableRef,
  type TableBatchInput,
  type columnProfileSchema,
} from '@racine/plugin-data-catalog-common';
import type { ProfileMetric } from '@racine/plugin-scan-rulesets-common';
import type { z } from 'zod';
import type { IngestLabel } from './classification';

type BatchKind = TableBatchInput['table']['kind'];
type IngestProfile = z.input<typeof columnProfileSchema>;

/** The catalog's table kind: a PostgreSQL partition is a table that is part of another. */
export function batchKind(table: Pick<DiscoveredTable, 'kind' | 'partitionOf'>): BatchKind {
  if (table.partitionOf) return 'partition';
  return table.kind;
}

/** The catalog ref of a discovered table (views and materialized views are `view` assets). */
export function discoveredTableRef(
  dataSourceId: string,
  database: string,
  table: Pick<DiscoveredTable, 'schema' | 'name' | 'kind'>,
): string {
  const type = table.kind === 'view' || table.kind === 'materialized_view' ? 'view' : 'table';
  return tableRef(dataSourceId, database, table.schema, table.name, type);
}

/** Only the metrics the rule set asked for; connectors do not compute a mean. */
export function toIngestProfile(
  profile: ColumnProfile,
  metrics: readonly ProfileMetric[],
): IngestProfile {
  const all: Record<ProfileMetric, number | string | null> = {
    rowCount: profile.rowCount,
    nullCount: profile.nullCount,
    distinctCount: profile.distinctCount,
    min: profile.min,
    max: profile.max,
    avgLength: profile.avgLength,
    maxLength: profile.maxLength,
    mean: null,
  };
  const out: Record<string, number | string | null> = {};
  for (const metric of metrics) {
    if (metric === 'mean') continue;
    out[metric] = all[metric];
  }
  return out as IngestProfile;
}

export interface ColumnFindings {
  profile?: IngestProfile;
  labels: IngestLabel[];
}

/** One table's batch for `POST /api/data-catalog/ingest/tables`. No sampled value is in it. */
export function buildTableBatch(input: {
  dataSourceId: string;
  dataSourceName: string;
  workspace: string;
  runId: string;
  scannedAt: string;
  database: string;
  table: DiscoveredTable;
  fingerprint: string | null;
  rowCount: number | null;
  findings: Map<string, ColumnFindings>;
}): TableBatchInput {
  const { table } = input;
  const primaryKey = table.primaryKey?.columns ?? [];
  return {
    dataSourceId: input.dataSourceId,
    dataSourceName: input.dataSourceName,
    runId: input.runId,
    scannedAt: input.scannedAt,
    workspace: input.workspace,
    database: input.database,
    schema: table.schema,
    table: {
      name: table.name,
      kind: batchKind(table),
      comment: table.comment,
      rowCount: input.rowCount ?? table.rowEstimate,
      viewSql: table.definition,
      primaryKey,
      foreignKeys: table.foreignKeys.map(fk => ({
        ...(fk.name ? { name: fk.name } : {}),
        columns: fk.columns,
        referencedSchema: fk.referencedTable.schema,
        referencedTable: fk.referencedTable.name,
        referencedColumns: fk.referencedColumns,
      })),
      partitionOf: table.partitionOf?.parent.name ?? null,
      ...(input.fingerprint ? { fingerprint: input.fingerprint } : {}),
    },
    columns: table.columns.map(column => {
      const findings = input.findings.get(column.name);
      return {
        name: column.name,
        ordinal: column.ordinal,
        dataType: column.dataType,
        nullable: column.nullable,
        default: column.defaultValue,
        comment: column.comment,
        isPrimaryKey: primaryKey.includes(column.name),
        ...(findings?.profile ? { profile: findings.profile } : {}),
        labels: findings?.labels ?? [],
      };
    }),
  };
}
