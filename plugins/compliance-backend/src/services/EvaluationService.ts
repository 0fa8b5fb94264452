import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  DEFAULT_LABEL_STATUSES,
  DEFAULT_SLA_DAYS,
  compileCondition,
  type CompiledCondition,
  type ComplianceRule,
  type Evaluation,
  type EvaluationTrigger,
  type RuleTestResult,
} from '@racine/plugin-compliance-common';
import type { ComplianceStore, FindingCandidate, OpenedFinding } from '../database/ComplianceStore';
import type { FrameworkCatalog } from './FrameworkCatalog';
import {
  buildSubject,
  grantsCovering,
  normalizeLabels,
  type AccessGrant,
  type AssetFact,
  type ContextDirectory,
  type DataSourceContext,
  type EvaluationSubject,
  type FactSource,
} from './facts';

export const FACTS_PAGE_SIZE = 1000;
// Refs travel in the facts URL; 50 keep it well under header size limits.
const INCREMENTAL_CHUNK = 50;

/** A rule ready to run: its label statuses as a set. */
interface CompiledRule {
  rule: ComplianceRule;
  statuses: ReadonlySet<string>;
  statusesKey: string;
  slaDays: number;
  scope: CompiledCondition;
  assert: CompiledCondition;
}

function compile(rule: ComplianceRule): CompiledRule {
  const statuses = (rule.labelStatuses ?? DEFAULT_LABEL_STATUSES).filter(Boolean);
  return {
    rule,
    statuses: new Set(statuses),
    statusesKey: [...statuses].sort().join(','),
    slaDays: rule.slaDays ?? DEFAULT_SLA_DAYS[rule.severity],
    scope: compileCondition(rule.scope),
    assert: compileCondition(rule.assert),
  };
}

/** What one pass over some facts found. */
interface PassResult {
  failures: FindingCandidate[];
  /** Asset rules evaluated on these refs (passing findings of theirs resolve). */
  assetRefs: string[];
  /** Data source rules in scope and passing: (rule, data source ref). */
  passedPairs: Array<{ ruleId: string; ref: string }>;
  /** In-scope counts per rule, data source and workspace. */
  counts: Map<string, number>;
  assets: number;
}

function dataSourceRef(context: DataSourceContext | null, id: string): string {
  return context?.ref ?? `racine:datasources:datasource/${id}`;
}

/**
 * Evaluates rules over the catalog. Facts are streamed page by page from the catalog's feed
 * and every rule runs in memory on each page; only failures (and status changes) are
 * written. Full evaluations resolve the findings they no longer confirm; incremental ones
 * (on `asset.changed`) read and judge only the changed assets.
 */
export class EvaluationService {
  private readonly dataSources = new Map<
    string,
    { at: number; value: Promise<DataSourceContext | null> }
  >();
  private grantsCache: { at: number; value: Promise<AccessGrant[]> } | undefined;

  constructor(
    private readonly deps: {
      store: ComplianceStore;
      facts: FactSource;
      context: ContextDirectory;
      frameworks: FrameworkCatalog;
      logger: LoggerService;
      /** Told about findings an evaluation opens (owners' notifications, `finding.opened`). */
      notifier?: { opened(findings: OpenedFinding[]): Promise<void> };
      now?: () => Date;
      /** How long data source and grant context is reused within and across runs (ms). */
      contextTtlMs?: number;
    },
  ) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  private resetContext() {
    this.dataSources.clear();
    this.grantsCache = undefined;
  }

  private grants(): Promise<AccessGrant[]> {
    const ttl = this.deps.contextTtlMs ?? 60_000;
    if (!this.grantsCache || Date.now() - this.grantsCache.at > ttl) {
      const value = this.deps.context.grants().catch(error => {
        this.grantsCache = undefined;
        throw error;
      });
      this.grantsCache = { at: Date.now(), value };
    }
    return this.grantsCache.value;
  }

  private dataSource(id: string): Promise<DataSourceContext | null> {
    const ttl = this.deps.contextTtlMs ?? 60_000;
    const cached = this.dataSources.get(id);
    if (cached && Date.now() - cached.at <= ttl) return cached.value;
    const value = this.deps.context.dataSource(id).catch(error => {
      this.dataSources.delete(id);
      throw error;
    });
    this.dataSources.set(id, { at: Date.now(), value });
    return value;
  }

  private async announce(opened: OpenedFinding[]) {
    if (opened.length === 0 || !this.deps.notifier) return;
    try {
      await this.deps.notifier.opened(opened);
    } catch (error) {
      this.deps.logger.warn(
        `Could not notify owners of ${opened.length} finding(s): ${String(error)}`,
      );
    }
  }

