import { workspaceNameSchema } from '@racine/kernel-common';
import { z } from 'zod';
import { ruleSetDefinitionSchema, type RuleSetDefinition } from './definition';

/** The plugin id, also the first segment of its routes (`/api/scan-rulesets`). */
export const SCAN_RULESETS_PLUGIN_ID = 'scan-rulesets';

/** The rule set a scan uses when it names none. */
export const DEFAULT_RULE_SET_ID = 'default';

/** Ids of the rule sets every Racine ships with; editable, never deletable. */
export const BUILTIN_RULE_SET_IDS = ['default', 'quick-pii', 'full-profile', 'pci-focus'] as const;

/** `racine:scan-rulesets:rule-set/<id>` */
export function ruleSetRef(id: string): string {
  return `racine:${SCAN_RULESETS_PLUGIN_ID}:rule-set/${id}`;
}

/** A rule set at its current version, as `GET /api/scan-rulesets/:id` returns it. */
export interface RuleSet {
  id: string;
  ref: string;
  name: string;
  description: string;
  workspace: string;
  builtin: boolean;
  /** The current version; every change adds one. */
  version: number;
  definition: RuleSetDefinition;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** One immutable version of a rule set. */
export interface RuleSetVersion {
  ruleSetId: string;
  version: number;
  name: string;
  description: string;
  definition: RuleSetDefinition;
  createdAt: string;
  createdBy: string;
  /** Why the version exists, e.g. `Rolled back to version 2`; empty for ordinary edits. */
  note: string;
}

const ruleSetName = z.string().trim().min(1, 'must not be empty').max(200);
const ruleSetDescription = z.string().trim().max(4000);
const versionNumber = z.number().int().min(1);

export const createRuleSetRequestSchema = z.strictObject({
  name: ruleSetName,
  description: ruleSetDescription.default(''),
  /** Defaults to the request's workspace (`x-racine-workspace`), else `default`. */
  workspace: workspaceNameSchema.optional(),
  definition: ruleSetDefinitionSchema.prefault({}),
});
export type CreateRuleSetRequest = z.input<typeof createRuleSetRequestSchema>;

/** Fields left out keep their current value; `definition` replaces the whole definition. */
export const updateRuleSetRequestSchema = z.strictObject({
  name: ruleSetName.optional(),
  description: ruleSetDescription.optional(),
  definition: ruleSetDefinitionSchema.optional(),
  /** When set, the update fails with 409 unless this is still the current version. */
  expectedVersion: versionNumber.optional(),
  note: z.string().trim().max(500).optional(),
});
export type UpdateRuleSetRequest = z.input<typeof updateRuleSetRequestSchema>;

export const rollbackRuleSetRequestSchema = z.strictObject({
  version: versionNumber,
  expectedVersion: versionNumber.optional(),
});
export type RollbackRuleSetRequest = z.input<typeof rollbackRuleSetRequestSchema>;

export const previewRuleSetRequestSchema = z.strictObject({
  dataSourceId: z.string().trim().min(1, 'must not be empty').max(200),
  /** Preview this version instead of the current one. */
  version: versionNumber.optional(),
  /** Preview an unsaved definition (the editor's live preview) instead of a stored version. */
  definition: ruleSetDefinitionSchema.optional(),
});
export type PreviewRuleSetRequest = z.input<typeof previewRuleSetRequestSchema>;

export interface PreviewColumn {
  name: string;
  dataType: string;
  typeCategory: string;
}

export interface PreviewTable {
  schema: string;
  name: string;
  /** table, view, materialized_view, partitioned_table, foreign_table */
  kind: string;
  rowEstimate: number | null;
  /** The columns the scan would sample and classify. */
  columns: PreviewColumn[];
  /** Columns of the table the rule set leaves out. */
  columnsExcluded: number;
}

export interface PreviewCounts {
  schemasDiscovered: number;
  schemasIncluded: number;
  tablesDiscovered: number;
  /** Tables that pass the filters, before `tableLimit`. */
  tablesMatched: number;
  /** Tables the scan would read (after `tableLimit`). */
  tablesIncluded: number;
  columnsDiscovered: number;
  /** Columns of the included tables that pass the filters. */
  columnsIncluded: number;
}

/** `POST /api/scan-rulesets/:id/preview`: what a scan with this rule set would read. Nothing is sampled. */
export interface RuleSetPreview {
  ruleSetId: string;
  /** The version previewed; null when an unsaved definition was previewed. */
  ruleSetVersion: number | null;
  dataSource: { id: string; name: string; type: string };
  serverVersion: string;
  discoveredAt: string;
  /** In scan order: schema, then table name. */
  tables: PreviewTable[];
  counts: PreviewCounts;
  /** True when `tableLimit` cut tables off. */
  truncated: boolean;
}

/** A classifier a rule set can select, as `GET /api/scan-rulesets/classifiers` lists it. */
export interface ClassifierOption {
  id: string;
  name: string;
  description: string;
  categories: string[];
  sensitivity: string;
}

export interface ClassifierCatalog {
  items: ClassifierOption[];
  /** Every category of the listed classifiers, in the engine's order. */
  categories: string[];
}
