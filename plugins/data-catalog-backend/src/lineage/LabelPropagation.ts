import crypto from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { PropagatedLabel } from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';
import { ASSETS_TABLE, LABELS_TABLE } from '../database/migrations';
import type { LineageStore } from './LineageStore';

/** Labels people confirmed are the ones that flow; scans' suggestions do not. */
export const PROPAGATING_STATUSES = ['approved', 'manual'];

const REFS_PER_STATEMENT = 500;
const ROWS_PER_STATEMENT = 300;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface Provenance {
  sourceRef: string;
  path: string[];
}

interface Wanted extends Provenance {
  assetRef: string;
  classifierId: string;
  confidence: number;
  /** The source label's sensitivity and categories travel with it (ABAC, compliance). */
  sensitivity: string | null;
  categories: string;
}

export interface PropagationResult {
  added: number;
  updated: number;
  removed: number;
  /** Assets whose propagated labels changed (their sensitivity follows). */
  refs: string[];
}

/**
 * Label propagation along column-level lineage: an approved or manual label on a column
 * flows to every column derived from it (downstream, through edges not blocked) as a
 * `propagated` label carrying its provenance (the path of refs). A column keeps its own
 * labels: one that already has a label of the classifier gets no propagated one, and a
 * rejected label stops the flow there. Each evaluation recomputes the whole set, so it is
 * idempotent and converges whatever changed (lineage, blocks or labels).
 */
export class LabelPropagation {
  /** The evaluation under way (or last finished), and the one waiting to start after it. */
  private tail: Promise<unknown> = Promise.resolve();
  private queued: Promise<PropagationResult> | null = null;

  constructor(
    private readonly deps: {
      knex: Knex;
      store: LineageStore;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  /**
   * Re-evaluates after the evaluation under way, if any; calls arriving while one waits to
   * start share it (it starts later, so it sees everything they changed).
   */
  reevaluate(): Promise<PropagationResult> {
    if (this.queued) return this.queued;
    const run = this.tail
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.evaluate();
      });
    this.queued = run;
    this.tail = run;
    return run;
  }

  private async labelsOf(refs: string[]) {
    const out: {
      asset_ref: string;
      classifier_id: string;
      status: string;
      confidence: number;
      sensitivity: string | null;
      categories: string | null;
    }[] = [];
    for (const part of chunks(refs, REFS_PER_STATEMENT)) {
      const rows: typeof out = await this.deps
        .knex(LABELS_TABLE)
        .select('asset_ref', 'classifier_id', 'status', 'confidence', 'sensitivity', 'categories')
        .whereIn('asset_ref', part);
      out.push(...rows);
    }
    return out;
  }

