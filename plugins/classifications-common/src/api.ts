import { z } from 'zod';
import {
  classifierCategories,
  classifierIdSchema,
  customRuleDefinitionSchema,
  customRuleIdSchema,
  sensitivityLevels,
  type ClassifierCategory,
  type CustomRuleDefinition,
  type CustomRuleType,
  type SensitivityLevel,
} from './rules';

/**
 * HTTP contracts of `/api/classifications`, shared by the backend (which serves them) and the
 * frontend (which reads them). Field names are public API: add fields, never rename them.
 */

const unit = z.number().min(0).max(1);
const reason = z.string().trim().max(1000);

// ---------------------------------------------------------------------------------------------
// Classifier library

/** Why the engine attached a label: every signal it used, masked examples only. */
export interface ClassificationEvidence {
  sampledValues: number;
  distinctValues: number;
  matchShare: number | null;
  validator?: { name: string; passed: number; checked: number };
  dictionary?: { name: string; hits: number };
  nameMatch?: { source: 'column' | 'comment'; term: string; strength: 'strong' | 'weak' };
  contextWords: string[];
  negativeSignals: string[];
  examples: string[];
  summary: string;
}

export interface ClassificationLabel {
  classifierId: string;
  confidence: number;
  sensitivity: SensitivityLevel;
  categories: ClassifierCategory[];
  evidence: ClassificationEvidence;
}

/** The defaults of a built-in classifier, before stewards' overrides. */
export interface ClassifierDefaults {
  categories: ClassifierCategory[];
  sensitivity: SensitivityLevel;
  threshold: number;
}

export interface ClassifierSummary extends ClassifierDefaults {
  id: string;
  name: string;
  description: string;
  kind: 'builtin';
  enabled: boolean;
  defaults: ClassifierDefaults;
  /** True when a steward changed any of enabled, threshold, sensitivity or categories. */
  overridden: boolean;
  /** What values prove: a validator, a dictionary, a format, or nothing (name only). */
  valueEvidence: string;
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface ClassifierDetails extends ClassifierSummary {
  /** Synthetic example values (never real data). */
  examples: string[];
  /** The same examples as a label's evidence would show them. */
  maskedExamples: string[];
  names: { strong: string[]; weak: string[]; context: string[]; exclude: string[] };
  validator: string | null;
  dictionary: string | null;
  /** Distinct values needed before values count; null for name-only classifiers. */
  minDistinct: number | null;
}

export interface ListClassifiersResponse {
  items: ClassifierSummary[];
  categories: ClassifierCategory[];
  sensitivities: SensitivityLevel[];
}

export const listClassifiersQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  category: z.enum(classifierCategories).optional(),
  enabled: z.enum(['true', 'false']).optional(),
});

/** Partial update of a built-in classifier; `null` resets a field to its default. */
export const updateClassifierRequestSchema = z
  .object({
    enabled: z.boolean().nullable().optional(),
    threshold: unit.nullable().optional(),
    sensitivity: z.enum(sensitivityLevels).nullable().optional(),
    categories: z.array(z.enum(classifierCategories)).min(1).nullable().optional(),
  })
  .strict();
export type UpdateClassifierRequest = z.infer<typeof updateClassifierRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Custom rules

export interface CustomRuleSummary {
  id: string;
  ref: string;
  name: string;
  description: string;
  categories: ClassifierCategory[];
  sensitivity: SensitivityLevel;
  type: CustomRuleType;
  /** One line describing what the rule matches. */
  summary: string;
  version: number;
  enabled: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface CustomRule extends CustomRuleSummary {
  definition: CustomRuleDefinition;
}

export interface CustomRuleVersion {
  ruleId: string;
  version: number;
  name: string;
  description: string;
  categories: ClassifierCategory[];
  sensitivity: SensitivityLevel;
  definition: CustomRuleDefinition;
  note: string;
  createdAt: string;
  createdBy: string;
}

const ruleName = z.string().trim().min(1).max(200);
const ruleDescription = z.string().trim().max(2000);
const ruleCategories = z
  .array(z.enum(classifierCategories))
  .min(1)
  .max(classifierCategories.length);
const note = z.string().trim().max(500);

export const createRuleRequestSchema = z
  .object({
    /** Derived from the name (`CUSTOM.<NAME>`) when left out. */
    id: customRuleIdSchema.optional(),
    name: ruleName,
    description: ruleDescription.default(''),
    categories: ruleCategories,
    sensitivity: z.enum(sensitivityLevels),
    enabled: z.boolean().default(true),
    definition: customRuleDefinitionSchema,
    note: note.default(''),
  })
  .strict();
export type CreateRuleRequest = z.input<typeof createRuleRequestSchema>;

/** Creates a new version; `basedOn` (the version edited) turns a concurrent edit into a 409. */
export const updateRuleRequestSchema = z
  .object({
    name: ruleName.optional(),
    description: ruleDescription.optional(),
    categories: ruleCategories.optional(),
    sensitivity: z.enum(sensitivityLevels).optional(),
    definition: customRuleDefinitionSchema.optional(),
    note: note.default(''),
    basedOn: z.number().int().min(1).optional(),
  })
  .strict();
export type UpdateRuleRequest = z.input<typeof updateRuleRequestSchema>;

export const setRuleEnabledRequestSchema = z.object({ enabled: z.boolean() }).strict();

export const rollbackRuleRequestSchema = z
  .object({ version: z.number().int().min(1), note: note.default('') })
  .strict();

export const listRulesQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  enabled: z.enum(['true', 'false']).optional(),
  type: z.enum(['value_regex', 'name_regex', 'dictionary', 'composite']).optional(),
});

