import type { SearchProvider } from '@racine/kernel-node';
import { ruleSetViewPermission } from '@racine/plugin-scan-rulesets-common';
import type { RuleSetService } from './RuleSetService';

/** Global search over the rule sets of the caller's workspace (and the built-ins). */
export function createRuleSetSearchProvider(ruleSets: RuleSetService): SearchProvider {
  return {
    id: 'scan-rulesets.rule-sets',
    types: ['rule-set'],
    permission: ruleSetViewPermission,
    async search({ query, limit, workspace }) {
      const q = query.toLowerCase();
      const found = await ruleSets.list({ workspace, query, limit });
      return found.map(ruleSet => {
        const name = ruleSet.name.toLowerCase();
        const score = name === q ? 1 : name.startsWith(q) ? 0.8 : name.includes(q) ? 0.6 : 0.4;
        return {
          ref: ruleSet.ref,
          type: 'rule-set',
          title: ruleSet.name,
          snippet: ruleSet.description || `Scan rule set, version ${ruleSet.version}`,
          score,
          url: `/scan-rulesets/${encodeURIComponent(ruleSet.id)}`,
        };
      });
    },
  };
}
