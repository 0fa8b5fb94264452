import crypto from 'node:crypto';
import { InputError } from '@backstage/errors';
import type {
  AssetLabel,
  AssetStatus,
  AssetType,
  ColumnProfile,
  LabelEvidence,
  LabelStatus,
} from '@racine/plugin-data-catalog-common';
import { applyAccessFilter, type AccessFilter } from '@racine/kernel-node';
import {
  sensitivityLevels,
  sensitivityRank,
  type SensitivityLevel,
} from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';
import type { IngestedAsset } from '../services/assetModel';
import { resuggestMaterialChanges } from './LabelReviewStore';
import { ASSETS_TABLE, LABELS_TABLE } from './migrations';
import { ingestedSearchText, schemaNameOf } from './searchMigration';

/** An asset as stored, JSON fields parsed. */
export interface StoredAsset {
  ref: string;
  type: AssetType;
  name: string;
  qualifiedName: string;
  parentRef: string | null;
  path: string;
  dataSourceId: string;
  workspace: string;
  description: string | null;
  owner: string | null;
  owners: string[];
  stewards: string[];
  tags: string[];
  /** Ids of the attached glossary terms. */
  terms: string[];
  properties: Record<string, unknown>;
  sensitivity: SensitivityLevel | null;
  sensitivityRank: number;
  sensitivityOverride: SensitivityLevel | null;
  version: number;
  technical: Record<string, unknown>;
  profile: ColumnProfile | null;
  status: AssetStatus;
  lastRunId: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredLabel extends AssetLabel {
  id: string;
  assetRef: string;
  sensitivity: SensitivityLevel | null;
  categories: string[];
}

export type StatusFilter = AssetStatus | 'all';

export interface AssetFilter {
  dataSourceId?: string;
  types?: AssetType[];
  parentRef?: string;
  /** Case-insensitive substring of the name or qualified name. */
  query?: string;
  /** Only assets carrying a (not rejected) label of this classifier (any case). */
  classifierId?: string;
  status: StatusFilter;
  workspace?: string;
  /** What the caller may see (ABAC), as SQL. */
  access?: AccessFilter;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ApplyBatchResult {
  /** Assets created, changed or revived by the batch. */
  changedRefs: string[];
  /** Columns of the table that the batch no longer lists. */
  deletedColumnRefs: string[];
}

export interface MarkVanishedResult {
  tableRefs: string[];
  columnRefs: string[];
  /** Schemas and databases left without any active child. */
  containerRefs: string[];
}

export interface CatalogStore {
  /** Upserts the assets of one scanned table in one transaction (see KnexCatalogStore). */
  applyTableBatch(input: {
    assets: IngestedAsset[];
    tableRef: string;
    runId: string;
    scannedAt: string;
    now: string;
  }): Promise<ApplyBatchResult>;
  /** Marks the tables and views a completed scan did not see as deleted, with their columns. */
  markVanishedTables(input: {
    dataSourceId: string;
    startedAt: string;
    seenPaths: Set<string>;
    now: string;
  }): Promise<MarkVanishedResult>;
  /**
   * Marks up to `limit` active assets of a data source deleted, in one transaction, and
   * returns their refs: called until it returns none when the data source itself is deleted.
   */
  markDataSourceAssetsDeleted(input: {
    dataSourceId: string;
    limit: number;
    now: string;
  }): Promise<string[]>;
  listAssets(
    filter: AssetFilter,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredAsset>>;
  /** Children of an asset (data sources when `parentRef` is null), ordered by name. */
  listChildren(
    parentRef: string | null,
    options: { status: StatusFilter; limit: number; cursor?: string; access?: AccessFilter },
  ): Promise<Page<StoredAsset>>;
  getAssets(refs: string[]): Promise<StoredAsset[]>;
  /** Children per parent, of the given status, that the access filter lets the caller see. */
  countChildren(
    refs: string[],
    status: StatusFilter,
    access?: AccessFilter,
  ): Promise<Map<string, number>>;
  labelsOf(refs: string[]): Promise<StoredLabel[]>;
  /** Recomputes the effective sensitivity of assets from their labels and overrides. */
  refreshSensitivity(refs: string[]): Promise<void>;
}

type AssetRow = {
  ref: string;
  type: string;
  name: string;
  qualified_name: string;
  name_lower: string;
  qualified_name_lower: string;
  parent_ref: string | null;
  path: string;
  data_source_id: string;
  workspace: string;
  description: string | null;
  owner: string | null;
  owners: string;
  stewards: string;
  tags: string;
  terms: string;
  properties: string;
  sensitivity: string | null;
  sensitivity_rank: number | string;
  sensitivity_override: string | null;
  version: number | string;
  technical: string;
  profile: string | null;
  content_hash: string;
  labels_hash: string;
  status: string;
  last_run_id: string | null;
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
  updated_at: string;
};

type LabelRow = {
  id: string;
  asset_ref: string;
  data_source_id: string;
  classifier_id: string;
  confidence: number | string;
  status: string;
  evidence: string;
  run_id: string | null;
  created_at: string;
  updated_at: string;
  sensitivity: string | null;
  categories: string;
};

// Well under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters per statement.
const ROWS_PER_STATEMENT = 500;
const REFS_PER_STATEMENT = 1000;

/** Columns a scan owns; curated fields (description, owner, tags) and first-seen are never overwritten. */
const INGESTED_COLUMNS = [
  'type',
  'name',
  'qualified_name',
  'name_lower',
  'qualified_name_lower',
  'parent_ref',
  'path',
  'data_source_id',
  'workspace',
  'schema_name',
  'search_ingested',
  'technical',
  'profile',
  'content_hash',
  'labels_hash',
  'status',
  'last_run_id',
  'last_seen_at',
  'updated_at',
] as const;

const LISTED_COLUMNS = [
  'ref',
  'type',
  'name',
  'qualified_name',
  'parent_ref',
  'path',
  'data_source_id',
  'workspace',
  'description',
  'owner',
  'owners',
  'stewards',
  'tags',
  'terms',
  'properties',
  'sensitivity',
  'sensitivity_rank',
  'sensitivity_override',
  'version',
  'technical',
  'profile',
  'status',
  'last_run_id',
  'first_seen_at',
  'last_seen_at',
  'created_at',
  'updated_at',
] as const;

type ListedRow = Pick<AssetRow, (typeof LISTED_COLUMNS)[number]>;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toAsset(row: ListedRow): StoredAsset {
  return {
    ref: row.ref,
    type: row.type as AssetType,
    name: row.name,
    qualifiedName: row.qualified_name,
    parentRef: row.parent_ref,
    path: row.path,
    dataSourceId: row.data_source_id,
    workspace: row.workspace,
    description: row.description,
    owner: row.owner,
    owners: parseJson<string[]>(row.owners, []),
    stewards: parseJson<string[]>(row.stewards, []),
    tags: parseJson<string[]>(row.tags, []),
    terms: parseJson<string[]>(row.terms, []),
    properties: parseJson<Record<string, unknown>>(row.properties, {}),
    sensitivity: (row.sensitivity as SensitivityLevel | null) ?? null,
    sensitivityRank: Number(row.sensitivity_rank ?? 0),
    sensitivityOverride: (row.sensitivity_override as SensitivityLevel | null) ?? null,
    version: Number(row.version ?? 0),
    technical: parseJson<Record<string, unknown>>(row.technical, {}),
    profile: parseJson<ColumnProfile | null>(row.profile, null),
    status: row.status as AssetStatus,
    lastRunId: row.last_run_id,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toLabel(row: LabelRow): StoredLabel {
  return {
    id: row.id,
    assetRef: row.asset_ref,
    classifierId: row.classifier_id,
    confidence: Number(row.confidence),
    status: row.status as LabelStatus,
    evidence: parseJson<LabelEvidence>(row.evidence, { signals: [], maskedExamples: [] }),
    runId: row.run_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sensitivity: (row.sensitivity as SensitivityLevel | null) ?? null,
    categories: parseJson<string[]>(row.categories, []),
  };
}

/** `%`, `_` and the escape character itself match literally. */
function likePattern(text: string, kind: 'contains' | 'prefix'): string {
  const escaped = text.replace(/[\\%_]/g, c => `\\${c}`);
  return kind === 'contains' ? `%${escaped}%` : `${escaped}%`;
}

/** Keyset cursors: the sort key and the ref of the last row of the previous page. */
function encodeCursor(key: string, ref: string): string {
  return Buffer.from(JSON.stringify([key, ref]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every(v => typeof v === 'string')) {
      return value as [string, string];
    }
  } catch {
    // fall through
  }
  throw new InputError('Invalid query: cursor: not a cursor returned by this API');
}

/** The `where` of a keyset page over (sortColumn, ref). */
function afterCursor(query: Knex.QueryBuilder, sortColumn: string, cursor: string | undefined) {
  if (!cursor) return;
  const [key, ref] = decodeCursor(cursor);
  query.where(q =>
    q
      .where(sortColumn, '>', key)
      .orWhere(inner => inner.where(sortColumn, key).andWhere('ref', '>', ref)),
  );
}

/**
 * The catalog's store: one `catalog_assets` table for every asset type plus the labels.
 * Ingestion writes with multi-row `insert … on conflict … merge` statements and only
 * touches what a digest comparison says has changed, so replays are no-ops.
 */
export class KnexCatalogStore implements CatalogStore {
  private readonly postgres: boolean;

  constructor(private readonly knex: Knex) {
    this.postgres = ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));
  }

  async applyTableBatch(input: {
    assets: IngestedAsset[];
    tableRef: string;
    runId: string;
    scannedAt: string;
    now: string;
  }): Promise<ApplyBatchResult> {
    const { assets, tableRef, runId, scannedAt, now } = input;
    return this.retryOnConflict(() =>
      this.knex.transaction(async trx => {
        if (this.postgres) {
          // A batch is republished by the next scan, so its commit need not wait for the WAL
          // flush: a crash may lose the last moments of ingestion, never consistency.
          await trx.raw('SET LOCAL synchronous_commit TO OFF');
        }
        // One read finds the batch's assets and the table's active columns (to spot vanished ones).
        type Known = Pick<
          AssetRow,
          'ref' | 'type' | 'parent_ref' | 'content_hash' | 'labels_hash' | 'status' | 'last_seen_at'
        >;
        const existing = new Map<string, Known>();
        const activeColumns: string[] = [];
        const refParts = chunks(
          assets.map(a => a.ref),
          REFS_PER_STATEMENT,
        );
        for (const [i, part] of refParts.entries()) {
          const query = trx(ASSETS_TABLE)
            .select(
              'ref',
              'type',
              'parent_ref',
              'content_hash',
              'labels_hash',
              'status',
              'last_seen_at',
            )
            .whereIn('ref', part);
          // Only `parent_ref` here, so both engines pick its index even before statistics exist.
          if (i === 0) query.orWhere('parent_ref', tableRef);
          const rows: Known[] = await query;
          for (const row of rows) {
            existing.set(row.ref, row);
            if (row.parent_ref === tableRef && row.type === 'column' && row.status === 'active')
              activeColumns.push(row.ref);
          }
        }

        const changed: IngestedAsset[] = [];
        const seenAgain: string[] = [];
        const relabeled: IngestedAsset[] = [];
        for (const asset of assets) {
          const before = existing.get(asset.ref);
          const labelsChanged = before
            ? before.labels_hash !== asset.labelsHash
            : asset.labels.length > 0;
          if (
            !before ||
            before.content_hash !== asset.contentHash ||
            before.status !== 'active' ||
            labelsChanged
          ) {
            changed.push(asset);
          } else if (before.last_seen_at < scannedAt) {
            seenAgain.push(asset.ref);
          }
          if (asset.type === 'column' && labelsChanged) relabeled.push(asset);
        }

        // A table's search document lists its columns' names.
        const columnNamesOf = new Map<string, string[]>();
        for (const asset of assets) {
          if (asset.type !== 'column' || !asset.parentRef) continue;
          const names = columnNamesOf.get(asset.parentRef) ?? [];
          names.push(asset.name);
          columnNamesOf.set(asset.parentRef, names);
        }
        // Rows are written in ref order so concurrent batches sharing a schema lock alike.
        const writes = [...changed].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
        for (const part of chunks(writes, ROWS_PER_STATEMENT)) {
          await trx(ASSETS_TABLE)
            .insert(
              part.map(asset => ({
                ref: asset.ref,
                type: asset.type,
                name: asset.name,
                qualified_name: asset.qualifiedName,
                name_lower: asset.name.toLowerCase(),
                qualified_name_lower: asset.qualifiedName.toLowerCase(),
                parent_ref: asset.parentRef,
                path: asset.path,
                data_source_id: asset.dataSourceId,
                workspace: asset.workspace,
                schema_name: schemaNameOf(asset.ref),
                search_ingested: ingestedSearchText({
                  name: asset.name,
                  qualifiedName: asset.qualifiedName,
                  comment:
                    typeof asset.technical.comment === 'string' ? asset.technical.comment : null,
                  columnNames: columnNamesOf.get(asset.ref),
                }),
                tags: '[]',
                technical: JSON.stringify(asset.technical),
                profile: asset.profile ? JSON.stringify(asset.profile) : null,
                content_hash: asset.contentHash,
                labels_hash: asset.labelsHash,
                status: 'active',
                last_run_id: runId,
                first_seen_at: scannedAt,
                last_seen_at: scannedAt,
                created_at: now,
                updated_at: now,
              })),
            )
            .onConflict('ref')
            .merge([...INGESTED_COLUMNS]);
        }

        // Unchanged assets were still seen: only the bookkeeping moves, and only forward.
        for (const part of chunks(seenAgain.sort(), REFS_PER_STATEMENT)) {
          await trx(ASSETS_TABLE)
            .update({ last_seen_at: scannedAt, last_run_id: runId })
            .whereIn('ref', part)
            .andWhere('last_seen_at', '<', scannedAt);
        }

        await this.replaceSuggestedLabels(trx, relabeled, new Set(existing.keys()), runId, now);

        const batchColumns = new Set(assets.filter(a => a.type === 'column').map(a => a.ref));
        const vanished = activeColumns.filter(ref => !batchColumns.has(ref)).sort();
        for (const part of chunks(vanished, REFS_PER_STATEMENT)) {
          await trx(ASSETS_TABLE)
            .update({ status: 'deleted', updated_at: now })
            .whereIn('ref', part);
        }

        if (relabeled.length > 0 || changed.length > 0) {
          await this.refreshSensitivityIn(trx, [
            ...new Set([...relabeled.map(a => a.ref), ...changed.map(a => a.ref), tableRef]),
          ]);
        }
        return { changedRefs: changed.map(a => a.ref), deletedColumnRefs: vanished };
      }),
    );
  }

  /**
   * Concurrent batches of one data source share its data source, database and schema rows;
   * a deadlock victim (PostgreSQL) or a busy database (SQLite) simply runs its batch again.
   */
  private async retryOnConflict<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const code = (error as { code?: string }).code;
        const retriable = code === '40P01' || code === '40001' || code === 'SQLITE_BUSY';
        if (!retriable || attempt >= attempts) throw error;
        await new Promise(resolve => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      }
    }
  }

