import type { RuleInput } from '@racine/plugin-compliance-common';

const hasCategory = (category: string) => ({
  some: 'labels',
  where: { field: 'categories', op: 'contains' as const, value: category },
});
const isColumn = { field: 'asset.type', op: 'eq' as const, value: 'column' };

/**
 * The rules Racine ships. Their definitions are code (updated on upgrade); whether each is
 * enabled is stored, so an administrator can switch one off.
 */
export const BUILTIN_RULES: RuleInput[] = [
  {
    id: 'pii-has-owner',
    name: 'Every column labelled PII has an owner',
    description:
      'Personal data must have an accountable owner: every column carrying a PII label names an owner.',
    severity: 'high',
    subject: 'asset',
    scope: { all: [isColumn, hasCategory('PII')] },
    assert: { field: 'asset.owners', op: 'notEmpty' },
    labelStatuses: null,
    slaDays: null,
    remediation: 'Set an owner on the column (or its table) in the data catalog.',
    enabled: true,
  },
  {
    id: 'pci-prod-only',
    name: 'No PCI-labelled column outside production',
    description:
      'Card data may only live in production data sources: a PCI-labelled column in a data source whose environment is not `prod` is a finding.',
    severity: 'critical',
    subject: 'asset',
    scope: { all: [isColumn, hasCategory('PCI')] },
    assert: { field: 'dataSource.environment', op: 'eq', value: 'prod' },
    labelStatuses: null,
    slaDays: null,
    remediation: 'Remove or tokenize the card data in non-production copies.',
    enabled: true,
  },
  {
    id: 'restricted-no-viewer-access',
    name: 'RESTRICTED assets grant nothing to viewer',
    description:
      'No access grant with the `viewer` role covers an asset whose sensitivity is RESTRICTED.',
    severity: 'high',
    subject: 'asset',
    scope: { field: 'asset.sensitivity', op: 'eq', value: 'RESTRICTED' },
    assert: {
      none: 'grants',
      where: {
        all: [
          { field: 'role', op: 'eq', value: 'viewer' },
          { field: 'effect', op: 'eq', value: 'allow' },
        ],
      },
    },
    labelStatuses: null,
    slaDays: null,
    remediation:
      'Narrow the viewer grants (resource pattern or workspace) or add a deny grant on the asset.',
    enabled: true,
  },
  {
    id: 'phi-retention-tag',
    name: 'PHI columns carry a retention tag',
    description: 'Every column labelled PHI carries a `retention:<period>` tag.',
    severity: 'medium',
    subject: 'asset',
    scope: { all: [isColumn, hasCategory('PHI')] },
    assert: { field: 'asset.tags', op: 'glob', value: 'retention:*' },
    labelStatuses: null,
    slaDays: null,
    remediation: 'Tag the column with its retention period, e.g. `retention:6y`.',
    enabled: true,
  },
  {
    id: 'pii-source-scanned-30d',
    name: 'Data sources holding PII were scanned in the last 30 days',
    description:
      'Every data source with at least one PII-labelled asset had a successful scan in the last 30 days.',
    severity: 'medium',
    subject: 'dataSource',
    scope: hasCategory('PII'),
    assert: { field: 'dataSource.lastScannedAt', op: 'withinDays', value: 30 },
    labelStatuses: null,
    slaDays: null,
    remediation: 'Scan the data source (or schedule a recurring scan).',
    enabled: true,
  },
  {
    id: 'no-secrets-in-analytics',
    name: 'No secrets in analytics sources',
    description:
      'No asset of an analytics data source (environment `analytics` or tagged `analytics`) carries a SECRET.* label.',
    severity: 'critical',
    subject: 'asset',
    scope: {
      any: [
        { field: 'dataSource.environment', op: 'eq', value: 'analytics' },
        { field: 'dataSource.tags', op: 'contains', value: 'analytics' },
      ],
    },
    assert: { none: 'labels', where: { field: 'classifierId', op: 'glob', value: 'SECRET.*' } },
    labelStatuses: null,
    slaDays: null,
    remediation: 'Remove the secret from the analytics copy and rotate it.',
    enabled: true,
  },
];
