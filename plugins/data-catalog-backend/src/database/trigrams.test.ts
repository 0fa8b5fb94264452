import { describe, expect, it } from 'vitest';
import { trigramSimilarity, trigramsOf } from './trigrams';

describe('trigrams', () => {
  it('pads words like pg_trgm', () => {
    expect(trigramsOf('cat')).toEqual(['  c', ' ca', 'cat', 'at ']);
    expect(trigramsOf('cat', false)).toEqual(['cat']);
  });

  it('scores one typo high and unrelated words low', () => {
    expect(trigramSimilarity('customers', 'customers')).toBe(1);
    expect(trigramSimilarity('custmers', 'customers')).toBeGreaterThan(0.45);
    expect(trigramSimilarity('invoices', 'customers')).toBeLessThan(0.2);
  });
});
