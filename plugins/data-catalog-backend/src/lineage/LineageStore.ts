import crypto from 'node:crypto';
import type {
  LineageEdge,
  LineageEdgeKind,
  LineageLevel,
} from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';
import { LINEAGE_EDGES_TABLE } from '../database/migrations';

/** An edge as a lineage source derives it. */
export interface LineageEdgeInput {
  from: string;
  to: string;
  kind: LineageEdgeKind;
  level: LineageLevel;
  /** For column edges: the tables the two columns belong to. */
  fromParent?: string | null;
  toParent?: string | null;
  details?: Record<string, unknown>;
}

export interface StoredLineageEdge extends LineageEdge {
  origin: string;
  fromParent: string | null;
  toParent: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface WalkInput {
  ref: string;
  direction: 'upstream' | 'downstream';
  depth: number;
  level: LineageLevel;
  kinds: LineageEdgeKind[];
  limit: number;
}

export interface LineageStore {
  /** Makes `edges` the whole set an origin derived, keeping ids (and blocks) of edges that stay. */
  replaceEdges(
    origin: string,
    edges: LineageEdgeInput[],
    now: string,
  ): Promise<{ added: number; removed: number }>;
  /** Adds edges an origin reported, keeping the ones it reported before. */
  addEdges(origin: string, edges: LineageEdgeInput[], now: string): Promise<{ added: number }>;
  /** Refs reachable from `ref` (itself at depth 0), nearest first, through a recursive query. */
  walk(input: WalkInput): Promise<{ refs: Map<string, number>; truncated: boolean }>;
  /** Edges of the given level and kinds between refs of the set. */
  edgesAmong(
    refs: string[],
    level: LineageLevel,
    kinds: LineageEdgeKind[],
  ): Promise<StoredLineageEdge[]>;
  /** Column edges whose two columns belong to tables of the set. */
  columnEdgesOfTables(tableRefs: string[], kinds: LineageEdgeKind[]): Promise<StoredLineageEdge[]>;
  /** The origins among `origins` that have edges. */
  existingOrigins(origins: string[]): Promise<Set<string>>;
  /** For each ref, the refs its edges of the level and kinds lead to. */
  targetsOf(
    refs: string[],
    level: LineageLevel,
    kinds: LineageEdgeKind[],
  ): Promise<Map<string, string[]>>;
  getEdge(id: string): Promise<StoredLineageEdge | undefined>;
  deleteEdge(id: string): Promise<boolean>;
  setPropagationBlocked(
    id: string,
    blocked: boolean,
    now: string,
  ): Promise<StoredLineageEdge | undefined>;
  /** Column edges labels may flow along (lineage kinds, not blocked). */
  propagationEdges(): Promise<{ id: string; from: string; to: string }[]>;
}

/** Kinds that are data flow; `foreign_key` is a relation and only returned when asked for. */
export const DATA_FLOW_KINDS: LineageEdgeKind[] = ['view', 'openlineage', 'dbt', 'manual'];

const REFS_PER_STATEMENT = 500;
const ROWS_PER_STATEMENT = 300;

type EdgeRow = {
  id: string;
  edge_key: string;
  from_ref: string;
  to_ref: string;
  from_parent: string | null;
  to_parent: string | null;
  kind: string;
  level: string;
  origin: string;
  propagation_blocked: boolean | number;
  details: string | null;
  created_at: string;
  updated_at: string;
};

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function edgeKey(origin: string, edge: LineageEdgeInput): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([origin, edge.from, edge.to, edge.kind, edge.level]))
    .digest('hex');
}

