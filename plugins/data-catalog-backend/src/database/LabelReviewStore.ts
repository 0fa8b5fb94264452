import crypto from 'node:crypto';
import { InputError } from '@backstage/errors';
import type { LabelEvidence, LabelStatus } from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';
import { materialChange } from '../services/labelMateriality';
import { ASSETS_TABLE, LABEL_HISTORY_TABLE, LABELS_TABLE } from './migrations';

/**
 * Review of classification labels, for the classifications plugin (its service-only routes):
 * the queue, decisions with their history, automatic approval, counts per classifier, and the
 * re-suggestion of rejected labels whose evidence changed materially at ingestion.
 */

/** The last decision taken on a label. */
export type LabelDecision =
  'approved' | 'auto_approved' | 'rejected' | 'relabelled' | 'added' | 'resuggested';
export type LabelEvent = LabelDecision;

export interface ReviewLabel {
  id: string;
  assetRef: string;
  assetType: string;
  assetName: string;
  qualifiedName: string;
  dataType: string | null;
  dataSourceId: string;
  workspace: string;
  classifierId: string;
  confidence: number;
  status: LabelStatus;
  evidence: LabelEvidence;
  runId: string | null;
  decision: LabelDecision | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LabelHistoryEntry {
  id: string;
  assetRef: string;
  classifierId: string;
  event: LabelEvent;
  fromStatus: LabelStatus | null;
  toStatus: LabelStatus;
  confidence: number | null;
  actor: string;
  reason: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

export interface ReviewQueueFilter {
  status: LabelStatus | 'all';
  classifierId?: string;
  dataSourceId?: string;
  minConfidence?: number;
  maxConfidence?: number;
  /** Case-insensitive substring of the asset's qualified name. */
  query?: string;
  limit: number;
  cursor?: string;
}

export type ReviewDecision =
  | {
      action: 'approve' | 'reject' | 'add';
      assetRef: string;
      classifierId: string;
      reason?: string;
    }
  | {
      action: 'relabel';
      assetRef: string;
      classifierId: string;
      newClassifierId: string;
      reason?: string;
    };

export interface ReviewDecisionResult {
  assetRef: string;
  classifierId: string;
  action: ReviewDecision['action'];
  ok: boolean;
  status?: LabelStatus;
  newClassifierId?: string;
  error?: string;
  label?: ReviewLabel;
}

export interface ClassifierLabelCounts {
  classifierId: string;
  suggested: number;
  approved: number;
  autoApproved: number;
  rejected: number;
  manual: number;
}

export interface LabelReviewStore {
  queue(filter: ReviewQueueFilter): Promise<{ items: ReviewLabel[]; nextCursor: string | null }>;
  /** Undefined when the asset does not exist. */
  assetLabels(
    assetRef: string,
  ): Promise<{ labels: ReviewLabel[]; history: LabelHistoryEntry[] } | undefined>;
  decide(actor: string, decisions: ReviewDecision[]): Promise<ReviewDecisionResult[]>;
  autoApprove(input: {
    refs?: string[];
    minConfidence: number;
    actor: string;
  }): Promise<ReviewLabel[]>;
  stats(): Promise<ClassifierLabelCounts[]>;
}

type LabelRow = {
  id: string;
  asset_ref: string;
  data_source_id: string;
  classifier_id: string;
  confidence: number | string;
  status: string;
  evidence: string;
  run_id: string | null;
  decision: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  created_at: string;
  updated_at: string;
};

type JoinedRow = LabelRow & {
  asset_type: string;
  asset_name: string;
  qualified_name: string;
  technical: string;
  workspace: string;
};

type HistoryRow = {
  id: string;
  asset_ref: string;
  classifier_id: string;
  event: string;
  from_status: string | null;
  to_status: string;
  confidence: number | string | null;
  actor: string;
  reason: string | null;
  details: string | null;
  created_at: string;
};

const REFS_PER_STATEMENT = 500;

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toReviewLabel(row: JoinedRow): ReviewLabel {
  const technical = parseJson<{ dataType?: unknown; kind?: unknown }>(row.technical, {});
  return {
    id: row.id,
    assetRef: row.asset_ref,
    assetType: row.asset_type,
    assetName: row.asset_name,
    qualifiedName: row.qualified_name,
    dataType: typeof technical.dataType === 'string' ? technical.dataType : null,
    dataSourceId: row.data_source_id,
    workspace: row.workspace,
    classifierId: row.classifier_id,
    confidence: Number(row.confidence),
    status: row.status as LabelStatus,
    evidence: parseJson<LabelEvidence>(row.evidence, { signals: [], maskedExamples: [] }),
    runId: row.run_id,
    decision: row.decision as LabelDecision | null,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at,
    reason: row.decision_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toHistory(row: HistoryRow): LabelHistoryEntry {
  return {
    id: row.id,
    assetRef: row.asset_ref,
    classifierId: row.classifier_id,
    event: row.event as LabelEvent,
    fromStatus: row.from_status as LabelStatus | null,
    toStatus: row.to_status as LabelStatus,
    confidence: row.confidence === null ? null : Number(row.confidence),
    actor: row.actor,
    reason: row.reason,
    details: parseJson<Record<string, unknown> | null>(row.details, null),
    createdAt: row.created_at,
  };
}

function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/** Keyset cursor over (confidence desc, id asc). */
function encodeCursor(confidence: number, id: string): string {
  return Buffer.from(JSON.stringify([confidence, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string')
      return [value[0], value[1]];
  } catch {
    // fall through
  }
  throw new InputError('Invalid query: cursor: not a cursor returned by this API');
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What a scan's ingest hands the re-suggestion check: a column and its incoming labels. */
export interface IngestedColumnLabels {
  ref: string;
  labels: { classifierId: string; confidence: number; evidence: LabelEvidence }[];
}

/**
 * Inside an ingestion transaction: a rejected label whose incoming evidence differs
 * materially from the evidence people judged becomes `suggested` again (with the new
 * evidence), and the history says why. Identical or similar evidence leaves it rejected.
 */
export async function resuggestMaterialChanges(
  trx: Knex.Transaction,
  columns: IngestedColumnLabels[],
  runId: string,
  now: string,
): Promise<string[]> {
  const incoming = new Map<string, IngestedColumnLabels['labels'][number]>();
  for (const column of columns)
    for (const label of column.labels)
      incoming.set(`${column.ref}\u0000${label.classifierId}`, label);
  if (incoming.size === 0) return [];
  const resuggested: string[] = [];
  for (const part of chunks(
    columns.map(c => c.ref),
    REFS_PER_STATEMENT,
  )) {
    const rejected: LabelRow[] = await trx(LABELS_TABLE)
      .select('*')
      .whereIn('asset_ref', part)
      .andWhere('status', 'rejected');
    for (const row of rejected) {
      const next = incoming.get(`${row.asset_ref}\u0000${row.classifier_id}`);
      if (!next) continue;
      const judged = {
        confidence: Number(row.confidence),
        evidence: parseJson<LabelEvidence>(row.evidence, { signals: [], maskedExamples: [] }),
      };
      const why = materialChange(judged, next);
      if (!why) continue;
      await trx(LABELS_TABLE)
        .where({ id: row.id, status: 'rejected' })
        .update({
          status: 'suggested',
          confidence: next.confidence,
          evidence: JSON.stringify(next.evidence),
          run_id: runId,
          decision: 'resuggested',
          decided_by: null,
          decided_at: now,
          decision_reason: why,
          updated_at: now,
        });
      await trx(LABEL_HISTORY_TABLE).insert({
        id: crypto.randomUUID(),
        asset_ref: row.asset_ref,
        classifier_id: row.classifier_id,
        event: 'resuggested',
        from_status: 'rejected',
        to_status: 'suggested',
        confidence: next.confidence,
        actor: 'plugin:scans',
        reason: why,
        details: JSON.stringify({
          runId,
          before: { confidence: judged.confidence, matchRatio: judged.evidence.matchRatio ?? null },
          after: { confidence: next.confidence, matchRatio: next.evidence.matchRatio ?? null },
        }),
        created_at: now,
      });
      resuggested.push(row.asset_ref);
    }
  }
  return resuggested;
}

export class KnexLabelReviewStore implements LabelReviewStore {
  constructor(private readonly knex: Knex) {}

  private joined(db: Knex | Knex.Transaction = this.knex) {
    return db(`${LABELS_TABLE} as l`)
      .join(`${ASSETS_TABLE} as a`, 'a.ref', 'l.asset_ref')
      .select(
        'l.*',
        'a.type as asset_type',
        'a.name as asset_name',
        'a.qualified_name as qualified_name',
        'a.technical as technical',
        'a.workspace as workspace',
      );
  }

  async queue(
    filter: ReviewQueueFilter,
  ): Promise<{ items: ReviewLabel[]; nextCursor: string | null }> {
    const query = this.joined().where('a.status', 'active');
    if (filter.status !== 'all') query.where('l.status', filter.status);
    if (filter.classifierId) query.where('l.classifier_id', filter.classifierId);
    if (filter.dataSourceId) query.where('l.data_source_id', filter.dataSourceId);
    if (filter.minConfidence !== undefined) query.where('l.confidence', '>=', filter.minConfidence);
    if (filter.maxConfidence !== undefined) query.where('l.confidence', '<=', filter.maxConfidence);
    if (filter.query)
      query.whereRaw(`a.qualified_name_lower like ? escape '\\'`, [
        likeContains(filter.query.toLowerCase()),
      ]);
    if (filter.cursor) {
      const [confidence, id] = decodeCursor(filter.cursor);
      query.where(q =>
        q
          .where('l.confidence', '<', confidence)
          .orWhere(inner => inner.where('l.confidence', confidence).andWhere('l.id', '>', id)),
      );
    }
    const rows: JoinedRow[] = await query
      .orderBy([
        { column: 'l.confidence', order: 'desc' },
        { column: 'l.id', order: 'asc' },
      ])
      .limit(filter.limit + 1);
    const more = rows.length > filter.limit;
    const items = (more ? rows.slice(0, filter.limit) : rows).map(toReviewLabel);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor(last.confidence, last.id) : null };
  }

  async assetLabels(
    assetRef: string,
  ): Promise<{ labels: ReviewLabel[]; history: LabelHistoryEntry[] } | undefined> {
    const asset = await this.knex(ASSETS_TABLE).where('ref', assetRef).first('ref');
    if (!asset) return undefined;
    const rows: JoinedRow[] = await this.joined()
      .where('l.asset_ref', assetRef)
      .orderBy([
        { column: 'l.confidence', order: 'desc' },
        { column: 'l.classifier_id', order: 'asc' },
      ]);
    const history: HistoryRow[] = await this.knex(LABEL_HISTORY_TABLE)
      .where('asset_ref', assetRef)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(500);
    return { labels: rows.map(toReviewLabel), history: history.map(toHistory) };
  }

  async decide(actor: string, decisions: ReviewDecision[]): Promise<ReviewDecisionResult[]> {
    const results: ReviewDecisionResult[] = [];
    // Each decision in its own transaction: one that fails leaves the others applied.
    for (const decision of decisions) {
      try {
        results.push(await this.knex.transaction(trx => this.apply(trx, actor, decision)));
      } catch (error) {
        if (error instanceof InputError) {
          results.push({
            assetRef: decision.assetRef,
            classifierId: decision.classifierId,
            action: decision.action,
            ok: false,
            error: error.message,
          });
        } else throw error;
      }
    }
    return results;
  }

  private async apply(
    trx: Knex.Transaction,
    actor: string,
    d: ReviewDecision,
  ): Promise<ReviewDecisionResult> {
    const now = new Date().toISOString();
    const reason = d.reason?.trim() || null;
    const base = { assetRef: d.assetRef, classifierId: d.classifierId, action: d.action };
    const fail = (error: string): ReviewDecisionResult => ({ ...base, ok: false, error });
    const asset = await trx(ASSETS_TABLE)
      .where('ref', d.assetRef)
      .first('ref', 'data_source_id', 'status');
    if (!asset) return fail('No such asset');
    const find = (classifierId: string): Promise<LabelRow | undefined> =>
      trx(LABELS_TABLE).where({ asset_ref: d.assetRef, classifier_id: classifierId }).first();
    const history = (
      row: { classifier_id: string; confidence: number | string | null },
      event: LabelEvent,
      from: string | null,
      to: LabelStatus,
      details?: Record<string, unknown>,
    ) =>
      trx(LABEL_HISTORY_TABLE).insert({
        id: crypto.randomUUID(),
        asset_ref: d.assetRef,
        classifier_id: row.classifier_id,
        event,
        from_status: from,
        to_status: to,
        confidence: row.confidence,
        actor,
        reason,
        details: details ? JSON.stringify(details) : null,
        created_at: now,
      });
    const set = (id: string, status: LabelStatus, decision: LabelDecision) =>
      trx(LABELS_TABLE).where({ id }).update({
        status,
        decision,
        decided_by: actor,
        decided_at: now,
        decision_reason: reason,
        updated_at: now,
      });
    const reload = async (classifierId: string) => {
      const row: JoinedRow | undefined = await this.joined(trx)
        .where({ 'l.asset_ref': d.assetRef, 'l.classifier_id': classifierId })
        .first();
      return row ? toReviewLabel(row) : undefined;
    };
    /** A person says `classifierId` is right: approve a suggestion, keep a confirmed label, or add one by hand. */
    const confirm = async (
      classifierId: string,
      event: LabelEvent,
      evidence: LabelEvidence,
      details?: Record<string, unknown>,
    ) => {
      const row = await find(classifierId);
      if (!row) {
        const inserted = {
          id: crypto.randomUUID(),
          asset_ref: d.assetRef,
          data_source_id: asset.data_source_id,
          classifier_id: classifierId,
          confidence: 1,
          status: 'manual',
          evidence: JSON.stringify(evidence),
          run_id: null,
          decision: 'added',
          decided_by: actor,
          decided_at: now,
          decision_reason: reason,
          created_at: now,
          updated_at: now,
        };
        await trx(LABELS_TABLE).insert(inserted);
        await history(inserted, event, null, 'manual', details);
        return 'manual' as const;
      }
      if (row.status === 'suggested') {
        await set(row.id, 'approved', 'approved');
        await history(row, 'approved', row.status, 'approved', details);
        return 'approved' as const;
      }
      if (row.status === 'rejected') {
        await set(row.id, 'manual', 'added');
        await history(row, event, row.status, 'manual', details);
        return 'manual' as const;
      }
      return row.status as LabelStatus;
    };

    switch (d.action) {
      case 'approve':
      case 'reject': {
        const row = await find(d.classifierId);
        if (!row) return fail(`No ${d.classifierId} label on this asset`);
        const to: LabelStatus = d.action === 'approve' ? 'approved' : 'rejected';
        if (row.status !== to && !(d.action === 'approve' && row.status === 'manual')) {
          await set(row.id, to, to);
          await history(row, to, row.status, to);
        }
        const label = await reload(d.classifierId);
        return { ...base, ok: true, status: label!.status, label };
      }
      case 'add': {
        if (asset.status !== 'active') return fail('The asset no longer exists in its data source');
        const status = await confirm(d.classifierId, 'added', {
          signals: [
            { kind: 'manual', description: `Added by ${actor}${reason ? `: ${reason}` : ''}` },
          ],
          maskedExamples: [],
        });
        const label = await reload(d.classifierId);
        return { ...base, ok: true, status, label };
      }
      case 'relabel': {
        const row = await find(d.classifierId);
        if (!row) return fail(`No ${d.classifierId} label on this asset`);
        const evidence = parseJson<LabelEvidence>(row.evidence, {
          signals: [],
          maskedExamples: [],
        });
        if (row.status !== 'rejected') {
          await trx(LABELS_TABLE).where({ id: row.id }).update({
            status: 'rejected',
            decision: 'relabelled',
            decided_by: actor,
            decided_at: now,
            decision_reason: reason,
            updated_at: now,
          });
        }
        await history(row, 'relabelled', row.status, 'rejected', { to: d.newClassifierId });
        await confirm(
          d.newClassifierId,
          'added',
          {
            signals: [
              {
                kind: 'manual',
                description: `Relabelled from ${d.classifierId} by ${actor}${reason ? `: ${reason}` : ''}`,
              },
              ...evidence.signals,
            ],
            maskedExamples: evidence.maskedExamples,
            ...(evidence.matchRatio === undefined ? {} : { matchRatio: evidence.matchRatio }),
            ...(evidence.sampleSize === undefined ? {} : { sampleSize: evidence.sampleSize }),
          },
          { from: d.classifierId },
        );
        const label = await reload(d.newClassifierId);
        return { ...base, ok: true, status: 'rejected', newClassifierId: d.newClassifierId, label };
      }
    }
  }

  async autoApprove(input: {
    refs?: string[];
    minConfidence: number;
    actor: string;
  }): Promise<ReviewLabel[]> {
    const now = new Date().toISOString();
    const reason = `confidence at or above ${input.minConfidence}`;
    const approved: ReviewLabel[] = [];
    const parts = input.refs ? chunks(input.refs, REFS_PER_STATEMENT) : [undefined];
    for (const part of parts) {
      await this.knex.transaction(async trx => {
        // Only labels no person decided on: a re-suggested label waits for a steward.
        const query = this.joined(trx)
          .where('l.status', 'suggested')
          .whereNull('l.decision')
          .andWhere('l.confidence', '>=', input.minConfidence);
        if (part) query.whereIn('l.asset_ref', part);
        const rows: JoinedRow[] = await query;
        for (const row of rows) {
          const updated = await trx(LABELS_TABLE)
            .where({ id: row.id, status: 'suggested' })
            .whereNull('decision')
            .update({
              status: 'approved',
              decision: 'auto_approved',
              decided_by: input.actor,
              decided_at: now,
              decision_reason: reason,
              updated_at: now,
            });
          if (updated === 0) continue;
          await trx(LABEL_HISTORY_TABLE).insert({
            id: crypto.randomUUID(),
            asset_ref: row.asset_ref,
            classifier_id: row.classifier_id,
            event: 'auto_approved',
            from_status: 'suggested',
            to_status: 'approved',
            confidence: row.confidence,
            actor: input.actor,
            reason,
            details: null,
            created_at: now,
          });
          approved.push(
            toReviewLabel({
              ...row,
              status: 'approved',
              decision: 'auto_approved',
              decided_by: input.actor,
              decided_at: now,
              decision_reason: reason,
              updated_at: now,
            }),
          );
        }
      });
    }
    return approved;
  }

  async stats(): Promise<ClassifierLabelCounts[]> {
    const rows = (await this.knex(LABELS_TABLE)
      .select('classifier_id', 'status', 'decision')
      .count({ count: '*' })
      .groupBy('classifier_id', 'status', 'decision')) as unknown as {
      classifier_id: string;
      status: string;
      decision: string | null;
      count: number | string;
    }[];
    const byId = new Map<string, ClassifierLabelCounts>();
    for (const row of rows) {
      const c = byId.get(row.classifier_id) ?? {
        classifierId: row.classifier_id,
        suggested: 0,
        approved: 0,
        autoApproved: 0,
        rejected: 0,
        manual: 0,
      };
      const n = Number(row.count);
      if (row.status === 'suggested') c.suggested += n;
      else if (row.status === 'approved') {
        if (row.decision === 'auto_approved') c.autoApproved += n;
        else c.approved += n;
      } else if (row.status === 'rejected') c.rejected += n;
      else if (row.status === 'manual') c.manual += n;
      byId.set(row.classifier_id, c);
    }
    return [...byId.values()].sort((a, b) => a.classifierId.localeCompare(b.classifierId));
  }
}
