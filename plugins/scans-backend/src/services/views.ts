import {
  scanRunRef,
  scanScheduleRef,
  type ScanLogEntry,
  type ScanProgress,
  type ScanRun,
  type ScanRunTable,
  type ScanSchedule,
} from '@racine/plugin-scans-common';
import type { RunRecord, ScheduleRecord, TableRecord } from '../database/ScanStore';

export function progressOf(run: RunRecord): ScanProgress {
  return {
    tablesTotal: run.tablesTotal,
    tablesDone: run.tablesDone,
    tablesScanned: Math.max(0, run.tablesDone - run.tablesSkipped - run.tablesFailed),
    tablesSkipped: run.tablesSkipped,
    tablesFailed: run.tablesFailed,
    rowsSampled: run.rowsSampled,
    columnsClassified: run.columnsClassified,
    labelsFound: run.labelsFound,
    errors: run.errors,
  };
}

export function toRunView(run: RunRecord): ScanRun {
  const durationMs =
    run.startedAt && run.endedAt
      ? Math.max(0, Date.parse(run.endedAt) - Date.parse(run.startedAt))
      : null;
  return {
    id: run.id,
    ref: scanRunRef(run.id),
    dataSourceId: run.dataSourceId,
    dataSourceName: run.dataSourceName,
    workspace: run.workspace,
    ruleSetId: run.ruleSetId,
    ruleSetName: run.ruleSetName,
    ruleSetVersion: run.ruleSetVersion,
    status: run.status,
    trigger: run.trigger,
    scheduleId: run.scheduleId,
    requestedBy: run.requestedBy,
    progress: progressOf(run),
    fullScan: run.fullScan,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationMs,
    error: run.error,
  };
}

export function toTableView(row: TableRecord, logs: ScanLogEntry[] = []): ScanRunTable {
  return {
    tableRef: row.tableRef,
    schema: row.schema,
    table: row.table,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    durationMs: row.durationMs,
    rowsSampled: row.rowsSampled,
    columns: row.columns,
    labels: row.labels,
    error: row.error,
    logs,
  };
}

export function toScheduleView(schedule: ScheduleRecord): ScanSchedule {
  return { ...schedule, ref: scanScheduleRef(schedule.id) };
}
