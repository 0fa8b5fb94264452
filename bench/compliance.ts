// Compliance evaluation at scale: a full evaluation of 50 rules over 1M catalog assets, then
// incremental evaluations after one asset changes (goal < 100 ms each).
//   npx tsx bench/compliance.ts                     (SQLite temp file)
//   RACINE_TEST_DB=postgres npx tsx bench/compliance.ts
//   BENCH_ASSETS=200000 npx tsx bench/compliance.ts (smaller catalog)
// Facts are generated on the fly by an in-memory feed with the same paging contract as the
// catalog's `/facts` route (so the figures exclude the HTTP hop); findings are written to a
// real database. Prints figures only; nothing here asserts timings.
import { createTestDatabase } from '../kernel/node/src/testing/index.js';
import type { RuleInput } from '../plugins/compliance-common/src/index.js';
import { ComplianceStore } from '../plugins/compliance-backend/src/database/ComplianceStore.js';
import { migrateComplianceDatabase } from '../plugins/compliance-backend/src/database/migrations.js';
import { tuneSqlite } from '../kernel/node/src/database/index.js';
import { BUILTIN_RULES } from '../plugins/compliance-backend/src/rules/builtinRules.js';
import { EvaluationService } from '../plugins/compliance-backend/src/services/EvaluationService.js';
import type {
  AccessGrant,
  AssetFact,
  ContextDirectory,
  DataSourceContext,
  FactSource,
  FactsPage,
} from '../plugins/compliance-backend/src/services/facts.js';
import { FrameworkCatalog } from '../plugins/compliance-backend/src/services/FrameworkCatalog.js';

const ASSETS = Number(process.env.BENCH_ASSETS ?? 1_000_000);
const SOURCES = 200;
const INCREMENTAL_RUNS = 50;
/** Fixed, so re-evaluations see unchanged evidence (as with a real catalog between scans). */
const BASE_TIME = Date.now();

const CLASSIFIERS = [
  'PII.EMAIL_ADDRESS',
  'PII.PHONE_NUMBER',
  'PII.PERSON_NAME',
  'FIN.CREDIT_CARD_NUMBER',
  'PHI.MEDICAL_RECORD_NUMBER',
  'PHI.ICD10_CODE',
  'SECRET.API_TOKEN',
  'GOV.US_SSN',
];
const ENVIRONMENTS = ['prod', 'prod', 'prod', 'staging', 'analytics'];