  /**
   * A scan's labels replace that column's earlier `suggested` labels. Labels people decided
   * on (approved, rejected, manual) are never touched, and a classifier already decided on
   * gets no new suggestion, unless a rejected label's evidence changed materially
   * (`services/labelMateriality.ts`): then it is suggested again.
   */
  private async replaceSuggestedLabels(
    trx: Knex.Transaction,
    columns: IngestedAsset[],
    knownRefs: Set<string>,
    runId: string,
    now: string,
  ) {
    if (columns.length === 0) return;
    const wanted = new Map(columns.map(c => [c.ref, new Set(c.labels.map(l => l.classifierId))]));
    const stale: string[] = [];
    // A column new to the catalog has no labels yet: only known ones need looking at.
    const known = columns.filter(c => knownRefs.has(c.ref)).map(c => c.ref);
    for (const part of chunks(known, REFS_PER_STATEMENT)) {
      const rows: Pick<LabelRow, 'id' | 'asset_ref' | 'classifier_id'>[] = await trx(LABELS_TABLE)
        .select('id', 'asset_ref', 'classifier_id')
        .whereIn('asset_ref', part)
        .andWhere('status', 'suggested');
      for (const row of rows) {
        if (!wanted.get(row.asset_ref)?.has(row.classifier_id)) stale.push(row.id);
      }
    }
    for (const part of chunks(stale, REFS_PER_STATEMENT)) {
      await trx(LABELS_TABLE).delete().whereIn('id', part).andWhere('status', 'suggested');
    }
    // A rejected label whose evidence changed materially is suggested again (labelMateriality).
    await resuggestMaterialChanges(
      trx,
      columns.filter(c => knownRefs.has(c.ref)),
      runId,
      now,
    );
    const rows = columns.flatMap(column =>
      column.labels.map(label => ({
        id: crypto.randomUUID(),
        asset_ref: column.ref,
        data_source_id: column.dataSourceId,
        classifier_id: label.classifierId,
        confidence: label.confidence,
        status: 'suggested',
        evidence: JSON.stringify(label.evidence),
        run_id: runId,
        created_at: now,
        updated_at: now,
        sensitivity: label.sensitivity ?? null,
        categories: JSON.stringify(label.categories ?? []),
      })),
    );
    for (const part of chunks(rows, ROWS_PER_STATEMENT)) {
      await trx(LABELS_TABLE)
        .insert(part)
        .onConflict(['asset_ref', 'classifier_id'])
        .merge([
          'confidence',
          'evidence',
          'run_id',
          'updated_at',
          'data_source_id',
          'sensitivity',
          'categories',
        ])
        .where(`${LABELS_TABLE}.status`, 'suggested');
    }
  }

