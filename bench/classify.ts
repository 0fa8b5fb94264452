// Throughput of the classification engine on one core with every built-in classifier enabled.
//   npx tsx bench/classify.ts
// Prints figures only; nothing here asserts timings.
import {
  buildEngine,
  ClassificationEngine,
  type EngineConfigInput,
} from '../plugins/classifications-node/src/index.js';
import { Rng } from '../plugins/classifications-node/eval/random.js';
import {
  NEGATIVE_SPECS,
  POSITIVE_SPECS,
  type Spec,
} from '../plugins/classifications-node/eval/specs.js';

const VALUES = 1_000_000;
const COLUMNS = 5_000;
const SAMPLES_PER_COLUMN = 100;

const rng = new Rng(42);
const specs: Spec[] = [...POSITIVE_SPECS, ...NEGATIVE_SPECS];

function valueOf(spec: Spec): unknown {
  return spec.value(rng);
}

/**
 * Runs `fn` and reports process CPU time (what one core spent, unaffected by other load on the
 * machine) next to wall-clock time.
 */
function time<T>(fn: () => T): { result: T; seconds: number; wall: number } {
  const wallStart = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const result = fn();
  const cpu = process.cpuUsage(cpuStart);
  return {
    result,
    seconds: (cpu.user + cpu.system) / 1e6,
    wall: Number(process.hrtime.bigint() - wallStart) / 1e9,
  };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

const engine = new ClassificationEngine();
console.log(`classifiers enabled: ${engine.classifiers.length}`);

// 1. Flat values: the per-value fast path over a mixed stream (half sensitive, half not).
const gen = time(() => {
  const out: unknown[] = new Array(VALUES);
  for (let i = 0; i < VALUES; i++) out[i] = valueOf(specs[i % specs.length]!);
  return out;
});
const values = gen.result;
engine.classifyValues(values.slice(0, 50_000)); // warm-up (JIT)
const flat = time(() => engine.classifyValues(values));
const matched = Object.values(flat.result.matches).reduce((a, b) => a + b, 0);
console.log(
  `values:  ${fmt(VALUES)} mixed values in ${flat.seconds.toFixed(2)} s CPU (${flat.wall.toFixed(2)} s wall) → ` +
    `${fmt(VALUES / flat.seconds)} values/s (${fmt(matched)} confidently matched)`,
);

// 2. Whole columns: name + context + 100 sampled values each, full scoring and evidence.
const columns = Array.from({ length: COLUMNS }, (_, i) => {
  const spec = specs[i % specs.length]!;
  const local = new Rng(1000 + i);
  const gen1 = spec.perColumn ? spec.perColumn(local) : spec.value;
  return {
    column: {
      name: spec.names[i % spec.names.length]!,
      tableName: spec.tables[0]!,
      neighbourColumns: spec.neighbours,
    },
    values: Array.from({ length: SAMPLES_PER_COLUMN }, () => gen1(local)),
  };
});
for (const c of columns.slice(0, 200)) engine.classifyColumn(c.column, c.values); // warm-up
const cols = time(() => {
  let labels = 0;
  for (const c of columns) labels += engine.classifyColumn(c.column, c.values).length;
  return labels;
});
console.log(
  `columns: ${fmt(COLUMNS)} columns × ${SAMPLES_PER_COLUMN} samples in ${cols.seconds.toFixed(2)} s CPU (${cols.wall.toFixed(2)} s wall) → ` +
    `${fmt(COLUMNS / cols.seconds)} columns/s (${fmt((COLUMNS * SAMPLES_PER_COLUMN) / cols.seconds)} sampled values/s, ${fmt(cols.result)} labels)`,
);

// 3. The configured engine scans build (built-ins plus custom rules, one of each type).
const base = {
  version: 1,
  categories: ['PII' as const],
  sensitivity: 'CONFIDENTIAL' as const,
  enabled: true,
};
const rules: EngineConfigInput['rules'] = [
  {
    ...base,
    id: 'ACME.BADGE',
    name: 'Badge',
    definition: { type: 'value_regex', pattern: '^ACME-\\d{6}$' },
  },
  {
    ...base,
    id: 'ACME.BADGE_COLUMN',
    name: 'Badge column',
    definition: { type: 'name_regex', pattern: 'badge' },
  },
  {
    ...base,
    id: 'ACME.DEPARTMENT',
    name: 'Department',
    definition: {
      type: 'dictionary',
      terms: ['Finance', 'Human resources', 'Legal', 'Marketing', 'Sales', 'Engineering'],
    },
  },
  {
    ...base,
    id: 'ACME.STAFF_EMAIL',
    name: 'Staff e-mail',
    definition: {
      type: 'composite',
      expression: { op: 'and', of: [{ ref: 'PII.EMAIL_ADDRESS' }, { ref: 'ACME.BADGE_COLUMN' }] },
    },
  },
];
const configured = buildEngine({ revision: 'bench', classifiers: {}, rules });
for (const c of columns.slice(0, 200)) configured.classifyColumn(c.column, c.values); // warm-up
const withRules = time(() => {
  let labels = 0;
  for (const c of columns) labels += configured.classifyColumn(c.column, c.values).length;
  return labels;
});
console.log(
  `columns with 4 custom rules (value regex, name regex, dictionary, composite): ${withRules.seconds.toFixed(2)} s CPU (${withRules.wall.toFixed(2)} s wall) → ` +
    `${fmt(COLUMNS / withRules.seconds)} columns/s (${fmt(withRules.result)} labels)`,
);