function toEdge(row: EdgeRow): StoredLineageEdge {
  let details: Record<string, unknown> | null = null;
  if (row.details) {
    try {
      details = JSON.parse(row.details) as Record<string, unknown>;
    } catch {
      details = null;
    }
  }
  return {
    id: row.id,
    from: row.from_ref,
    to: row.to_ref,
    kind: row.kind as LineageEdgeKind,
    level: row.level as LineageLevel,
    propagationBlocked: Boolean(row.propagation_blocked),
    origin: row.origin,
    fromParent: row.from_parent,
    toParent: row.to_parent,
    details,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Lineage edges in `catalog_lineage_edges`; walks are recursive CTEs on both engines. */
export class KnexLineageStore implements LineageStore {
  constructor(private readonly knex: Knex) {}

  private rowsOf(origin: string, edges: LineageEdgeInput[], now: string) {
    const byKey = new Map<string, Omit<EdgeRow, 'id'> & { id: string }>();
    for (const edge of edges) {
      if (edge.from === edge.to) continue;
      const key = edgeKey(origin, edge);
      byKey.set(key, {
        id: crypto.randomUUID(),
        edge_key: key,
        from_ref: edge.from,
        to_ref: edge.to,
        from_parent: edge.fromParent ?? null,
        to_parent: edge.toParent ?? null,
        kind: edge.kind,
        level: edge.level,
        origin,
        propagation_blocked: false,
        details: edge.details ? JSON.stringify(edge.details) : null,
        created_at: now,
        updated_at: now,
      });
    }
    return [...byKey.values()].sort((a, b) => (a.edge_key < b.edge_key ? -1 : 1));
  }

  private async insertMissing(trx: Knex.Transaction, rows: EdgeRow[]): Promise<number> {
    let added = 0;
    for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
      const inserted: { id: string }[] = await trx(LINEAGE_EDGES_TABLE)
        .insert(part)
        .onConflict('edge_key')
        .ignore()
        .returning('id');
      added += inserted.length;
    }
    return added;
  }

  async replaceEdges(origin: string, edges: LineageEdgeInput[], now: string) {
    const rows = this.rowsOf(origin, edges, now);
    return this.knex.transaction(async trx => {
      const existing: { id: string; edge_key: string }[] = await trx(LINEAGE_EDGES_TABLE)
        .select('id', 'edge_key')
        .where('origin', origin);
      const wanted = new Set(rows.map(r => r.edge_key));
      const stale = existing.filter(e => !wanted.has(e.edge_key)).map(e => e.id);
      for (const part of chunks(stale, REFS_PER_STATEMENT)) {
        await trx(LINEAGE_EDGES_TABLE).delete().whereIn('id', part);
      }
      const known = new Set(existing.map(e => e.edge_key));
      const added = await this.insertMissing(
        trx,
        rows.filter(r => !known.has(r.edge_key)),
      );
      return { added, removed: stale.length };
    });
  }

  async addEdges(origin: string, edges: LineageEdgeInput[], now: string) {
    const rows = this.rowsOf(origin, edges, now);
    return this.knex.transaction(async trx => ({ added: await this.insertMissing(trx, rows) }));
  }

  async walk(input: WalkInput) {
    const [near, far] =
      input.direction === 'downstream' ? ['from_ref', 'to_ref'] : ['to_ref', 'from_ref'];
    const kinds = input.kinds.map(() => '?').join(', ');
    // UNION (not UNION ALL) drops repeated (ref, depth) pairs, so cycles end at the depth bound.
    const sql = `
      WITH RECURSIVE walk(ref, depth) AS (
        SELECT CAST(? AS TEXT), 0
        UNION
        SELECT e.${far}, w.depth + 1
          FROM walk w
          JOIN ${LINEAGE_EDGES_TABLE} e ON e.${near} = w.ref
         WHERE w.depth < ? AND e.level = ? AND e.kind IN (${kinds})
      )
      SELECT ref, MIN(depth) AS depth FROM walk GROUP BY ref ORDER BY 2, 1 LIMIT ?`;
    const result = await this.knex.raw(sql, [
      input.ref,
      input.depth,
      input.level,
      ...input.kinds,
      input.limit + 1,
    ]);
    const rows: { ref: string; depth: number | string }[] = Array.isArray(result)
      ? result
      : result.rows;
    const truncated = rows.length > input.limit;
    const refs = new Map<string, number>();
    for (const row of rows.slice(0, input.limit)) refs.set(row.ref, Number(row.depth));
    return { refs, truncated };
  }

  async edgesAmong(refs: string[], level: LineageLevel, kinds: LineageEdgeKind[]) {
    const set = new Set(refs);
    const out: StoredLineageEdge[] = [];
    for (const part of chunks(refs, REFS_PER_STATEMENT)) {
      const rows: EdgeRow[] = await this.knex(LINEAGE_EDGES_TABLE)
        .select()
        .whereIn('from_ref', part)
        .andWhere('level', level)
        .whereIn('kind', kinds);
      for (const row of rows) if (set.has(row.to_ref)) out.push(toEdge(row));
    }
    return out;
  }

  async columnEdgesOfTables(tableRefs: string[], kinds: LineageEdgeKind[]) {
    const set = new Set(tableRefs);
    const out: StoredLineageEdge[] = [];
    for (const part of chunks(tableRefs, REFS_PER_STATEMENT)) {
      const rows: EdgeRow[] = await this.knex(LINEAGE_EDGES_TABLE)
        .select()
        .whereIn('from_parent', part)
        .andWhere('level', 'column')
        .whereIn('kind', kinds);
      for (const row of rows) if (row.to_parent && set.has(row.to_parent)) out.push(toEdge(row));
    }
    return out;
  }

  async existingOrigins(origins: string[]) {
    const found = new Set<string>();
    for (const part of chunks([...new Set(origins)], REFS_PER_STATEMENT)) {
      const rows: { origin: string }[] = await this.knex(LINEAGE_EDGES_TABLE)
        .distinct('origin')
        .whereIn('origin', part);
      for (const row of rows) found.add(row.origin);
    }
    return found;
  }

  async targetsOf(refs: string[], level: LineageLevel, kinds: LineageEdgeKind[]) {
    const targets = new Map<string, string[]>();
    for (const part of chunks([...new Set(refs)], REFS_PER_STATEMENT)) {
      const rows: { from_ref: string; to_ref: string }[] = await this.knex(LINEAGE_EDGES_TABLE)
        .select('from_ref', 'to_ref')
        .whereIn('from_ref', part)
        .andWhere('level', level)
        .whereIn('kind', kinds);
      for (const row of rows) {
        targets.set(row.from_ref, [...(targets.get(row.from_ref) ?? []), row.to_ref]);
      }
    }
    return targets;
  }

  async getEdge(id: string) {
    const row: EdgeRow | undefined = await this.knex(LINEAGE_EDGES_TABLE).where('id', id).first();
    return row ? toEdge(row) : undefined;
  }

  async deleteEdge(id: string) {
    return (await this.knex(LINEAGE_EDGES_TABLE).delete().where('id', id)) > 0;
  }

  async setPropagationBlocked(id: string, blocked: boolean, now: string) {
    await this.knex(LINEAGE_EDGES_TABLE)
      .update({ propagation_blocked: blocked, updated_at: now })
      .where('id', id);
    return this.getEdge(id);
  }

  async propagationEdges() {
    const rows: { id: string; from_ref: string; to_ref: string }[] = await this.knex(
      LINEAGE_EDGES_TABLE,
    )
      .select('id', 'from_ref', 'to_ref')
      .where({ level: 'column', propagation_blocked: false })
      .whereIn('kind', DATA_FLOW_KINDS)
      .orderBy('id');
    return rows.map(r => ({ id: r.id, from: r.from_ref, to: r.to_ref }));
  }
}