  async markVanishedTables(input: {
    dataSourceId: string;
    startedAt: string;
    seenPaths: Set<string>;
    now: string;
  }): Promise<MarkVanishedResult> {
    const { dataSourceId, startedAt, seenPaths, now } = input;
    return this.knex.transaction(async trx => {
      const candidates: { ref: string; path: string }[] = await trx(ASSETS_TABLE)
        .select('ref', 'path')
        .where({ data_source_id: dataSourceId, status: 'active' })
        .whereIn('type', ['table', 'view'])
        .andWhere('last_seen_at', '<', startedAt);
      const tableRefs = candidates.filter(c => !seenPaths.has(c.path)).map(c => c.ref);
      const columnRefs: string[] = [];
      for (const part of chunks(tableRefs, REFS_PER_STATEMENT)) {
        const columns: { ref: string }[] = await trx(ASSETS_TABLE)
          .select('ref')
          .whereIn('parent_ref', part)
          .andWhere({ type: 'column', status: 'active' });
        columnRefs.push(...columns.map(c => c.ref));
      }
      for (const part of chunks([...tableRefs, ...columnRefs], REFS_PER_STATEMENT)) {
        await trx(ASSETS_TABLE).update({ status: 'deleted', updated_at: now }).whereIn('ref', part);
      }

      // A schema (then a database) not seen by the run and left with no active child is gone too.
      const containerRefs: string[] = [];
      for (const type of ['schema', 'database'] as const) {
        const empty: { ref: string }[] = await trx(ASSETS_TABLE)
          .select('ref')
          .where({ data_source_id: dataSourceId, type, status: 'active' })
          .andWhere('last_seen_at', '<', startedAt)
          .whereNotExists(q =>
            q
              .select(trx.raw('1'))
              .from(`${ASSETS_TABLE} as child`)
              .whereRaw('child.parent_ref = ??', [`${ASSETS_TABLE}.ref`])
              .andWhere('child.status', 'active'),
          );
        const refs = empty.map(r => r.ref);
        for (const part of chunks(refs, REFS_PER_STATEMENT)) {
          await trx(ASSETS_TABLE)
            .update({ status: 'deleted', updated_at: now })
            .whereIn('ref', part);
        }
        containerRefs.push(...refs);
      }
      return { tableRefs, columnRefs, containerRefs };
    });
  }