  /** The enabled rules, of one framework when given. */
  async rulesFor(frameworkId?: string | null): Promise<ComplianceRule[]> {
    const rules = (await this.deps.store.listRules()).filter(r => r.enabled);
    if (!frameworkId) return rules;
    const ids = await this.deps.frameworks.ruleIdsOf(frameworkId);
    return rules.filter(r => ids.has(r.id));
  }

  private async evaluateFacts(
    facts: AssetFact[],
    rules: CompiledRule[],
    at: number,
  ): Promise<PassResult> {
    const result: PassResult = {
      failures: [],
      assetRefs: [],
      passedPairs: [],
      counts: new Map(),
      assets: 0,
    };
    const sourceIds = [...new Set(facts.map(f => f.dataSourceId))];
    const contexts = new Map<string, DataSourceContext | null>();
    await Promise.all(sourceIds.map(async id => contexts.set(id, await this.dataSource(id))));
    const grants = await this.grants();
    // Data source rules: one verdict per (rule, data source) per pass.
    const dsVerdicts = new Map<string, { passed: boolean; examples: string[]; inScope: number }>();
    for (const fact of facts) {
      if (fact.status !== 'active') continue;
      result.assets += 1;
      result.assetRefs.push(fact.ref);
      const labels = normalizeLabels(fact);
      const covering = grantsCovering(grants, fact);
      const ds = contexts.get(fact.dataSourceId) ?? null;
      const subjects = new Map<string, EvaluationSubject>();
      for (const compiled of rules) {
        let subject = subjects.get(compiled.statusesKey);
        if (!subject) {
          subject = buildSubject(fact, labels, compiled.statuses, ds, covering);
          subjects.set(compiled.statusesKey, subject);
        }
        const { rule } = compiled;
        if (!compiled.scope(subject, at)) continue;
        if (rule.subject === 'dataSource') {
          const key = `${rule.id}\u0000${fact.dataSourceId}`;
          let verdict = dsVerdicts.get(key);
          if (!verdict) {
            verdict = {
              passed: compiled.assert(subject, at),
              examples: [],
              inScope: 0,
            };
            dsVerdicts.set(key, verdict);
            const countKey = `${rule.id}\u0000${fact.dataSourceId}\u0000${ds?.workspace ?? fact.workspace}`;
            result.counts.set(countKey, (result.counts.get(countKey) ?? 0) + 1);
          }
          verdict.inScope += 1;
          if (verdict.examples.length < 5) verdict.examples.push(fact.ref);
          continue;
        }
        const countKey = `${rule.id}\u0000${fact.dataSourceId}\u0000${fact.workspace}`;
        result.counts.set(countKey, (result.counts.get(countKey) ?? 0) + 1);
        if (compiled.assert(subject, at)) continue;
        result.failures.push({
          ruleId: rule.id,
          assetRef: fact.ref,
          assetName: fact.qualifiedName || fact.name,
          assetType: fact.type,
          dataSourceId: fact.dataSourceId,
          workspace: fact.workspace,
          severity: rule.severity,
          owner: fact.owners[0] ?? ds?.owner ?? null,
          evidence: evidenceOf(rule, subject),
          slaDays: compiled.slaDays,
        });
      }
    }
    for (const [key, verdict] of dsVerdicts) {
      const [ruleId, sourceId] = key.split('\u0000') as [string, string];
      const compiled = rules.find(r => r.rule.id === ruleId)!;
      const ds = contexts.get(sourceId) ?? null;
      const ref = dataSourceRef(ds, sourceId);
      if (verdict.passed) {
        result.passedPairs.push({ ruleId, ref });
        continue;
      }
      const sample = facts.find(f => f.dataSourceId === sourceId);
      result.failures.push({
        ruleId,
        assetRef: ref,
        assetName: ds?.name ?? sourceId,
        assetType: 'datasource',
        dataSourceId: sourceId,
        workspace: ds?.workspace ?? sample?.workspace ?? 'default',
        severity: compiled.rule.severity,
        owner: ds?.owner ?? null,
        evidence: {
          rule: compiled.rule.name,
          dataSource: ds
            ? {
                id: ds.id,
                name: ds.name,
                environment: ds.environment,
                lastScannedAt: ds.lastScannedAt,
              }
            : { id: sourceId, known: false },
          assetsInScope: verdict.examples,
        },
        slaDays: compiled.slaDays,
      });
    }
    return result;
  }

