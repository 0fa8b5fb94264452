import { describe, expect, it } from 'vitest';
import { jobDefinitionSchema, type JobDefinitionInput } from './definition';
import { parseReference, referenceSuggestions } from './dynamicValues';
import { findCycle, topologicalOrder, validateJobDefinition, type StepInfo } from './validation';

const steps: Record<string, StepInfo> = {
  'scans.run': { id: 'scans.run', outputs: ['id', 'status'], required: ['dataSourceId'] },
  'test.any': { id: 'test.any', outputs: null, required: [] },
  'core.condition': {
    id: 'core.condition',
    outputs: ['outcome'],
    required: ['left', 'op', 'right'],
  },
  'core.setValues': { id: 'core.setValues', outputs: null, required: ['values'] },
  'core.forEach': {
    id: 'core.forEach',
    outputs: ['iterations', 'succeeded', 'failed'],
    required: ['inputs', 'task'],
  },
  'core.runJob': { id: 'core.runJob', outputs: ['runId', 'result'], required: ['jobId'] },
};
const lookup = (id: string) => steps[id];

function check(definition: Omit<JobDefinitionInput, 'name'>, options: { jobId?: string } = {}) {
  return validateJobDefinition(
    jobDefinitionSchema.parse({ name: 'j', ...definition }),
    lookup,
    options,
  );
}
const messages = (definition: Omit<JobDefinitionInput, 'name'>, options: { jobId?: string } = {}) =>
  check(definition, options).issues.map(i => `${i.path}: ${i.message}`);

