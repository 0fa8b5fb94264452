import type { DiscoverOptions, NamePattern, TablePattern, TableRef } from './types.js';

/** Compiled form of the include/exclude options of `DiscoverOptions`. */
export interface DiscoveryFilter {
  schema(name: string): boolean;
  table(table: TableRef): boolean;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

function toList<T>(value: T | readonly T[] | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function nameMatcher(pattern: string | RegExp): (name: string) => boolean {
  if (typeof pattern === 'string') {
    if (!/[*?]/.test(pattern)) return name => name === pattern;
    const regexp = globToRegExp(pattern);
    return name => regexp.test(name);
  }
  // Copy without the `g`/`y` flags: they make `test` stateful and skip every other match.
  const regexp = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  return name => regexp.test(name);
}

function compileNames(patterns: readonly NamePattern[]): (name: string) => boolean {
  const matchers = patterns.map(p => (typeof p === 'function' ? p : nameMatcher(p)));
  return name => matchers.some(matches => matches(name));
}

function compileTables(patterns: readonly TablePattern[]): (table: TableRef) => boolean {
  const matchers = patterns.map(p => {
    if (typeof p === 'function') return p;
    const matches = nameMatcher(p);
    return (table: TableRef) => matches(table.name);
  });
  return table => matchers.some(matches => matches(table));
}

/**
 * Builds the schema/table predicates from `DiscoverOptions`. An absent include list includes
 * everything; exclusion wins over inclusion.
 */
export function compileDiscoveryFilter(options: DiscoverOptions = {}): DiscoveryFilter {
  const includeSchemas = toList(options.includeSchemas);
  const excludeSchemas = toList(options.excludeSchemas);
  const includeTables = toList(options.includeTables);
  const excludeTables = toList(options.excludeTables);
  const schemaIncluded = includeSchemas.length ? compileNames(includeSchemas) : () => true;
  const schemaExcluded = excludeSchemas.length ? compileNames(excludeSchemas) : () => false;
  const tableIncluded = includeTables.length ? compileTables(includeTables) : () => true;
  const tableExcluded = excludeTables.length ? compileTables(excludeTables) : () => false;
  return {
    schema: name => schemaIncluded(name) && !schemaExcluded(name),
    table: table => tableIncluded(table) && !tableExcluded(table),
  };
}
