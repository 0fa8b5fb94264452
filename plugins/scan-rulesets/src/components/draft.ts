import {
  ruleSetDefinitionSchema,
  type ProfileMetric,
  type RuleSet,
  type RuleSetDefinition,
  type SampleStrategy,
} from '@racine/plugin-scan-rulesets-common';

/**
 * The editor's state: the definition with number fields kept as the text the user typed, so
 * a half-typed value is shown as typed and validated instead of being coerced.
 */
export interface RuleSetDraft {
  name: string;
  description: string;
  include: { schemas: string[]; tables: string[]; columns: string[] };
  exclude: { schemas: string[]; tables: string[]; columns: string[] };
  classifierIds: string[];
  categories: string[];
  minConfidence: string;
  sampleSize: string;
  strategy: SampleStrategy;
  profilingEnabled: boolean;
  metrics: ProfileMetric[];
  incremental: boolean;
  /** Empty means no limit. */
  tableLimit: string;
  tableTimeoutSeconds: string;
}

export function toDraft(
  ruleSet: Pick<RuleSet, 'name' | 'description' | 'definition'>,
): RuleSetDraft {
  const d = ruleSet.definition;
  return {
    name: ruleSet.name,
    description: ruleSet.description,
    include: { ...d.include },
    exclude: { ...d.exclude },
    classifierIds: [...d.classifiers.ids],
    categories: [...d.classifiers.categories],
    minConfidence: String(d.classifiers.minConfidence),
    sampleSize: String(d.sampling.size),
    strategy: d.sampling.strategy,
    profilingEnabled: d.profiling.enabled,
    metrics: [...d.profiling.metrics],
    incremental: d.incremental,
    tableLimit: d.tableLimit === null ? '' : String(d.tableLimit),
    tableTimeoutSeconds: String(d.tableTimeoutSeconds),
  };
}

const toNumber = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

export interface DraftValidation {
  /** The definition to save or preview; undefined while any field is invalid. */
  definition?: RuleSetDefinition;
  /** Messages by field path as the API names them (`sampling.size`, `include.tables.0`, `name`). */
  errors: Record<string, string>;
}

/** Validates a draft with the same schema the API applies, so errors show before saving. */
export function validateDraft(draft: RuleSetDraft): DraftValidation {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = 'A name is required';
  else if (draft.name.trim().length > 200) errors.name = 'At most 200 characters';
  const result = ruleSetDefinitionSchema.safeParse({
    include: draft.include,
    exclude: draft.exclude,
    classifiers: {
      ids: draft.classifierIds,
      categories: draft.categories,
      minConfidence: toNumber(draft.minConfidence),
    },
    sampling: { size: toNumber(draft.sampleSize), strategy: draft.strategy },
    profiling: { enabled: draft.profilingEnabled, metrics: draft.metrics },
    incremental: draft.incremental,
    tableLimit: draft.tableLimit.trim() === '' ? null : toNumber(draft.tableLimit),
    tableTimeoutSeconds: toNumber(draft.tableTimeoutSeconds),
  });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      errors[path] ??= issue.message;
    }
    return { errors };
  }
  return { definition: result.data, errors };
}

/** The first error of a list field or of one of its items (`include.tables` or `include.tables.2`). */
export function listError(errors: Record<string, string>, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const item = Object.keys(errors).find(key => key.startsWith(`${path}.`));
  if (!item) return undefined;
  const index = Number(item.slice(path.length + 1).split('.')[0]);
  return Number.isInteger(index) ? `Entry ${index + 1}: ${errors[item]}` : errors[item];
}
