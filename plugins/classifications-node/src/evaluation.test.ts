import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ClassificationEngine } from './engine.js';
import { evaluate, type EvalColumn } from './evaluation.js';

// Safety net over the labelled fixtures in ../eval/fixtures (see eval/evaluate.ts for the full
// report). The goal is ≥ 0.95; this only guards against regressions below 0.9.
const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'eval', 'fixtures');

function load(): EvalColumn[] {
  return readdirSync(fixturesDir)
    .filter(f => f.endsWith('.json'))
    .sort()
    .flatMap(f => JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) as EvalColumn[]);
}

describe('evaluation on labelled fixtures', () => {
  const fixtures = load();
  const report = evaluate(new ClassificationEngine(), fixtures);

  it('has several hundred columns including many negatives', () => {
    expect(fixtures.length).toBeGreaterThan(300);
    expect(fixtures.filter(f => f.expected.length === 0).length).toBeGreaterThan(100);
  });

  it('keeps overall precision and recall at or above 0.9', () => {
    expect(report.overall.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.overall.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps every fixture source at or above 0.9', () => {
    for (const [source, counts] of Object.entries(report.bySource)) {
      expect(counts.precision, source).toBeGreaterThanOrEqual(0.9);
      expect(counts.recall, source).toBeGreaterThanOrEqual(0.9);
    }
  });
});

describe('evaluate()', () => {
  it('counts true/false positives and negatives and reports confusions', () => {
    const engine = new ClassificationEngine();
    const report = evaluate(engine, [
      {
        column: { name: 'email', tableName: 't' },
        values: ['a@example.com', 'b@example.com'],
        expected: ['PII.EMAIL_ADDRESS'],
      },
      {
        column: { name: 'x', tableName: 't' },
        values: ['a@example.com', 'b@example.com'],
        expected: [],
      },
      {
        column: { name: 'code', tableName: 't' },
        values: ['123', '456', '789'],
        expected: ['FIN.CARD_CVV'],
      },
    ]);
    expect(report.overall).toMatchObject({ tp: 1, fp: 1, fn: 1 });
    expect(report.overall.precision).toBeCloseTo(0.5);
    expect(report.confusions.map(c => `${c.expected}→${c.predicted}`).sort()).toEqual([
      '(none)→PII.EMAIL_ADDRESS',
      'FIN.CARD_CVV→(none)',
    ]);
  });
});
