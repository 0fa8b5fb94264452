import { z } from 'zod';
import { validConditionSchema, type Condition } from './conditions';

export const COMPLIANCE_PLUGIN_ID = 'compliance';

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

/** Days to fix a finding of each severity unless its rule says otherwise. */
export const DEFAULT_SLA_DAYS: Record<Severity, number> = {
  critical: 7,
  high: 14,
  medium: 30,
  low: 90,
};

export const findingStatuses = ['open', 'acknowledged', 'resolved', 'waived'] as const;
export type FindingStatus = (typeof findingStatuses)[number];

export const waiverStatuses = ['pending', 'approved', 'rejected', 'expired'] as const;
export type WaiverStatus = (typeof waiverStatuses)[number];

/** Label statuses a rule sees unless it narrows them (never `rejected`). */
export const DEFAULT_LABEL_STATUSES = ['suggested', 'approved', 'manual', 'propagated'];

/**
 * What a rule is about: each asset, or each data source holding at least one asset in scope
 * (its finding's `assetRef` is then the data source's ref).
 */
export const ruleSubjects = ['asset', 'dataSource'] as const;
export type RuleSubject = (typeof ruleSubjects)[number];

export interface ComplianceRule {
  id: string;
  name: string;
  description: string;
  severity: Severity;
  subject: RuleSubject;
  /** Which assets the rule applies to. */
  scope: Condition;
  /** What must hold for an asset in scope; a failure is a finding. */
  assert: Condition;
  /** Label statuses the rule sees (default: {@link DEFAULT_LABEL_STATUSES}). */
  labelStatuses: string[] | null;
  slaDays: number | null;
  /** A short fix hint, shown with the finding. */
  remediation: string;
  enabled: boolean;
  builtin: boolean;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface Requirement {
  id: string;
  title: string;
  /** The regulation's own reference, e.g. `Art. 32` or `PCI DSS 4.0 Req. 6.5.5`. */
  reference: string;
  ruleIds: string[];
}

export interface Framework {
  id: string;
  name: string;
  version: string;
  description: string;
  builtin: boolean;
  requirements: Requirement[];
}

export interface FrameworkSummary extends Omit<Framework, 'requirements'> {
  requirementCount: number;
  ruleCount: number;
  score: number | null;
  openFindings: number;
}

export interface FindingRequirement {
  frameworkId: string;
  requirementId: string;
}

export interface Finding {
  id: string;
  ruleId: string;
  ruleName: string;
  /** The first requirement the rule serves (within the framework asked for, when one was). */
  requirementId: string | null;
  requirements: FindingRequirement[];
  assetRef: string;
  assetName: string;
  assetType: string;
  dataSourceId: string;
  workspace: string;
  status: FindingStatus;
  severity: Severity;
  owner: string | null;
  evidence: Record<string, unknown>;
  dueAt: string;
  overdue: boolean;
  firstSeenAt: string;
  /**
   * When an evaluation last wrote the finding (opened, evidence changed, or an incremental
   * evaluation confirmed it); full evaluations leave unchanged failures untouched.
   */
  lastSeenAt: string;
  resolvedAt: string | null;
  acknowledgedBy: string | null;
  waiverId: string | null;
  updatedAt: string;
}

export interface FindingEvent {
  id: string;
  findingId: string;
  ruleId: string;
  assetRef: string;
  fromStatus: FindingStatus | null;
  toStatus: FindingStatus;
  actor: string;
  note: string | null;
  at: string;
}

export interface Waiver {
  id: string;
  findingId: string;
  status: WaiverStatus;
  reason: string;
  expiresAt: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** The finding's rule and asset, for lists. */
  ruleId: string;
  assetRef: string;
}

/** An in-app notification: a remediation task (finding) assigned to the recipient. */
export interface ComplianceNotification {
  id: string;
  findingId: string;
  title: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

export const evaluationTriggers = ['manual', 'schedule', 'event', 'action'] as const;
export type EvaluationTrigger = (typeof evaluationTriggers)[number];
export const evaluationStatuses = ['queued', 'running', 'succeeded', 'failed'] as const;
export type EvaluationStatus = (typeof evaluationStatuses)[number];

export interface Evaluation {
  id: string;
  trigger: EvaluationTrigger;
  /** `full` over the whole catalog, `incremental` over changed assets. */
  kind: 'full' | 'incremental';
  frameworkId: string | null;
  status: EvaluationStatus;
  requestedBy: string;
  assetsEvaluated: number;
  rulesEvaluated: number;
  findingsOpened: number;
  findingsResolved: number;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

export interface ScoreEntry {
  id: string;
  name: string;
  /** 0..1; null when nothing was in scope. */
  score: number | null;
  inScope: number;
  failing: number;
}

export interface FrameworkScores {
  frameworkId: string;
  score: number | null;
  inScope: number;
  failing: number;
  requirements: Array<ScoreEntry & { reference: string; ruleIds: string[] }>;
  dataSources: ScoreEntry[];
  workspaces: ScoreEntry[];
}

export interface ScorePoint {
  takenAt: string;
  score: number | null;
  inScope: number;
  failing: number;
}

export interface RuleTestResult {
  assetsEvaluated: number;
  inScope: number;
  failing: number;
  /** True when the preview stopped at its asset limit. */
  truncated: boolean;
  samples: Array<{
    assetRef: string;
    name: string;
    passed: boolean;
    evidence: Record<string, unknown>;
  }>;
}

// Request schemas (zod at the boundary; the router parses with these).

const idSchema = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case letters, digits, dots and dashes');

export const ruleInputSchema = z.strictObject({
  id: idSchema,
  name: z.string().trim().min(1).max(200),
  description: z.string().max(4000).default(''),
  severity: z.enum(severities),
  subject: z.enum(ruleSubjects).default('asset'),
  scope: validConditionSchema,
  assert: validConditionSchema,
  labelStatuses: z.array(z.string().min(1).max(32)).min(1).max(10).nullable().default(null),
  slaDays: z.number().int().min(1).max(3650).nullable().default(null),
  remediation: z.string().max(2000).default(''),
  enabled: z.boolean().default(true),
});
export type RuleInput = z.infer<typeof ruleInputSchema>;

export const ruleUpdateSchema = ruleInputSchema.omit({ id: true }).partial();
export type RuleUpdate = z.infer<typeof ruleUpdateSchema>;

export const ruleTestRequestSchema = z.strictObject({
  rule: ruleInputSchema.omit({ id: true, name: true }).extend({
    id: idSchema.optional(),
    name: z.string().max(200).optional(),
  }),
  maxAssets: z.number().int().min(1).max(100_000).default(20_000),
  sampleSize: z.number().int().min(1).max(200).default(25),
});

export const frameworkInputSchema = z.strictObject({
  id: idSchema,
  name: z.string().trim().min(1).max(200),
  version: z.string().trim().min(1).max(50),
  description: z.string().max(4000).default(''),
  requirements: z
    .array(
      z.strictObject({
        id: z.string().trim().min(1).max(64),
        title: z.string().trim().min(1).max(300),
        reference: z.string().max(200).default(''),
        ruleIds: z.array(idSchema).max(100),
      }),
    )
    .min(1)
    .max(500),
});
export type FrameworkInput = z.infer<typeof frameworkInputSchema>;

const isoDate = z.iso.datetime({ offset: true });

export const listFindingsQuerySchema = z.object({
  framework: idSchema.optional(),
  /** A requirement of `framework`: only the findings of its rules. */
  requirement: z.string().min(1).max(64).optional(),
  status: z.enum(findingStatuses).optional(),
  assetRef: z.string().min(1).max(8000).optional(),
  ruleId: idSchema.optional(),
  severity: z.enum(severities).optional(),
  dataSourceId: z.string().min(1).max(255).optional(),
  workspace: z.string().min(1).max(64).optional(),
  /** An owner ref, or `me` for the caller (their remediation tasks). */
  owner: z.string().min(1).max(255).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^\d+$/, 'must be a cursor returned by a previous page').optional(),
});
export type ListFindingsQuery = z.infer<typeof listFindingsQuerySchema>;

export const bulkFindingsRequestSchema = z.strictObject({
  ids: z.array(z.string().regex(/^\d+$/, 'must be a finding id')).min(1).max(500),
  action: z.enum(['acknowledge', 'reopen']),
  note: z.string().max(2000).optional(),
});

export const waiverRequestSchema = z.strictObject({
  findingIds: z.array(z.string().regex(/^\d+$/, 'must be a finding id')).min(1).max(500),
  reason: z.string().trim().min(5, 'a waiver needs a reason (at least 5 characters)').max(4000),
  expiresAt: isoDate,
});

export const waiverDecisionSchema = z.strictObject({
  note: z.string().max(2000).optional(),
});

export const listWaiversQuerySchema = z.object({
  status: z.enum(waiverStatuses).optional(),
  findingId: z.string().regex(/^\d+$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const evaluationRequestSchema = z.strictObject({
  framework: idSchema.optional(),
});

export const scoreHistoryQuerySchema = z.object({
  framework: idSchema,
  scope: z.enum(['framework', 'requirement', 'dataSource', 'workspace']).default('framework'),
  id: z.string().max(255).optional(),
  since: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const reportQuerySchema = z.object({
  format: z.enum(['csv', 'pdf']).default('csv'),
  asOf: isoDate.optional(),
});

export const notificationsQuerySchema = z.object({
  unread: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditTrailQuerySchema = z.object({
  since: isoDate.optional(),
  until: isoDate.optional(),
  format: z.enum(['csv', 'json']).default('csv'),
});
