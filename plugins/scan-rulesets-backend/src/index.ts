/**
 * Backend of the `scan-rulesets` group. Its services are exported for tests and for
 * embedding; other plugins use its HTTP API.
 *
 * @packageDocumentation
 */
export { scanRulesetsPlugin as default, scanRulesetsPlugin } from './plugin';
export { RuleSetService } from './services/RuleSetService';
export { PreviewService } from './services/PreviewService';
export type { ConnectionResolver, DataSourceConnection } from './services/ConnectionResolver';
export { BUILTIN_RULE_SETS } from './services/builtinRuleSets';
