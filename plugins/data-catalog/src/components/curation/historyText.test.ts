import { describe, expect, it } from 'vitest';
import { showChangeValue } from './historyText';

describe('showChangeValue', () => {
  const names = new Map([
    ['646f5053-0000-4000-8000-000000000001', 'Revenue'],
    ['646f5053-0000-4000-8000-000000000002', 'Customer'],
  ]);

  it('shows glossary terms by name, and keeps the id of a term that no longer exists', () => {
    expect(
      showChangeValue(
        'terms',
        ['646f5053-0000-4000-8000-000000000001', '646f5053-0000-4000-8000-000000000002'],
        names,
      ),
    ).toBe('Revenue, Customer');
    expect(
      showChangeValue('terms', ['gone-term', '646f5053-0000-4000-8000-000000000002'], names),
    ).toBe('gone-term, Customer');
    expect(showChangeValue('terms', [], names)).toBe('—');
    expect(showChangeValue('terms', null, names)).toBe('—');
  });

  it('leaves the values of other fields as they are, even when they look like term ids', () => {
    expect(showChangeValue('tags', ['646f5053-0000-4000-8000-000000000001'], names)).toBe(
      '646f5053-0000-4000-8000-000000000001',
    );
    expect(showChangeValue('owners', ['user:default/ada', 'group:default/finance'], names)).toBe(
      'user:default/ada, group:default/finance',
    );
    expect(showChangeValue('description', '', names)).toBe('—');
    expect(showChangeValue('properties', { retention_days: 365 }, names)).toBe(
      '{"retention_days":365}',
    );
    expect(showChangeValue('description', 'x'.repeat(200), names)).toBe(`${'x'.repeat(160)}…`);
  });
});
