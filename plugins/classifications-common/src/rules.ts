import { z } from 'zod';

/**
 * Custom rule definitions and the engine configuration that scans fetch. Both travel between
 * plugins (classifications → scans) and are stored as versions, so field names are public API:
 * add fields with defaults, never rename them.
 */

/** Broad families of sensitive data (the same list as the engine's `CATEGORIES`). */
export const classifierCategories = [
  'PII',
  'PHI',
  'PCI',
  'SPI',
  'SECRET',
  'FINANCIAL',
  'GOV',
] as const;
export type ClassifierCategory = (typeof classifierCategories)[number];

/** Ordered sensitivity levels: PUBLIC < INTERNAL < CONFIDENTIAL < RESTRICTED. */
export const sensitivityLevels = ['PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'RESTRICTED'] as const;
export type SensitivityLevel = (typeof sensitivityLevels)[number];

/** Id prefixes of the built-in classifiers; custom rules may not use them. */
export const BUILTIN_NAMESPACES = ['PII', 'GOV', 'FIN', 'PHI', 'SECRET'] as const;

export const customRuleTypes = ['value_regex', 'name_regex', 'dictionary', 'composite'] as const;
export type CustomRuleType = (typeof customRuleTypes)[number];

const unit = z.number().min(0).max(1);

/** `NAMESPACE.NAME` in upper case (`ACME.EMPLOYEE_BADGE`), outside the built-in namespaces. */
export const customRuleIdSchema = z
  .string()
  .max(100)
  .regex(
    /^[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+$/,
    'must be NAMESPACE.NAME in upper case letters, digits and underscores (e.g. ACME.EMPLOYEE_BADGE)',
  )
  .refine(
    id => !(BUILTIN_NAMESPACES as readonly string[]).includes(id.split('.')[0]!),
    `must not start with a built-in namespace (${BUILTIN_NAMESPACES.join(', ')})`,
  );

/** Any classifier id: a built-in one (`PII.EMAIL_ADDRESS`) or a custom rule's. */
export const classifierIdSchema = z
  .string()
  .max(100)
  .regex(/^[A-Z][A-Z0-9_]*(?:\.[A-Z0-9_]+)+$/, 'must be a classifier id such as PII.EMAIL_ADDRESS');

const patternSchema = z.string().min(1).max(500);
const minDistinct = z.number().int().min(1).max(1000);

/** Values that match a regular expression; confidence = share of distinct values matching. */
export const valueRegexRuleSchema = z.object({
  type: z.literal('value_regex'),
  /** JavaScript syntax; checked for catastrophic backtracking before it is saved. */
  pattern: patternSchema,
  caseSensitive: z.boolean().default(false),
  /** Distinct non-empty values needed before the share counts (fewer: the rule does not fire). */
  minDistinct: minDistinct.default(3),
  /** Minimum share of distinct values that must match. */
  threshold: unit.default(0.8),
});

/** A column (or table) name that matches a regular expression; confidence = `confidence`. */
export const nameRegexRuleSchema = z.object({
  type: z.literal('name_regex'),
  pattern: patternSchema,
  caseSensitive: z.boolean().default(false),
  target: z.enum(['column', 'table', 'column_or_table']).default('column'),
  /** What a matching name is worth. */
  confidence: unit.default(0.8),
  threshold: unit.default(0.5),
});

/**
 * Values found in an uploaded list (case- and accent-folded: `Zoë` matches `ZOE`); confidence
 * = share of distinct values found. `match: "word"` also counts a value when one of its words is.
 */
export const dictionaryRuleSchema = z.object({
  type: z.literal('dictionary'),
  terms: z.array(z.string().trim().min(1).max(200)).min(1).max(50_000),
  match: z.enum(['value', 'word']).default('value'),
  minDistinct: minDistinct.default(3),
  threshold: unit.default(0.8),
});

/** A node of a composite rule: AND / OR of several, NOT of one, or a reference to a rule or classifier. */
export type CompositeExpression =
  | { op: 'and' | 'or'; of: CompositeExpression[] }
  | { op: 'not'; of: CompositeExpression[] }
  | { ref: string };

export const compositeExpressionSchema: z.ZodType<CompositeExpression> = z.lazy(() =>
  z.union([
    z.object({ op: z.enum(['and', 'or']), of: z.array(compositeExpressionSchema).min(2).max(20) }),
    z.object({ op: z.literal('not'), of: z.array(compositeExpressionSchema).length(1) }),
    z.object({ ref: classifierIdSchema }),
  ]),
);

/** Depth of an expression tree (a reference is 1). */
export function expressionDepth(expression: CompositeExpression): number {
  if ('ref' in expression) return 1;
  return 1 + Math.max(...expression.of.map(expressionDepth));
}

/** Every rule or classifier id an expression refers to. */
export function expressionRefs(
  expression: CompositeExpression,
  into = new Set<string>(),
): Set<string> {
  if ('ref' in expression) into.add(expression.ref);
  else for (const child of expression.of) expressionRefs(child, into);
  return into;
}

/**
 * Other rules or built-in classifiers combined: AND = the lowest operand confidence (every
 * operand must fire), OR = the highest firing one, NOT = 1 when its operand does not fire.
 */
export const compositeRuleSchema = z.object({
  type: z.literal('composite'),
  expression: compositeExpressionSchema.refine(
    e => expressionDepth(e) <= 6,
    'must not nest deeper than 6 levels',
  ),
  threshold: unit.default(0.5),
});

export const customRuleDefinitionSchema = z.discriminatedUnion('type', [
  valueRegexRuleSchema,
  nameRegexRuleSchema,
  dictionaryRuleSchema,
  compositeRuleSchema,
]);
export type CustomRuleDefinition = z.infer<typeof customRuleDefinitionSchema>;
export type CustomRuleDefinitionInput = z.input<typeof customRuleDefinitionSchema>;

/** A custom rule as the engine needs it: what it labels and how it decides. */
export const engineRuleSchema = z.object({
  id: customRuleIdSchema,
  version: z.number().int().min(1),
  name: z.string(),
  description: z.string().default(''),
  categories: z.array(z.enum(classifierCategories)).min(1),
  sensitivity: z.enum(sensitivityLevels),
  /**
   * False for a rule that only serves as an operand of an enabled composite: it is evaluated
   * for the composite but attaches no label of its own.
   */
  enabled: z.boolean(),
  definition: customRuleDefinitionSchema,
});
export type EngineRule = z.infer<typeof engineRuleSchema>;

/** Overrides of a built-in classifier; absent fields keep the classifier's defaults. */
export const classifierOverrideSchema = z.object({
  enabled: z.boolean().optional(),
  threshold: unit.optional(),
  sensitivity: z.enum(sensitivityLevels).optional(),
  categories: z.array(z.enum(classifierCategories)).min(1).optional(),
});
export type ClassifierOverride = z.infer<typeof classifierOverrideSchema>;

/**
 * Everything needed to build the engine stewards configured (`GET
 * /api/classifications/engine-config`), passed to `buildEngine` of
 * `@racine/plugin-classifications-node`.
 */
export const engineConfigSchema = z.object({
  /** Digest of the configuration: equal revisions build equal engines. */
  revision: z.string(),
  /** Built-in classifier id → overrides. */
  classifiers: z.record(z.string(), classifierOverrideSchema).default({}),
  /** Enabled custom rules, plus disabled ones that enabled composites refer to. */
  rules: z.array(engineRuleSchema).default([]),
  /** Suggested labels at or above this confidence are approved automatically; null: never. */
  autoApproveConfidence: unit.nullable().default(null),
});
export type EngineConfig = z.infer<typeof engineConfigSchema>;
export type EngineConfigInput = z.input<typeof engineConfigSchema>;
