// Prints precision / recall / F1 per classifier and overall on the labelled fixtures, plus the
// most frequent confusions. Always exits 0; the vitest safety net asserts the floor.
//   npx tsx plugins/classifications-node/eval/evaluate.ts [--errors]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClassificationEngine } from '../src/engine.js';
import { evaluate, type Counts, type EvalColumn } from '../src/evaluation.js';

const fixturesDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function loadFixtures(): EvalColumn[] {
  const out: EvalColumn[] = [];
  for (const file of readdirSync(fixturesDir)
    .filter(f => f.endsWith('.json'))
    .sort()) {
    out.push(...(JSON.parse(readFileSync(join(fixturesDir, file), 'utf8')) as EvalColumn[]));
  }
  return out;
}

const f3 = (x: number): string => x.toFixed(3);
const line = (label: string, c: Counts): string =>
  `${label.padEnd(30)} ${String(c.tp).padStart(5)} ${String(c.fp).padStart(5)} ${String(c.fn).padStart(5)}   ${f3(c.precision)}  ${f3(c.recall)}  ${f3(c.f1)}`;

function main(): void {
  const fixtures = loadFixtures();
  const engine = new ClassificationEngine();
  const started = performance.now();
  const report = evaluate(engine, fixtures);
  const ms = performance.now() - started;
  const negatives = fixtures.filter(f => f.expected.length === 0).length;

  console.log(
    `${report.columns} labelled columns (${negatives} negative) in ${ms.toFixed(0)} ms\n`,
  );
  console.log(
    `${'classifier'.padEnd(30)} ${'TP'.padStart(5)} ${'FP'.padStart(5)} ${'FN'.padStart(5)}   prec   recall  F1`,
  );
  for (const c of report.perClassifier) console.log(line(c.classifierId, c));
  console.log('-'.repeat(72));
  for (const [source, c] of Object.entries(report.bySource)) console.log(line(source, c));
  console.log(line('OVERALL', report.overall));

  console.log('\nMost frequent confusions (expected → predicted):');
  if (report.confusions.length === 0) console.log('  none');
  for (const c of report.confusions.slice(0, 15)) {
    console.log(
      `  ${String(c.count).padStart(3)} × ${c.expected} → ${c.predicted}   e.g. ${c.examples.join(', ')}`,
    );
  }

  if (process.argv.includes('--errors')) {
    console.log('\nAll errors:');
    for (const f of fixtures) {
      const labels = engine.classifyColumn(f.column, f.values);
      const got = labels.map(l => l.classifierId);
      const ok = new Set([...f.expected, ...(f.acceptable ?? [])]);
      const wrong = got.filter(g => !ok.has(g));
      const missed = f.expected.filter(e => !got.includes(e));
      if (wrong.length === 0 && missed.length === 0) continue;
      console.log(
        `  [${f.source}] ${f.column.tableName}.${f.column.name} expected=${JSON.stringify(f.expected)} got=${JSON.stringify(labels.map(l => `${l.classifierId}:${l.confidence}`))}`,
      );
      for (const l of labels) console.log(`      ${l.classifierId}: ${l.evidence.summary}`);
      console.log(`      sample: ${JSON.stringify(f.values.slice(0, 5))}`);
    }
  }
}

main();
