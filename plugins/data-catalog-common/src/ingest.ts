import { z } from 'zod';

/**
 * The contract between scans (producer) and the data catalog (consumer): one batch per
 * scanned table. Publishing the same batch twice changes nothing (idempotent by refs).
 * Raw sample values never appear here; labels carry masked examples only.
 */
export const labelEvidenceSchema = z.object({
  /** Human-readable signals that produced the label (value matches, validators, name hits…). */
  signals: z.array(
    z.object({
      kind: z.string(),
      description: z.string(),
      weight: z.number().optional(),
    }),
  ),
  /** At most 3 masked examples, e.g. `4111 **** **** 1111`. */
  maskedExamples: z.array(z.string()).max(3).default([]),
  matchRatio: z.number().min(0).max(1).optional(),
  sampleSize: z.number().int().min(0).optional(),
});

/** Ordered sensitivity levels: PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED. */
export const sensitivityLevels = ['PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'RESTRICTED'] as const;
export type SensitivityLevel = (typeof sensitivityLevels)[number];

/** 0 for unclassified, 1 (PUBLIC) … 4 (RESTRICTED). */
export function sensitivityRank(level: SensitivityLevel | null | undefined): number {
  return level ? sensitivityLevels.indexOf(level) + 1 : 0;
}

export const ingestLabelSchema = z.object({
  classifierId: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: labelEvidenceSchema,
  /** The classifier's sensitivity and categories, when the scan knows them. */
  sensitivity: z.enum(sensitivityLevels).optional(),
  categories: z.array(z.string().max(255)).max(50).optional(),
});

export const columnProfileSchema = z.object({
  rowCount: z.number().nullable().optional(),
  nullCount: z.number().nullable().optional(),
  distinctCount: z.number().nullable().optional(),
  min: z.union([z.string(), z.number()]).nullable().optional(),
  max: z.union([z.string(), z.number()]).nullable().optional(),
  avgLength: z.number().nullable().optional(),
  maxLength: z.number().nullable().optional(),
  mean: z.number().nullable().optional(),
});

export const ingestColumnSchema = z.object({
  name: z.string().min(1),
  ordinal: z.number().int().min(0),
  dataType: z.string(),
  nullable: z.boolean(),
  default: z.string().nullable().optional(),
  comment: z.string().nullable().optional(),
  isPrimaryKey: z.boolean().default(false),
  profile: columnProfileSchema.optional(),
  labels: z.array(ingestLabelSchema).default([]),
});

export const foreignKeySchema = z.object({
  name: z.string().optional(),
  columns: z.array(z.string()),
  referencedSchema: z.string(),
  referencedTable: z.string(),
  referencedColumns: z.array(z.string()),
});

export const tableBatchSchema = z.object({
  dataSourceId: z.string().min(1),
  dataSourceName: z.string().min(1),
  /** The scan run that produced the batch. */
  runId: z.string().min(1),
  scannedAt: z.string(),
  workspace: z.string().default('default'),
  database: z.string(),
  schema: z.string(),
  table: z.object({
    name: z.string().min(1),
    kind: z.enum([
      'table',
      'view',
      'materialized_view',
      'partitioned_table',
      'partition',
      'foreign_table',
    ]),
    comment: z.string().nullable().optional(),
    rowCount: z.number().nullable().optional(),
    /** View / materialized view SQL definition. */
    viewSql: z.string().nullable().optional(),
    primaryKey: z.array(z.string()).default([]),
    foreignKeys: z.array(foreignKeySchema).default([]),
    /** For a partition: its parent table name (same schema). */
    partitionOf: z.string().nullable().optional(),
    fingerprint: z.string().optional(),
  }),
  columns: z.array(ingestColumnSchema),
});
export type TableBatch = z.infer<typeof tableBatchSchema>;
export type TableBatchInput = z.input<typeof tableBatchSchema>;

/**
 * Sent once a full scan finished: every asset of the data source that was not seen by
 * `runId` (and was last seen before it started) becomes `deleted`, kept not erased.
 * Limited to the schemas/tables the run covered when `scope` is given.
 */
export const completeScanSchema = z.object({
  dataSourceId: z.string().min(1),
  runId: z.string().min(1),
  startedAt: z.string(),
  /** Refs of every table/view the run saw, including the ones skipped as unchanged. */
  seenTableRefs: z.array(z.string()),
});
export type CompleteScan = z.infer<typeof completeScanSchema>;
