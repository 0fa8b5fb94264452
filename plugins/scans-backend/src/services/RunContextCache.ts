import type { ColumnClassifier } from '@racine/plugin-classifications-node';
import { compileRuleSetFilters, type RuleSetFilters } from '@racine/plugin-scan-rulesets-common';
import { createConfiguredEngine } from './classification';
import type { Collaborators, DataSourceConnection, RuleSet } from './collaborators';

/** What every task of a run needs, fetched once per run and process. */
export interface RunContext {
  connection: DataSourceConnection;
  ruleSet: RuleSet;
  filters: RuleSetFilters;
  /** Built once per run from the classifications plugin's configuration. */
  engine: ColumnClassifier;
  /** Revision of the classification configuration the engine was built from. */
  classificationRevision: string;
}

interface Entry {
  context: Promise<RunContext>;
  expiresAt: number;
}

/**
 * Per-run cache of the data source connection (with its decrypted secrets, kept in memory
 * only) and the pinned rule set version, so a run of a thousand tables asks the datasources
 * and scan-rulesets plugins once per worker process instead of once per table.
 */
export class RunContextCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly collaborators: Pick<
      Collaborators,
      'dataSources' | 'ruleSets' | 'classifications'
    >,
    private readonly options: { ttlMs: number; maxEntries: number } = {
      ttlMs: 10 * 60_000,
      maxEntries: 32,
    },
  ) {}

  get(run: {
    id: string;
    dataSourceId: string;
    ruleSetId: string;
    ruleSetVersion: number;
  }): Promise<RunContext> {
    const now = Date.now();
    const cached = this.entries.get(run.id);
    if (cached && cached.expiresAt > now) return cached.context;
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(id);
    }
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    const context = this.load(run);
    const entry = { context, expiresAt: now + this.options.ttlMs };
    this.entries.set(run.id, entry);
    // A failed load (collaborator down) must not be cached.
    context.catch(() => {
      if (this.entries.get(run.id) === entry) this.entries.delete(run.id);
    });
    return context;
  }

  forget(runId: string) {
    this.entries.delete(runId);
  }

  private async load(run: {
    dataSourceId: string;
    ruleSetId: string;
    ruleSetVersion: number;
  }): Promise<RunContext> {
    const [connection, ruleSet, classificationConfig] = await Promise.all([
      this.collaborators.dataSources.getConnection(run.dataSourceId),
      this.collaborators.ruleSets.getRuleSet(run.ruleSetId, run.ruleSetVersion),
      this.collaborators.classifications?.getEngineConfig() ?? null,
    ]);
    const filters = compileRuleSetFilters(ruleSet.definition);
    const engine = createConfiguredEngine(filters, classificationConfig);
    const classificationRevision = classificationConfig?.revision ?? 'default';
    return { connection, ruleSet, filters, engine, classificationRevision };
  }
}
