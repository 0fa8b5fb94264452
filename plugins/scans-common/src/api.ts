import { z } from 'zod';

/**
 * HTTP contracts of `/api/scans`, shared by the backend (which serves them), the frontend and
 * other groups (which read them). Field names are public API.
 */

export const SCANS_PLUGIN_ID = 'scans';

/** The rule set a scan uses when it names none (seeded by scan-rulesets). */
export const DEFAULT_RULE_SET_ID = 'default';

export const scanRunStatuses = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const;
export type ScanRunStatus = (typeof scanRunStatuses)[number];
export const terminalScanRunStatuses: readonly ScanRunStatus[] = [
  'succeeded',
  'failed',
  'canceled',
];

export const scanTableStatuses = [
  'pending',
  'running',
  'succeeded',
  'skipped',
  'failed',
  'canceled',
] as const;
export type ScanTableStatus = (typeof scanTableStatuses)[number];

export const scanTriggers = ['manual', 'schedule', 'action'] as const;
export type ScanTrigger = (typeof scanTriggers)[number];

/**
 * Live progress of a run. `tablesDone` counts every table that finished, whatever the outcome
 * (scanned, skipped as unchanged, or failed), so `tablesDone / tablesTotal` is the completion
 * ratio; `tablesScanned = tablesDone - tablesSkipped - tablesFailed`. A run that finished with
 * some failed tables is `succeeded` with `tablesFailed > 0`; it is `failed` only when planning
 * failed or every table failed.
 */
export interface ScanProgress {
  tablesTotal: number;
  tablesDone: number;
  tablesScanned: number;
  tablesSkipped: number;
  tablesFailed: number;
  rowsSampled: number;
  columnsClassified: number;
  labelsFound: number;
  /** Error lines logged so far (failed tables, a failed plan); retried transient errors are warnings. */
  errors: number;
}

export interface ScanRun {
  id: string;
  /** `racine:scans:run/<id>` */
  ref: string;
  dataSourceId: string;
  dataSourceName: string;
  workspace: string;
  ruleSetId: string;
  ruleSetName: string;
  ruleSetVersion: number;
  status: ScanRunStatus;
  trigger: ScanTrigger;
  scheduleId: string | null;
  requestedBy: string;
  progress: ScanProgress;
  /**
   * Whether the run covered the whole data source (no table filter, no table limit hit), so
   * tables it did not see were reported to the catalog as deleted. `null` until planned.
   */
  fullScan: boolean | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

export interface ScanLogEntry {
  seq: number;
  time: string;
  level: 'info' | 'warn' | 'error';
  /** The catalog ref of the table the line is about; `null` for run-level lines. */
  tableRef: string | null;
  message: string;
}

export interface ScanRunTable {
  /** The catalog ref of the table or view (`racine:data-catalog:table/...`). */
  tableRef: string;
  schema: string;
  table: string;
  kind: string;
  status: ScanTableStatus;
  /** Times the table was attempted (transient errors are retried). */
  attempts: number;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  rowsSampled: number;
  columns: number;
  labels: number;
  error: string | null;
  /** Log lines about this table, oldest first. */
  logs: ScanLogEntry[];
}

export interface ScanSchedule {
  id: string;
  /** `racine:scans:schedule/<id>` */
  ref: string;
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

/** One Server-Sent Event of `GET /api/scans/runs/:id/events` (event name `progress`). */
export interface ScanRunEvent {
  run: ScanRun;
  /** Tables whose state changed since the previous event (all of them in the first event, up to 500). */
  tables: ScanRunTable[];
}

const idSchema = z.string().trim().min(1, 'must not be empty').max(200);

/** `POST /api/scans/runs` and the `scans.run` action. */
export const startScanRunRequestSchema = z.object({
  dataSourceId: idSchema,
  /** Rule set to use; `default` when left out. */
  ruleSetId: idSchema.optional(),
});
export type StartScanRunRequest = z.input<typeof startScanRunRequestSchema>;

export const listScanRunsQuerySchema = z.object({
  dataSourceId: z.string().optional(),
  status: z.enum(scanRunStatuses).optional(),
  scheduleId: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d+$/, 'must be a cursor returned by a previous page').optional(),
});

export const listScanRunTablesQuerySchema = z.object({
  status: z.enum(scanTableStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().regex(/^\d+$/, 'must be a cursor returned by a previous page').optional(),
});

export const listScanLogsQuerySchema = z.object({
  /** Only lines after this sequence number (to follow a log). */
  after: z.coerce.number().int().min(0).optional(),
  level: z.enum(['info', 'warn', 'error']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const cronSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200)
  .refine(value => {
    const fields = value.split(/\s+/).length;
    return (fields >= 5 && fields <= 6) || value.startsWith('@');
  }, 'must be a cron expression of 5 fields (minute hour day month weekday) or 6 with seconds');

const timezoneSchema = z.string().trim().min(1).max(100);

/** `POST /api/scans/schedules` */
export const createScanScheduleRequestSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  dataSourceId: idSchema,
  ruleSetId: idSchema.optional(),
  cron: cronSchema,
  timezone: timezoneSchema.default('UTC'),
  paused: z.boolean().default(false),
});
export type CreateScanScheduleRequest = z.input<typeof createScanScheduleRequestSchema>;

/** `PUT /api/scans/schedules/:id`: fields left out keep their value (`{paused: true}` pauses). */
export const updateScanScheduleRequestSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  dataSourceId: idSchema.optional(),
  ruleSetId: idSchema.optional(),
  cron: cronSchema.optional(),
  timezone: timezoneSchema.optional(),
  paused: z.boolean().optional(),
});
export type UpdateScanScheduleRequest = z.input<typeof updateScanScheduleRequestSchema>;

export const listScanSchedulesQuerySchema = z.object({
  dataSourceId: z.string().optional(),
});

export function scanRunRef(id: string): string {
  return `racine:scans:run/${id}`;
}

export function scanScheduleRef(id: string): string {
  return `racine:scans:schedule/${id}`;
}
