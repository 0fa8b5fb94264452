import type { Framework } from '@racine/plugin-compliance-common';

const R = {
  owner: 'pii-has-owner',
  pci: 'pci-prod-only',
  viewer: 'restricted-no-viewer-access',
  phi: 'phi-retention-tag',
  scanned: 'pii-source-scanned-30d',
  secrets: 'no-secrets-in-analytics',
};

/**
 * The frameworks Racine ships: versioned packs of requirements, each mapped to the rules
 * that give evidence for it. Custom frameworks are stored and use the same shape.
 */
export const BUILTIN_FRAMEWORKS: Framework[] = [
  {
    id: 'gdpr',
    name: 'GDPR',
    version: '2016/679',
    description: 'EU General Data Protection Regulation',
    builtin: true,
    requirements: [
      {
        id: 'art-5-2',
        title: 'Accountability for personal data',
        reference: 'Art. 5(2)',
        ruleIds: [R.owner],
      },
      {
        id: 'art-30',
        title: 'Records of processing activities',
        reference: 'Art. 30',
        ruleIds: [R.scanned],
      },
      {
        id: 'art-32',
        title: 'Security of processing',
        reference: 'Art. 32',
        ruleIds: [R.viewer, R.secrets],
      },
    ],
  },
  {
    id: 'ccpa',
    name: 'CCPA / CPRA',
    version: '2023',
    description: 'California Consumer Privacy Act, as amended by the CPRA',
    builtin: true,
    requirements: [
      {
        id: '1798.100',
        title: 'Know what personal information is collected',
        reference: 'Cal. Civ. Code § 1798.100',
        ruleIds: [R.scanned, R.owner],
      },
      {
        id: '1798.150',
        title: 'Reasonable security procedures',
        reference: 'Cal. Civ. Code § 1798.150',
        ruleIds: [R.viewer, R.secrets],
      },
    ],
  },
  {
    id: 'hipaa',
    name: 'HIPAA Security Rule',
    version: '45 CFR 164 (2013)',
    description: 'US Health Insurance Portability and Accountability Act, Security Rule',
    builtin: true,
    requirements: [
      {
        id: '164.308-a-1',
        title: 'Risk analysis',
        reference: '§ 164.308(a)(1)(ii)(A)',
        ruleIds: [R.scanned],
      },
      {
        id: '164.312-a-1',
        title: 'Access control',
        reference: '§ 164.312(a)(1)',
        ruleIds: [R.viewer],
      },
      {
        id: '164.316-b-2',
        title: 'Documentation retention',
        reference: '§ 164.316(b)(2)(i)',
        ruleIds: [R.phi],
      },
    ],
  },
  {
    id: 'pci-dss',
    name: 'PCI DSS',
    version: '4.0',
    description: 'Payment Card Industry Data Security Standard',
    builtin: true,
    requirements: [
      {
        id: '3.2',
        title: 'Storage of account data is kept to a minimum',
        reference: 'Req. 3.2.1',
        ruleIds: [R.pci],
      },
      {
        id: '6.5.5',
        title: 'Live PANs are not used in pre-production environments',
        reference: 'Req. 6.5.5',
        ruleIds: [R.pci],
      },
      {
        id: '7.2',
        title: 'Access to system components and data is appropriately defined and assigned',
        reference: 'Req. 7.2',
        ruleIds: [R.viewer],
      },
      {
        id: '8.6.2',
        title: 'Passwords for accounts are not hard coded in scripts or files',
        reference: 'Req. 8.6.2',
        ruleIds: [R.secrets],
      },
    ],
  },
  {
    id: 'soc2',
    name: 'SOC 2',
    version: 'TSC 2017 (rev. 2022)',
    description: 'AICPA Trust Services Criteria',
    builtin: true,
    requirements: [
      {
        id: 'CC3.2',
        title: 'Identifies and analyzes risk',
        reference: 'CC3.2',
        ruleIds: [R.scanned],
      },
      {
        id: 'CC6.1',
        title: 'Logical access security',
        reference: 'CC6.1',
        ruleIds: [R.viewer, R.secrets],
      },
      {
        id: 'C1.1',
        title: 'Confidential information is identified and maintained',
        reference: 'C1.1',
        ruleIds: [R.owner, R.phi],
      },
    ],
  },
  {
    id: 'iso27001',
    name: 'ISO/IEC 27001',
    version: '2022',
    description: 'Information security management systems, Annex A controls',
    builtin: true,
    requirements: [
      {
        id: 'A.5.9',
        title: 'Inventory of information and other associated assets',
        reference: 'Annex A 5.9',
        ruleIds: [R.owner],
      },
      {
        id: 'A.5.12',
        title: 'Classification of information',
        reference: 'Annex A 5.12',
        ruleIds: [R.scanned],
      },
      { id: 'A.5.15', title: 'Access control', reference: 'Annex A 5.15', ruleIds: [R.viewer] },
      { id: 'A.5.33', title: 'Protection of records', reference: 'Annex A 5.33', ruleIds: [R.phi] },
      {
        id: 'A.8.12',
        title: 'Data leakage prevention',
        reference: 'Annex A 8.12',
        ruleIds: [R.secrets],
      },
      {
        id: 'A.8.31',
        title: 'Separation of development, test and production environments',
        reference: 'Annex A 8.31',
        ruleIds: [R.pci],
      },
    ],
  },
];
