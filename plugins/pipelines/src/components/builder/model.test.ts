import { jobDefinitionSchema, type StepCatalogEntry } from '@racine/plugin-pipelines-common';
import { describe, expect, it } from 'vitest';
import {
  emptySettings,
  fromDefinition,
  layout,
  newKey,
  toDefinition,
  validateDraft,
  wouldCycle,
  type Draft,
} from './model';

const step = (id: string, outputs: string[] | null, required: string[] = []): StepCatalogEntry => ({
  id,
  title: id,
  description: '',
  pluginId: id.split('.')[0],
  actionId: id.startsWith('core.') ? null : id,
  inputSchema: {
    type: 'object',
    properties: Object.fromEntries(required.map(r => [r, { type: 'string' }])),
    required,
  },
  outputs,
  idempotent: true,
  builtin: id.startsWith('core.'),
});

const steps = [
  step('core.setValues', null, ['values']),
  step('core.condition', ['outcome']),
  step('scans.run', ['id', 'status'], ['dataSourceId']),
];

describe('the builder model', () => {
  const definition = jobDefinitionSchema.parse({
    name: 'job',
    parameters: [{ name: 'ds', default: 'x' }],
    tasks: [
      { key: 'scan', step: 'scans.run', input: { dataSourceId: '{{job.parameters.ds}}' } },
      {
        key: 'check',
        step: 'core.condition',
        input: { left: '{{tasks.scan.values.status}}', op: 'EQUAL_TO', right: 'queued' },
        dependsOn: [{ task: 'scan' }],
      },
      {
        key: 'yes',
        step: 'core.setValues',
        input: { values: { ok: true } },
        dependsOn: [{ task: 'check', outcome: 'true' }],
        runIf: 'ALL_DONE',
      },
    ],
  });

  it('turns a definition into nodes and edges and back', () => {
    const draft = fromDefinition(definition);
    expect(draft.edges.map(e => [e.source, e.target, e.outcome])).toEqual([
      ['n-scan', 'n-check', undefined],
      ['n-check', 'n-yes', 'true'],
    ]);
    expect(jobDefinitionSchema.parse(toDefinition(draft))).toEqual(definition);
  });

  it('lays tasks out left to right by depth', () => {
    const draft = fromDefinition(definition);
    const positions = layout(draft.tasks, draft.edges);
    expect(positions['n-scan'].x).toBeLessThan(positions['n-check'].x);
    expect(positions['n-check'].x).toBeLessThan(positions['n-yes'].x);
  });

  it('names new tasks after their step, uniquely', () => {
    expect(newKey('core.setValues', [])).toBe('set_values');
    expect(newKey('core.setValues', ['set_values'])).toBe('set_values_2');
    expect(newKey('scans.run', ['run', 'run_2'])).toBe('run_3');
  });

  it('refuses edges that close a cycle', () => {
    const draft = fromDefinition(definition);
    expect(wouldCycle(draft.tasks, draft.edges, 'n-yes', 'n-scan')).toBe(true);
    expect(wouldCycle(draft.tasks, draft.edges, 'n-scan', 'n-scan')).toBe(true);
    expect(wouldCycle(draft.tasks, draft.edges, 'n-scan', 'n-yes')).toBe(false);
  });

  it('validates as you build, attaching problems to their tasks', () => {
    const draft = fromDefinition(definition);
    expect(validateDraft(draft, steps)).toMatchObject({ valid: true, general: [] });
    const broken: Draft = {
      ...draft,
      tasks: draft.tasks.map(t =>
        t.key === 'yes' ? { ...t, input: { values: { v: '{{tasks.scan.values.nope}}' } } } : t,
      ),
    };
    const result = validateDraft(broken, steps);
    expect(result.valid).toBe(false);
    expect(result.byTask.get('n-yes')?.join()).toMatch(/has no value 'nope'/);
    expect(
      validateDraft({ settings: emptySettings(), tasks: [], edges: [] }, steps).general[0],
    ).toMatch(/Add at least one task/);
    const missing = validateDraft(
      {
        ...draft,
        tasks: [
          ...draft.tasks,
          { id: 'n-x', key: 'x', step: 'compliance.evaluate', input: {}, runIf: 'ALL_SUCCESS' },
        ],
      },
      steps,
    );
    expect(missing.missingSteps).toEqual(['compliance.evaluate']);
  });
});
