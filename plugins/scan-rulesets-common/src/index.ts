/**
 * Shared contracts of the `scan-rulesets` group: the rule set definition schema and its
 * compiled filters (used by scans), the HTTP types, the diff, and the permissions.
 *
 * @packageDocumentation
 */
export * from './definition';
export { compileRuleSetFilters, type RuleSetFilters } from './filters';
export { compileGlob, compileGlobs, globError, type NameMatcher } from './glob';
export * from './diff';
export * from './api';
export * from './permissions';
export * from './plan';