describe('job definition validation', () => {
  it('accepts a valid job', () => {
    expect(
      check({
        parameters: [{ name: 'ds', default: 'x' }],
        tasks: [
          { key: 'scan', step: 'scans.run', input: { dataSourceId: '{{job.parameters.ds}}' } },
          {
            key: 'ok',
            step: 'core.condition',
            input: { left: '{{tasks.scan.values.status}}', op: 'EQUAL_TO', right: 'queued' },
            dependsOn: [{ task: 'scan' }],
          },
          {
            key: 'then',
            step: 'core.setValues',
            input: { values: { run: '{{job.run_id}}', r: '{{tasks.ok.result_state}}' } },
            dependsOn: [{ task: 'ok', outcome: 'true' }],
          },
          {
            key: 'last',
            step: 'test.any',
            input: {
              v: '{{tasks.then.values.run}} and {{tasks.scan.values.id}}',
              text: '{{unknown.namespace}} stays',
            },
            dependsOn: [{ task: 'then' }],
          },
        ],
      }),
    ).toEqual({ issues: [], missingSteps: [] });
  });

  const table: [string, Omit<JobDefinitionInput, 'name'>, RegExp][] = [
    [
      'duplicate keys',
      {
        tasks: [
          { key: 'a', step: 'test.any' },
          { key: 'a', step: 'test.any' },
        ],
      },
      /tasks.1.key: duplicate task key 'a'/,
    ],
    [
      'an unknown dependency',
      { tasks: [{ key: 'a', step: 'test.any', dependsOn: [{ task: 'zz' }] }] },
      /tasks.0.dependsOn.0.task: there is no task 'zz'/,
    ],
    [
      'a self-dependency',
      { tasks: [{ key: 'a', step: 'test.any', dependsOn: [{ task: 'a' }] }] },
      /'a' depends on itself/,
    ],
    [
      'a cycle',
      {
        tasks: [
          { key: 'a', step: 'test.any', dependsOn: [{ task: 'c' }] },
          { key: 'b', step: 'test.any', dependsOn: [{ task: 'a' }] },
          { key: 'c', step: 'test.any', dependsOn: [{ task: 'b' }] },
        ],
      },
      /tasks: dependency cycle: (a|b|c) → (a|b|c) → (a|b|c) → (a|b|c)/,
    ],
    [
      'an outcome on a non-condition',
      {
        tasks: [
          { key: 'a', step: 'test.any' },
          { key: 'b', step: 'test.any', dependsOn: [{ task: 'a', outcome: 'true' }] },
        ],
      },
      /outcome: 'a' is not a core.condition task/,
    ],
    [
      'a condition dependency without outcome',
      {
        tasks: [
          { key: 'c', step: 'core.condition', input: { left: 1, op: 'EQUAL_TO', right: 1 } },
          { key: 'b', step: 'test.any', dependsOn: [{ task: 'c' }] },
        ],
      },
      /must choose outcome "true" or "false"/,
    ],
    [
      'a missing required input',
      { tasks: [{ key: 'a', step: 'scans.run', input: {} }] },
      /tasks.0.input.dataSourceId: required by scans.run/,
    ],
    [
      'a bad built-in input',
      { tasks: [{ key: 'a', step: 'core.condition', input: { left: 1, op: 'ABOUT', right: 2 } }] },
      /tasks.0.input.op:/,
    ],
    [
      'an unknown parameter',
      { tasks: [{ key: 'a', step: 'test.any', input: { x: '{{job.parameters.nope}}' } }] },
      /the job has no parameter 'nope'/,
    ],
    [
      'an unknown job field',
      { tasks: [{ key: 'a', step: 'test.any', input: { x: '{{job.colour}}' } }] },
      /job has no 'colour'/,
    ],
    [
      'an unknown task',
      { tasks: [{ key: 'a', step: 'test.any', input: { x: '{{tasks.zz.values.id}}' } }] },
      /there is no task 'zz'/,
    ],
    [
      'a task that is not upstream',
      {
        tasks: [
          { key: 'a', step: 'scans.run', input: { dataSourceId: 'x' } },
          { key: 'b', step: 'test.any', input: { x: '{{tasks.a.values.id}}' } },
        ],
      },
      /task 'a' is not upstream of 'b'/,
    ],
    [
      'an unknown value name',
      {
        tasks: [
          { key: 'a', step: 'scans.run', input: { dataSourceId: 'x' } },
          {
            key: 'b',
            step: 'test.any',
            input: { x: '{{tasks.a.values.colour}}' },
            dependsOn: [{ task: 'a' }],
          },
        ],
      },
      /task 'a' \(scans.run\) has no value 'colour' \(it has: id, status\)/,
    ],
    [
      'an unknown setValues name',
      {
        tasks: [
          { key: 'a', step: 'core.setValues', input: { values: { x: 1 } } },
          {
            key: 'b',
            step: 'test.any',
            input: { v: '{{tasks.a.values.y}}' },
            dependsOn: [{ task: 'a' }],
          },
        ],
      },
      /has no value 'y' \(it has: x\)/,
    ],
    [
      'a malformed task reference',
      { tasks: [{ key: 'a', step: 'test.any', input: { x: '{{tasks.a.colour}}' } }] },
      /a task exposes values.<name> and result_state/,
    ],
    [
      '{{input}} outside a for-each',
      { tasks: [{ key: 'a', step: 'test.any', input: { x: '{{input}}' } }] },
      /only defined inside a core.forEach task/,
    ],
    [
      'a for-each inside a for-each',
      {
        tasks: [
          {
            key: 'a',
            step: 'core.forEach',
            input: { inputs: [1], task: { step: 'core.forEach', input: {} } },
          },
        ],
      },
      /a for-each task cannot run another for-each task/,
    ],
    [
      'a job running itself',
      { tasks: [{ key: 'a', step: 'core.runJob', input: { jobId: 'me' } }] },
      /a job cannot run itself/,
    ],
    [
      'a duplicate parameter',
      { parameters: [{ name: 'p' }, { name: 'p' }], tasks: [{ key: 'a', step: 'test.any' }] },
      /parameters.1.name: duplicate parameter 'p'/,
    ],
  ];
  it.each(table)('reports %s', (_name, definition, expected) => {
    expect(messages(definition, { jobId: 'me' }).join('\n')).toMatch(expected);
  });

  it('allows {{input}} inside a for-each task and dynamic values where built-ins expect numbers', () => {
    expect(
      messages({
        parameters: [{ name: 'n', default: '3' }],
        tasks: [
          {
            key: 'a',
            step: 'core.forEach',
            input: {
              inputs: '[1,2]',
              concurrency: 2,
              task: { step: 'test.any', input: { item: '{{input}}', field: '{{input.name}}' } },
            },
          },
          {
            key: 'b',
            step: 'core.condition',
            input: {
              left: '{{job.parameters.n}}',
              op: 'GREATER_THAN',
              right: '{{tasks.a.values.succeeded}}',
            },
            dependsOn: [{ task: 'a' }],
          },
        ],
      }),
    ).toEqual([]);
  });

  it('names unregistered steps separately', () => {
    expect(
      check({
        tasks: [
          { key: 'a', step: 'compliance.evaluate' },
          {
            key: 'b',
            step: 'core.forEach',
            input: { inputs: [], task: { step: 'classifications.apply', input: {} } },
          },
        ],
      }).missingSteps,
    ).toEqual(['classifications.apply', 'compliance.evaluate']);
  });

  it('orders tasks topologically and finds cycles', () => {
    const tasks = [
      { key: 'c', dependsOn: [{ task: 'b' }] },
      { key: 'a', dependsOn: [] },
      { key: 'b', dependsOn: [{ task: 'a' }] },
    ];
    expect(topologicalOrder(tasks)).toEqual(['a', 'b', 'c']);
    expect(findCycle(tasks)).toBeUndefined();
    expect(topologicalOrder([...tasks, { key: 'x', dependsOn: [{ task: 'x' }] }])).toBeUndefined();
  });
});

describe('dynamic value references', () => {
  it.each([
    ['job.id', { kind: 'job', field: 'id' }],
    ['job.trigger.type', { kind: 'job', field: 'trigger.type' }],
    ['job.parameters.ds', { kind: 'parameter', name: 'ds' }],
    ['tasks.scan.values.id', { kind: 'taskValue', task: 'scan', name: 'id', path: [] }],
    [
      'tasks.scan.values.progress.errors',
      { kind: 'taskValue', task: 'scan', name: 'progress', path: ['errors'] },
    ],
    ['tasks.scan.result_state', { kind: 'taskResult', task: 'scan' }],
    ['input', { kind: 'input', path: [] }],
    ['input.id', { kind: 'input', path: ['id'] }],
    ['secrets.x', { kind: 'unknownNamespace' }],
  ])('parses {{%s}}', (expression, expected) => {
    expect(parseReference(expression)).toEqual(expected);
  });

  it('suggests the names a task may use', () => {
    expect(
      referenceSuggestions({
        parameters: ['ds'],
        upstream: [{ key: 'scan', outputs: ['id'] }],
        inForEach: true,
      }),
    ).toEqual(
      expect.arrayContaining([
        '{{job.parameters.ds}}',
        '{{tasks.scan.values.id}}',
        '{{tasks.scan.result_state}}',
        '{{input}}',
      ]),
    );
  });
});
