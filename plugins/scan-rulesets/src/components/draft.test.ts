import { ruleSetDefinitionSchema } from '@racine/plugin-scan-rulesets-common';
import { describe, expect, it } from 'vitest';
import { listError, toDraft, validateDraft } from './draft';

const ruleSet = {
  name: 'Quick',
  description: 'd',
  definition: ruleSetDefinitionSchema.parse({ sampling: { size: 250 }, tableLimit: 5 }),
};

describe('rule set drafts', () => {
  it('round-trips a definition through the editor state', () => {
    const draft = toDraft(ruleSet);
    expect(draft).toMatchObject({
      sampleSize: '250',
      tableLimit: '5',
      minConfidence: '0.6',
      strategy: 'random',
    });
    expect(validateDraft(draft)).toEqual({ definition: ruleSet.definition, errors: {} });
  });

  it('reads an empty table limit as no limit', () => {
    const { definition } = validateDraft({ ...toDraft(ruleSet), tableLimit: ' ' });
    expect(definition?.tableLimit).toBeNull();
  });

  it('names invalid fields as the API does and withholds the definition', () => {
    const result = validateDraft({
      ...toDraft(ruleSet),
      name: ' ',
      sampleSize: '10001',
      tableTimeoutSeconds: '',
      minConfidence: 'abc',
      include: { schemas: ['*'], tables: ['ok', ' '], columns: ['*'] },
    });
    expect(result.definition).toBeUndefined();
    expect(result.errors.name).toBe('A name is required');
    expect(result.errors['sampling.size']).toMatch(/^Too big/);
    expect(result.errors.tableTimeoutSeconds).toBeDefined();
    expect(result.errors['classifiers.minConfidence']).toBeDefined();
    expect(listError(result.errors, 'include.tables')).toBe('Entry 2: must not be empty');
    expect(listError(result.errors, 'include.columns')).toBeUndefined();
  });
});