  private async evaluate(): Promise<PropagationResult> {
    const { knex } = this.deps;
    const now = (this.deps.now?.() ?? new Date()).toISOString();
    const edges = await this.deps.store.propagationEdges();
    const next = new Map<string, string[]>();
    for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
    const columns = [...new Set(edges.flatMap(e => [e.from, e.to]))];

    // Every label of every column on a lineage edge: sources, and what blocks or stops the flow.
    const own = new Map<string, string>();
    const sources: {
      ref: string;
      classifierId: string;
      confidence: number;
      sensitivity: string | null;
      categories: string;
    }[] = [];
    for (const label of await this.labelsOf(columns)) {
      if (label.status === 'propagated') continue;
      own.set(`${label.asset_ref}\u0000${label.classifier_id}`, label.status);
      if (PROPAGATING_STATUSES.includes(label.status) && next.has(label.asset_ref)) {
        sources.push({
          ref: label.asset_ref,
          classifierId: label.classifier_id,
          confidence: Number(label.confidence),
          sensitivity: label.sensitivity ?? null,
          categories: label.categories ?? '[]',
        });
      }
    }
    sources.sort((a, b) =>
      a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : a.classifierId < b.classifierId ? -1 : 1,
    );

    const wanted = new Map<string, Wanted>();
    for (const source of sources) {
      // Breadth first: the shortest path wins, so provenance is the most direct derivation.
      const previous = new Map<string, string>([[source.ref, '']]);
      const queue = [source.ref];
      while (queue.length > 0) {
        const current = queue.shift()!;
        for (const to of next.get(current) ?? []) {
          if (previous.has(to)) continue;
          const status = own.get(`${to}\u0000${source.classifierId}`);
          if (status === 'rejected') continue;
          previous.set(to, current);
          queue.push(to);
          if (status) continue;
          const path = [to];
          for (let at = current; at; at = previous.get(at)!) path.unshift(at);
          const key = `${to}\u0000${source.classifierId}`;
          const before = wanted.get(key);
          if (
            !before ||
            path.length < before.path.length ||
            (path.length === before.path.length && source.confidence > before.confidence)
          ) {
            wanted.set(key, {
              assetRef: to,
              classifierId: source.classifierId,
              confidence: source.confidence,
              sensitivity: source.sensitivity,
              categories: source.categories,
              sourceRef: source.ref,
              path,
            });
          }
        }
      }
    }

    // Only assets the catalog holds carry labels.
    const dataSources = new Map<string, string>();
    const targets = [...new Set([...wanted.values()].map(w => w.assetRef))];
    for (const part of chunks(targets, REFS_PER_STATEMENT)) {
      const rows: { ref: string; data_source_id: string }[] = await knex(ASSETS_TABLE)
        .select('ref', 'data_source_id')
        .whereIn('ref', part);
      for (const row of rows) dataSources.set(row.ref, row.data_source_id);
    }
    for (const [key, w] of wanted) if (!dataSources.has(w.assetRef)) wanted.delete(key);

    return knex.transaction(async trx => {
      const current: {
        id: string;
        asset_ref: string;
        classifier_id: string;
        confidence: number | string;
        propagated_from: string | null;
        sensitivity: string | null;
        categories: string | null;
      }[] = await trx(LABELS_TABLE)
        .select(
          'id',
          'asset_ref',
          'classifier_id',
          'confidence',
          'propagated_from',
          'sensitivity',
          'categories',
        )
        .where('status', 'propagated');
      const stale: string[] = [];
      const unchanged = new Set<string>();
      let updated = 0;
      const changedRefs = new Set<string>();
      for (const row of current) {
        const key = `${row.asset_ref}\u0000${row.classifier_id}`;
        const w = wanted.get(key);
        if (!w) {
          stale.push(row.id);
          changedRefs.add(row.asset_ref);
        } else if (
          Number(row.confidence) === w.confidence &&
          (row.sensitivity ?? null) === w.sensitivity &&
          (row.categories ?? '[]') === w.categories &&
          row.propagated_from === JSON.stringify({ sourceRef: w.sourceRef, path: w.path })
        ) {
          unchanged.add(key);
        } else updated += 1;
      }
      for (const part of chunks(stale, REFS_PER_STATEMENT)) {
        await trx(LABELS_TABLE).delete().whereIn('id', part).andWhere('status', 'propagated');
      }
      const rows = [...wanted.entries()]
        .filter(([key]) => !unchanged.has(key))
        .map(([, w]) => ({
          id: crypto.randomUUID(),
          asset_ref: w.assetRef,
          data_source_id: dataSources.get(w.assetRef)!,
          classifier_id: w.classifierId,
          confidence: w.confidence,
          sensitivity: w.sensitivity,
          categories: w.categories,
          status: 'propagated',
          evidence: JSON.stringify({
            signals: [
              {
                kind: 'lineage',
                description: `Propagated along ${w.path.length - 1} lineage edge(s) from ${w.sourceRef}`,
              },
            ],
            maskedExamples: [],
          }),
          propagated_from: JSON.stringify({ sourceRef: w.sourceRef, path: w.path }),
          run_id: null,
          created_at: now,
          updated_at: now,
        }));
      for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
        // A label someone (or a scan) set in the meantime wins over the propagated one.
        await trx(LABELS_TABLE)
          .insert(part)
          .onConflict(['asset_ref', 'classifier_id'])
          .merge([
            'confidence',
            'sensitivity',
            'categories',
            'evidence',
            'propagated_from',
            'updated_at',
          ])
          .where(`${LABELS_TABLE}.status`, 'propagated');
      }
      for (const row of rows) changedRefs.add(row.asset_ref);
      const result = {
        added: rows.length - updated,
        updated,
        removed: stale.length,
        refs: [...changedRefs].sort(),
      };
      if (result.added + result.updated + result.removed > 0) {
        this.deps.logger.info(
          `Label propagation: ${result.added} added, ${result.updated} updated, ${result.removed} removed`,
        );
      }
      return result;
    });
  }

  /** Propagated labels of an asset (or of a table's columns), with their provenance. */
  async propagatedLabels(refs: string[]): Promise<PropagatedLabel[]> {
    const out: PropagatedLabel[] = [];
    for (const part of chunks(refs, REFS_PER_STATEMENT)) {
      const rows: {
        asset_ref: string;
        classifier_id: string;
        confidence: number | string;
        propagated_from: string | null;
        updated_at: string;
      }[] = await this.deps
        .knex(LABELS_TABLE)
        .select('asset_ref', 'classifier_id', 'confidence', 'propagated_from', 'updated_at')
        .whereIn('asset_ref', part)
        .andWhere('status', 'propagated')
        .orderBy(['asset_ref', 'classifier_id']);
      for (const row of rows) {
        let provenance: Provenance = { sourceRef: '', path: [] };
        try {
          provenance = JSON.parse(row.propagated_from ?? '') as Provenance;
        } catch {
          // keep the empty provenance
        }
        out.push({
          assetRef: row.asset_ref,
          classifierId: row.classifier_id,
          confidence: Number(row.confidence),
          sourceRef: provenance.sourceRef,
          path: provenance.path,
          updatedAt: row.updated_at,
        });
      }
    }
    return out;
  }
}
