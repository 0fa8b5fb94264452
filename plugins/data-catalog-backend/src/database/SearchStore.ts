import { InputError } from '@backstage/errors';
import { applyAccessFilter, type AccessFilter } from '@racine/kernel-node';
import {
  sensitivityRank,
  type AssetStatus,
  type AssetType,
  type SensitivityLevel,
} from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';
import { ASSETS_TABLE, LABELS_TABLE } from './migrations';
import {
  FACETS_TABLE,
  FTS_TABLE,
  SEARCH_DOCUMENT_SQL,
  SEARCH_ORDER_INDEX,
  SEARCH_ORDER_SQL,
} from './searchMigration';
import { trigramSimilarity, trigramsOf } from './trigrams';

/** Dimensions the search can filter on and count. Values within one dimension are OR-ed. */
export const searchFacets = [
  'type',
  'dataSourceId',
  'schema',
  'label',
  'sensitivity',
  'tag',
  'owner',
  'term',
  'status',
] as const;
export type SearchFacet = (typeof searchFacets)[number];

export interface SearchFilters {
  type?: AssetType[];
  dataSourceId?: string[];
  schema?: string[];
  label?: string[];
  sensitivity?: SensitivityLevel[];
  tag?: string[];
  owner?: string[];
  term?: string[];
  /** Default: active assets only. */
  status?: AssetStatus[];
}

export interface SearchInput {
  query: string;
  filters: SearchFilters;
  access: AccessFilter;
  limit: number;
  cursor?: string;
  /** Count facets (the kernel's global search does not need them). */
  facets: boolean;
}

export interface SearchResult {
  refs: string[];
  /** Exact up to the store's total cap; beyond it, the cap (and `totalExact: false`). */
  total: number;
  /** False when more than `total` assets match (the count stopped at the cap). */
  totalExact: boolean;
  facets: Partial<Record<SearchFacet, { value: string; count: number }[]>>;
  /**
   * True when some facet was counted over a bounded sample of its matches (the first
   * `facetSample` the database finds), not over all of them.
   */
  facetsApproximate: boolean;
  nextCursor: string | null;
  /** True when nothing matched every word and the results are the closest spellings. */
  fuzzy: boolean;
}

const FACET_VALUES = 25;
const FUZZY_CANDIDATES = 400;
const FUZZY_KEEP = 200;
/** Per query word, how close (pg_trgm similarity of the best document word) a fuzzy hit must be. */
const FUZZY_THRESHOLD = 0.45;
const MAX_OFFSET = 10_000;
/** Totals are counted exactly up to this many matches. */
const TOTAL_CAP = 1_000;
/** Facets are counted exactly over at most this many matches, else over the first this many. */
const FACET_SAMPLE = 1_000;

export interface SearchStoreOptions {
  /** Count totals exactly up to this many matches (default 1,000). */
  totalCap?: number;
  /** Count facets over at most this many matches (default 1,000). */
  facetSample?: number;
}

/** The single-valued facets and the `catalog_assets` column each counts. */
const COLUMN_FACETS = {
  type: 'type',
  dataSourceId: 'data_source_id',
  schema: 'schema_name',
  sensitivity: 'sensitivity',
  status: 'status',
} as const;
type ColumnFacet = keyof typeof COLUMN_FACETS;
/** A match as the facet counting reads it: its ref and single-valued facet columns. */
type FacetRow = { ref: string } & Record<ColumnFacet, string | null>;

function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset }), 'utf8').toString('base64url');
}

function decodeOffset(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0) {
      if (value.o > MAX_OFFSET)
        throw new InputError('Invalid query: cursor: too deep; refine the search');
      return value.o;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
  }
  throw new InputError('Invalid query: cursor: not a cursor returned by this API');
}

/** FTS5 phrase: the text in double quotes, inner quotes doubled. */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Lower-cased words of a query (unicode-aware), without duplicates. */
export function queryWords(query: string): string[] {
  return [...new Set(query.toLowerCase().split(/\s+/).filter(Boolean))].slice(0, 12);
}

/**
 * Catalog search: every query word must appear in the asset's search document (names,
 * qualified name, description, column names, tags, owners, stewards, glossary terms); when
 * nothing does, the closest spellings by trigram similarity. Filters, facet counts and the
 * caller's ABAC filter are plain SQL over `catalog_assets`.
 */
export class KnexSearchStore {
  private readonly postgres: boolean;
  private readonly totalCap: number;
  private readonly facetSample: number;