  /** Creates a queued evaluation record (the run happens in {@link run}). */
  async request(input: {
    trigger: EvaluationTrigger;
    frameworkId?: string | null;
    requestedBy: string;
  }): Promise<Evaluation> {
    if (input.frameworkId) await this.deps.frameworks.get(input.frameworkId);
    return this.deps.store.createEvaluation({
      trigger: input.trigger,
      kind: 'full',
      frameworkId: input.frameworkId ?? null,
      requestedBy: input.requestedBy,
      now: this.now().toISOString(),
    });
  }

  /** Runs a full evaluation: every page of facts, the rules of its framework (or all). */
  async run(evaluationId: string): Promise<Evaluation> {
    const evaluation = await this.deps.store.getEvaluation(evaluationId);
    if (!evaluation) throw new Error(`Evaluation ${evaluationId} does not exist`);
    if (evaluation.status === 'succeeded') return evaluation;
    const started = this.now();
    const startedMs = Date.now();
    await this.deps.store.updateEvaluation(evaluationId, {
      status: 'running',
      startedAt: started.toISOString(),
    });
    this.resetContext();
    try {
      const rules = (await this.rulesFor(evaluation.frameworkId)).map(compile);
      const at = started.getTime();
      const stamp = started.toISOString();
      const counts = new Map<string, number>();
      let assets = 0;
      let opened = 0;
      let resolved = 0;
      let cursor: string | undefined;
      const dsFailures = new Map<string, FindingCandidate>();
      // Still-failing findings left untouched by this run (resolved unless confirmed here).
      const confirmed = new Set<number>();
      do {
        const page = await this.deps.facts.page({ limit: FACTS_PAGE_SIZE, cursor });
        const pass = await this.evaluateFacts(page.items, rules, at);
        assets += pass.assets;
        for (const [k, n] of pass.counts) counts.set(k, (counts.get(k) ?? 0) + n);
        // Data source verdicts are settled once every page is seen (one failure per source).
        const assetFailures: FindingCandidate[] = [];
        for (const f of pass.failures) {
          if (f.assetType === 'datasource') dsFailures.set(`${f.ruleId}\u0000${f.assetRef}`, f);
          else assetFailures.push(f);
        }
        if (assetFailures.length > 0) {
          const applied = await this.deps.store.applyResults({
            skipUnchangedWrites: true,
            evaluationId,
            now: stamp,
            failures: assetFailures,
          });
          opened += applied.opened;
          for (const id of applied.confirmedIds) confirmed.add(id);
          await this.announce(applied.openedFindings);
        }
        cursor = page.nextCursor;
      } while (cursor);
      if (dsFailures.size > 0) {
        // Counting a data source once per rule, whatever the pages.
        const applied = await this.deps.store.applyResults({
          evaluationId,
          now: stamp,
          failures: [...dsFailures.values()],
        });
        opened += applied.opened;
        await this.announce(applied.openedFindings);
      }
      resolved += await this.deps.store.resolveUnconfirmed(
        rules.map(r => r.rule.id),
        evaluationId,
        stamp,
        confirmed,
      );
      await this.deps.store.replaceScopeCounts(
        rules.map(r => r.rule.id),
        [...mergeDataSourceCounts(counts, rules)].map(([key, inScope]) => {
          const [ruleId, dataSourceId, workspace] = key.split('\u0000') as [string, string, string];
          return { ruleId, dataSourceId, workspace, inScope };
        }),
      );
      const ended = this.now();
      await this.deps.store.updateEvaluation(evaluationId, {
        status: 'succeeded',
        assetsEvaluated: assets,
        rulesEvaluated: rules.length,
        findingsOpened: opened,
        findingsResolved: resolved,
        endedAt: ended.toISOString(),
        durationMs: Date.now() - startedMs,
      });
    } catch (error) {
      await this.deps.store.updateEvaluation(evaluationId, {
        status: 'failed',
        error: String((error as Error)?.message ?? error).slice(0, 2000),
        endedAt: this.now().toISOString(),
        durationMs: Date.now() - startedMs,
      });
      this.deps.logger.warn(`Compliance evaluation ${evaluationId} failed: ${String(error)}`);
    }
    return (await this.deps.store.getEvaluation(evaluationId))!;
  }

