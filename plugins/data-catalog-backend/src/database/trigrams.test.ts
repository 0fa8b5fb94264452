import { describe, expect, it } from 'vitest';
import { trigramSimilarity, trigramsOf } from './trigrams';

describe('trigrams', () => {
  it('pads words like pg_trgm', () => {
    expect(trigramsOf('cat')).toEqual(['  c', ' ca', 'cat', 'at ']);
    expect(trigramsOf('cat', false)).toEqual(['cat']);
    // Distinct, by code point (an emoji is one character, as in the FTS5 tokenizer).
    expect(trigramsOf('aaaa', false)).toEqual(['aaa']);
    expect(trigramsOf('a😀bc', false)).toEqual(['a😀b', '😀bc']);
    expect(trigramsOf('été', false)).toEqual(['été']);
  });

  it('scores one typo high and unrelated words low', () => {
    expect(trigramSimilarity('customers', 'customers')).toBe(1);
    expect(trigramSimilarity('custmers', 'customers')).toBeGreaterThan(0.45);
    expect(trigramSimilarity('invoices', 'customers')).toBeLessThan(0.2);
    // As pg_trgm's similarity(): 2 shared of 7 distinct trigrams, 7 of 12.
    expect(trigramSimilarity('cat', 'cart')).toBeCloseTo(2 / 7);
    expect(trigramSimilarity('custmers', 'customers')).toBeCloseTo(7 / 12);
  });
});
