import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import { eventTopics } from '@racine/kernel-common';
import type {
  AccuracyResponse,
  AssetLabelsResponse,
  ClassifierAccuracy,
  DecisionResult,
  LabelDecisionRequest,
  LabelStatus,
  ReviewLabel,
  ReviewQueueQuery,
  ReviewQueueResponse,
} from '@racine/plugin-classifications-common';
import type { CatalogDecisionResult, CatalogReview } from './CatalogReviewClient';

/** A decision's result, with the label after it (for the audit trail; not returned to callers). */
export type DecisionOutcome = DecisionResult & { label?: CatalogDecisionResult['label'] };

export interface DecisionsOutcome {
  results: DecisionOutcome[];
  applied: number;
  failed: number;
}

/** Names and kinds of every classifier a label may carry: built-ins and live custom rules. */
export interface ClassifierDirectory {
  describe(): Promise<Map<string, { name: string; kind: 'builtin' | 'custom' }>>;
}

/** One decision as `classification.applied` carries it. */
export interface AppliedClassification {
  assetRef: string;
  classifierId: string;
  action: LabelDecisionRequest['action'] | 'auto_approve';
  status: LabelStatus;
  newClassifierId?: string;
  reason?: string;
}

/** Payload of the `classification.applied` event. */
export interface ClassificationAppliedPayload {
  actor: string;
  decisions: AppliedClassification[];
}

function precision(approved: number, rejected: number): number | null {
  return approved + rejected === 0
    ? null
    : Math.round((approved / (approved + rejected)) * 1000) / 1000;
}

/**
 * Stewards' review of the labels scans suggest: the queue, decisions (approve, reject,
 * relabel, add a manual label) applied through the catalog, per-column history, automatic
 * approval above a confidence, and the precision figures stewards' decisions produce.
 */
export class ReviewService {
  constructor(
    private readonly deps: {
      catalog: CatalogReview;
      classifiers: ClassifierDirectory;
      events: EventsService;
      logger: LoggerService;
    },
  ) {}

  queue(query: ReviewQueueQuery): Promise<ReviewQueueResponse> {
    return this.deps.catalog.queue(query);
  }

  assetLabels(assetRef: string): Promise<AssetLabelsResponse> {
    return this.deps.catalog.assetLabels(assetRef);
  }

  /**
   * Applies each decision on its own (a failure does not stop the others) and answers in the
   * order given. Labels may only name known classifiers: built-ins or live custom rules.
   */
  async decide(decisions: LabelDecisionRequest[], actor: string): Promise<DecisionsOutcome> {
    const known = await this.deps.classifiers.describe();
    const results: (DecisionOutcome | undefined)[] = decisions.map(d => {
      const named =
        d.action === 'relabel'
          ? d.newClassifierId
          : d.action === 'add'
            ? d.classifierId
            : undefined;
      if (named !== undefined && !known.has(named)) {
        return {
          assetRef: d.assetRef,
          classifierId: d.classifierId,
          action: d.action,
          ok: false,
          error: `Unknown classifier '${named}'`,
        };
      }
      if (d.action === 'relabel' && d.newClassifierId === d.classifierId) {
        return {
          assetRef: d.assetRef,
          classifierId: d.classifierId,
          action: d.action,
          ok: false,
          error: 'Relabel to the same classifier',
        };
      }
      return undefined;
    });
    const pending = decisions.filter((_, i) => results[i] === undefined);
    const applied = pending.length > 0 ? await this.deps.catalog.decide(actor, pending) : [];
    let next = 0;
    const merged: DecisionOutcome[] = results.map(r => r ?? applied[next++]!);
    const published: AppliedClassification[] = [];
    merged.forEach((r, i) => {
      if (!r.ok || !r.status) return;
      const reason = decisions[i]!.reason;
      published.push({
        assetRef: r.assetRef,
        classifierId: r.classifierId,
        action: r.action,
        status: r.status,
        ...(r.newClassifierId ? { newClassifierId: r.newClassifierId } : {}),
        ...(reason ? { reason } : {}),
      });
    });
    if (published.length > 0) await this.publish({ actor, decisions: published });
    return { results: merged, applied: published.length, failed: merged.length - published.length };
  }

  /** Approves the suggested labels of `refs` at or above `minConfidence` that no person decided on. */
  async autoApprove(
    refs: string[] | undefined,
    minConfidence: number,
    actor: string,
  ): Promise<ReviewLabel[]> {
    const approved = await this.deps.catalog.autoApprove({ refs, minConfidence });
    if (approved.length > 0) {
      await this.publish({
        actor,
        decisions: approved.map(l => ({
          assetRef: l.assetRef,
          classifierId: l.classifierId,
          action: 'auto_approve',
          status: 'approved',
        })),
      });
    }
    return approved;
  }

  async accuracy(): Promise<AccuracyResponse> {
    const [counts, known] = await Promise.all([
      this.deps.catalog.stats(),
      this.deps.classifiers.describe(),
    ]);
    const items: ClassifierAccuracy[] = counts
      .map(c => {
        const info = known.get(c.classifierId);
        return {
          ...c,
          name: info?.name ?? c.classifierId,
          kind: info?.kind ?? ('unknown' as const),
          precision: precision(c.approved, c.rejected),
        };
      })
      .sort(
        (a, b) =>
          b.approved + b.rejected - (a.approved + a.rejected) ||
          a.classifierId.localeCompare(b.classifierId),
      );
    const approved = items.reduce((n, i) => n + i.approved, 0);
    const rejected = items.reduce((n, i) => n + i.rejected, 0);
    return { items, overall: { approved, rejected, precision: precision(approved, rejected) } };
  }

  private async publish(payload: ClassificationAppliedPayload): Promise<void> {
    try {
      await this.deps.events.publish({
        topic: eventTopics.classificationApplied,
        eventPayload: payload,
      });
    } catch (error) {
      // The decisions are stored; a subscriber that misses the event catches up from the catalog.
      this.deps.logger.warn(
        `Could not publish ${eventTopics.classificationApplied}: ${String(error)}`,
      );
    }
  }
}
