import crypto from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ComplianceRule,
  Evaluation,
  EvaluationTrigger,
  Finding,
  FindingEvent,
  FindingStatus,
  Framework,
  FrameworkInput,
  ListFindingsQuery,
  RuleInput,
  ScorePoint,
  Severity,
  Waiver,
  WaiverStatus,
  ComplianceNotification,
} from '@racine/plugin-compliance-common';
import type { Knex } from 'knex';
import {
  EVALUATIONS_TABLE,
  FINDING_EVENTS_TABLE,
  FINDINGS_TABLE,
  FRAMEWORKS_TABLE,
  NOTIFICATIONS_TABLE,
  RULES_TABLE,
  SCOPE_COUNTS_TABLE,
  SCORES_TABLE,
  WAIVERS_TABLE,
} from './migrations';

type Row = Record<string, unknown>;

const CHUNK = 400;
const SYSTEM_ACTOR = 'plugin:compliance';

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** A failure found by an evaluation, to open or confirm as a finding. */
export interface FindingCandidate {
  ruleId: string;
  assetRef: string;
  assetName: string;
  assetType: string;
  dataSourceId: string;
  workspace: string;
  severity: Severity;
  owner: string | null;
  evidence: Record<string, unknown>;
  slaDays: number;
}

/** A finding an evaluation opened or re-opened: its owner is told (in-app) and it is announced. */
export interface OpenedFinding {
  id: string;
  ruleId: string;
  assetRef: string;
  assetName: string;
  workspace: string;
  severity: Severity;
  owner: string | null;
  dueAt: string;
}

export interface ApplyResultsInput {
  evaluationId: string;
  now: string;
  failures: FindingCandidate[];
  /** Incremental: findings of these rules on these refs that did not fail now are resolved. */
  passedScope?: { ruleIds: string[]; refs: string[] };
  /** Exact (rule, ref) pairs that passed (data source rules). */
  passedPairs?: Array<{ ruleId: string; ref: string }>;
  /**
   * Full evaluations leave unchanged, still-failing findings untouched and get their ids back
   * (`confirmedIds`), so a run over a large catalog does not rewrite every open finding.
   */
  skipUnchangedWrites?: boolean;
}

export type FindingRow = Omit<Finding, 'ruleName' | 'requirementId' | 'requirements' | 'overdue'>;

function toFinding(row: Row): FindingRow {
  return {
    id: String(row.id),
    ruleId: String(row.rule_id),
    assetRef: String(row.asset_ref),
    assetName: String(row.asset_name),
    assetType: String(row.asset_type),
    dataSourceId: String(row.data_source_id),
    workspace: String(row.workspace),
    status: String(row.status) as FindingStatus,
    severity: String(row.severity) as Severity,
    owner: str(row.owner),
    evidence: json<Record<string, unknown>>(row.evidence, {}),
    dueAt: String(row.due_at),
    firstSeenAt: String(row.first_seen_at),
    lastSeenAt: String(row.last_seen_at),
    resolvedAt: str(row.resolved_at),
    acknowledgedBy: str(row.acknowledged_by),
    waiverId: str(row.waiver_id),
    updatedAt: String(row.updated_at),
  };
}

function toRule(row: Row): ComplianceRule {
  return {
    id: String(row.id),
    name: String(row.name),
    description: String(row.description),
    severity: String(row.severity) as Severity,
    subject: String(row.subject) as ComplianceRule['subject'],
    scope: json(row.scope, { all: [] } as never),
    assert: json(row.assert, { all: [] } as never),
    labelStatuses: json<string[] | null>(row.label_statuses, null),
    slaDays: row.sla_days === null || row.sla_days === undefined ? null : Number(row.sla_days),
    remediation: String(row.remediation),
    enabled: Boolean(row.enabled),
    builtin: Boolean(row.builtin),
    version: Number(row.version),
    updatedAt: String(row.updated_at),
    updatedBy: String(row.updated_by),
  };
}

function toWaiver(row: Row): Waiver {
  return {
    id: String(row.id),
    findingId: String(row.finding_id),
    status: String(row.status) as WaiverStatus,
    reason: String(row.reason),
    expiresAt: String(row.expires_at),
    requestedBy: String(row.requested_by),
    requestedAt: String(row.requested_at),
    decidedBy: str(row.decided_by),
    decidedAt: str(row.decided_at),
    decisionNote: str(row.decision_note),
    ruleId: String(row.rule_id ?? ''),
    assetRef: String(row.asset_ref ?? ''),
  };
}

