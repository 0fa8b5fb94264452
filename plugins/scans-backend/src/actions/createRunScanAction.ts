import { createAction } from '@racine/kernel-node';
import {
  scanLogicExecutePermission,
  scanRunStatuses,
  scanTriggers,
  startScanRunRequestSchema,
} from '@racine/plugin-scans-common';
import { z } from 'zod';
import type { ScanService } from '../services/ScanService';

export const scanRunOutput = z.object({
  id: z.string(),
  ref: z.string(),
  dataSourceId: z.string(),
  dataSourceName: z.string(),
  workspace: z.string(),
  ruleSetId: z.string(),
  ruleSetName: z.string(),
  ruleSetVersion: z.number(),
  status: z.enum(scanRunStatuses),
  trigger: z.enum(scanTriggers),
  scheduleId: z.string().nullable(),
  requestedBy: z.string(),
  progress: z.object({
    tablesTotal: z.number(),
    tablesDone: z.number(),
    tablesScanned: z.number(),
    tablesSkipped: z.number(),
    tablesFailed: z.number(),
    rowsSampled: z.number(),
    columnsClassified: z.number(),
    labelsFound: z.number(),
    errors: z.number(),
  }),
  fullScan: z.boolean().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  error: z.string().nullable(),
});

/** `scans.run`: starts a scan, for workflows, the command palette and the AI assistant. */
export function createRunScanAction(scans: ScanService) {
  return createAction({
    id: 'scans.run',
    title: 'Run scan',
    description:
      'Scans a data source with a rule set (default: "default"): discovers its tables, samples, profiles and classifies them, and publishes the results to the data catalog. Returns the queued run; follow it with GET /api/scans/runs/:id.',
    input: z.object({
      dataSourceId: startScanRunRequestSchema.shape.dataSourceId.describe(
        'Id of the data source to scan',
      ),
      ruleSetId: startScanRunRequestSchema.shape.ruleSetId.describe(
        'Rule set id (default: "default"; e.g. "quick-pii")',
      ),
    }),
    output: scanRunOutput,
    permission: scanLogicExecutePermission,
    resourceRef: input => `racine:datasources:datasource/${input.dataSourceId}`,
    summarize: input =>
      `Started a scan of data source '${input.dataSourceId}' with rule set '${input.ruleSetId ?? 'default'}'`,
    async handler({ input, actor, credentials }) {
      return scans.startRun(input, { actor, credentials }, { trigger: 'action' });
    },
  });
}