  async markDataSourceAssetsDeleted(input: {
    dataSourceId: string;
    limit: number;
    now: string;
  }): Promise<string[]> {
    const { dataSourceId, limit, now } = input;
    return this.retryOnConflict(() =>
      this.knex.transaction(async trx => {
        // Unordered, so that the source index stops at `limit` instead of sorting them all.
        const rows: { ref: string }[] = await trx(ASSETS_TABLE)
          .select('ref')
          .where({ data_source_id: dataSourceId, status: 'active' })
          .limit(limit);
        // Written in ref order, as ingestion writes, so concurrent batches lock alike.
        const refs = rows.map(r => r.ref).sort();
        for (const part of chunks(refs, REFS_PER_STATEMENT)) {
          await trx(ASSETS_TABLE)
            .update({ status: 'deleted', updated_at: now })
            .whereIn('ref', part)
            .andWhere('status', 'active');
        }
        return refs;
      }),
    );
  }

  async listAssets(
    filter: AssetFilter,
    page: { limit: number; cursor?: string },
  ): Promise<Page<StoredAsset>> {
    const query = this.knex(ASSETS_TABLE).select(...LISTED_COLUMNS);
    if (filter.status !== 'all') query.where('status', filter.status);
    if (filter.dataSourceId) query.where('data_source_id', filter.dataSourceId);
    if (filter.types?.length) query.whereIn('type', filter.types);
    if (filter.parentRef) query.where('parent_ref', filter.parentRef);
    if (filter.workspace) query.where('workspace', filter.workspace);
    if (filter.access) applyAccessFilter(query, filter.access);
    if (filter.query) {
      const pattern = likePattern(filter.query.toLowerCase(), 'contains');
      query.where(q =>
        q
          .whereRaw(`name_lower like ? escape '\\'`, [pattern])
          .orWhereRaw(`qualified_name_lower like ? escape '\\'`, [pattern]),
      );
    }
    if (filter.classifierId) {
      const classifierId = filter.classifierId;
      query.whereExists(q =>
        q
          .select(this.knex.raw('1'))
          .from(LABELS_TABLE)
          .whereRaw('??.asset_ref = ??.ref', [LABELS_TABLE, ASSETS_TABLE])
          .andWhereRaw('lower(??) = ?', [
            `${LABELS_TABLE}.classifier_id`,
            classifierId.toLowerCase(),
          ])
          .andWhereNot(`${LABELS_TABLE}.status`, 'rejected'),
      );
    }
    afterCursor(query, 'qualified_name', page.cursor);
    const rows: ListedRow[] = await query
      .orderBy([{ column: 'qualified_name' }, { column: 'ref' }])
      .limit(page.limit + 1);
    return this.page(rows, page.limit, last => last.qualified_name);
  }