function toEvaluation(row: Row): Evaluation {
  return {
    id: String(row.id),
    trigger: String(row.trigger) as EvaluationTrigger,
    kind: String(row.kind) as Evaluation['kind'],
    frameworkId: str(row.framework_id),
    status: String(row.status) as Evaluation['status'],
    requestedBy: String(row.requested_by),
    assetsEvaluated: Number(row.assets_evaluated),
    rulesEvaluated: Number(row.rules_evaluated),
    findingsOpened: Number(row.findings_opened),
    findingsResolved: Number(row.findings_resolved),
    createdAt: String(row.created_at),
    startedAt: str(row.started_at),
    endedAt: str(row.ended_at),
    durationMs:
      row.duration_ms === null || row.duration_ms === undefined ? null : Number(row.duration_ms),
    error: str(row.error),
  };
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/** Everything compliance stores, on SQLite and PostgreSQL. */
export class ComplianceStore {
  constructor(private readonly knex: Knex) {}

  // Rules

  async listRules(): Promise<ComplianceRule[]> {
    return (await this.knex(RULES_TABLE).select().orderBy('id')).map(toRule);
  }

  async getRule(id: string): Promise<ComplianceRule | undefined> {
    const row = await this.knex(RULES_TABLE).where({ id }).first();
    return row ? toRule(row) : undefined;
  }

  private ruleRow(input: RuleInput, builtin: boolean, actor: string, now: string, version: number) {
    return {
      id: input.id,
      name: input.name,
      description: input.description,
      severity: input.severity,
      subject: input.subject,
      scope: JSON.stringify(input.scope),
      assert: JSON.stringify(input.assert),
      label_statuses: input.labelStatuses ? JSON.stringify(input.labelStatuses) : null,
      sla_days: input.slaDays,
      remediation: input.remediation,
      enabled: input.enabled,
      builtin,
      version,
      updated_by: actor,
      updated_at: now,
    };
  }

  /** Ships the built-in rules: new ones inserted, definitions refreshed, `enabled` kept. */
  async syncBuiltinRules(rules: RuleInput[], now: string): Promise<void> {
    for (const rule of rules) {
      const existing = await this.getRule(rule.id);
      if (!existing) {
        await this.knex(RULES_TABLE).insert(this.ruleRow(rule, true, SYSTEM_ACTOR, now, 1));
        continue;
      }
      const row = this.ruleRow({ ...rule, enabled: existing.enabled }, true, SYSTEM_ACTOR, now, 1);
      const changed =
        JSON.stringify(existing.scope) !== row.scope ||
        JSON.stringify(existing.assert) !== row.assert ||
        existing.name !== rule.name ||
        existing.description !== rule.description;
      if (changed)
        await this.knex(RULES_TABLE)
          .where({ id: rule.id })
          .update({ ...row, version: existing.version + 1 });
    }
  }

  async createRule(input: RuleInput, actor: string, now: string): Promise<ComplianceRule> {
    if (await this.getRule(input.id)) throw new ConflictError(`Rule ${input.id} already exists`);
    await this.knex(RULES_TABLE).insert(this.ruleRow(input, false, actor, now, 1));
    return (await this.getRule(input.id))!;
  }

  async updateRule(
    id: string,
    input: RuleInput,
    actor: string,
    now: string,
  ): Promise<ComplianceRule> {
    const existing = await this.getRule(id);
    if (!existing) throw new NotFoundError(`Rule ${id} does not exist`);
    await this.knex(RULES_TABLE)
      .where({ id })
      .update(this.ruleRow(input, existing.builtin, actor, now, existing.version + 1));
    return (await this.getRule(id))!;
  }

  async deleteRule(id: string): Promise<void> {
    await this.knex.transaction(async trx => {
      await trx(RULES_TABLE).where({ id }).delete();
      await trx(SCOPE_COUNTS_TABLE).where({ rule_id: id }).delete();
    });
  }

  // Custom frameworks

  async listFrameworks(): Promise<Framework[]> {
    const rows = await this.knex(FRAMEWORKS_TABLE).select().orderBy('id');
    return rows.map((r: Row) => ({
      id: String(r.id),
      name: String(r.name),
      version: String(r.version),
      description: String(r.description),
      builtin: false,
      requirements: json(r.requirements, []),
    }));
  }

  async createFramework(input: FrameworkInput, actor: string, now: string): Promise<void> {
    const exists = await this.knex(FRAMEWORKS_TABLE).where({ id: input.id }).first();
    if (exists) throw new ConflictError(`Framework ${input.id} already exists`);
    await this.knex(FRAMEWORKS_TABLE).insert({
      id: input.id,
      name: input.name,
      version: input.version,
      description: input.description,
      requirements: JSON.stringify(input.requirements),
      created_by: actor,
      created_at: now,
    });
  }

  async deleteFramework(id: string): Promise<boolean> {
    return (await this.knex(FRAMEWORKS_TABLE).where({ id }).delete()) > 0;
  }

  // Findings

  private async addEvents(
    trx: Knex | Knex.Transaction,
    events: Array<{
      findingId: number;
      ruleId: string;
      assetRef: string;
      from: FindingStatus | null;
      to: FindingStatus;
      actor: string;
      note: string | null;
      at: string;
    }>,
  ) {
    for (const part of chunks(events, 200)) {
      await trx(FINDING_EVENTS_TABLE).insert(
        part.map(e => ({
          finding_id: e.findingId,
          rule_id: e.ruleId,
          asset_ref: e.assetRef,
          from_status: e.from,
          to_status: e.to,
          actor: e.actor,
          note: e.note,
          at: e.at,
        })),
      );
    }
  }

  /**
   * Opens, confirms or re-opens the findings of the failures and resolves findings that now
   * pass, in one transaction per call; returns how many were opened and resolved.
   */
  async applyResults(input: ApplyResultsInput): Promise<{
    opened: number;
    resolved: number;
    openedFindings: OpenedFinding[];
    confirmedIds: number[];
  }> {
    const { evaluationId, now, failures } = input;
    return this.knex.transaction(async trx => {
      let opened = 0;
      let resolved = 0;
      const openedFindings: OpenedFinding[] = [];
      const key = (rule: string, ref: string) => `${rule}\u0000${ref}`;
      const opening = (id: number, f: FindingCandidate): OpenedFinding => ({
        id: String(id),
        ruleId: f.ruleId,
        assetRef: f.assetRef,
        assetName: f.assetName,
        workspace: f.workspace,
        severity: f.severity,
        owner: f.owner,
        dueAt: addDays(now, f.slaDays),
      });
      const candidates = new Map(failures.map(f => [key(f.ruleId, f.assetRef), f]));
      const existing = new Map<string, Row>();
      const refs = [...new Set(failures.map(f => f.assetRef))];
      const ruleIds = [...new Set(failures.map(f => f.ruleId))];
      for (const part of chunks(refs)) {
        const rows = await trx(FINDINGS_TABLE)
          .select('id', 'rule_id', 'asset_ref', 'status', 'evidence', 'owner', 'severity')
          .whereIn('asset_ref', part)
          .whereIn('rule_id', ruleIds);
        for (const r of rows) existing.set(key(String(r.rule_id), String(r.asset_ref)), r);
      }
      const inserts: Row[] = [];
      const touch: number[] = [];
      const events: Parameters<ComplianceStore['addEvents']>[1] = [];
      for (const f of failures) {
        const row = existing.get(key(f.ruleId, f.assetRef));
        const evidence = JSON.stringify(f.evidence);
        if (!row) {
          inserts.push({
            rule_id: f.ruleId,
            asset_ref: f.assetRef,
            asset_name: f.assetName,
            asset_type: f.assetType,
            data_source_id: f.dataSourceId,
            workspace: f.workspace,
            status: 'open',
            severity: f.severity,
            owner: f.owner,
            evidence,
            due_at: addDays(now, f.slaDays),
            first_seen_at: now,
            last_seen_at: now,
            last_evaluation_id: evaluationId,
            updated_at: now,
          });
          continue;
        }
        const id = Number(row.id);
        if (row.status === 'resolved') {
          await trx(FINDINGS_TABLE)
            .where({ id })
            .update({
              status: 'open',
              severity: f.severity,
              owner: f.owner,
              evidence,
              due_at: addDays(now, f.slaDays),
              resolved_at: null,
              acknowledged_by: null,
              waiver_id: null,
              last_seen_at: now,
              last_evaluation_id: evaluationId,
              updated_at: now,
            });
          events.push({
            findingId: id,
            ruleId: f.ruleId,
            assetRef: f.assetRef,
            from: 'resolved',
            to: 'open',
            actor: SYSTEM_ACTOR,
            note: 'Failed again on re-evaluation',
            at: now,
          });
          opened += 1;
          openedFindings.push(opening(id, f));
        } else if (
          row.evidence !== evidence ||
          row.owner !== f.owner ||
          row.severity !== f.severity
        ) {
          await trx(FINDINGS_TABLE).where({ id }).update({
            evidence,
            owner: f.owner,
            severity: f.severity,
            last_seen_at: now,
            last_evaluation_id: evaluationId,
            updated_at: now,
          });
        } else {
          touch.push(id);
        }
      }
      for (const part of chunks(input.skipUnchangedWrites ? [] : touch, 900)) {
        await trx(FINDINGS_TABLE)
          .whereIn('id', part)
          .update({ last_seen_at: now, last_evaluation_id: evaluationId });
      }
      // A concurrent evaluation may have opened the same finding: keep its row.
      for (const part of chunks(inserts, 200))
        await trx(FINDINGS_TABLE).insert(part).onConflict(['rule_id', 'asset_ref']).ignore();
      if (inserts.length > 0) {
        opened += inserts.length;
        const insertedRefs = [...new Set(inserts.map(i => String(i.asset_ref)))];
        const insertedRules = [...new Set(inserts.map(i => String(i.rule_id)))];
        for (const part of chunks(insertedRefs)) {
          // Only (rule, asset) conditions, so the planner uses the unique index; a status
          // condition here makes it scan every open finding of these rules per page.
          const rows = await trx(FINDINGS_TABLE)
            .select('id', 'rule_id', 'asset_ref', 'first_seen_at', 'last_evaluation_id')
            .whereIn('asset_ref', part)
            .whereIn('rule_id', insertedRules);
          for (const r of rows) {
            if (r.first_seen_at !== now || r.last_evaluation_id !== evaluationId) continue;
            if (existing.has(key(String(r.rule_id), String(r.asset_ref)))) continue;
            const candidate = candidates.get(key(String(r.rule_id), String(r.asset_ref)));
            if (candidate) openedFindings.push(opening(Number(r.id), candidate));
            events.push({
              findingId: Number(r.id),
              ruleId: String(r.rule_id),
              assetRef: String(r.asset_ref),
              from: null,
              to: 'open',
              actor: SYSTEM_ACTOR,
              note: 'Rule failed',
              at: now,
            });
          }
        }
      }

      // Resolve what passes now.
      const failing = new Set(failures.map(f => key(f.ruleId, f.assetRef)));
      const toResolve: Row[] = [];
      if (input.passedScope && input.passedScope.ruleIds.length > 0) {
        for (const part of chunks(input.passedScope.refs)) {
          const rows = await trx(FINDINGS_TABLE)
            .select('id', 'rule_id', 'asset_ref', 'status')
            .whereIn('asset_ref', part)
            .whereIn('rule_id', input.passedScope.ruleIds)
            .whereNot('status', 'resolved');
          for (const r of rows)
            if (!failing.has(key(String(r.rule_id), String(r.asset_ref)))) toResolve.push(r);
        }
      }
      for (const pair of input.passedPairs ?? []) {
        if (failing.has(key(pair.ruleId, pair.ref))) continue;
        const r = await trx(FINDINGS_TABLE)
          .select('id', 'rule_id', 'asset_ref', 'status')
          .where({ rule_id: pair.ruleId, asset_ref: pair.ref })
          .whereNot('status', 'resolved')
          .first();
        if (r) toResolve.push(r);
      }
      resolved += await this.resolveRows(trx, toResolve, now, 'Passed on re-evaluation');
      await this.addEvents(trx, events);
      return { opened, resolved, openedFindings, confirmedIds: touch };
    });
  }

  private async resolveRows(trx: Knex.Transaction, rows: Row[], now: string, note: string) {
    const seen = new Set<number>();
    const unique = rows.filter(r => !seen.has(Number(r.id)) && seen.add(Number(r.id)));
    for (const part of chunks(
      unique.map(r => Number(r.id)),
      900,
    )) {
      await trx(FINDINGS_TABLE)
        .whereIn('id', part)
        .update({ status: 'resolved', resolved_at: now, updated_at: now });
    }
    await this.addEvents(
      trx,
      unique.map(r => ({
        findingId: Number(r.id),
        ruleId: String(r.rule_id),
        assetRef: String(r.asset_ref),
        from: String(r.status) as FindingStatus,
        to: 'resolved' as const,
        actor: SYSTEM_ACTOR,
        note,
        at: now,
      })),
    );
    return unique.length;
  }

  /**
   * After a full evaluation: findings of its rules it neither wrote (`last_evaluation_id`) nor
   * confirmed (`confirmed` ids) are resolved, read in id order a page at a time.
   */
  async resolveUnconfirmed(
    ruleIds: string[],
    evaluationId: string,
    now: string,
    confirmed: ReadonlySet<number> = new Set(),
  ): Promise<number> {
    if (ruleIds.length === 0) return 0;
    let resolved = 0;
    let after = 0;
    const rules = new Set(ruleIds);
    for (;;) {
      // Primary-key pages only (filters in memory): other predicates make the planners pick
      // an index that re-scans every open finding for each page.
      const rows: Row[] = await this.knex(FINDINGS_TABLE)
        .select('id', 'rule_id', 'asset_ref', 'status', 'last_evaluation_id')
        .where('id', '>', after)
        .orderBy('id')
        .limit(10_000);
      if (rows.length === 0) return resolved;
      after = Number(rows[rows.length - 1]!.id);
      const stale = rows.filter(
        r =>
          rules.has(String(r.rule_id)) &&
          r.status !== 'resolved' &&
          r.last_evaluation_id !== evaluationId &&
          !confirmed.has(Number(r.id)),
      );
      if (stale.length > 0)
        resolved += await this.knex.transaction(trx =>
          this.resolveRows(trx, stale, now, 'No longer failing (full evaluation)'),
        );
    }
  }

  /** Findings of assets that no longer exist (or left the catalog) are resolved. */
  async resolveForRefs(refs: string[], now: string, note: string): Promise<number> {
    if (refs.length === 0) return 0;
    return this.knex.transaction(async trx => {
      const rows: Row[] = [];
      for (const part of chunks(refs))
        rows.push(
          ...(await trx(FINDINGS_TABLE)
            .select('id', 'rule_id', 'asset_ref', 'status')
            .whereIn('asset_ref', part)
            .whereNot('status', 'resolved')),
        );
      return this.resolveRows(trx, rows, now, note);
    });
  }

  async listFindings(
    query: ListFindingsQuery,
    ruleIds?: string[],
  ): Promise<{ items: FindingRow[]; nextCursor?: string }> {
    const rows = await this.knex(FINDINGS_TABLE)
      .select()
      .modify(q => {
        if (ruleIds) q.whereIn('rule_id', ruleIds.length > 0 ? ruleIds : ['']);
        if (query.status) q.where('status', query.status);
        if (query.assetRef) q.where('asset_ref', query.assetRef);
        if (query.ruleId) q.where('rule_id', query.ruleId);
        if (query.severity) q.where('severity', query.severity);
        if (query.dataSourceId) q.where('data_source_id', query.dataSourceId);
        if (query.workspace) q.where('workspace', query.workspace);
        if (query.owner) q.where('owner', query.owner);
        if (query.cursor) q.where('id', '<', Number(query.cursor));
      })
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    const items = rows.slice(0, query.limit).map(toFinding);
    return {
      items,
      nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : undefined,
    };
  }

  async getFindings(ids: string[]): Promise<FindingRow[]> {
    const rows = await this.knex(FINDINGS_TABLE).select().whereIn('id', ids.map(Number));
    return rows.map(toFinding);
  }

  async findingEvents(options: {
    findingId?: string;
    since?: string;
    until?: string;
    limit?: number;
  }): Promise<FindingEvent[]> {
    const rows = await this.knex(FINDING_EVENTS_TABLE)
      .select()
      .modify(q => {
        if (options.findingId) q.where('finding_id', Number(options.findingId));
        if (options.since) q.where('at', '>=', options.since);
        if (options.until) q.where('at', '<=', options.until);
      })
      .orderBy('id')
      .limit(options.limit ?? 100_000);
    return rows.map((r: Row) => ({
      id: String(r.id),
      findingId: String(r.finding_id),
      ruleId: String(r.rule_id),
      assetRef: String(r.asset_ref),
      fromStatus: str(r.from_status) as FindingStatus | null,
      toStatus: String(r.to_status) as FindingStatus,
      actor: String(r.actor),
      note: str(r.note),
      at: String(r.at),
    }));
  }

  /** Findings of some rules as they stood at `asOf` (their latest event at or before it). */
  async findingsAsOf(
    ruleIds: string[],
    asOf: string,
  ): Promise<Array<FindingRow & { statusAsOf: FindingStatus }>> {
    if (ruleIds.length === 0) return [];
    const latest = this.knex(FINDING_EVENTS_TABLE)
      .select('finding_id')
      .max({ last_id: 'id' })
      .where('at', '<=', asOf)
      .whereIn('rule_id', ruleIds)
      .groupBy('finding_id')
      .as('latest');
    const rows = await this.knex(FINDINGS_TABLE)
      .join(latest, 'latest.finding_id', `${FINDINGS_TABLE}.id`)
      .join(FINDING_EVENTS_TABLE, `${FINDING_EVENTS_TABLE}.id`, 'latest.last_id')
      .select(`${FINDINGS_TABLE}.*`, { status_as_of: `${FINDING_EVENTS_TABLE}.to_status` })
      .orderBy(`${FINDINGS_TABLE}.id`);
    return rows.map((r: Row) => ({
      ...toFinding(r),
      statusAsOf: String(r.status_as_of) as FindingStatus,
    }));
  }

  /** Moves findings between user-driven statuses; returns the ones that changed. */
  async transition(
    ids: string[],
    to: 'acknowledged' | 'open',
    from: FindingStatus[],
    actor: string,
    note: string | null,
    now: string,
  ): Promise<FindingRow[]> {
    return this.knex.transaction(async trx => {
      const rows = await trx(FINDINGS_TABLE)
        .select('id', 'rule_id', 'asset_ref', 'status')
        .whereIn('id', ids.map(Number))
        .whereIn('status', from);
      if (rows.length === 0) return [];
      await trx(FINDINGS_TABLE)
        .whereIn(
          'id',
          rows.map((r: Row) => Number(r.id)),
        )
        .update({
          status: to,
          acknowledged_by: to === 'acknowledged' ? actor : null,
          updated_at: now,
        });
      await this.addEvents(
        trx,
        rows.map((r: Row) => ({
          findingId: Number(r.id),
          ruleId: String(r.rule_id),
          assetRef: String(r.asset_ref),
          from: String(r.status) as FindingStatus,
          to,
          actor,
          note,
          at: now,
        })),
      );
      return (
        await trx(FINDINGS_TABLE)
          .select()
          .whereIn(
            'id',
            rows.map((r: Row) => Number(r.id)),
          )
      ).map(toFinding);
    });
  }

  // Waivers

  async requestWaivers(
    findingIds: string[],
    reason: string,
    expiresAt: string,
    actor: string,
    now: string,
  ): Promise<Waiver[]> {
    const findings = await this.getFindings(findingIds);
    const missing = findingIds.filter(id => !findings.some(f => f.id === id));
    if (missing.length > 0) throw new NotFoundError(`Findings ${missing.join(', ')} do not exist`);
    const resolved = findings.filter(f => f.status === 'resolved' || f.status === 'waived');
    if (resolved.length > 0)
      throw new ConflictError(
        `Findings ${resolved.map(f => f.id).join(', ')} are ${resolved[0]!.status}; only open or acknowledged findings can be waived`,
      );
    const ids: string[] = [];
    await this.knex.transaction(async trx => {
      for (const f of findings) {
        const id = crypto.randomUUID();
        ids.push(id);
        await trx(WAIVERS_TABLE).insert({
          id,
          finding_id: Number(f.id),
          status: 'pending',
          reason,
          expires_at: expiresAt,
          requested_by: actor,
          requested_at: now,
        });
      }
    });
    return this.listWaivers({ ids });
  }

  async listWaivers(options: {
    ids?: string[];
    status?: WaiverStatus;
    findingId?: string;
    limit?: number;
  }): Promise<Waiver[]> {
    const rows = await this.knex(WAIVERS_TABLE)
      .leftJoin(FINDINGS_TABLE, `${FINDINGS_TABLE}.id`, `${WAIVERS_TABLE}.finding_id`)
      .select(`${WAIVERS_TABLE}.*`, `${FINDINGS_TABLE}.rule_id`, `${FINDINGS_TABLE}.asset_ref`)
      .modify(q => {
        if (options.ids) q.whereIn(`${WAIVERS_TABLE}.id`, options.ids);
        if (options.status) q.where(`${WAIVERS_TABLE}.status`, options.status);
        if (options.findingId) q.where(`${WAIVERS_TABLE}.finding_id`, Number(options.findingId));
      })
      .orderBy(`${WAIVERS_TABLE}.requested_at`, 'desc')
      .limit(options.limit ?? 1000);
    return rows.map(toWaiver);
  }

  /** Approves or rejects a pending waiver; approval waives its finding (if not resolved). */
  async decideWaiver(
    id: string,
    approve: boolean,
    actor: string,
    note: string | null,
    now: string,
  ): Promise<Waiver> {
    await this.knex.transaction(async trx => {
      const waiver = await trx(WAIVERS_TABLE).where({ id }).first();
      if (!waiver) throw new NotFoundError(`Waiver ${id} does not exist`);
      if (waiver.status !== 'pending')
        throw new ConflictError(`Waiver ${id} is ${waiver.status}, not pending`);
      if (approve && String(waiver.expires_at) <= now)
        throw new ConflictError(`Waiver ${id} expired on ${waiver.expires_at}`);
      await trx(WAIVERS_TABLE)
        .where({ id })
        .update({
          status: approve ? 'approved' : 'rejected',
          decided_by: actor,
          decided_at: now,
          decision_note: note,
        });
      if (!approve) return;
      const finding = await trx(FINDINGS_TABLE).where({ id: waiver.finding_id }).first();
      if (!finding || finding.status === 'resolved') return;
      await trx(FINDINGS_TABLE)
        .where({ id: finding.id })
        .update({ status: 'waived', waiver_id: id, updated_at: now });
      await this.addEvents(trx, [
        {
          findingId: Number(finding.id),
          ruleId: String(finding.rule_id),
          assetRef: String(finding.asset_ref),
          from: String(finding.status) as FindingStatus,
          to: 'waived',
          actor,
          note: `Waiver ${id} until ${waiver.expires_at}: ${waiver.reason}`,
          at: now,
        },
      ]);
    });
    return (await this.listWaivers({ ids: [id] }))[0]!;
  }

  /** Expires approved waivers past their date and re-opens their waived findings. */
  async expireWaivers(now: string): Promise<{ expired: number; reopened: number }> {
    return this.knex.transaction(async trx => {
      const due = await trx(WAIVERS_TABLE)
        .select()
        .whereIn('status', ['approved', 'pending'])
        .where('expires_at', '<=', now);
      if (due.length === 0) return { expired: 0, reopened: 0 };
      await trx(WAIVERS_TABLE)
        .whereIn(
          'id',
          due.map((w: Row) => String(w.id)),
        )
        .update({ status: 'expired' });
      const findings = await trx(FINDINGS_TABLE)
        .select('id', 'rule_id', 'asset_ref', 'status', 'waiver_id')
        .whereIn(
          'waiver_id',
          due.map((w: Row) => String(w.id)),
        )
        .where('status', 'waived');
      for (const part of chunks(
        findings.map((f: Row) => Number(f.id)),
        900,
      ))
        await trx(FINDINGS_TABLE)
          .whereIn('id', part)
          .update({ status: 'open', waiver_id: null, updated_at: now });
      await this.addEvents(
        trx,
        findings.map((f: Row) => ({
          findingId: Number(f.id),
          ruleId: String(f.rule_id),
          assetRef: String(f.asset_ref),
          from: 'waived' as const,
          to: 'open' as const,
          actor: SYSTEM_ACTOR,
          note: `Waiver ${String(f.waiver_id)} expired`,
          at: now,
        })),
      );
      return { expired: due.length, reopened: findings.length };
    });
  }

  // Evaluations

  async createEvaluation(input: {
    trigger: EvaluationTrigger;
    kind: Evaluation['kind'];
    frameworkId: string | null;
    requestedBy: string;
    now: string;
  }): Promise<Evaluation> {
    const id = crypto.randomUUID();
    await this.knex(EVALUATIONS_TABLE).insert({
      id,
      trigger: input.trigger,
      kind: input.kind,
      framework_id: input.frameworkId,
      status: 'queued',
      requested_by: input.requestedBy,
      created_at: input.now,
    });
    return (await this.getEvaluation(id))!;
  }

  async getEvaluation(id: string): Promise<Evaluation | undefined> {
    const row = await this.knex(EVALUATIONS_TABLE).where({ id }).first();
    return row ? toEvaluation(row) : undefined;
  }

  async listEvaluations(limit: number): Promise<Evaluation[]> {
    return (
      await this.knex(EVALUATIONS_TABLE).select().orderBy('created_at', 'desc').limit(limit)
    ).map(toEvaluation);
  }

  async updateEvaluation(id: string, patch: Partial<Evaluation>): Promise<void> {
    const row: Row = {};
    if (patch.status) row.status = patch.status;
    if (patch.assetsEvaluated !== undefined) row.assets_evaluated = patch.assetsEvaluated;
    if (patch.rulesEvaluated !== undefined) row.rules_evaluated = patch.rulesEvaluated;
    if (patch.findingsOpened !== undefined) row.findings_opened = patch.findingsOpened;
    if (patch.findingsResolved !== undefined) row.findings_resolved = patch.findingsResolved;
    if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
    if (patch.endedAt !== undefined) row.ended_at = patch.endedAt;
    if (patch.durationMs !== undefined) row.duration_ms = patch.durationMs;
    if (patch.error !== undefined) row.error = patch.error;
    await this.knex(EVALUATIONS_TABLE).where({ id }).update(row);
  }

  // Scores

  async replaceScopeCounts(
    ruleIds: string[],
    counts: Array<{ ruleId: string; dataSourceId: string; workspace: string; inScope: number }>,
  ): Promise<void> {
    await this.knex.transaction(async trx => {
      for (const part of chunks(ruleIds))
        await trx(SCOPE_COUNTS_TABLE).whereIn('rule_id', part).delete();
      for (const part of chunks(counts, 200))
        await trx(SCOPE_COUNTS_TABLE).insert(
          part.map(c => ({
            rule_id: c.ruleId,
            data_source_id: c.dataSourceId,
            workspace: c.workspace,
            in_scope: c.inScope,
          })),
        );
    });
  }

  async scopeCounts(): Promise<
    Array<{ ruleId: string; dataSourceId: string; workspace: string; inScope: number }>
  > {
    return (await this.knex(SCOPE_COUNTS_TABLE).select()).map((r: Row) => ({
      ruleId: String(r.rule_id),
      dataSourceId: String(r.data_source_id),
      workspace: String(r.workspace),
      inScope: Number(r.in_scope),
    }));
  }

  /** Open and acknowledged findings per rule, data source and workspace. */
  async failingCounts(): Promise<
    Array<{ ruleId: string; dataSourceId: string; workspace: string; failing: number }>
  > {
    const rows = await this.knex(FINDINGS_TABLE)
      .select('rule_id', 'data_source_id', 'workspace')
      .count({ n: '*' })
      .whereIn('status', ['open', 'acknowledged'])
      .groupBy('rule_id', 'data_source_id', 'workspace');
    return rows.map((r: Row) => ({
      ruleId: String(r.rule_id),
      dataSourceId: String(r.data_source_id),
      workspace: String(r.workspace),
      failing: Number(r.n),
    }));
  }

  async openFindingsByRule(): Promise<Map<string, number>> {
    const rows = await this.knex(FINDINGS_TABLE)
      .select('rule_id')
      .count({ n: '*' })
      .whereIn('status', ['open', 'acknowledged'])
      .groupBy('rule_id');
    return new Map(rows.map((r: Row) => [String(r.rule_id), Number(r.n)]));
  }

  async addScoreSnapshots(
    rows: Array<{
      frameworkId: string;
      kind: string;
      id: string;
      score: number | null;
      inScope: number;
      failing: number;
    }>,
    now: string,
  ): Promise<void> {
    for (const part of chunks(rows, 200))
      await this.knex(SCORES_TABLE).insert(
        part.map(r => ({
          framework_id: r.frameworkId,
          scope_kind: r.kind,
          scope_id: r.id,
          score: r.score,
          in_scope: r.inScope,
          failing: r.failing,
          taken_at: now,
        })),
      );
  }

  async scoreHistory(options: {
    frameworkId: string;
    kind: string;
    id: string;
    since?: string;
    limit: number;
  }): Promise<ScorePoint[]> {
    const rows = await this.knex(SCORES_TABLE)
      .select()
      .where({ framework_id: options.frameworkId, scope_kind: options.kind, scope_id: options.id })
      .modify(q => {
        if (options.since) q.where('taken_at', '>=', options.since);
      })
      .orderBy('taken_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit);
    return rows.reverse().map((r: Row) => ({
      takenAt: String(r.taken_at),
      score: r.score === null || r.score === undefined ? null : Number(r.score),
      inScope: Number(r.in_scope),
      failing: Number(r.failing),
    }));
  }

  // In-app notifications

  async addNotifications(
    rows: Array<{
      recipient: string;
      dedupeKey: string;
      findingId: string;
      title: string;
      message: string;
    }>,
    now: string,
  ): Promise<void> {
    for (const part of chunks(rows, 200))
      await this.knex(NOTIFICATIONS_TABLE)
        .insert(
          part.map(r => ({
            id: crypto.randomUUID(),
            recipient: r.recipient,
            dedupe_key: r.dedupeKey,
            finding_id: Number(r.findingId),
            title: r.title,
            message: r.message,
            created_at: now,
          })),
        )
        .onConflict('dedupe_key')
        .ignore();
  }

  async listNotifications(
    recipient: string,
    options: { unreadOnly: boolean; limit: number },
  ): Promise<{ items: ComplianceNotification[]; unread: number }> {
    const rows = await this.knex(NOTIFICATIONS_TABLE)
      .select()
      .where({ recipient })
      .modify(q => {
        if (options.unreadOnly) q.whereNull('read_at');
      })
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(options.limit);
    const [{ n }] = await this.knex(NOTIFICATIONS_TABLE)
      .where({ recipient })
      .whereNull('read_at')
      .count({ n: '*' });
    return {
      items: rows.map((r: Row) => ({
        id: String(r.id),
        findingId: String(r.finding_id),
        title: String(r.title),
        message: String(r.message),
        createdAt: String(r.created_at),
        readAt: str(r.read_at),
      })),
      unread: Number(n),
    };
  }

  async markNotificationRead(recipient: string, id: string, now: string): Promise<boolean> {
    return (
      (await this.knex(NOTIFICATIONS_TABLE)
        .where({ id, recipient })
        .whereNull('read_at')
        .update({ read_at: now })) > 0 ||
      Boolean(await this.knex(NOTIFICATIONS_TABLE).where({ id, recipient }).first())
    );
  }
}