/** A deterministic pseudo-random number per (asset, salt). */
function hash(i: number, salt: number): number {
  let x = (i * 2654435761 + salt * 40503) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

const pad = (i: number) => String(i).padStart(8, '0');

/** Asset i of the synthetic catalog (columns, 1 in 20 a table), version v after edits. */
function factOf(i: number, version = 0): AssetFact {
  const source = `ds${hash(i, 1) % SOURCES}`;
  const labels =
    hash(i, 2) % 10 < 3
      ? [
          {
            classifierId: CLASSIFIERS[hash(i, 3) % CLASSIFIERS.length]!,
            status: hash(i, 4) % 10 === 0 ? 'rejected' : 'approved',
            confidence: 0.9,
          },
        ]
      : [];
  const tags = hash(i, 5) % 4 !== 0 ? ['retention:7y'] : hash(i, 5) % 8 === 0 ? ['finance'] : [];
  return {
    ref: `racine:data-catalog:column/${source}.db.public.t${pad(Math.floor(i / 20))}.c${pad(i)}`,
    type: i % 20 === 0 ? 'table' : 'column',
    name: `c${i}`,
    qualifiedName: `public.t${Math.floor(i / 20)}.c${i}`,
    parentRef: null,
    dataSourceId: source,
    workspace: hash(i, 6) % 5 === 0 ? 'finance' : 'default',
    status: 'active',
    description: hash(i, 7) % 10 !== 0 ? 'described' : null,
    owners: version > 0 || hash(i, 8) % 20 !== 0 ? [`user:default/u${hash(i, 9) % 50}`] : [],
    stewards: [],
    tags,
    terms: [],
    properties: {},
    sensitivity: null,
    labels,
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}

/** Index of an asset from its ref (the synthetic refs end with the zero-padded index). */
const indexOf = (ref: string) => Number(ref.slice(ref.lastIndexOf('.c') + 2));

class SyntheticCatalog implements FactSource, ContextDirectory {
  edited = new Map<number, number>();
  // Refs sort by source then table; the feed pages in ref order like the catalog does.
  private order: number[] = [];
  constructor() {
    const keyed = Array.from({ length: ASSETS }, (_, i) => ({ i, ref: factOf(i).ref }));
    keyed.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
    this.order = keyed.map(k => k.i);
  }
  async page(options: { limit: number; cursor?: string; refs?: string[] }): Promise<FactsPage> {
    if (options.refs) {
      return { items: options.refs.map(r => factOf(indexOf(r), this.edited.get(indexOf(r)))) };
    }
    const start = options.cursor ? Number(options.cursor) : 0;
    const items = this.order
      .slice(start, start + options.limit)
      .map(i => factOf(i, this.edited.get(i)));
    const next = start + options.limit;
    return { items, nextCursor: next < this.order.length ? String(next) : undefined };
  }
  async dataSource(id: string): Promise<DataSourceContext> {
    const n = Number(id.slice(2));
    return {
      id,
      ref: `racine:datasources:datasource/${id}`,
      name: `Source ${n}`,
      environment: ENVIRONMENTS[n % ENVIRONMENTS.length]!,
      owner: 'user:default/owner',
      tags: n % 7 === 0 ? ['analytics'] : [],
      workspace: 'default',
      lastScannedAt: new Date(BASE_TIME - (n % 45) * 86_400_000).toISOString(),
    };
  }
  async grants(): Promise<AccessGrant[]> {
    return [
      {
        subject: 'group:default/readers',
        role: 'viewer',
        permission: null,
        workspace: 'default',
        resource: 'racine:data-catalog:column/ds1*',
        effect: 'allow',
        active: true,
      },
      {
        subject: 'user:default/admin',
        role: 'platform-admin',
        permission: null,
        workspace: '*',
        resource: '*',
        effect: 'allow',
        active: true,
      },
    ];
  }
}

/** 44 more rules on top of the 6 shipped ones: tag, owner, description and label checks. */
function generatedRules(): RuleInput[] {
  const rules: RuleInput[] = [];
  for (let k = 0; k < 44; k++) {
    const classifier = CLASSIFIERS[k % CLASSIFIERS.length]!;
    const checks = [
      { field: 'asset.owners', op: 'notEmpty' as const },
      { field: 'asset.description', op: 'notEmpty' as const },
      { field: 'asset.tags', op: 'glob' as const, value: 'retention:*' },
      { field: 'dataSource.environment', op: 'in' as const, value: ['prod', 'staging'] },
    ];
    rules.push({
      id: `bench-rule-${k}`,
      name: `Bench rule ${k}`,
      description: '',
      severity: (['low', 'medium', 'high', 'critical'] as const)[k % 4],
      subject: 'asset',
      scope:
        k % 5 === 4
          ? {
              all: [
                { field: 'asset.type', op: 'eq', value: 'column' },
                { field: 'asset.workspace', op: 'eq', value: 'finance' },
              ],
            }
          : { some: 'labels', where: { field: 'classifierId', op: 'eq', value: classifier } },
      assert: checks[k % checks.length]!,
      labelStatuses: null,
      slaDays: null,
      remediation: '',
      enabled: true,
    });
  }
  return rules;
}

const logger = {
  info() {},
  warn: console.warn,
  error: console.error,
  debug() {},
  child: () => logger,
} as never;

function rss() {
  return `${Math.round(process.memoryUsage().rss / 1e6)} MB`;
}

async function main() {
  const db = await createTestDatabase();
  console.log(`compliance bench: ${ASSETS.toLocaleString('en-US')} assets, 50 rules, ${db.kind}`);
  try {
    await tuneSqlite(db.knex);
    await migrateComplianceDatabase(db.knex);
    const store = new ComplianceStore(db.knex);
    const now = new Date().toISOString();
    await store.syncBuiltinRules(BUILTIN_RULES, now);
    for (const rule of generatedRules()) await store.createRule(rule, 'bench', now);
    console.log(`rules: ${(await store.listRules()).filter(r => r.enabled).length}`);

    const t0 = performance.now();
    const catalog = new SyntheticCatalog();
    console.log(`synthetic catalog ordered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const service = new EvaluationService({
      store,
      facts: catalog,
      context: catalog,
      frameworks: new FrameworkCatalog(store),
      logger,
    });

    for (const pass of ['first (opens findings)', 'second (confirms them)']) {
      const evaluation = await service.request({ trigger: 'manual', requestedBy: 'bench' });
      const cpu = process.cpuUsage();
      const start = performance.now();
      const done = await service.run(evaluation.id);
      const wall = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      if (done.status !== 'succeeded') throw new Error(`evaluation failed: ${done.error}`);
      console.log(
        `full evaluation, ${pass}: ${wall.toFixed(1)} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s CPU, ` +
          `${Math.round(done.assetsEvaluated / wall).toLocaleString('en-US')} assets/s, ` +
          `${Math.round((done.assetsEvaluated * done.rulesEvaluated) / wall).toLocaleString('en-US')} rule checks/s, ` +
          `opened ${done.findingsOpened.toLocaleString('en-US')}, resolved ${done.findingsResolved}, rss ${rss()}`,
      );
    }
    const open = await db.knex('compliance_findings').where({ status: 'open' }).count({ n: '*' });
    console.log(`open findings: ${Number(open[0]!.n).toLocaleString('en-US')}`);

    // Incremental: one asset changes (it gains an owner), then changes back, repeatedly.
    const timings: number[] = [];
    for (let run = 0; run < INCREMENTAL_RUNS; run++) {
      const i = hash(run, 99) % ASSETS;
      catalog.edited.set(i, (catalog.edited.get(i) ?? 0) + 1);
      const start = performance.now();
      await service.evaluateRefs([factOf(i).ref]);
      timings.push(performance.now() - start);
    }
    timings.sort((a, b) => a - b);
    const pct = (p: number) =>
      timings[Math.min(timings.length - 1, Math.floor((p / 100) * timings.length))]!.toFixed(1);
    console.log(
      `incremental evaluation of one changed asset (${INCREMENTAL_RUNS} runs): p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${pct(100)} ms (goal < 100 ms)`,
    );
  } finally {
    await db.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
