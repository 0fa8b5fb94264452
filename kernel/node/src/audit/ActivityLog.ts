import crypto from 'node:crypto';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_WORKSPACE,
  type ActivityOutcome,
  type ActivityRecord,
} from '@racine/kernel-common';
import type { Knex } from 'knex';
import { clientKind } from '../database/kernelDatabase';

const TABLE = 'racine_activity';
const GENESIS_HASH = '0'.repeat(64);
// Any constant works; it names the lock that serializes appends across replicas.
const CHAIN_LOCK_KEY = 7_117_001;

export interface ActivityEntry {
  /** Who acted; derived from `credentials` when omitted. */
  actor?: string;
  credentials?: BackstageCredentials;
  workspace?: string;
  resource?: string;
  verb: string;
  outcome?: ActivityOutcome;
  summary: string;
  details?: Record<string, unknown>;
}

export interface ActivityFilter {
  actor?: string;
  resource?: string;
  verb?: string;
  outcome?: ActivityOutcome;
  workspace?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** Sequence number of the first record whose hash or link does not hold. */
  brokenAt?: number;
}

/** The entity ref recorded as the actor for a set of credentials. */
export function actorOf(credentials?: BackstageCredentials): string {
  const principal = credentials?.principal as
    | { type: 'user'; userEntityRef: string }
    | { type: 'service'; subject: string }
    | { type: 'none' }
    | undefined;
  if (!principal) return 'system';
  if (principal.type === 'user') return principal.userEntityRef;
  if (principal.type === 'service') return principal.subject;
  return 'anonymous';
}

type Row = {
  seq: number;
  id: string;
  time: string;
  actor: string;
  workspace: string;
  resource: string;
  verb: string;
  outcome: string;
  summary: string;
  plugin_id: string;
  details: string | null;
  prev_hash: string;
  hash: string;
};

function hashOf(row: Omit<Row, 'seq' | 'hash'>): string {
  // A fixed field order makes the digest independent of how the row was read back.
  const content = JSON.stringify([
    row.id,
    row.time,
    row.actor,
    row.workspace,
    row.resource,
    row.verb,
    row.outcome,
    row.summary,
    row.plugin_id,
    row.details ?? null,
    row.prev_hash,
  ]);
  return crypto.createHash('sha256').update(content).digest('hex');
}

function toRecord(row: Row): ActivityRecord {
  return {
    id: row.id,
    seq: Number(row.seq),
    time: row.time,
    actor: row.actor,
    workspace: row.workspace,
    resource: row.resource,
    verb: row.verb,
    outcome: row.outcome as ActivityOutcome,
    summary: row.summary,
    pluginId: row.plugin_id,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : undefined,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function encodeCursor(seq: number) {
  return Buffer.from(String(seq)).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const seq = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(seq) || seq < 0) throw new InputError('cursor is not valid');
  return seq;
}

/**
 * The append-only, hash-chained audit trail. Each record's hash covers its content and the
 * previous record's hash, so altering or deleting a stored record breaks `verify`.
 */
export class ActivityLog {
  private readonly kind: 'sqlite' | 'postgres';

  constructor(private readonly knex: Knex) {
    this.kind = clientKind(knex);
  }

  async record(pluginId: string, entry: ActivityEntry): Promise<ActivityRecord> {
    const base = {
      id: crypto.randomUUID(),
      time: new Date().toISOString(),
      actor: entry.actor ?? actorOf(entry.credentials),
      workspace: entry.workspace ?? DEFAULT_WORKSPACE,
      resource: entry.resource ?? '',
      verb: entry.verb,
      outcome: entry.outcome ?? 'success',
      summary: entry.summary,
      plugin_id: pluginId,
      details: entry.details ? JSON.stringify(entry.details) : null,
    };
    return this.knex.transaction(async tx => {
      if (this.kind === 'postgres') {
        await tx.raw('SELECT pg_advisory_xact_lock(?)', [CHAIN_LOCK_KEY]);
      }
      const last = await tx(TABLE).select('hash').orderBy('seq', 'desc').first();
      const prev_hash: string = last?.hash ?? GENESIS_HASH;
      const row = { ...base, prev_hash, hash: '' };
      row.hash = hashOf(row);
      const [inserted] = await tx(TABLE).insert(row).returning('seq');
      const seq = typeof inserted === 'object' ? inserted.seq : inserted;
      return toRecord({ ...row, seq: Number(seq) });
    });
  }

  async list(filter: ActivityFilter): Promise<{ items: ActivityRecord[]; nextCursor?: string }> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const query = this.knex<Row>(TABLE)
      .orderBy('seq', 'desc')
      .limit(limit + 1);
    if (filter.actor) query.where('actor', filter.actor);
    if (filter.resource) query.where('resource', filter.resource);
    if (filter.verb) query.where('verb', filter.verb);
    if (filter.outcome) query.where('outcome', filter.outcome);
    if (filter.workspace) query.where('workspace', filter.workspace);
    if (filter.since) query.where('time', '>=', filter.since);
    if (filter.until) query.where('time', '<', filter.until);
    if (filter.cursor) query.where('seq', '<', decodeCursor(filter.cursor));
    const rows = (await query) as Row[];
    const page = rows.slice(0, limit).map(toRecord);
    return {
      items: page,
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].seq) : undefined,
    };
  }

  /** Walks the whole chain in order, in batches, and reports the first broken record. */
  async verify(): Promise<VerifyResult> {
    let prev = GENESIS_HASH;
    let checked = 0;
    let after = 0;
    for (;;) {
      const rows = (await this.knex<Row>(TABLE)
        .where('seq', '>', after)
        .orderBy('seq', 'asc')
        .limit(1000)) as Row[];
      if (rows.length === 0) return { ok: true, checked };
      for (const row of rows) {
        const { seq, hash, ...content } = row;
        if (row.prev_hash !== prev || hashOf(content) !== hash) {
          return { ok: false, checked, brokenAt: Number(seq) };
        }
        prev = hash;
        checked += 1;
        after = Number(seq);
      }
    }
  }
}
