import {
  ruleSetDefinitionSchema,
  type RuleSetDefinition,
  type RuleSetDefinitionInput,
} from './definition';
import { compileGlobs, type NameMatcher } from './glob';

/** The compiled, fast form of a rule set's include/exclude lists and classifier choice. */
export interface RuleSetFilters {
  /** The definition the filters were compiled from, every default applied. */
  readonly definition: RuleSetDefinition;
  /** The schema is included and not excluded. */
  includesSchema(schema: string): boolean;
  /**
   * Its schema is included, and the table is included and not excluded. Patterns with a dot
   * are matched against the name and `schema.table`, patterns without one against the name.
   */
  includesTable(schema: string, table: string): boolean;
  /**
   * Its table is included, and the column is included and not excluded. Patterns with a dot
   * are matched against `column`, `table.column` and `schema.table.column`, patterns without
   * one against the column name.
   */
  includesColumn(schema: string, table: string, column: string): boolean;
  /** Whether a classifier runs: listed by id or by one of its categories, or nothing listed at all. */
  includesClassifier(id: string, categories?: readonly string[]): boolean;
}

/**
 * Compiles a glob list over a name and its qualified forms (`table`, `schema.table`). A
 * pattern without a dot only ever sees the bare name, so `*password*` does not catch every
 * column of a table called `password_resets`; a pattern with a dot sees every form.
 */
function compileList(patterns: readonly string[]): (name: string, qualified: string[]) => boolean {
  const bare = compileGlobs(patterns.filter(p => !p.includes('.')));
  const dotted: NameMatcher = compileGlobs(patterns.filter(p => p.includes('.')));
  return (name, qualified) => bare(name) || dotted(name) || qualified.some(dotted);
}

/** An empty include list includes everything. */
function includeList(patterns: readonly string[]): (name: string, qualified: string[]) => boolean {
  return patterns.length === 0 ? () => true : compileList(patterns);
}

function excludeList(patterns: readonly string[]): (name: string, qualified: string[]) => boolean {
  return patterns.length === 0 ? () => false : compileList(patterns);
}

const fold = (value: string) => value.normalize('NFC').toLowerCase();

/**
 * Compiles a rule set definition into predicates. The definition is validated and its
 * defaults applied first (a `ZodError` is thrown for an invalid one), so a partial input
 * such as `{ include: { tables: ['orders'] } }` works. Globs are case-insensitive; exclusion
 * always wins over inclusion; each level requires its parent level to be included.
 */
export function compileRuleSetFilters(
  definition: RuleSetDefinitionInput | RuleSetDefinition,
): RuleSetFilters {
  const parsed = ruleSetDefinitionSchema.parse(definition);
  const schemaIn = includeList(parsed.include.schemas);
  const schemaOut = excludeList(parsed.exclude.schemas);
  const tableIn = includeList(parsed.include.tables);
  const tableOut = excludeList(parsed.exclude.tables);
  const columnIn = includeList(parsed.include.columns);
  const columnOut = excludeList(parsed.exclude.columns);
  const ids = new Set(parsed.classifiers.ids.map(fold));
  const categories = new Set(parsed.classifiers.categories.map(fold));

  const includesSchema = (schema: string) => schemaIn(schema, []) && !schemaOut(schema, []);
  const includesTable = (schema: string, table: string) => {
    if (!includesSchema(schema)) return false;
    const qualified = [`${schema}.${table}`];
    return tableIn(table, qualified) && !tableOut(table, qualified);
  };
  return {
    definition: parsed,
    includesSchema,
    includesTable,
    includesColumn(schema, table, column) {
      if (!includesTable(schema, table)) return false;
      const qualified = [`${table}.${column}`, `${schema}.${table}.${column}`];
      return columnIn(column, qualified) && !columnOut(column, qualified);
    },
    includesClassifier(id, classifierCategories = []) {
      if (ids.size === 0 && categories.size === 0) return true;
      return ids.has(fold(id)) || classifierCategories.some(c => categories.has(fold(c)));
    },
  };
}
