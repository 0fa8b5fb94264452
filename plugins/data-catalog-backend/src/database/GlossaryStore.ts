import crypto from 'node:crypto';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type {
  GlossaryStatus,
  GlossaryTerm,
  GlossaryTermDetails,
} from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';
import { FACETS_TABLE, GLOSSARY_TABLE } from './searchMigration';

type TermRow = {
  id: string;
  name: string;
  name_lower: string;
  definition: string;
  synonyms: string;
  related: string;
  parent_id: string | null;
  status: string;
  created_by: string;
  updated_by: string;
  approved_by: string | null;
  approved_at: string | null;
  version: number | string;
  created_at: string;
  updated_at: string;
};

export interface TermInput {
  name: string;
  definition: string;
  synonyms: string[];
  related: string[];
  parentId: string | null;
}

function parseList(text: string): string[] {
  try {
    const value = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

const MAX_DEPTH = 20;
/** Bounds of `search`: words of a query, terms returned. */
const MAX_SEARCH_WORDS = 8;
const MAX_SEARCH_LIMIT = 100;

/** The business glossary: a tree of terms (parent_id), each draft until someone approves it. */
export class KnexGlossaryStore {
  constructor(private readonly knex: Knex) {}

  async list(filter: {
    query?: string;
    status?: GlossaryStatus;
    parentId?: string | null;
    ids?: string[];
  }): Promise<GlossaryTerm[]> {
    const query = this.knex(GLOSSARY_TABLE).select('*').orderBy('name_lower').limit(1000);
    if (filter.status) query.where('status', filter.status);
    if (filter.parentId !== undefined) {
      if (filter.parentId === null) query.whereNull('parent_id');
      else query.where('parent_id', filter.parentId);
    }
    if (filter.ids) query.whereIn('id', filter.ids.length ? filter.ids : ['']);
    if (filter.query) {
      const pattern = `%${filter.query.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
      query.where(q =>
        q
          .whereRaw(`name_lower like ? escape '\\'`, [pattern])
          .orWhereRaw(`lower(synonyms) like ? escape '\\'`, [pattern]),
      );
    }
    return this.withCounts(await query);
  }

  /**
   * Terms whose name, synonyms or definition hold every word of `text` (case-insensitive;
   * each word may be in a different field), at most `limit` of them, best first: the exact
   * name, an exact synonym, a name starting with the text, a name or a synonym containing
   * it, then the rest (found in the definition or word by word), each group by name.
   */
  async search(text: string, limit: number): Promise<GlossaryTerm[]> {
    const phrase = text.trim().toLowerCase().replace(/\s+/g, ' ').slice(0, 200);
    const words = [...new Set(phrase.split(' ').filter(Boolean))].slice(0, MAX_SEARCH_WORDS);
    if (words.length === 0) return [];
    const like = (value: string) => value.replace(/[\\%_]/g, c => `\\${c}`);
    const query = this.knex(GLOSSARY_TABLE)
      .select('*')
      .limit(Math.max(1, Math.min(Math.floor(limit), MAX_SEARCH_LIMIT)));
    for (const word of words) {
      const pattern = `%${like(word)}%`;
      query.where(q =>
        q
          .whereRaw(`name_lower like ? escape '\\'`, [pattern])
          .orWhereRaw(`lower(synonyms) like ? escape '\\'`, [pattern])
          .orWhereRaw(`lower(definition) like ? escape '\\'`, [pattern]),
      );
    }
    // Synonyms are stored as a JSON array: an exact synonym is its JSON string inside it.
    query.orderByRaw(
      `case
        when name_lower = ? then 0
        when lower(synonyms) like ? escape '\\' then 1
        when name_lower like ? escape '\\' then 2
        when name_lower like ? escape '\\' then 3
        when lower(synonyms) like ? escape '\\' then 4
        else 5
      end`,
      [
        phrase,
        `%${like(JSON.stringify(phrase))}%`,
        `${like(phrase)}%`,
        `%${like(phrase)}%`,
        `%${like(phrase)}%`,
      ],
    );
    query.orderBy([{ column: 'name_lower' }, { column: 'id' }]);
    return this.withCounts(await query);
  }

  async get(id: string): Promise<GlossaryTermDetails> {
    const row: TermRow | undefined = await this.knex(GLOSSARY_TABLE).where('id', id).first();
    if (!row) throw new NotFoundError(`No glossary term ${id}`);
    const [term] = await this.withCounts([row]);
    const ancestors: { id: string; name: string }[] = [];
    let parentId = row.parent_id;
    for (let depth = 0; parentId && depth < MAX_DEPTH; depth++) {
      const parent: TermRow | undefined = await this.knex(GLOSSARY_TABLE)
        .where('id', parentId)
        .first();
      if (!parent) break;
      ancestors.unshift({ id: parent.id, name: parent.name });
      parentId = parent.parent_id;
    }
    const children = await this.list({ parentId: id });
    const relatedRows: TermRow[] = term.related.length
      ? await this.knex(GLOSSARY_TABLE).select('*').whereIn('id', term.related)
      : [];
    return {
      ...term,
      ancestors,
      children,
      relatedTerms: relatedRows.map(r => ({
        id: r.id,
        name: r.name,
        status: r.status as GlossaryStatus,
      })),
    };
  }

  async create(input: TermInput, actor: string, now: string): Promise<GlossaryTerm> {
    const id = crypto.randomUUID();
    await this.knex.transaction(async trx => {
      await this.validate(trx, id, input);
      await trx(GLOSSARY_TABLE).insert({
        id,
        name: input.name,
        name_lower: input.name.toLowerCase(),
        definition: input.definition,
        synonyms: JSON.stringify(input.synonyms),
        related: JSON.stringify(input.related),
        parent_id: input.parentId,
        status: 'draft',
        created_by: actor,
        updated_by: actor,
        version: 1,
        created_at: now,
        updated_at: now,
      });
    });
    return (await this.list({ ids: [id] }))[0];
  }

  /**
   * Changes a term. A changed definition, name or synonyms sends an approved term back to
   * draft: the approval vouched for the earlier wording.
   */
  async update(
    id: string,
    patch: Partial<TermInput>,
    actor: string,
    now: string,
  ): Promise<{ term: GlossaryTerm; before: GlossaryTerm; reworded: boolean }> {
    const before = (await this.list({ ids: [id] }))[0];
    if (!before) throw new NotFoundError(`No glossary term ${id}`);
    const next: TermInput = {
      name: patch.name ?? before.name,
      definition: patch.definition ?? before.definition,
      synonyms: patch.synonyms ?? before.synonyms,
      related: patch.related ?? before.related,
      parentId: patch.parentId !== undefined ? patch.parentId : before.parentId,
    };
    const reworded =
      next.name !== before.name ||
      next.definition !== before.definition ||
      JSON.stringify(next.synonyms) !== JSON.stringify(before.synonyms);
    await this.knex.transaction(async trx => {
      await this.validate(trx, id, next);
      await trx(GLOSSARY_TABLE)
        .update({
          name: next.name,
          name_lower: next.name.toLowerCase(),
          definition: next.definition,
          synonyms: JSON.stringify(next.synonyms),
          related: JSON.stringify(next.related),
          parent_id: next.parentId,
          status: reworded ? 'draft' : before.status,
          approved_by: reworded ? null : before.approvedBy,
          approved_at: reworded ? null : before.approvedAt,
          updated_by: actor,
          version: before.version + 1,
          updated_at: now,
        })
        .where('id', id);
    });
    return { term: (await this.list({ ids: [id] }))[0], before, reworded };
  }

  async approve(id: string, actor: string, now: string): Promise<GlossaryTerm> {
    const term = (await this.list({ ids: [id] }))[0];
    if (!term) throw new NotFoundError(`No glossary term ${id}`);
    if (term.status === 'approved')
      throw new ConflictError(`Term ${term.name} is already approved`);
    if (term.createdBy === actor && term.updatedBy === actor) {
      // Four eyes: the only author of a wording does not approve it.
      throw new ConflictError('A term is approved by someone other than its author');
    }
    await this.knex(GLOSSARY_TABLE)
      .update({
        status: 'approved',
        approved_by: actor,
        approved_at: now,
        version: term.version + 1,
        updated_at: now,
      })
      .where({ id, status: 'draft' });
    return (await this.list({ ids: [id] }))[0];
  }

  /** Deletes a term without children; it is detached from every asset by the caller first. */
  async delete(id: string): Promise<GlossaryTerm> {
    const term = (await this.list({ ids: [id] }))[0];
    if (!term) throw new NotFoundError(`No glossary term ${id}`);
    if (term.childCount > 0)
      throw new ConflictError(`Term ${term.name} has ${term.childCount} child term(s)`);
    await this.knex(GLOSSARY_TABLE).delete().where('id', id);
    return term;
  }

  /** Ids among `ids` that are not approved terms. */
  async notApproved(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string }[] = await this.knex(GLOSSARY_TABLE)
      .select('id')
      .whereIn('id', ids)
      .andWhere('status', 'approved');
    const approved = new Set(rows.map(r => r.id));
    return ids.filter(id => !approved.has(id));
  }

  /** Term names by id. */
  async names(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows: { id: string; name: string }[] = await this.knex(GLOSSARY_TABLE)
        .select('id', 'name')
        .whereIn('id', ids.slice(i, i + 500));
      for (const r of rows) out.set(r.id, r.name);
    }
    return out;
  }

  private async validate(trx: Knex.Transaction, id: string, input: TermInput) {
    if (input.parentId) {
      // The parent must exist and must not be the term itself or one of its descendants.
      let cursor: string | null = input.parentId;
      for (let depth = 0; cursor; depth++) {
        if (cursor === id || depth > MAX_DEPTH)
          throw new InputError('Invalid body: parentId: would make a cycle');
        const parent: { parent_id: string | null } | undefined = await trx(GLOSSARY_TABLE)
          .select('parent_id')
          .where('id', cursor)
          .first();
        if (!parent) throw new InputError(`Invalid body: parentId: no term ${cursor}`);
        cursor = parent.parent_id;
      }
    }
    const related = input.related.filter(r => r !== id);
    if (related.length !== input.related.length)
      throw new InputError('Invalid body: related: a term is not related to itself');
    if (related.length) {
      const found: { id: string }[] = await trx(GLOSSARY_TABLE).select('id').whereIn('id', related);
      const missing = related.filter(r => !found.some(f => f.id === r));
      if (missing.length) throw new InputError(`Invalid body: related: no term ${missing[0]}`);
    }
    const sibling = trx(GLOSSARY_TABLE)
      .select('id')
      .where('name_lower', input.name.toLowerCase())
      .whereNot('id', id)
      .first();
    if (input.parentId) sibling.where('parent_id', input.parentId);
    else sibling.whereNull('parent_id');
    if (await sibling)
      throw new ConflictError(`A term named ${input.name} already exists at this level`);
  }

  private async withCounts(rows: TermRow[]): Promise<GlossaryTerm[]> {
    const ids = rows.map(r => r.id);
    const children = new Map<string, number>();
    const assets = new Map<string, number>();
    if (ids.length) {
      const childRows = (await this.knex(GLOSSARY_TABLE)
        .select('parent_id')
        .count({ count: '*' })
        .whereIn('parent_id', ids)
        .groupBy('parent_id')) as unknown as { parent_id: string; count: number | string }[];
      for (const r of childRows) children.set(r.parent_id, Number(r.count));
      const assetRows = (await this.knex(FACETS_TABLE)
        .select('value')
        .count({ count: '*' })
        .where('facet', 'term')
        .whereIn('value', ids)
        .groupBy('value')) as unknown as { value: string; count: number | string }[];
      for (const r of assetRows) assets.set(r.value, Number(r.count));
    }
    return rows.map(r => ({
      id: r.id,
      name: r.name,
      definition: r.definition,
      synonyms: parseList(r.synonyms),
      related: parseList(r.related),
      parentId: r.parent_id,
      status: r.status as GlossaryStatus,
      createdBy: r.created_by,
      updatedBy: r.updated_by,
      approvedBy: r.approved_by,
      approvedAt: r.approved_at,
      version: Number(r.version),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      childCount: children.get(r.id) ?? 0,
      assetCount: assets.get(r.id) ?? 0,
    }));
  }
}
