import { z } from 'zod';

/** A rule set as actions return it (the definition is passed through as stored). */
export const ruleSetOutput = z.object({
  id: z.string(),
  ref: z.string(),
  name: z.string(),
  description: z.string(),
  workspace: z.string(),
  builtin: z.boolean(),
  version: z.number(),
  definition: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});

export const previewOutput = z.object({
  ruleSetId: z.string(),
  ruleSetVersion: z.number().nullable(),
  dataSource: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  serverVersion: z.string(),
  discoveredAt: z.string(),
  tables: z.array(
    z.object({
      schema: z.string(),
      name: z.string(),
      kind: z.string(),
      rowEstimate: z.number().nullable(),
      columns: z.array(
        z.object({ name: z.string(), dataType: z.string(), typeCategory: z.string() }),
      ),
      columnsExcluded: z.number(),
    }),
  ),
  counts: z.object({
    schemasDiscovered: z.number(),
    schemasIncluded: z.number(),
    tablesDiscovered: z.number(),
    tablesMatched: z.number(),
    tablesIncluded: z.number(),
    columnsDiscovered: z.number(),
    columnsIncluded: z.number(),
  }),
  truncated: z.boolean(),
});