  async listChildren(
    parentRef: string | null,
    options: { status: StatusFilter; limit: number; cursor?: string; access?: AccessFilter },
  ): Promise<Page<StoredAsset>> {
    const query = this.knex(ASSETS_TABLE).select(...LISTED_COLUMNS);
    if (parentRef === null) query.where('type', 'datasource');
    else query.where('parent_ref', parentRef);
    if (options.status !== 'all') query.where('status', options.status);
    if (options.access) applyAccessFilter(query, options.access);
    afterCursor(query, 'name', options.cursor);
    const rows: ListedRow[] = await query
      .orderBy([{ column: 'name' }, { column: 'ref' }])
      .limit(options.limit + 1);
    return this.page(rows, options.limit, last => last.name);
  }

  private page(
    rows: ListedRow[],
    limit: number,
    keyOf: (row: ListedRow) => string,
  ): Page<StoredAsset> {
    const more = rows.length > limit;
    const items = more ? rows.slice(0, limit) : rows;
    const last = items[items.length - 1];
    return {
      items: items.map(toAsset),
      nextCursor: more && last ? encodeCursor(keyOf(last), last.ref) : null,
    };
  }

  async getAssets(refs: string[]): Promise<StoredAsset[]> {
    const out: StoredAsset[] = [];
    for (const part of chunks([...new Set(refs)], REFS_PER_STATEMENT)) {
      const rows: ListedRow[] = await this.knex(ASSETS_TABLE)
        .select(...LISTED_COLUMNS)
        .whereIn('ref', part);
      out.push(...rows.map(toAsset));
    }
    return out;
  }

