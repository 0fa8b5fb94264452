import type { FrameworkScores, ScoreEntry, ScorePoint } from '@racine/plugin-compliance-common';
import type { ComplianceStore } from '../database/ComplianceStore';
import type { FrameworkCatalog } from './FrameworkCatalog';

const ratio = (inScope: number, failing: number): number | null =>
  inScope === 0 ? null : Math.max(0, (inScope - Math.min(failing, inScope)) / inScope);

type Kind = 'framework' | 'requirement' | 'dataSource' | 'workspace';

interface Counts {
  scope: Awaited<ReturnType<ComplianceStore['scopeCounts']>>;
  failing: Awaited<ReturnType<ComplianceStore['failingCounts']>>;
}

/**
 * Scores: the share of in-scope checks that pass (waived findings count as passing, they are
 * accepted risk) per framework, requirement, data source and workspace. Denominators come
 * from the last full evaluation, numerators from the live findings. Snapshots are kept so
 * trends can be drawn.
 */
export class ScoreService {
  constructor(
    private readonly store: ComplianceStore,
    private readonly frameworks: FrameworkCatalog,
  ) {}

  /** The counts scores are computed from; load once to score several frameworks. */
  async counts(): Promise<Counts> {
    const [scope, failing] = await Promise.all([
      this.store.scopeCounts(),
      this.store.failingCounts(),
    ]);
    return { scope, failing };
  }

  async scores(frameworkId: string, counts?: Counts): Promise<FrameworkScores> {
    const framework = await this.frameworks.get(frameworkId);
    const { scope, failing } = counts ?? (await this.counts());
    const ruleIds = new Set(framework.requirements.flatMap(r => r.ruleIds));
    const ruleScope = new Map<string, number>();
    const ruleFailing = new Map<string, number>();
    const byDs = new Map<string, { inScope: number; failing: number }>();
    const byWs = new Map<string, { inScope: number; failing: number }>();
    const bump = (
      map: Map<string, { inScope: number; failing: number }>,
      key: string,
      inScope: number,
      fail: number,
    ) => {
      const entry = map.get(key) ?? { inScope: 0, failing: 0 };
      entry.inScope += inScope;
      entry.failing += fail;
      map.set(key, entry);
    };
    for (const c of scope) {
      if (!ruleIds.has(c.ruleId)) continue;
      ruleScope.set(c.ruleId, (ruleScope.get(c.ruleId) ?? 0) + c.inScope);
      bump(byDs, c.dataSourceId, c.inScope, 0);
      bump(byWs, c.workspace, c.inScope, 0);
    }
    for (const f of failing) {
      if (!ruleIds.has(f.ruleId)) continue;
      ruleFailing.set(f.ruleId, (ruleFailing.get(f.ruleId) ?? 0) + f.failing);
      bump(byDs, f.dataSourceId, 0, f.failing);
      bump(byWs, f.workspace, 0, f.failing);
    }
    let totalScope = 0;
    let totalFailing = 0;
    const requirements = framework.requirements.map(r => {
      let inScope = 0;
      let fail = 0;
      for (const id of r.ruleIds) {
        const s = ruleScope.get(id) ?? 0;
        inScope += s;
        fail += Math.min(ruleFailing.get(id) ?? 0, s);
      }
      totalScope += inScope;
      totalFailing += fail;
      return {
        id: r.id,
        name: r.title,
        reference: r.reference,
        ruleIds: r.ruleIds,
        inScope,
        failing: fail,
        score: ratio(inScope, fail),
      };
    });
    const entries = (map: Map<string, { inScope: number; failing: number }>): ScoreEntry[] =>
      [...map]
        .map(([id, v]) => ({
          id,
          name: id,
          inScope: v.inScope,
          failing: Math.min(v.failing, v.inScope),
          score: ratio(v.inScope, v.failing),
        }))
        .sort((a, b) => (a.score ?? 1) - (b.score ?? 1) || a.id.localeCompare(b.id));
    return {
      frameworkId,
      score: ratio(totalScope, totalFailing),
      inScope: totalScope,
      failing: totalFailing,
      requirements,
      dataSources: entries(byDs),
      workspaces: entries(byWs),
    };
  }

  /** Records the current scores of every framework (after evaluations, and on a schedule). */
  async snapshot(now: string): Promise<void> {
    const rows: Array<{
      frameworkId: string;
      kind: Kind;
      id: string;
      score: number | null;
      inScope: number;
      failing: number;
    }> = [];
    const counts = await this.counts();
    for (const framework of await this.frameworks.list()) {
      const s = await this.scores(framework.id, counts);
      rows.push({
        frameworkId: framework.id,
        kind: 'framework',
        id: framework.id,
        score: s.score,
        inScope: s.inScope,
        failing: s.failing,
      });
      for (const r of s.requirements)
        rows.push({
          frameworkId: framework.id,
          kind: 'requirement',
          id: r.id,
          score: r.score,
          inScope: r.inScope,
          failing: r.failing,
        });
      for (const d of s.dataSources)
        rows.push({
          frameworkId: framework.id,
          kind: 'dataSource',
          id: d.id,
          score: d.score,
          inScope: d.inScope,
          failing: d.failing,
        });
      for (const w of s.workspaces)
        rows.push({
          frameworkId: framework.id,
          kind: 'workspace',
          id: w.id,
          score: w.score,
          inScope: w.inScope,
          failing: w.failing,
        });
    }
    await this.store.addScoreSnapshots(rows, now);
  }

  async history(options: {
    frameworkId: string;
    kind: Kind;
    id?: string;
    since?: string;
    limit: number;
  }): Promise<ScorePoint[]> {
    await this.frameworks.get(options.frameworkId);
    return this.store.scoreHistory({
      frameworkId: options.frameworkId,
      kind: options.kind,
      id: options.id ?? options.frameworkId,
      since: options.since,
      limit: options.limit,
    });
  }
}
