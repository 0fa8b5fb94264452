import type { JobDefinitionInput } from '@racine/plugin-pipelines-common';

/**
 * The pipelines Racine ships: parameterized job definitions that orchestrate the governance
 * groups. A template whose steps are not registered here (a group switched off, or not
 * installed) is listed with its missing steps and cannot be instantiated.
 */
export interface BuiltinTemplate {
  id: string;
  definition: JobDefinitionInput;
}

export const builtinTemplates: BuiltinTemplate[] = [
  {
    id: 'builtin-onboard-data-source',
    definition: {
      name: 'Onboard a data source',
      description:
        'Tests the connection, scans the source, waits for the scan to finish and for a steward to review its classifications, evaluates compliance and notifies the owners.',
      tags: ['onboarding', 'scan', 'compliance'],
      parameters: [
        { name: 'dataSourceId', default: '', description: 'The data source to onboard' },
        { name: 'ruleSetId', default: 'default', description: 'The scan rule set' },
      ],
      tasks: [
        {
          key: 'test_connection',
          step: 'datasources.testConnection',
          input: { dataSourceId: '{{job.parameters.dataSourceId}}' },
          retries: { max: 2, minIntervalMs: 10_000, onTimeout: true },
          timeoutSeconds: 120,
        },
        {
          key: 'connected',
          step: 'core.condition',
          input: { left: '{{tasks.test_connection.values.ok}}', op: 'EQUAL_TO', right: 'true' },
          dependsOn: [{ task: 'test_connection' }],
        },
        {
          key: 'unreachable',
          step: 'core.fail',
          input: {
            message:
              'Cannot connect to data source {{job.parameters.dataSourceId}}: {{tasks.test_connection.values.error}}',
          },
          dependsOn: [{ task: 'connected', outcome: 'false' }],
        },
        {
          key: 'scan',
          step: 'scans.run',
          input: {
            dataSourceId: '{{job.parameters.dataSourceId}}',
            ruleSetId: '{{job.parameters.ruleSetId}}',
          },
          dependsOn: [{ task: 'connected', outcome: 'true' }],
        },
        {
          key: 'scan_completed',
          step: 'core.waitForEvent',
          input: { topic: 'scan.completed', filter: { runId: '{{tasks.scan.values.id}}' } },
          dependsOn: [{ task: 'scan' }],
          timeoutSeconds: 6 * 3600,
        },
        {
          key: 'review_classifications',
          step: 'core.approval',
          input: {
            approvers: [],
            message:
              'Review the classifications the scan of data source {{job.parameters.dataSourceId}} found, then approve to evaluate compliance.',
          },
          dependsOn: [{ task: 'scan_completed' }],
          timeoutSeconds: 7 * 86_400,
        },
        {
          key: 'evaluate_compliance',
          step: 'compliance.evaluate',
          // Every rule over the whole catalog, which now holds what the scan found.
          input: {},
          dependsOn: [{ task: 'review_classifications' }],
        },
        {
          key: 'notify_owners',
          step: 'core.notify',
          input: {
            title: 'Data source onboarded',
            message:
              'Data source {{job.parameters.dataSourceId}} was scanned (run {{tasks.scan.values.id}}), reviewed and evaluated for compliance.',
            recipients: ['owner'],
          },
          dependsOn: [{ task: 'evaluate_compliance' }],
        },
      ],
      notifications: [{ on: ['failure'], channel: 'inApp', to: 'owner' }],
    },
  },
  {
    id: 'builtin-nightly-compliance',
    definition: {
      name: 'Nightly compliance',
      description:
        'Evaluates every compliance rule over the catalog each night and tells the owner when it fails.',
      tags: ['compliance', 'scheduled'],
      parameters: [],
      schedule: { cron: '0 2 * * *', timezone: 'UTC', paused: false },
      tasks: [
        {
          key: 'evaluate_compliance',
          step: 'compliance.evaluate',
          input: {},
          retries: { max: 1, minIntervalMs: 300_000, onTimeout: false },
          timeoutSeconds: 3600,
        },
        {
          key: 'report',
          step: 'core.notify',
          input: {
            title: 'Nightly compliance evaluated',
            message:
              'The nightly compliance evaluation finished ({{tasks.evaluate_compliance.result_state}}).',
            recipients: ['owner'],
          },
          dependsOn: [{ task: 'evaluate_compliance' }],
          runIf: 'ALL_DONE',
        },
      ],
      notifications: [{ on: ['failure'], channel: 'inApp', to: 'owner' }],
    },
  },
  {
    id: 'builtin-pii-sweep',
    definition: {
      name: 'PII sweep',
      description:
        'Scans a list of data sources with a PII rule set, two at a time, then notifies the owner.',
      tags: ['pii', 'scan'],
      parameters: [
        { name: 'dataSourceIds', default: '[]', description: 'A JSON array of data source ids' },
        { name: 'ruleSetId', default: 'quick-pii', description: 'The scan rule set' },
      ],
      tasks: [
        {
          key: 'scan_each',
          step: 'core.forEach',
          input: {
            inputs: '{{job.parameters.dataSourceIds}}',
            concurrency: 2,
            task: {
              step: 'scans.run',
              input: { dataSourceId: '{{input}}', ruleSetId: '{{job.parameters.ruleSetId}}' },
              retries: { max: 1, minIntervalMs: 30_000, onTimeout: false },
            },
          },
        },
        {
          key: 'report',
          step: 'core.notify',
          input: {
            title: 'PII sweep started',
            message:
              'Started {{tasks.scan_each.values.succeeded}} PII scan(s); {{tasks.scan_each.values.failed}} could not start.',
            recipients: ['owner'],
          },
          dependsOn: [{ task: 'scan_each' }],
          runIf: 'ALL_DONE',
        },
      ],
    },
  },
];
