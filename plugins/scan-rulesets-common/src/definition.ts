import { z } from 'zod';
import { globError } from './glob';

/**
 * Schemas every scan skips unless a rule set says otherwise: the catalogs of the engines
 * Racine connects to (PostgreSQL, MySQL/MariaDB). They describe the server, not the data.
 */
export const SYSTEM_SCHEMAS = [
  'information_schema',
  'pg_catalog',
  'pg_toast',
  'mysql',
  'performance_schema',
  'sys',
] as const;

/** Column statistics a scan can compute when profiling is on. */
export const PROFILE_METRICS = [
  'rowCount',
  'nullCount',
  'distinctCount',
  'min',
  'max',
  'avgLength',
  'maxLength',
  'mean',
] as const;
export type ProfileMetric = (typeof PROFILE_METRICS)[number];

export const SAMPLE_STRATEGIES = ['first', 'random'] as const;
export type SampleStrategy = (typeof SAMPLE_STRATEGIES)[number];

export const MAX_SAMPLE_SIZE = 10_000;
export const MAX_TABLE_TIMEOUT_SECONDS = 3600;

const globPattern = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(512)
  .superRefine((pattern, ctx) => {
    const error = globError(pattern);
    if (error) ctx.addIssue({ code: 'custom', message: `not a valid glob (${error})` });
  });

const globList = (defaults: readonly string[], what: string) =>
  z
    .array(globPattern)
    .max(500)
    .default(() => [...defaults])
    .describe(what);

const identifierList = (what: string) =>
  z
    .array(z.string().trim().min(1, 'must not be empty').max(200))
    .max(500)
    .default(() => [])
    .describe(what);

function unique<T>(values: readonly T[]): boolean {
  return new Set(values).size === values.length;
}

/**
 * What a scan looks at and how: which schemas, tables and columns (globs, case-insensitive,
 * exclusion wins over inclusion), which classifiers and how sure they must be, how many rows
 * to sample, which statistics to profile, and the scan's limits. Every field has a default,
 * so `{}` is a valid definition (everything except system schemas, every enabled classifier).
 *
 * Unknown keys are rejected so a typo (`sampleSize`) is a 400 naming it, not a silent default.
 */
export const ruleSetDefinitionSchema = z.strictObject({
  include: z
    .strictObject({
      schemas: globList(['*'], 'Schemas to scan (globs); empty means every schema'),
      tables: globList(
        ['*'],
        'Tables to scan (globs over the table name; a glob with a dot also sees "schema.table"); empty means every table',
      ),
      columns: globList(
        ['*'],
        'Columns to scan (globs over the column name; a glob with a dot also sees "table.column" and "schema.table.column"); empty means every column',
      ),
    })
    .prefault({}),
  exclude: z
    .strictObject({
      schemas: globList(
        SYSTEM_SCHEMAS,
        "Schemas never scanned (globs); defaults to the engines' system schemas",
      ),
      tables: globList([], 'Tables never scanned (globs, same forms as include.tables)'),
      columns: globList([], 'Columns never scanned (globs, same forms as include.columns)'),
    })
    .prefault({}),
  classifiers: z
    .strictObject({
      ids: identifierList(
        'Classifier ids to run (e.g. PII.EMAIL_ADDRESS); with categories empty too, every enabled classifier',
      ),
      categories: identifierList(
        'Classifier categories to run (e.g. PII, FINANCIAL); a classifier runs when its id or one of its categories is listed',
      ),
      minConfidence: z
        .number()
        .min(0)
        .max(1)
        .default(0.6)
        .describe('Labels below this confidence (0..1) are dropped'),
    })
    .prefault({}),
  sampling: z
    .strictObject({
      size: z
        .number()
        .int()
        .min(1)
        .max(MAX_SAMPLE_SIZE)
        .default(100)
        .describe('Rows sampled per table'),
      strategy: z
        .enum(SAMPLE_STRATEGIES)
        .default('random')
        .describe('first rows, or a random sample'),
    })
    .prefault({}),
  profiling: z
    .strictObject({
      enabled: z.boolean().default(true).describe('Compute column statistics'),
      metrics: z
        .array(z.enum(PROFILE_METRICS))
        .default(() => [...PROFILE_METRICS])
        .refine(unique, 'must not list a metric twice')
        .describe('Statistics to compute'),
    })
    .prefault({}),
  incremental: z
    .boolean()
    .default(true)
    .describe('Skip tables whose fingerprint has not changed since the last scan'),
  tableLimit: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .nullable()
    .default(null)
    .describe('Scan at most this many tables (in schema, table order); null for no limit'),
  tableTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(MAX_TABLE_TIMEOUT_SECONDS)
    .default(120)
    .describe('Give up on one table after this many seconds'),
});

/** A complete definition, every default applied (what the API returns and scans read). */
export type RuleSetDefinition = z.output<typeof ruleSetDefinitionSchema>;
/** What a client may send: any field may be left out. */
export type RuleSetDefinitionInput = z.input<typeof ruleSetDefinitionSchema>;

/** The definition with every default: everything but system schemas, every classifier. */
export function defaultRuleSetDefinition(): RuleSetDefinition {
  return ruleSetDefinitionSchema.parse({});
}