  async countChildren(
    refs: string[],
    status: StatusFilter,
    access: AccessFilter = { result: 'all' },
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const part of chunks([...new Set(refs)], REFS_PER_STATEMENT)) {
      const query = this.knex(ASSETS_TABLE)
        .select(`${ASSETS_TABLE}.parent_ref`)
        .count({ count: '*' })
        .whereIn(`${ASSETS_TABLE}.parent_ref`, part)
        .groupBy(`${ASSETS_TABLE}.parent_ref`);
      if (status !== 'all') query.where(`${ASSETS_TABLE}.status`, status);
      applyAccessFilter(query, access);
      const rows = (await query) as unknown as { parent_ref: string; count: number | string }[];
      for (const row of rows) counts.set(row.parent_ref, Number(row.count));
    }
    return counts;
  }

  async labelsOf(refs: string[]): Promise<StoredLabel[]> {
    const out: StoredLabel[] = [];
    for (const part of chunks([...new Set(refs)], REFS_PER_STATEMENT)) {
      const rows: LabelRow[] = await this.knex(LABELS_TABLE)
        .select('*')
        .whereIn('asset_ref', part)
        .orderBy([{ column: 'confidence', order: 'desc' }, { column: 'classifier_id' }]);
      out.push(...rows.map(toLabel));
    }
    return out;
  }

