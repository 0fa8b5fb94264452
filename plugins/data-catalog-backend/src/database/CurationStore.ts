import crypto from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  sensitivityRank,
  type AssetHistoryEntry,
  type SensitivityLevel,
} from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';
import { ASSETS_TABLE } from './migrations';
import { ASSET_HISTORY_TABLE, FACETS_TABLE, GLOSSARY_TABLE } from './searchMigration';

/** The curated fields of an asset; each one given replaces the current value. */
export interface CuratedFields {
  description: string | null;
  owners: string[];
  stewards: string[];
  tags: string[];
  /** Glossary term ids. */
  terms: string[];
  properties: Record<string, unknown>;
  /** A steward's sensitivity, over the one the labels give; null: the labels decide. */
  sensitivity: SensitivityLevel | null;
}

export type CurationPatch = Partial<CuratedFields>;

export interface CurationResult {
  ref: string;
  version: number;
  /** Only the fields that changed. */
  changes: Record<string, { from: unknown; to: unknown }>;
  dataSourceId: string;
  workspace: string;
}

type CuratedRow = {
  ref: string;
  data_source_id: string;
  workspace: string;
  description: string | null;
  owners: string;
  stewards: string;
  tags: string;
  terms: string;
  properties: string;
  sensitivity_override: string | null;
  version: number | string;
};

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function curatedOf(row: CuratedRow): CuratedFields {
  return {
    description: row.description,
    owners: parseJson<string[]>(row.owners, []),
    stewards: parseJson<string[]>(row.stewards, []),
    tags: parseJson<string[]>(row.tags, []),
    terms: parseJson<string[]>(row.terms, []),
    properties: parseJson<Record<string, unknown>>(row.properties, {}),
    sensitivity: (row.sensitivity_override as SensitivityLevel | null) ?? null,
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const FACET_FIELDS = { tags: 'tag', owners: 'owner', stewards: 'steward', terms: 'term' } as const;

/**
 * Curation writes: every change bumps the asset's version and appends one history entry with
 * the changed fields (before and after), in the same transaction as the change.
 */
export class KnexCurationStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Applies `patchOf(current)` to each asset. Refs that do not exist fail the whole call;
   * an asset the patch leaves unchanged gets no new version.
   */
  async curate(
    refs: string[],
    patchOf: (current: CuratedFields) => CurationPatch,
    context: { actor: string; now: string; summary: string; expectedVersion?: number },
  ): Promise<CurationResult[]> {
    return this.knex.transaction(async trx => {
      const rows: CuratedRow[] = await trx(ASSETS_TABLE)
        .select(
          'ref',
          'data_source_id',
          'workspace',
          'description',
          'owners',
          'stewards',
          'tags',
          'terms',
          'properties',
          'sensitivity_override',
          'version',
        )
        .whereIn('ref', refs);
      const byRef = new Map(rows.map(r => [r.ref, r]));
      const missing = refs.filter(r => !byRef.has(r));
      if (missing.length) throw new NotFoundError(`No asset ${missing.slice(0, 3).join(', ')}`);

      const results: CurationResult[] = [];
      for (const ref of [...new Set(refs)].sort()) {
        const row = byRef.get(ref)!;
        const version = Number(row.version);
        if (context.expectedVersion !== undefined && context.expectedVersion !== version) {
          throw new ConflictError(
            `${ref} is at version ${version}, not ${context.expectedVersion}: reload and retry`,
          );
        }
        const before = curatedOf(row);
        const patch = patchOf(before);
        const after: CuratedFields = { ...before, ...patch };
        const changes: CurationResult['changes'] = {};
        for (const key of Object.keys(patch) as (keyof CuratedFields)[]) {
          if (!same(before[key], after[key])) changes[key] = { from: before[key], to: after[key] };
        }
        if (Object.keys(changes).length === 0) continue;

        const next = version + 1;
        await trx(ASSETS_TABLE)
          .update({
            description: after.description,
            owners: JSON.stringify(after.owners),
            owner: after.owners[0] ?? null,
            stewards: JSON.stringify(after.stewards),
            tags: JSON.stringify(after.tags),
            terms: JSON.stringify(after.terms),
            properties: JSON.stringify(after.properties),
            sensitivity_override: after.sensitivity,
            search_curated: await this.curatedText(trx, after),
            version: next,
            updated_at: context.now,
          })
          .where('ref', ref);
        if ('sensitivity' in changes && after.sensitivity) {
          // An override applies at once; without one, the labels decide (refreshSensitivity).
          await trx(ASSETS_TABLE)
            .update({
              sensitivity: after.sensitivity,
              sensitivity_rank: sensitivityRank(after.sensitivity),
            })
            .where('ref', ref);
        }
        for (const [field, facet] of Object.entries(FACET_FIELDS) as [
          keyof typeof FACET_FIELDS,
          string,
        ][]) {
          if (!(field in changes)) continue;
          await trx(FACETS_TABLE).delete().where({ asset_ref: ref, facet });
          const values = [...new Set(after[field])];
          if (values.length)
            await trx(FACETS_TABLE).insert(values.map(value => ({ facet, value, asset_ref: ref })));
        }
        await trx(ASSET_HISTORY_TABLE).insert({
          id: crypto.randomUUID(),
          asset_ref: ref,
          version: next,
          actor: context.actor,
          summary: context.summary,
          changes: JSON.stringify(changes),
          created_at: context.now,
        });
        results.push({
          ref,
          version: next,
          changes,
          dataSourceId: row.data_source_id,
          workspace: row.workspace,
        });
      }
      return results;
    });
  }

  /** Rewrites the curated search words of assets (after a glossary term was renamed). */
  async refreshCuratedText(refs: string[]): Promise<void> {
    await this.knex.transaction(async trx => {
      for (let i = 0; i < refs.length; i += 500) {
        const rows: CuratedRow[] = await trx(ASSETS_TABLE)
          .select('*')
          .whereIn('ref', refs.slice(i, i + 500));
        for (const row of rows) {
          await trx(ASSETS_TABLE)
            .update({ search_curated: await this.curatedText(trx, curatedOf(row)) })
            .where('ref', row.ref);
        }
      }
    });
  }

  async history(
    ref: string,
    page: { limit: number; before?: number },
  ): Promise<{ items: AssetHistoryEntry[]; nextBefore: number | null }> {
    const query = this.knex(ASSET_HISTORY_TABLE)
      .select('*')
      .where('asset_ref', ref)
      .orderBy('version', 'desc')
      .limit(page.limit + 1);
    if (page.before !== undefined) query.where('version', '<', page.before);
    const rows: {
      version: number | string;
      actor: string;
      summary: string;
      changes: string;
      created_at: string;
    }[] = await query;
    const more = rows.length > page.limit;
    const items = (more ? rows.slice(0, page.limit) : rows).map(r => ({
      version: Number(r.version),
      actor: r.actor,
      summary: r.summary,
      changes: parseJson<AssetHistoryEntry['changes']>(r.changes, {}),
      changedAt: r.created_at,
    }));
    return { items, nextBefore: more ? items[items.length - 1].version : null };
  }

  /** Assets a glossary term is attached to. */
  async refsWithTerm(termId: string): Promise<string[]> {
    const rows: { asset_ref: string }[] = await this.knex(FACETS_TABLE)
      .select('asset_ref')
      .where({ facet: 'term', value: termId });
    return rows.map(r => r.asset_ref);
  }

  private async curatedText(trx: Knex.Transaction, fields: CuratedFields): Promise<string> {
    const terms: { name: string; synonyms: string }[] = fields.terms.length
      ? await trx(GLOSSARY_TABLE).select('name', 'synonyms').whereIn('id', fields.terms)
      : [];
    return [
      fields.description ?? '',
      ...fields.tags,
      ...fields.owners,
      ...fields.stewards,
      ...terms.flatMap(t => [t.name, ...parseJson<string[]>(t.synonyms, [])]),
      ...Object.values(fields.properties).filter(v => typeof v === 'string'),
    ]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
  }
}