const columnInfoSchema = z.object({
  name: z.string().trim().min(1).max(255),
  tableName: z.string().trim().max(255).default(''),
  schemaName: z.string().trim().max(255).optional(),
  dataType: z.string().trim().max(100).optional(),
  comment: z.string().max(2000).optional(),
  neighbourColumns: z.array(z.string().max(255)).max(500).optional(),
});
export type ColumnInfoInput = z.input<typeof columnInfoSchema>;

/** A live column to sample: a catalog column ref, or the data source and the column's path. */
export const liveColumnSchema = z.union([
  z.object({ assetRef: z.string().min(1).max(8000) }).strict(),
  z
    .object({
      dataSourceId: z.string().min(1).max(255),
      schema: z.string().max(255),
      table: z.string().min(1).max(255),
      column: z.string().min(1).max(255),
    })
    .strict(),
]);
export type LiveColumn = z.infer<typeof liveColumnSchema>;

/**
 * Test a rule before saving: a definition (as rule `ruleId` when given, e.g. while editing it)
 * or a saved rule (`ruleId` alone) against pasted values or a live column's sample. Exactly
 * one of `values` and `source`.
 */
export const testRuleRequestSchema = z
  .object({
    definition: customRuleDefinitionSchema.optional(),
    ruleId: customRuleIdSchema.optional(),
    values: z.array(z.string().max(4000)).max(1000).optional(),
    column: columnInfoSchema.optional(),
    source: liveColumnSchema.optional(),
    sampleSize: z.number().int().min(1).max(1000).default(200),
  })
  .strict()
  .refine(b => b.definition !== undefined || b.ruleId !== undefined, {
    message: 'give a definition, or the id of a saved rule',
    path: ['definition'],
  })
  .refine(b => (b.values === undefined) !== (b.source === undefined), {
    message: 'give exactly one of values and source',
    path: ['values'],
  });
export type TestRuleRequest = z.input<typeof testRuleRequestSchema>;

export interface RuleOperandResult {
  ref: string;
  fired: boolean;
  confidence: number;
}

export interface RuleTestResult {
  /** Whether the rule would attach its label (confidence at or above its threshold). */
  fired: boolean;
  confidence: number;
  threshold: number;
  evidence: ClassificationEvidence;
  /** Pasted values only: per value, in the order given, whether it matched. */
  matches?: boolean[];
  /** Live columns only: what was sampled (never the values). */
  sample?: { dataSourceId: string; schema: string; table: string; column: string; rows: number };
  /** Composite rules: how each referenced rule or classifier answered. */
  operands?: RuleOperandResult[];
}

// ---------------------------------------------------------------------------------------------
// Labels and review (stored by the data catalog, decided here)

/**
 * As the data catalog stores them: `propagated` labels flowed along column-level lineage from
 * an approved or manual label upstream (the catalog's lineage owns them).
 */
export const labelStatuses = ['suggested', 'approved', 'rejected', 'manual', 'propagated'] as const;
export type LabelStatus = (typeof labelStatuses)[number];

/** The last decision taken on a label. */
export const labelDecisions = [
  'approved',
  'auto_approved',
  'rejected',
  'relabelled',
  'added',
  'resuggested',
] as const;
export type LabelDecision = (typeof labelDecisions)[number];

export interface ReviewLabelEvidence {
  signals: { kind: string; description: string; weight?: number }[];
  maskedExamples: string[];
  matchRatio?: number;
  sampleSize?: number;
}

