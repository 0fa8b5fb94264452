import { describe, expect, it } from 'vitest';
import { buildInput, fieldKind, humanize, initialDraft, resolveSchema } from './jsonSchema';

// The input schema of platform.createWorkspace as the kernel serves it (zod → JSON Schema).
const createWorkspaceSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'Identifier' },
    title: { type: 'string', minLength: 1, maxLength: 255 },
    description: { type: 'string', maxLength: 4000 },
  },
  required: ['name', 'title'],
  additionalProperties: false,
};

describe('jsonSchema', () => {
  it('classifies the field kinds zod produces', () => {
    expect(fieldKind({ type: 'string' })).toBe('string');
    expect(fieldKind({ type: 'integer' })).toBe('integer');
    expect(fieldKind({ type: 'boolean' })).toBe('boolean');
    expect(fieldKind({ type: 'string', enum: ['a', 'b'] })).toBe('enum');
    expect(fieldKind({ anyOf: [{ const: 'a' }, { const: 'b' }] })).toBe('enum');
    expect(fieldKind({ type: 'array', items: { type: 'string' } })).toBe('string-array');
    expect(fieldKind({ type: 'array', items: { type: 'string', enum: ['x'] } })).toBe('enum-array');
    expect(fieldKind({ type: 'object', properties: { a: { type: 'string' } } })).toBe('object');
    expect(fieldKind({ type: 'object', additionalProperties: { type: 'string' } })).toBe('json');
    expect(fieldKind({ anyOf: [{ type: 'number' }, { type: 'null' }] })).toBe('number');
    expect(resolveSchema({ type: ['string', 'null'] }).type).toBe('string');
  });

  it('reports missing required fields and pattern mismatches without building bad input', () => {
    const draft = initialDraft(createWorkspaceSchema);
    expect(draft).toEqual({ name: '', title: '', description: '' });
    expect(buildInput(createWorkspaceSchema, draft).errors).toEqual({
      name: 'Required',
      title: 'Required',
    });
    const bad = buildInput(createWorkspaceSchema, { ...draft, name: 'Not Valid', title: 'T' });
    expect(Object.keys(bad.errors)).toEqual(['name']);
  });

  it('drops empty optional fields and keeps the rest', () => {
    const { value, errors } = buildInput(createWorkspaceSchema, {
      name: 'finance',
      title: 'Finance',
      description: '',
    });
    expect(errors).toEqual({});
    expect(value).toEqual({ name: 'finance', title: 'Finance' });
  });

  it('converts numbers, arrays, booleans, nested objects, JSON and date-times', () => {
    const schema = {
      type: 'object',
      properties: {
        limit: { type: 'integer', minimum: 1, default: 10 },
        tags: { type: 'array', items: { type: 'string' } },
        dryRun: { type: 'boolean' },
        target: { type: 'object', properties: { table: { type: 'string' } }, required: ['table'] },
        options: { type: 'object', additionalProperties: true },
        at: { type: 'string', format: 'date-time' },
      },
      required: ['target'],
    };
    const draft = initialDraft(schema);
    expect(draft.limit).toBe('10');
    const { value, errors } = buildInput(schema, {
      ...draft,
      tags: ['pii', 'gdpr'],
      dryRun: true,
      target: { table: 'orders' },
      options: '{"depth": 2}',
      at: '2026-01-02T03:04',
    });
    expect(errors).toEqual({});
    expect(value).toMatchObject({
      limit: 10,
      tags: ['pii', 'gdpr'],
      dryRun: true,
      target: { table: 'orders' },
      options: { depth: 2 },
    });
    expect(new Date(value.at as string).toISOString()).toBe(value.at);

    const invalid = buildInput(schema, {
      ...draft,
      limit: '0',
      target: { table: '' },
      options: '{oops',
    });
    expect(invalid.errors).toEqual({
      limit: 'Must be ≥ 1',
      'target.table': 'Required',
      options: 'Must be valid JSON',
    });
  });

  it('humanizes property names for labels', () => {
    expect(humanize('workspaceName')).toBe('Workspace name');
    expect(humanize('max_rows')).toBe('Max rows');
  });
});
