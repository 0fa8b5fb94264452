// Regenerates the fixture files (deterministic) from the generators and eval/handwritten.ts:
//   npx tsx plugins/classifications-node/eval/generate.ts
// Two splits with different seeds and disjoint column-name variants: tune on `dev`, report
// `holdout` to see how well the rules generalise to names they were not tuned on.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import type { EvalColumn } from '../src/evaluation.js';
import { HANDWRITTEN } from './handwritten.js';
import { HANDWRITTEN_HOLDOUT } from './handwritten-holdout.js';
import { Rng } from './random.js';
import { NEGATIVE_SPECS, POSITIVE_SPECS, namesFor, type Spec } from './specs.js';

const JUNK = ['see notes', 'unknown', '-', 'TBD', '0', 'x', 'none', 'N/A', 'refused', '???'];

function styleName(name: string, rng: Rng): string {
  if (!/^[a-z0-9_]+$/.test(name)) return name; // already has its own style
  const k = rng.next();
  if (k < 0.15) return name.toUpperCase();
  if (k < 0.3) return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return name;
}

function buildColumn(spec: Spec, rng: Rng, split: 'dev' | 'holdout'): EvalColumn {
  const rawName = rng.pick(namesFor(spec, split));
  const name = styleName(rawName, rng);
  const neighbours = rng
    .shuffle([...spec.neighbours])
    .slice(0, rng.int(3, spec.neighbours.length))
    .filter(n => n !== rawName);
  const [lo, hi] = spec.size ?? [20, 60];
  const n = rng.int(lo, hi);
  const gen = spec.perColumn ? spec.perColumn(rng) : spec.value;
  const nullRate = rng.pick([0, 0, 0.05, 0.15, 0.3]);
  const values: unknown[] = [];
  for (let i = 0; i < n; i++) {
    if (rng.chance(nullRate)) values.push(rng.pick([null, '', 'N/A', null]));
    else if (spec.dirt && rng.chance(spec.dirt)) values.push(rng.pick(JUNK));
    else values.push(gen(rng));
  }
  const column: EvalColumn = {
    column: { name, tableName: rng.pick(spec.tables), neighbourColumns: neighbours },
    values,
    expected: spec.expected,
    source: `synthetic-${split}`,
  };
  if (spec.acceptable) column.acceptable = spec.acceptable;
  return column;
}

export function generate(split: 'dev' | 'holdout'): EvalColumn[] {
  const rng = new Rng(split === 'dev' ? 20240611 : 77001234);
  const out: EvalColumn[] = [];
  for (const spec of POSITIVE_SPECS) {
    for (let i = 0; i < (spec.count ?? 4); i++) out.push(buildColumn(spec, rng, split));
  }
  for (const spec of NEGATIVE_SPECS) {
    for (let i = 0; i < (spec.count ?? 3); i++) out.push(buildColumn(spec, rng, split));
  }
  return out;
}

const here = dirname(fileURLToPath(import.meta.url));

/** Writes a fixture file formatted the way the repository's Prettier check expects. */
async function writeFixture(file: string, columns: EvalColumn[]): Promise<void> {
  // Dates serialise as ISO strings, the way most drivers hand them over as text anyway.
  const text = await format(JSON.stringify(columns), { parser: 'json', printWidth: 100 });
  writeFileSync(join(here, 'fixtures', file), text);
  console.log(`${file}: ${columns.length} columns`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFixture('synthetic-dev.json', generate('dev'));
  await writeFixture('synthetic-holdout.json', generate('holdout'));
  await writeFixture('handwritten.json', HANDWRITTEN);
  await writeFixture('handwritten-holdout.json', HANDWRITTEN_HOLDOUT);
}
