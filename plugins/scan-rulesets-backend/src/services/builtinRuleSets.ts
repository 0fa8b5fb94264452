import type { RuleSetDefinitionInput } from '@racine/plugin-scan-rulesets-common';

export interface BuiltinRuleSet {
  id: string;
  name: string;
  description: string;
  definition: RuleSetDefinitionInput;
}

/** Column names that usually hold payment card data (`*pan*` alone would match "company"). */
const CARD_LIKE_COLUMNS = [
  '*card*',
  '*credit*',
  'cc',
  'cc_*',
  '*_cc',
  '*_cc_*',
  'ccn*',
  '*cvv*',
  '*cvc*',
  '*expir*',
  '*exp_date*',
  '*exp_month*',
  '*exp_year*',
  'pan',
  'pan_*',
  '*_pan',
  '*_pan_*',
  '*payment*',
];

/**
 * The rule sets every Racine ships with, seeded in the `default` workspace on start with fixed
 * ids. Users may edit them (each edit is a version) but not delete them. Category names are
 * those of the classification engine (`@racine/plugin-classifications-node`).
 */
export const BUILTIN_RULE_SETS: BuiltinRuleSet[] = [
  {
    id: 'default',
    name: 'Default',
    description:
      "Every schema, table and column except the engines' system schemas, with every enabled classifier. Used when a scan names no rule set.",
    definition: {},
  },
  {
    id: 'quick-pii',
    name: 'Quick PII scan',
    description:
      'Personal, government, financial and health identifiers only: a 100-row sample per table and no profiling.',
    definition: {
      classifiers: { categories: ['PII', 'GOV', 'FINANCIAL', 'PHI'] },
      sampling: { size: 100, strategy: 'random' },
      profiling: { enabled: false, metrics: [] },
    },
  },
  {
    id: 'full-profile',
    name: 'Full profile',
    description:
      'Every table and column with every classifier and every column statistic, on a 1,000-row sample; re-reads unchanged tables.',
    definition: {
      sampling: { size: 1000, strategy: 'random' },
      profiling: { enabled: true },
      incremental: false,
      tableTimeoutSeconds: 600,
    },
  },
  {
    id: 'pci-focus',
    name: 'PCI focus',
    description:
      'Payment card data: card and financial classifiers on columns whose names look like card data. No profiling, so no card number ends up as a min or max.',
    definition: {
      include: { columns: CARD_LIKE_COLUMNS },
      classifiers: { categories: ['PCI', 'FINANCIAL'], minConfidence: 0.5 },
      sampling: { size: 200, strategy: 'random' },
      profiling: { enabled: false, metrics: [] },
    },
  },
];