  async refreshSensitivity(refs: string[]): Promise<void> {
    await this.knex.transaction(async trx => {
      // A column's labels count for its table too.
      const parents: string[] = [];
      for (const part of chunks([...new Set(refs)], REFS_PER_STATEMENT)) {
        const rows: { parent_ref: string | null }[] = await trx(ASSETS_TABLE)
          .select('parent_ref')
          .whereIn('ref', part)
          .andWhere('type', 'column');
        for (const row of rows) if (row.parent_ref) parents.push(row.parent_ref);
      }
      await this.refreshSensitivityIn(trx, [...refs, ...parents]);
    });
  }

  /**
   * An asset's sensitivity is its curated override, else the highest sensitivity of its
   * labels that nobody rejected (a table's includes its columns'); unclassified is null.
   */
  private async refreshSensitivityIn(trx: Knex.Transaction, refs: string[]): Promise<void> {
    for (const part of chunks([...new Set(refs)], REFS_PER_STATEMENT)) {
      const assets: Pick<
        AssetRow,
        'ref' | 'type' | 'sensitivity' | 'sensitivity_override' | 'parent_ref'
      >[] = await trx(ASSETS_TABLE)
        .select('ref', 'type', 'sensitivity', 'sensitivity_override', 'parent_ref')
        .whereIn('ref', part);
      const tables = assets.filter(a => a.type === 'table' || a.type === 'view').map(a => a.ref);
      const columnsOf = new Map<string, string>();
      for (const tablePart of chunks(tables, REFS_PER_STATEMENT)) {
        const columns: { ref: string; parent_ref: string }[] = await trx(ASSETS_TABLE)
          .select('ref', 'parent_ref')
          .whereIn('parent_ref', tablePart)
          .andWhere({ type: 'column', status: 'active' });
        for (const c of columns) columnsOf.set(c.ref, c.parent_ref);
      }
      const labelled = [...part, ...columnsOf.keys()];
      const highest = new Map<string, number>();
      for (const labelPart of chunks(labelled, REFS_PER_STATEMENT)) {
        const labels: { asset_ref: string; sensitivity: string | null }[] = await trx(LABELS_TABLE)
          .select('asset_ref', 'sensitivity')
          .whereIn('asset_ref', labelPart)
          .whereNot('status', 'rejected')
          .whereNotNull('sensitivity');
        for (const label of labels) {
          const rank = sensitivityRank(label.sensitivity as SensitivityLevel);
          for (const ref of [label.asset_ref, columnsOf.get(label.asset_ref)]) {
            if (ref) highest.set(ref, Math.max(highest.get(ref) ?? 0, rank));
          }
        }
      }
      for (const asset of assets) {
        const derivedRank = highest.get(asset.ref) ?? 0;
        const level =
          (asset.sensitivity_override as SensitivityLevel | null) ??
          (derivedRank > 0 ? sensitivityLevels[derivedRank - 1] : null);
        if (level === asset.sensitivity) continue;
        await trx(ASSETS_TABLE)
          .update({ sensitivity: level, sensitivity_rank: sensitivityRank(level) })
          .where('ref', asset.ref);
      }
    }
  }
}
