import type { ClassificationEngine } from './engine.js';
import type { ColumnInfo } from './types.js';

/** A labelled column: what the engine should (and may) say about it. */
export interface EvalColumn {
  column: ColumnInfo;
  values: unknown[];
  /** Classifier ids that must be attached; empty for a negative column. */
  expected: string[];
  /** Labels that are defensible but not required: neither rewarded nor penalised. */
  acceptable?: string[];
  /** Free-form origin tag (e.g. `synthetic`, `handwritten`) used to split the report. */
  source?: string;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassifierMetrics extends Counts {
  classifierId: string;
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
  /** `table.column` of up to three affected fixtures. */
  examples: string[];
}

export interface EvalReport {
  columns: number;
  overall: Counts;
  perClassifier: ClassifierMetrics[];
  /** Most frequent (expected → predicted) mistakes; `(none)` stands for a missing or absent label. */
  confusions: Confusion[];
  /** Per-source overall figures, when fixtures carry a `source`. */
  bySource: Record<string, Counts>;
}

function finish(tp: number, fp: number, fn: number): Counts {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1 };
}

/** Runs the engine over labelled columns and computes micro-averaged precision/recall/F1. */
export function evaluate(engine: ClassificationEngine, columns: readonly EvalColumn[]): EvalReport {
  const per = new Map<string, { tp: number; fp: number; fn: number }>();
  const bump = (id: string, key: 'tp' | 'fp' | 'fn'): void => {
    const c = per.get(id) ?? { tp: 0, fp: 0, fn: 0 };
    c[key]++;
    per.set(id, c);
  };
  const confusions = new Map<string, Confusion>();
  const confuse = (expected: string, predicted: string, where: string): void => {
    const key = `${expected}→${predicted}`;
    const c = confusions.get(key) ?? { expected, predicted, count: 0, examples: [] };
    c.count++;
    if (c.examples.length < 3) c.examples.push(where);
    confusions.set(key, c);
  };
  const sources = new Map<string, { tp: number; fp: number; fn: number }>();
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const fixture of columns) {
    const predicted = engine
      .classifyColumn(fixture.column, fixture.values)
      .map(l => l.classifierId);
    const expected = new Set(fixture.expected);
    const acceptable = new Set(fixture.acceptable ?? []);
    const src = sources.get(fixture.source ?? 'all') ?? { tp: 0, fp: 0, fn: 0 };
    sources.set(fixture.source ?? 'all', src);
    const where = `${fixture.column.tableName}.${fixture.column.name}`;
    const wrong: string[] = [];
    for (const p of predicted) {
      if (expected.has(p)) {
        tp++;
        src.tp++;
        bump(p, 'tp');
      } else if (!acceptable.has(p)) {
        fp++;
        src.fp++;
        bump(p, 'fp');
        wrong.push(p);
      }
    }
    const missed = fixture.expected.filter(e => !predicted.includes(e));
    for (const m of missed) {
      fn++;
      src.fn++;
      bump(m, 'fn');
    }
    if (wrong.length === 0) for (const m of missed) confuse(m, '(none)', where);
    else if (missed.length === 0) for (const w of wrong) confuse('(none)', w, where);
    else for (const m of missed) for (const w of wrong) confuse(m, w, where);
  }
  const perClassifier = [...per.entries()]
    .map(([classifierId, c]) => ({ classifierId, ...finish(c.tp, c.fp, c.fn) }))
    .sort((a, b) => a.classifierId.localeCompare(b.classifierId));
  const bySource: Record<string, Counts> = {};
  for (const [s, c] of sources) bySource[s] = finish(c.tp, c.fp, c.fn);
  return {
    columns: columns.length,
    overall: finish(tp, fp, fn),
    perClassifier,
    confusions: [...confusions.values()].sort((a, b) => b.count - a.count),
    bySource,
  };
}