export interface ReviewLabel {
  id: string;
  assetRef: string;
  assetType: string;
  assetName: string;
  qualifiedName: string;
  dataType: string | null;
  dataSourceId: string;
  workspace: string;
  classifierId: string;
  confidence: number;
  status: LabelStatus;
  evidence: ReviewLabelEvidence;
  runId: string | null;
  decision: LabelDecision | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export const labelEvents = [
  'approved',
  'auto_approved',
  'rejected',
  'relabelled',
  'added',
  'resuggested',
] as const;
export type LabelEvent = (typeof labelEvents)[number];

export interface LabelHistoryEntry {
  id: string;
  assetRef: string;
  classifierId: string;
  event: LabelEvent;
  fromStatus: LabelStatus | null;
  toStatus: LabelStatus;
  confidence: number | null;
  actor: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface AssetLabelsResponse {
  assetRef: string;
  labels: ReviewLabel[];
  /** Every decision and re-suggestion on the asset's labels, newest first. */
  history: LabelHistoryEntry[];
}

export interface ReviewQueueResponse {
  items: ReviewLabel[];
  nextCursor: string | null;
}

export const reviewQueueQuerySchema = z.object({
  status: z.enum([...labelStatuses, 'all']).default('suggested'),
  classifierId: z.string().min(1).max(100).optional(),
  dataSourceId: z.string().min(1).max(255).optional(),
  minConfidence: z.coerce.number().min(0).max(1).optional(),
  maxConfidence: z.coerce.number().min(0).max(1).optional(),
  /** Case-insensitive substring of the column's qualified name. */
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
});
export type ReviewQueueQuery = z.infer<typeof reviewQueueQuerySchema>;

const assetRefField = z
  .string()
  .min(1)
  .max(8000)
  .regex(/^racine:data-catalog:[a-z]+\/.+$/, 'must be a data catalog asset ref');

export const labelDecisionSchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('approve'),
      assetRef: assetRefField,
      classifierId: classifierIdSchema,
      reason: reason.optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal('reject'),
      assetRef: assetRefField,
      classifierId: classifierIdSchema,
      reason: reason.min(1),
    })
    .strict(),
  z
    .object({
      action: z.literal('relabel'),
      assetRef: assetRefField,
      classifierId: classifierIdSchema,
      newClassifierId: classifierIdSchema,
      reason: reason.min(1),
    })
    .strict(),
  /** A manual label: a person says the asset holds this kind of data. */
  z
    .object({
      action: z.literal('add'),
      assetRef: assetRefField,
      classifierId: classifierIdSchema,
      reason: reason.optional(),
    })
    .strict(),
]);
export type LabelDecisionRequest = z.infer<typeof labelDecisionSchema>;

/** Single and bulk decisions: each is applied on its own and answered in order. */
export const decisionsRequestSchema = z
  .object({ decisions: z.array(labelDecisionSchema).min(1).max(500) })
  .strict();

export interface DecisionResult {
  assetRef: string;
  classifierId: string;
  action: LabelDecisionRequest['action'];
  ok: boolean;
  /** The label's status after the decision. */
  status?: LabelStatus;
  newClassifierId?: string;
  error?: string;
}

export interface DecisionsResponse {
  results: DecisionResult[];
  applied: number;
  failed: number;
}

// ---------------------------------------------------------------------------------------------
// Accuracy and settings

export interface ClassifierAccuracy {
  classifierId: string;
  name: string;
  kind: 'builtin' | 'custom' | 'unknown';
  /** Approved by a person. */
  approved: number;
  /** Rejected or relabelled by a person. */
  rejected: number;
  autoApproved: number;
  suggested: number;
  manual: number;
  /** approved / (approved + rejected); null before any decision. */
  precision: number | null;
}

export interface AccuracyResponse {
  items: ClassifierAccuracy[];
  overall: { approved: number; rejected: number; precision: number | null };
}

export interface ReviewSettings {
  /** Suggested labels at or above this confidence are approved automatically; null: never. */
  autoApproveConfidence: number | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

export const updateSettingsRequestSchema = z
  .object({ autoApproveConfidence: z.number().min(0.5).max(1).nullable() })
  .strict();

export const classifyColumnRequestSchema = z
  .object({
    column: columnInfoSchema,
    values: z.array(z.union([z.string().max(4000), z.number(), z.boolean(), z.null()])).max(10_000),
  })
  .strict();
export type ClassifyColumnRequest = z.input<typeof classifyColumnRequestSchema>;

export interface ClassifyColumnResponse {
  labels: ClassificationLabel[];
}