  constructor(
    private readonly knex: Knex,
    options: SearchStoreOptions = {},
  ) {
    this.postgres = ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));
    this.totalCap = options.totalCap ?? TOTAL_CAP;
    this.facetSample = options.facetSample ?? FACET_SAMPLE;
  }

  async search(input: SearchInput): Promise<SearchResult> {
    const words = queryWords(input.query);
    const q = words.join(' ');
    const offset = decodeOffset(input.cursor);
    let matcher: (query: Knex.QueryBuilder) => void = () => {};
    let fuzzyOrder: string[] | null = null;

    if (words.length > 0) matcher = query => this.whereAllWords(query, words);
    const rankedPage = (broad: boolean, only?: (query: Knex.QueryBuilder) => void) => {
      // A broad search without text reads the ranking-order index until the page is full
      // (SQLite's planner would sort every match); PostgreSQL's planner picks it itself.
      // `only`: the matches are already known (their refs passed every filter and access).
      const query = (
        only
          ? this.knex(ASSETS_TABLE).where(only)
          : this.base(input, matcher, undefined, this.knex, broad && !q && !this.postgres)
      ).select(`${ASSETS_TABLE}.ref`);
      if (q) {
        query.orderByRaw(
          `case when name_lower = ? then 0 when qualified_name_lower = ? then 1
                when name_lower like ? escape '\\' then 2
                when qualified_name_lower like ? escape '\\' then 3 else 4 end`,
          [q, q, likePrefix(q), likePrefix(q)],
        );
      }
      for (const order of SEARCH_ORDER_SQL) query.orderByRaw(order);
      return query.offset(offset).limit(input.limit) as Promise<{ ref: string }[]>;
    };
    // The matches, up to the caps (one read): their count is the total, exact up to
    // `totalCap`; they are also the facet sample of the unfiltered dimensions.
    const matches = (await this.base(input, matcher)
      .select(`${ASSETS_TABLE}.ref`, ...this.facetColumns())
      .limit(Math.max(this.totalCap, this.facetSample) + 1)) as FacetRow[];
    const broad = matches.length > this.totalCap;
    let refs: string[];
    let total = Math.min(matches.length, this.totalCap);
    let totalExact = !broad;
    let sample: FacetRow[] | undefined = matches;
    if (broad && q) refs = (await this.broadTextPage(input, words, offset)).map(r => r.ref);
    else if (broad) refs = (await rankedPage(true)).map(r => r.ref);
    else if (matches.length === 0) refs = [];
    else {
      // Few matches: rank just them, by ref, without matching the words again.
      const known = matches.map(row => row.ref);
      refs = (
        await rankedPage(false, query => {
          if (this.postgres) query.whereRaw(`${ASSETS_TABLE}.ref = any(?::text[])`, [known]);
          else query.whereIn(`${ASSETS_TABLE}.ref`, known);
        })
      ).map(r => r.ref);
    }
    if (total === 0 && words.length > 0) {
      // Nothing the caller may see matches every word: the closest spellings instead.
      fuzzyOrder = await this.fuzzyCandidates(input, words);
      const kept = fuzzyOrder;
      matcher = query => {
        query.whereIn(`${ASSETS_TABLE}.ref`, kept.length ? kept : ['']);
      };
      // The candidates are few: filter them in SQL, keep the similarity order.
      const rows: { ref: string }[] = await this.base(input, matcher).select(`${ASSETS_TABLE}.ref`);
      const visible = new Set(rows.map(r => r.ref));
      const ordered = fuzzyOrder.filter(ref => visible.has(ref));
      total = ordered.length;
      totalExact = true;
      refs = ordered.slice(offset, offset + input.limit);
      sample = undefined;
    }

    let facets: SearchResult['facets'] = {};
    let facetsApproximate = false;
    if (input.facets)
      ({ facets, approximate: facetsApproximate } = await this.countFacets(input, matcher, sample));
    const more = totalExact
      ? offset + refs.length < total
      : refs.length === input.limit && offset + refs.length <= MAX_OFFSET;
    return {
      refs,
      total,
      totalExact,
      facets,
      facetsApproximate,
      nextCursor: more ? encodeOffset(offset + refs.length) : null,
      fuzzy: fuzzyOrder !== null,
    };
  }

  /**
   * Disjunctive facet counts (each dimension with every filter but its own), bounded: the
   * matches of each distinct filter set are sampled once, at most `facetSample + 1` rows
   * (the first the database finds, not the best ranked); when the sample holds them all
   * the counts are exact, else they are counts within the sample (`approximate`).
   */
  private async countFacets(
    input: SearchInput,
    matcher: (query: Knex.QueryBuilder) => void,
    /** The first matches of every filter, when already read (the unfiltered dimensions' sample). */
    known?: FacetRow[],
  ): Promise<{ facets: SearchResult['facets']; approximate: boolean }> {
    const f = input.filters;
    // A dimension is counted without its own filter; unfiltered ones share one sample.
    // `status` always has a filter (active by default).
    const groups = new Map<SearchFacet | undefined, SearchFacet[]>();
    for (const facet of searchFacets) {
      const filtered = facet === 'status' || (f[facet]?.length ?? 0) > 0;
      const key = filtered ? facet : undefined;
      groups.set(key, [...(groups.get(key) ?? []), facet]);
    }
    const facets: SearchResult['facets'] = {};
    let approximate = false;
    // PostgreSQL samples on several pooled connections at once.
    await Promise.all(
      [...groups].map(async ([except, dimensions]) => {
        const sample =
          except === undefined && known
            ? known.slice(0, this.facetSample + 1)
            : ((await this.base(input, matcher, except)
                .select(`${ASSETS_TABLE}.ref`, ...this.facetColumns())
                .limit(this.facetSample + 1)) as FacetRow[]);
        if (sample.length > this.facetSample) {
          approximate = true;
          sample.length = this.facetSample;
        }
        const counts = new Map<SearchFacet, Map<string, number>>(
          dimensions.map(dimension => [dimension, new Map()]),
        );
        const add = (dimension: SearchFacet, value: string, count: number) => {
          const values = counts.get(dimension);
          values?.set(value, (values.get(value) ?? 0) + count);
        };
        for (const row of sample) {
          for (const dimension of dimensions) {
            if (!(dimension in COLUMN_FACETS)) continue;
            const value = row[dimension as ColumnFacet];
            if (value !== null && value !== undefined) add(dimension, String(value), 1);
          }
        }
        for (const row of await this.countRelatedFacets(
          sample.map(row => row.ref),
          dimensions,
        ))
          add(row.facet, row.value, row.count);
        for (const [dimension, values] of counts) {
          facets[dimension] = [...values]
            .map(([value, count]) => ({ value, count }))
            .sort(
              (x, y) => y.count - x.count || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0),
            )
            .slice(0, FACET_VALUES);
        }
      }),
    );
    return { facets, approximate };
  }

  /** The single-valued facet columns, aliased by facet name. */
  private facetColumns(): Record<string, string>[] {
    return Object.entries(COLUMN_FACETS).map(([alias, column]) => ({
      [alias]: `${ASSETS_TABLE}.${column}`,
    }));
  }

  /** Label, tag, owner and term counts over the given assets (a bounded sample). */
  private async countRelatedFacets(
    refs: string[],
    dimensions: SearchFacet[],
  ): Promise<{ facet: SearchFacet; value: string; count: number }[]> {
    if (refs.length === 0) return [];
    const inRefs = (query: Knex.QueryBuilder) => {
      if (this.postgres) query.whereRaw('asset_ref = any(?::text[])', [refs]);
      else query.whereIn('asset_ref', refs);
      return query;
    };
    const curated = dimensions.filter(
      (d): d is 'tag' | 'owner' | 'term' => d === 'tag' || d === 'owner' || d === 'term',
    );
    const queries: Promise<{ facet: SearchFacet; value: string; count: number | string }[]>[] = [];
    if (dimensions.includes('label'))
      queries.push(
        inRefs(
          this.knex(LABELS_TABLE)
            .select({ facet: this.knex.raw("'label'"), value: 'classifier_id' })
            .count({ count: '*' })
            .whereNot('status', 'rejected')
            .groupBy('classifier_id'),
        ),
      );
    if (curated.length)
      queries.push(
        inRefs(
          this.knex(FACETS_TABLE)
            .select('facet', 'value')
            .count({ count: '*' })
            .whereIn('facet', curated)
            .groupBy('facet', 'value'),
        ),
      );
    return (await Promise.all(queries))
      .flat()
      .map(r => ({ facet: r.facet, value: String(r.value), count: Number(r.count) }));
  }

  /**
   * A query found in more than `totalCap` assets: the page in ranking order
   * without sorting every match. The assets whose name or qualified name starts with the
   * query (the first ranks) come from the name indexes; the others from the ranking-order
   * index, read until the page is full, each tested for the words.
   */
  private async broadTextPage(
    input: SearchInput,
    words: string[],
    offset: number,
  ): Promise<{ ref: string }[]> {
    const q = words.join(' ');
    // Every string that starts with q sorts (bytewise) between q and q + U+10FFFF; on
    // PostgreSQL compared in the "C" collation, which its name indexes use.
    const upper = `${q}\u{10FFFF}`;
    const bytewise = (column: string) => (this.postgres ? `${column} collate "C"` : column);
    const prefixOf = (column: string) => `(${bytewise(column)} >= ? and ${bytewise(column)} < ?)`;
    const startsWithQuery = (query: Knex.QueryBuilder) =>
      query.whereRaw(`(${prefixOf('name_lower')} or ${prefixOf('qualified_name_lower')})`, [
        q,
        upper,
        q,
        upper,
      ]);
    const containsWords = (query: Knex.QueryBuilder) => {
      const contains = this.postgres ? 'strpos' : 'instr';
      for (const word of words)
        query.whereRaw(`${contains}(${SEARCH_DOCUMENT_SQL}, ?) > 0`, [word]);
    };
    const head = this.base(input, containsWords).select(`${ASSETS_TABLE}.ref`);
    startsWithQuery(head).orderByRaw(
      `case when name_lower = ? then 0 when qualified_name_lower = ? then 1
            when ${prefixOf('name_lower')} then 2 else 3 end`,
      [q, q, q, upper],
    );
    for (const order of SEARCH_ORDER_SQL) head.orderByRaw(order);
    const headRows = (await head.limit(offset + input.limit)) as { ref: string }[];
    const page = headRows.slice(offset);
    if (page.length === input.limit) return page;
    // Fewer head rows than the page's end: there are exactly headRows.length of them.
    const tail = this.base(input, containsWords, undefined, this.knex, !this.postgres)
      .select(`${ASSETS_TABLE}.ref`)
      .whereNot(query => startsWithQuery(query));
    for (const order of SEARCH_ORDER_SQL) tail.orderByRaw(order);
    const tailRows = (await tail
      .offset(Math.max(0, offset - headRows.length))
      .limit(input.limit - page.length)) as { ref: string }[];
    return [...page, ...tailRows];
  }

  /** `catalog_assets` narrowed by the caller's access, the query words and every filter but `except`. */
  private base(
    input: SearchInput,
    matcher: (query: Knex.QueryBuilder) => void,
    except?: SearchFacet,
    db: Knex = this.knex,
    inRankingOrder = false,
  ): Knex.QueryBuilder {
    const query: Knex.QueryBuilder = inRankingOrder
      ? db.from(db.raw('?? indexed by ??', [ASSETS_TABLE, SEARCH_ORDER_INDEX]))
      : db(ASSETS_TABLE);
    applyAccessFilter(query, input.access);
    matcher(query);
    const f = input.filters;
    const col = (name: string) => `${ASSETS_TABLE}.${name}`;
    if (except !== 'type' && f.type?.length) query.whereIn(col('type'), f.type);
    if (except !== 'dataSourceId' && f.dataSourceId?.length)
      query.whereIn(col('data_source_id'), f.dataSourceId);
    if (except !== 'schema' && f.schema?.length) query.whereIn(col('schema_name'), f.schema);
    if (except !== 'sensitivity' && f.sensitivity?.length)
      query.whereIn(
        col('sensitivity_rank'),
        f.sensitivity.map(level => sensitivityRank(level)),
      );
    if (except !== 'status') query.whereIn(col('status'), f.status?.length ? f.status : ['active']);
    // `ref in (…)` lets both engines start from the (indexed) labels and facet rows; when
    // reading in ranking order, `exists` tests each row instead (SQLite would otherwise
    // skip-scan the ranking index for every listed ref).
    const related = (table: string, alias: string, narrow: (sub: Knex.QueryBuilder) => void) => {
      if (inRankingOrder) {
        const sub = db(`${table} as ${alias}`)
          .select(db.raw('1'))
          .whereRaw(`??.asset_ref = ??.ref`, [alias, ASSETS_TABLE]);
        narrow(sub);
        query.whereExists(sub);
      } else
        query.whereIn(col('ref'), sub => {
          sub.select(`${alias}.asset_ref`).from(`${table} as ${alias}`);
          narrow(sub);
        });
    };
    if (except !== 'label' && f.label?.length) {
      const labels = f.label.map(l => l.toLowerCase());
      related(LABELS_TABLE, 'fl', sub =>
        sub
          .whereRaw(`lower(fl.classifier_id) in (${labels.map(() => '?').join(', ')})`, labels)
          .whereNot('fl.status', 'rejected'),
      );
    }
    for (const facet of ['tag', 'owner', 'term'] as const) {
      const values = f[facet];
      if (except === facet || !values?.length) continue;
      related(FACETS_TABLE, 'ff', sub => sub.where('ff.facet', facet).whereIn('ff.value', values));
    }
    return query;
  }

  private whereAllWords(query: Knex.QueryBuilder, words: string[]) {
    if (this.postgres) {
      for (const word of words) {
        query.whereRaw(`${SEARCH_DOCUMENT_SQL} like ? escape '\\'`, [likeContains(word)]);
      }
      return;
    }
    // FTS5 trigram phrases need three characters; shorter words are plain substring tests.
    const indexed = words.filter(w => [...w].length >= 3);
    const short = words.filter(w => [...w].length < 3);
    if (indexed.length) {
      // A join, not `rowid in (…)`: the index then streams matches, so a bounded count or
      // facet sample stops early instead of first collecting every match.
      query
        .join(FTS_TABLE, `${FTS_TABLE}.rowid`, `${ASSETS_TABLE}.rowid`)
        .whereRaw(`${FTS_TABLE} match ?`, [indexed.map(ftsPhrase).join(' AND ')]);
    }
    for (const word of short) {
      query.whereRaw(`instr(${SEARCH_DOCUMENT_SQL}, ?) > 0`, [word]);
    }
  }

  /**
   * Typo tolerance: assets sharing trigrams with the query (pg_trgm's `<%` on PostgreSQL,
   * the FTS5 trigram index on SQLite), kept when every query word is close to some word of
   * the document, best first.
   */
  private async fuzzyCandidates(input: SearchInput, words: string[]): Promise<string[]> {
    const usable = words.filter(w => [...w].length >= 3);
    if (usable.length === 0) return [];
    let rows: { ref: string; doc: string; name_lower: string }[];
    if (this.postgres) {
      const q = usable.join(' ');
      rows = await this.knex.transaction(async trx => {
        // pg_trgm's default (0.6) misses one typo in a short word; `<%` still uses the index.
        await trx.raw(`select set_config('pg_trgm.word_similarity_threshold', ?, true)`, [
          String(FUZZY_THRESHOLD),
        ]);
        return this.base(
          input,
          query => {
            query.whereRaw(`? <% ${SEARCH_DOCUMENT_SQL}`, [q]);
          },
          undefined,
          trx,
        )
          .select(`${ASSETS_TABLE}.ref`, 'name_lower', trx.raw(`${SEARCH_DOCUMENT_SQL} as doc`))
          .orderByRaw(`word_similarity(?, ${SEARCH_DOCUMENT_SQL}) desc`, [q])
          .limit(FUZZY_CANDIDATES);
      });
    } else {
      // One edit leaves either half of a word intact: candidates contain the word's first
      // half or its second half as a substring (the trigram index answers both), per word.
      const match = usable
        .map(word => {
          const chars = [...word];
          const mid = Math.ceil(chars.length / 2);
          const halves = [chars.slice(0, mid), chars.slice(mid)]
            .filter(half => half.length >= 3)
            .map(half => ftsPhrase(half.join('')));
          // Short words: any of their trigrams.
          const parts = halves.length ? halves : trigramsOf(word, false).map(ftsPhrase);
          return `(${parts.join(' OR ')})`;
        })
        .join(' AND ');
      rows = await this.base(input, query => {
        query.whereRaw(
          `${ASSETS_TABLE}.rowid in (select rowid from ${FTS_TABLE} where ${FTS_TABLE} match ? limit ?)`,
          [match, FUZZY_CANDIDATES * 5],
        );
      }).select(
        `${ASSETS_TABLE}.ref`,
        'name_lower',
        this.knex.raw(`${SEARCH_DOCUMENT_SQL} as doc`),
      );
    }
    const scored = rows
      .map(row => {
        const docWords = row.doc.split(/[\s.]+/).filter(Boolean);
        const nameWords = row.name_lower.split(/[\s.]+/).filter(Boolean);
        let sum = 0;
        let nameSum = 0;
        for (const word of usable) {
          let best = 0;
          for (const candidate of docWords)
            best = Math.max(best, trigramSimilarity(word, candidate));
          if (best < FUZZY_THRESHOLD) return null;
          sum += best;
          let bestName = 0;
          for (const candidate of nameWords)
            bestName = Math.max(bestName, trigramSimilarity(word, candidate));
          nameSum += bestName;
        }
        return { ref: row.ref, score: sum + nameSum, length: row.name_lower.length };
      })
      .filter((s): s is { ref: string; score: number; length: number } => s !== null)
      .sort((a, b) => b.score - a.score || a.length - b.length || (a.ref < b.ref ? -1 : 1));
    return scored.slice(0, FUZZY_KEEP).map(s => s.ref);
  }
}
