import type { SearchProvider } from '@racine/kernel-node';
import {
  classificationPaths,
  classificationViewPermission,
  classifierRef,
  customRuleRef,
} from '@racine/plugin-classifications-common';
import { fold } from '@racine/plugin-classifications-node';
import type { ClassifierLibrary } from './ClassifierLibrary';
import type { RuleService } from './RuleService';

/** Global search over the classifier library and custom rules (id, name, description). */
export function createClassificationSearchProvider(
  library: ClassifierLibrary,
  rules: RuleService,
): SearchProvider {
  return {
    id: 'classifications.library',
    types: ['classifier', 'classification-rule'],
    permission: classificationViewPermission,
    async search({ query, types, limit }) {
      const q = fold(query.trim());
      if (!q) return [];
      const score = (id: string, name: string) => {
        const fid = fold(id);
        const fname = fold(name);
        if (fid === q || fname === q) return 1;
        if (fname.startsWith(q) || fid.startsWith(q) || fid.includes(`.${q}`)) return 0.8;
        return 0.5;
      };
      const hits = [];
      if (types.length === 0 || types.includes('classifier')) {
        for (const c of (await library.list({ q: query })).items) {
          hits.push({
            ref: classifierRef(c.id),
            type: 'classifier',
            title: c.name,
            snippet: `${c.id} · ${c.description}`,
            score: score(c.id, c.name),
            url: classificationPaths.classifier(c.id),
          });
        }
      }
      if (types.length === 0 || types.includes('classification-rule')) {
        for (const r of await rules.list({ q: query })) {
          hits.push({
            ref: customRuleRef(r.id),
            type: 'classification-rule',
            title: r.name,
            snippet: `${r.id} · ${r.summary}`,
            score: score(r.id, r.name),
            url: classificationPaths.rule(r.id),
          });
        }
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, limit);
    },
  };
}
