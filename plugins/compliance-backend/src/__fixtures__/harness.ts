import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import { ComplianceStore } from '../database/ComplianceStore';
import { migrateComplianceDatabase } from '../database/migrations';
import { BUILTIN_RULES } from '../rules/builtinRules';
import { EvaluationService } from '../services/EvaluationService';
import type {
  AccessGrant,
  AssetFact,
  ContextDirectory,
  DataSourceContext,
  FactSource,
  FactsPage,
} from '../services/facts';
import { FindingService } from '../services/FindingService';
import { FrameworkCatalog } from '../services/FrameworkCatalog';
import { RemediationNotifier } from '../services/RemediationNotifier';
import { ReportService } from '../services/ReportService';
import { ScoreService } from '../services/ScoreService';

/** A crafted catalog held in memory, served like the catalog's facts feed; it records reads. */
export class MemoryCatalog implements FactSource, ContextDirectory {
  facts = new Map<string, AssetFact>();
  sources = new Map<string, DataSourceContext>();
  accessGrants: AccessGrant[] = [];
  /** Refs read, per call. */
  reads: string[][] = [];

  put(fact: Partial<AssetFact> & { ref: string }): AssetFact {
    const full: AssetFact = {
      type: 'column',
      name: fact.ref.split('.').pop() ?? fact.ref,
      qualifiedName: fact.ref.split('/').pop() ?? fact.ref,
      parentRef: null,
      dataSourceId: 'ds1',
      workspace: 'default',
      status: 'active',
      description: null,
      owners: [],
      stewards: [],
      tags: [],
      terms: [],
      properties: {},
      sensitivity: null,
      labels: [],
      updatedAt: new Date().toISOString(),
      ...fact,
    };
    this.facts.set(full.ref, full);
    return full;
  }

  source(ctx: Partial<DataSourceContext> & { id: string }) {
    this.sources.set(ctx.id, {
      ref: `racine:datasources:datasource/${ctx.id}`,
      name: ctx.id,
      environment: 'prod',
      owner: null,
      tags: [],
      workspace: 'default',
      lastScannedAt: new Date().toISOString(),
      ...ctx,
    });
  }

  async page(options: { limit: number; cursor?: string; refs?: string[] }): Promise<FactsPage> {
    let items = [...this.facts.values()].sort((a, b) => a.ref.localeCompare(b.ref));
    if (options.refs) items = items.filter(f => options.refs!.includes(f.ref));
    if (options.cursor) items = items.filter(f => f.ref > options.cursor!);
    const page = items.slice(0, options.limit);
    this.reads.push(page.map(f => f.ref));
    return {
      items: page,
      nextCursor: items.length > options.limit ? page[page.length - 1]!.ref : undefined,
    };
  }

  async dataSource(id: string) {
    return this.sources.get(id) ?? null;
  }

  async grants() {
    return this.accessGrants;
  }
}

export const silentLogger = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silentLogger;
  },
} as never;

export interface Harness {
  db: TestDatabase;
  catalog: MemoryCatalog;
  store: ComplianceStore;
  frameworks: FrameworkCatalog;
  evaluations: EvaluationService;
  scores: ScoreService;
  reports: ReportService;
  findings: FindingService;
  clock: { now: Date };
  /** Events the notifier published (`finding.opened`). */
  published: Array<{ topic: string; eventPayload: unknown }>;
  /** A full evaluation of all enabled rules (or one framework). */
  evaluate(frameworkId?: string): ReturnType<EvaluationService['run']>;
}

export async function createHarness(): Promise<Harness> {
  const db = await createTestDatabase();
  await migrateComplianceDatabase(db.knex);
  const store = new ComplianceStore(db.knex);
  await store.syncBuiltinRules(BUILTIN_RULES, new Date().toISOString());
  const catalog = new MemoryCatalog();
  const frameworks = new FrameworkCatalog(store);
  const clock = { now: new Date() };
  const published: Harness['published'] = [];
  const notifier = new RemediationNotifier({
    store,
    events: {
      async publish(event) {
        published.push({ topic: event.topic, eventPayload: event.eventPayload });
      },
    },
    logger: silentLogger,
    now: () => clock.now,
  });
  const evaluations = new EvaluationService({
    store,
    facts: catalog,
    context: catalog,
    frameworks,
    logger: silentLogger,
    now: () => clock.now,
    contextTtlMs: 0,
    notifier,
  });
  return {
    db,
    catalog,
    store,
    frameworks,
    evaluations,
    scores: new ScoreService(store, frameworks),
    reports: new ReportService(store, frameworks),
    findings: new FindingService(store, frameworks, () => clock.now),
    clock,
    published,
    async evaluate(frameworkId) {
      const e = await evaluations.request({
        trigger: 'manual',
        frameworkId,
        requestedBy: 'user:default/test',
      });
      return evaluations.run(e.id);
    },
  };
}

export const col = (path: string) => `racine:data-catalog:column/${path}`;

export const label = (classifierId: string, status = 'approved') => ({
  classifierId,
  status,
  confidence: 0.9,
});
