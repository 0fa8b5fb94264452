import { BUILTIN_CLASSIFIERS, CATEGORIES } from '@racine/plugin-classifications-node';
import type { ClassifierCatalog } from '@racine/plugin-scan-rulesets-common';

/**
 * The classifiers and categories a rule set can pick from: those of the classification engine
 * that scans run (`@racine/plugin-classifications-node`). Served to the rule set editor.
 */
export function classifierCatalog(): ClassifierCatalog {
  return {
    items: BUILTIN_CLASSIFIERS.map(c => ({
      id: c.id,
      name: c.name,
      description: c.description,
      categories: [...c.categories],
      sensitivity: c.sensitivity,
    })),
    categories: [...CATEGORIES],
  };
}
