import { describe, expect, it } from 'vitest';
import { materialChange } from './labelMateriality';

const e = (confidence: number, matchRatio?: number) => ({
  confidence,
  evidence: matchRatio === undefined ? {} : { matchRatio },
});

describe('material evidence changes', () => {
  it('counts a match ratio move of 0.2 or more, and value evidence appearing or disappearing', () => {
    expect(materialChange(e(0.8, 0.4), e(0.82, 0.6))).toBe(
      'share of matching values moved from 0.4 to 0.6',
    );
    expect(materialChange(e(0.8, 0.9), e(0.8, 0.65))).toMatch(/moved from 0.9 to 0.65/);
    expect(materialChange(e(0.8), e(0.85, 0.9))).toBe('values now support it (0.9 match)');
    expect(materialChange(e(0.8, 0.9), e(0.8))).toBe('values no longer counted');
  });

  it('counts a confidence band crossing of at least 0.1, not jitter', () => {
    expect(materialChange(e(0.65, 0.7), e(0.92, 0.75))).toBe('confidence moved from 0.65 to 0.92');
    expect(materialChange(e(0.89, 0.7), e(0.91, 0.72))).toBeNull();
    expect(materialChange(e(0.72, 0.7), e(0.81, 0.75))).toBeNull();
    expect(materialChange(e(0.93, 0.95), e(0.93, 0.95))).toBeNull();
    // Judged on the name alone: only values can change the judgement.
    expect(materialChange(e(0.65), e(0.99))).toBeNull();
  });
});