  /**
   * Incremental evaluation of changed assets: only their facts are read and only their
   * findings (and the data source findings they decide) change.
   */
  async evaluateRefs(
    refs: string[],
  ): Promise<{ assetsEvaluated: number; opened: number; resolved: number }> {
    const unique = [...new Set(refs)];
    const rules = (await this.rulesFor()).map(compile);
    const now = this.now();
    const stamp = now.toISOString();
    const evaluationId = `incremental:${stamp}`;
    let assets = 0;
    let opened = 0;
    let resolved = 0;
    for (let i = 0; i < unique.length; i += INCREMENTAL_CHUNK) {
      const part = unique.slice(i, i + INCREMENTAL_CHUNK);
      const page = await this.deps.facts.page({ limit: part.length, refs: part });
      const pass = await this.evaluateFacts(page.items, rules, now.getTime());
      assets += pass.assets;
      const applied = await this.deps.store.applyResults({
        evaluationId,
        now: stamp,
        failures: pass.failures,
        passedScope: {
          ruleIds: rules.filter(r => r.rule.subject === 'asset').map(r => r.rule.id),
          refs: pass.assetRefs,
        },
        passedPairs: pass.passedPairs,
      });
      opened += applied.opened;
      await this.announce(applied.openedFindings);
      resolved += applied.resolved;
      // Assets gone from the catalog (or deleted there) have nothing left to fix.
      const active = new Set(pass.assetRefs);
      const gone = part.filter(ref => !active.has(ref));
      resolved += await this.deps.store.resolveForRefs(gone, stamp, 'The asset left the catalog');
    }
    return { assetsEvaluated: assets, opened, resolved };
  }

  /** The "test against the catalog" preview of a rule: nothing is written. */
  async test(
    rule: ComplianceRule,
    options: { maxAssets: number; sampleSize: number },
  ): Promise<RuleTestResult> {
    this.resetContext();
    const compiled = compile(rule);
    const at = this.now().getTime();
    const result: RuleTestResult = {
      assetsEvaluated: 0,
      inScope: 0,
      failing: 0,
      truncated: false,
      samples: [],
    };
    const grants = await this.grants();
    let cursor: string | undefined;
    do {
      const limit = Math.min(FACTS_PAGE_SIZE, options.maxAssets - result.assetsEvaluated);
      const page = await this.deps.facts.page({ limit, cursor });
      for (const fact of page.items) {
        if (fact.status !== 'active') continue;
        result.assetsEvaluated += 1;
        const ds = await this.dataSource(fact.dataSourceId);
        const subject = buildSubject(
          fact,
          normalizeLabels(fact),
          compiled.statuses,
          ds,
          grantsCovering(grants, fact),
        );
        if (!compiled.scope(subject, at)) continue;
        result.inScope += 1;
        const passed = compiled.assert(subject, at);
        if (!passed) result.failing += 1;
        // Failures first in the samples; passes fill what is left.
        if (
          result.samples.length < options.sampleSize ||
          (!passed && result.samples.some(s => s.passed))
        ) {
          if (result.samples.length >= options.sampleSize) {
            result.samples.splice(
              result.samples.findIndex(s => s.passed),
              1,
            );
          }
          result.samples.push({
            assetRef: fact.ref,
            name: fact.qualifiedName || fact.name,
            passed,
            evidence: evidenceOf(rule, subject),
          });
        }
      }
      cursor = page.nextCursor;
      if (cursor && result.assetsEvaluated >= options.maxAssets) {
        result.truncated = true;
        break;
      }
    } while (cursor);
    return result;
  }
}

/** Data source rules count one per source: collapse their per-asset counts to 1. */
function mergeDataSourceCounts(
  counts: Map<string, number>,
  rules: CompiledRule[],
): Map<string, number> {
  const dsRules = new Set(rules.filter(r => r.rule.subject === 'dataSource').map(r => r.rule.id));
  const out = new Map<string, number>();
  for (const [key, n] of counts) {
    const ruleId = key.split('\u0000')[0]!;
    out.set(key, dsRules.has(ruleId) ? 1 : n);
  }
  return out;
}

/** What an auditor needs to see why an asset failed: the facts the rule looked at. */
function evidenceOf(rule: ComplianceRule, subject: EvaluationSubject): Record<string, unknown> {
  const ds = subject.dataSource as Partial<DataSourceContext>;
  return {
    rule: rule.name,
    asset: {
      ref: subject.asset.ref,
      type: subject.asset.type,
      owners: subject.asset.owners,
      tags: subject.asset.tags,
      sensitivity: subject.asset.sensitivity,
    },
    labels: subject.labels.map(l => ({
      classifierId: l.classifierId,
      status: l.status,
      categories: l.categories,
    })),
    dataSource: ds.id
      ? {
          id: ds.id,
          name: ds.name,
          environment: ds.environment,
          tags: ds.tags,
          lastScannedAt: ds.lastScannedAt,
        }
      : null,
    grants: subject.grants
      .filter(g => g.role || g.permission)
      .slice(0, 10)
      .map(g => ({
        subject: g.subject,
        role: g.role,
        permission: g.permission,
        workspace: g.workspace,
        resource: g.resource,
        effect: g.effect,
      })),
  };
}
