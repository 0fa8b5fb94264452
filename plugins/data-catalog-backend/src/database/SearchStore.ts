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
  FACETS_BY_ASSET_INDEX,
  FACETS_TABLE,
  filterKeyMarker,
  FTS_TABLE,
  KEYED_FILTERS,
  NAME_RANK_INDEX,
  QUALIFIED_NAME_RANK_INDEX,
  FTS_VOCAB_TABLE,
  SEARCH_DOCUMENT_SQL,
  SEARCH_KEYS_TABLE,
  SEARCH_ORDER_INDEX,
  SEARCH_ORDER_SQL,
  SEARCH_TRIGRAMS_TABLE,
  SEARCH_UPKEEP_TABLE,
  TYPE_ORDER_INDEX,
} from './searchMigration';
import { trigramSimilarityTo, trigramsOf } from './trigrams';

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
/**
 * Per query word, how close (pg_trgm similarity of the best document word) a fuzzy hit must
 * be: one letter dropped from a word of five or six ('ordrs', 'numbr') is about 0.44.
 */
const FUZZY_THRESHOLD = 0.4;
const MAX_OFFSET = 10_000;
/** Totals are counted exactly up to this many matches. */
const TOTAL_CAP = 1_000;
/** Facets are counted exactly over at most this many matches, else over the first this many. */
const FACET_SAMPLE = 1_000;
/**
 * A first-ranks bucket of a broad text search with at least this many names is read by
 * walking the ranking-order index (it soon fills the page); a smaller one is sorted.
 */
const BUCKET_WALK_SIZE = 50_000;
/**
 * A text search, or one with a label, tag, owner or term filter, first reads its matches
 * (with those filters and access, not the column filters) once, with their facets: up to
 * this many under a column filter (and for a text search on SQLite), else the caps' worth
 * (see readFirstMatches). The matches, the total and the facet samples of the column
 * dimensions are worked out from these rows when they hold them all, or hold enough of
 * each to fill a sample; only what they cannot answer is queried again (PostgreSQL reads a
 * common word's whole trigram index for every statement, SQLite its full-text index for a
 * selective filter).
 */
const FIRST_READ_ROWS = 2_000;
/**
 * Reads that also sample the statuses the search leaves out read this much more than the
 * caps (most assets have the default status, active).
 */
const STATUS_MARGIN = 1.25;
/**
 * A name-prefix bucket with at most this many distinct names is merged per name: on SQLite
 * one statement arm per name; on PostgreSQL, in two rounds (see prefixBucketPostgres).
 */
const PREFIX_MERGE_NAMES = { sqlite: 200, postgres: 5_000 };
/**
 * SQLite: a filter's full-text keys are used when its values' assets are at most this share
 * of the catalog. A key's posting list is read along the words' (a word in one data source's
 * tables: 34 → 5 ms); a broad one costs more than the row lookups it saves (every column:
 * 10 → 52 ms for a common word).
 */
const FILTER_KEY_SHARE = 0.25;
/**
 * A long word is looked up by its two rarest trigrams, not one, when even the rarest is in
 * more than this share of the catalog (see textClauses): the second cuts the rows whose
 * whole text is checked in vain.
 */
const COMMON_TRIGRAM_SHARE = 0.1;
/** PostgreSQL: the search index upkeep counts trigrams in a sample of about this many documents. */
const TRIGRAM_SAMPLE = 100_000;
/** A smaller catalog's search is quick whatever its counts: its upkeep waits for the night. */
const UPKEEP_MINIMUM_ASSETS = 10_000;

export interface SearchStoreOptions {
  /** Count totals exactly up to this many matches (default 1,000). */
  totalCap?: number;
  /** Count facets over at most this many matches (default 1,000). */
  facetSample?: number;
  /** SQLite: walk the ranking-order index for a name-prefix bucket this large (default 50,000). */
  bucketWalkSize?: number;
  /** Rows of a search's first read (see FIRST_READ_ROWS; default 2,000; 0 skips it). */
  firstReadRows?: number;
  /**
   * Merge a name-prefix bucket per name up to this many names (default 200 on SQLite, 5,000
   * on PostgreSQL, which merges in two rounds; 0 never).
   */
  prefixMergeNames?: number;
  /**
   * SQLite: ask the full-text index for a filter's keys when its values' assets are at most
   * this share of the catalog (default 0.25; 0 never, 1 always).
   */
  filterKeyShare?: number;
  /** Ask for an early upkeep (`upkeepDue`) from this many assets on (default 10,000). */
  upkeepMinimumAssets?: number;
}

/**
 * Narrows a search's rows to its text (or to known refs): `without` names the filters the
 * query leaves out (SQLite's text matcher uses the others' full-text keys).
 */
type Matcher = (query: Knex.QueryBuilder, without: ReadonlySet<SearchFacet>) => void;
/** How a search's words are matched (see textClauses). */
interface TextClauses {
  /**
   * Substrings every match holds, each looked up in the trigram index (SQLite: FTS5 phrases;
   * PostgreSQL: `like`, which pg_trgm's GIN index answers).
   */
  lookups: string[];
  /** Words checked in the search document itself: those the lookups only narrow down to. */
  checked: string[];
}
type KeyedFilter = keyof typeof KEYED_FILTERS;

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
/** A text match as the one-pass read returns it: its facet columns and sensitivity rank. */
type ScannedRow = FacetRow & { sensitivityRank: number | string };
const COLUMN_FACET_NAMES = Object.keys(COLUMN_FACETS) as ColumnFacet[];
/** The output columns of `sampleColumns()`. */
const SAMPLE_COLUMNS = ['ref', ...COLUMN_FACET_NAMES] as const;

/**
 * The filters on the columns the name-rank indexes hold too (type, data source, sensitivity,
 * status), those `kept`: tested on their entries, such a filter needs no table read.
 */
function whereRankIndexColumns(
  query: Knex.QueryBuilder,
  f: SearchFilters,
  kept: (facet: SearchFacet) => boolean = () => true,
): Knex.QueryBuilder {
  const col = (name: string) => `${ASSETS_TABLE}.${name}`;
  if (kept('type') && f.type?.length) query.whereIn(col('type'), f.type);
  if (kept('dataSourceId') && f.dataSourceId?.length)
    query.whereIn(col('data_source_id'), f.dataSourceId);
  if (kept('sensitivity') && f.sensitivity?.length)
    query.whereIn(
      col('sensitivity_rank'),
      f.sensitivity.map(level => sensitivityRank(level)),
    );
  if (kept('status')) query.whereIn(col('status'), f.status?.length ? f.status : ['active']);
  return query;
}

/** Whether a read of the search's matches with every filter but `except` keeps a data source or schema filter. */
function keepsPlacement(f: SearchFilters, except?: SearchFacet): boolean {
  return Boolean(
    (except !== 'dataSourceId' && f.dataSourceId?.length) ||
    (except !== 'schema' && f.schema?.length),
  );
}

/**
 * SQLite: the index a read in ranking order walks. With one type, that type's own
 * (`TYPE_ORDER_INDEX`): the other types' assets are not passed on the way.
 */
function orderIndex(filters: SearchFilters): string {
  return filters.type?.length === 1 ? TYPE_ORDER_INDEX : SEARCH_ORDER_INDEX;
}

/** Whether the trigram indexes (FTS5 trigram, pg_trgm) can answer a search for `word`. */
function ftsIndexes(word: string): boolean {
  return [...word].length >= 3;
}

/** SEARCH_ORDER_SQL as sort keys: each expression, the alias a read gives it, its direction. */
const RANKING_KEYS = SEARCH_ORDER_SQL.map((order, i) => {
  const desc = order.endsWith(' desc');
  return { expr: desc ? order.slice(0, -5) : order, alias: `k${i}`, desc };
});

/** The ranking order of rows read with RANKING_KEYS (aliased), from `source`. */
function rankingKeysOrder(source: string): string {
  return RANKING_KEYS.map(k => `${source}.${k.alias}${k.desc ? ' desc' : ''}`).join(', ');
}

/** A search's first read (`readFirstMatches`). */
interface FirstMatches {
  /** True when it holds every match. */
  complete: boolean;
  /**
   * Its rows passing every column filter (or all but `except`), at most `size`; undefined
   * when the read is incomplete and holds fewer than `size` of them (they must be queried).
   */
  subset(
    filters: SearchFilters,
    except: ColumnFacet | undefined,
    size: number,
  ): FacetRow[] | undefined;
}

/**
 * Whether a row passes the search's filters on the single-valued columns, all or all but
 * `except`: the same tests `base` makes in SQL.
 */
function passesColumnFilters(row: ScannedRow, f: SearchFilters, except?: ColumnFacet): boolean {
  if (except !== 'type' && f.type?.length && !f.type.includes(row.type as AssetType)) return false;
  if (
    except !== 'dataSourceId' &&
    f.dataSourceId?.length &&
    !f.dataSourceId.includes(row.dataSourceId ?? '')
  )
    return false;
  if (except !== 'schema' && f.schema?.length && !f.schema.includes(row.schema ?? '')) return false;
  if (
    except !== 'sensitivity' &&
    f.sensitivity?.length &&
    !f.sensitivity.some(level => sensitivityRank(level) === Number(row.sensitivityRank))
  )
    return false;
  if (except !== 'status') {
    const statuses: string[] = f.status?.length ? f.status : ['active'];
    if (!statuses.includes(row.status ?? '')) return false;
  }
  return true;
}

/** The first ranks of a text search: exact name, exact qualified name, then their prefixes. */
function textRank(q: string): [string, string[]] {
  return [
    `case when name_lower = ? then 0 when qualified_name_lower = ? then 1
          when name_lower like ? escape '\\' then 2
          when qualified_name_lower like ? escape '\\' then 3 else 4 end`,
    [q, q, likePrefix(q), likePrefix(q)],
  ];
}

/** A match read with its ranking keys (`readFirstMatches` on SQLite). */
type RankableRow = FacetRow & { textRank: number; quality: number; nameLength: number };

function isRankable(row: FacetRow): row is RankableRow {
  return (row as Partial<RankableRow>).textRank !== undefined;
}

/**
 * Refs in ranking order, as `ORDER BY` with the text rank and SEARCH_ORDER_SQL sorts them in
 * SQLite (its `ref` order is bytewise: UTF-8 bytes compared).
 */
function rankRows(rows: RankableRow[]): string[] {
  const keyed = rows.map(row => ({ row, bytes: Buffer.from(row.ref, 'utf8') }));
  keyed.sort(
    (a, b) =>
      Number(a.row.textRank) - Number(b.row.textRank) ||
      Number(b.row.quality) - Number(a.row.quality) ||
      Number(a.row.nameLength) - Number(b.row.nameLength) ||
      Buffer.compare(a.bytes, b.bytes),
  );
  return keyed.map(k => k.row.ref);
}

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

/** A search's facet counts, and whether they were counted over a sample. */
type CountedFacets = { facets: SearchResult['facets']; approximate: boolean };
const noFacets: CountedFacets = { facets: {}, approximate: false };

/** A search's result: its page of `refs` at `offset`, with a cursor when more follow. */
function searchResult(
  refs: string[],
  limit: number,
  offset: number,
  total: number,
  totalExact: boolean,
  counted: CountedFacets,
  fuzzy: boolean,
): SearchResult {
  const more = totalExact
    ? offset + refs.length < total
    : refs.length === limit && offset + refs.length <= MAX_OFFSET;
  return {
    refs,
    total,
    totalExact,
    facets: counted.facets,
    facetsApproximate: counted.approximate,
    nextCursor: more ? encodeOffset(offset + refs.length) : null,
    fuzzy,
  };
}

/** FTS5 phrase: the text in double quotes, inner quotes doubled. */
function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * A document's words as the fuzzy fallback compares them to a query word: each token between
 * spaces and dots and, when it joins several words, each of them, as pg_trgm splits words
 * (`credit_card_number`: also `credit`, `card` and `number`; 'creditt' is like `credit`, not
 * like the whole name). (An empty word, around a separator at either end, is like no other.)
 */
function fuzzyWords(text: string): string[] {
  const tokens = text.split(/[\s.]+/);
  const words = text.split(/[^\p{L}\p{N}]+/u);
  return words.length > tokens.length ? tokens.concat(words) : tokens;
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
  private readonly bucketWalkSize: number;
  private readonly firstReadRows: number;
  private readonly prefixMergeNames: number;
  private readonly filterKeyShare: number;
  private readonly upkeepMinimumAssets: number;

  constructor(
    private readonly knex: Knex,
    options: SearchStoreOptions = {},
  ) {
    this.postgres = ['pg', 'postgres', 'postgresql'].includes(String(knex.client.config.client));
    this.totalCap = options.totalCap ?? TOTAL_CAP;
    this.facetSample = options.facetSample ?? FACET_SAMPLE;
    this.bucketWalkSize = options.bucketWalkSize ?? BUCKET_WALK_SIZE;
    this.firstReadRows = options.firstReadRows ?? FIRST_READ_ROWS;
    this.prefixMergeNames =
      options.prefixMergeNames ?? PREFIX_MERGE_NAMES[this.postgres ? 'postgres' : 'sqlite'];
    this.filterKeyShare = options.filterKeyShare ?? FILTER_KEY_SHARE;
    this.upkeepMinimumAssets = options.upkeepMinimumAssets ?? UPKEEP_MINIMUM_ASSETS;
  }

  async search(input: SearchInput): Promise<SearchResult> {
    const words = queryWords(input.query);
    const q = words.join(' ');
    const offset = decodeOffset(input.cursor);
    // PostgreSQL: a broad text search's first buckets (see broadTextPage) are read from the
    // start, while its words' trigram counts and its matches are (on other pooled
    // connections); a search with few matches leaves them unused (three short reads of the
    // name indexes). 'warehouse': 37–40 → 33–36 ms a search.
    const early =
      this.postgres && words.length > 0
        ? this.broadTextPage(input, words, offset, true)
        : undefined;
    const keys = words.length > 0 ? await this.filterKeys(input.filters, words) : undefined;
    const text = words.length > 0 ? await this.textClauses(words) : undefined;
    const matcher: Matcher =
      keys && text ? (query, without) => this.whereAllWords(query, text, keys, without) : () => {};
    const rankedPage = (broad: boolean, only?: (query: Knex.QueryBuilder) => void) => {
      // A broad search without text reads the ranking-order index until the page is full
      // (SQLite's planner would sort every match); PostgreSQL's planner picks it itself.
      // `only`: the matches are already known (their refs passed every filter and access).
      const query = (
        only
          ? this.knex(ASSETS_TABLE).where(only)
          : this.base(
              input,
              matcher,
              undefined,
              this.knex,
              broad && !q && !this.postgres ? orderIndex(input.filters) : undefined,
            )
      ).select(`${ASSETS_TABLE}.ref`);
      if (q) query.orderByRaw(...textRank(q));
      for (const order of SEARCH_ORDER_SQL) query.orderByRaw(order);
      return query.offset(offset).limit(input.limit) as Promise<{ ref: string }[]>;
    };
    // A text search, or one with a label, tag, owner or term filter: its matches without the
    // column filters, once (see FIRST_READ_ROWS). (Without either, the column filters' own
    // indexes answer each read sooner.) Not with a data source or schema filter: it keeps few
    // of those rows, so that they would fill almost no sample (a word in one source's
    // tables, PostgreSQL: 60–90 → 15–25 ms; SQLite: 20 → 12).
    const f = input.filters;
    const narrowed = Boolean(f.dataSourceId?.length || f.schema?.length);
    const related = Boolean(f.label?.length || f.tag?.length || f.owner?.length || f.term?.length);
    const wide =
      (words.length > 0 || related) && input.facets && this.firstReadRows > 0 && !narrowed
        ? await this.readFirstMatches(input, matcher)
        : undefined;
    // The matches, up to the caps: their count is the total, exact up to `totalCap`; they
    // are also the facet sample of the unfiltered dimensions.
    const cap = this.sampleCap();
    let anyStatus: FacetRow[] | undefined;
    let matches: FacetRow[] | undefined = wide?.subset(
      input.filters,
      undefined,
      wide.complete ? Infinity : cap + 1,
    );
    // Every match known (the first read held them all).
    const complete = wide?.complete ?? false;
    const statuses: string[] = input.filters.status?.length ? input.filters.status : ['active'];
    if (!matches && (!input.facets || !statuses.includes('active'))) {
      // Without facets, the matches up to the total's cap; deleted assets (few): read them,
      // the status facet is counted on its own.
      const read = (input.facets ? cap : this.totalCap) + 1;
      matches = await this.readSample(this.base(input, matcher).limit(read), narrowed);
    } else if (!matches) {
      // Read without the status filter first, a quarter more than the caps: its first rows
      // are the status facet's own sample, and the matches are those of its rows with the
      // status asked for, when it holds every match or enough of them (most assets have the
      // default status, active, so a second read is rare).
      const read = Math.ceil((cap + 1) * STATUS_MARGIN);
      anyStatus = await this.readSample(this.base(input, matcher, 'status').limit(read), narrowed);
      const withStatus = anyStatus.filter(row => statuses.includes(row.status ?? ''));
      matches =
        anyStatus.length < read
          ? withStatus
          : withStatus.length > cap
            ? withStatus.slice(0, cap + 1)
            : await this.readSample(this.base(input, matcher).limit(cap + 1), narrowed);
    }
    const broad = matches.length > this.totalCap;
    const total = Math.min(matches.length, this.totalCap);
    const sample: FacetRow[] = matches;
    const page = async (): Promise<string[]> => {
      // Every match of a text search known: rank just them, however many past the cap.
      // Without text, walking the ranking-order index still fills the page sooner.
      if (broad && q && !complete)
        return (await (early ?? this.broadTextPage(input, words, offset))()).map(r => r.ref);
      if (broad && !q && !complete) return (await rankedPage(true)).map(r => r.ref);
      if (sample.length === 0) return [];
      // Few matches, read with their ranking keys: rank them without reading them again.
      if (sample.every(isRankable)) return this.rankKnown(sample, offset, input.limit);
      // Few matches: rank just them, by ref, without matching the words again.
      const known = sample.map(row => row.ref);
      return (
        await rankedPage(false, query => {
          // One parameter for the list (see countRelatedFacets).
          if (this.postgres) query.whereRaw(`${ASSETS_TABLE}.ref = any(?::text[])`, [known]);
          else
            query.whereRaw(`${ASSETS_TABLE}.ref in (select value from json_each(?))`, [
              JSON.stringify(known),
            ]);
        })
      ).map(r => r.ref);
    };
    // The facets of the matches read (the fuzzy fallback counts its own).
    const counted = () =>
      input.facets ? this.countFacets(input, matcher, sample, wide, anyStatus) : noFacets;
    // Some match: the page and the facets (from the matches read) at once (PostgreSQL reads
    // them on two pooled connections).
    if (matches.length > 0) {
      const [refs, facets] = await Promise.all([page(), counted()]);
      return searchResult(refs, input.limit, offset, total, !broad, facets, false);
    }
    if (words.length === 0)
      return searchResult([], input.limit, offset, 0, true, await counted(), false);
    // The words match assets of another status only (deleted ones, say): no typo, so no
    // closest spellings; the status facet counts them, for the caller to widen the filter.
    if (input.facets) {
      const otherStatus =
        anyStatus ??
        wide?.subset(input.filters, 'status', 1) ??
        (await this.readSample(this.base(input, matcher, 'status').limit(1), narrowed));
      if (otherStatus.length > 0)
        return searchResult([], input.limit, offset, 0, true, await counted(), false);
    }
    // Nothing the caller may see matches every word: the closest spellings instead.
    const candidates = await this.fuzzyCandidates(input, words);
    const fuzzy: Matcher = query => {
      query.whereIn(`${ASSETS_TABLE}.ref`, candidates.length ? candidates : ['']);
    };
    // The candidates are few: filter them in SQL, keep the similarity order.
    const rows: { ref: string }[] = await this.base(input, fuzzy).select(`${ASSETS_TABLE}.ref`);
    const visible = new Set(rows.map(r => r.ref));
    const ordered = candidates.filter(ref => visible.has(ref));
    const facets = input.facets ? await this.countFacets(input, fuzzy) : noFacets;
    return searchResult(
      ordered.slice(offset, offset + input.limit),
      input.limit,
      offset,
      ordered.length,
      true,
      facets,
      true,
    );
  }

  /**
   * Search index upkeep (the plugin schedules it nightly, and sooner when `upkeepDue`). SQLite merges its full-text
   * index's segments into one (FTS5 `optimize`): ingestion leaves many, and every lookup
   * reads each (1M assets: a three-word search's index read 14 → 11 ms; the merge takes
   * about 3.5 s per million assets, writes wait meanwhile), and counts the documents of each
   * trigram of the merged index (see textClauses). Then it empties the
   * write-ahead log the merge filled: until a later write resets it, every read would look
   * its pages up there instead of in the memory-mapped file (the bench: median 8 → 12 ms).
   * PostgreSQL's autovacuum keeps its indexes; the upkeep counts the trigrams' documents in
   * a sample of about TRIGRAM_SAMPLE documents (pg_trgm's own trigrams, one row each).
   */
  async optimize(): Promise<void> {
    if (!this.postgres)
      await this.knex.raw(`INSERT INTO ${FTS_TABLE}(${FTS_TABLE}) VALUES ('optimize')`);
    const assets = await this.catalogSize();
    // The trigrams' document counts (see textClauses). SQLite: the vocabulary of the merged
    // index, read whole (1M assets: about 1.6 s). PostgreSQL: pg_trgm's trigrams of a
    // Bernoulli sample, of ASCII letters and digits only (the only ones textClauses looks up).
    let counting: [string, number[]] = [
      `SELECT term, doc FROM ${FTS_VOCAB_TABLE} WHERE col = 'doc'`,
      [],
    ];
    if (this.postgres) {
      const share = Math.min(1, TRIGRAM_SAMPLE / Math.max(1, assets));
      counting = [
        `SELECT trigram, round(count(*) / ?::float8)::integer
           FROM (SELECT unnest(show_trgm(${SEARCH_DOCUMENT_SQL})) AS trigram
                   FROM ${ASSETS_TABLE} TABLESAMPLE BERNOULLI (?::float8)) AS grams
          WHERE trigram ~ '^[a-z0-9]{3}$'
          GROUP BY trigram`,
        [share, share * 100],
      ];
    }
    await this.knex.transaction(async trx => {
      await trx(SEARCH_TRIGRAMS_TABLE).delete();
      await trx.raw(
        `INSERT INTO ${SEARCH_TRIGRAMS_TABLE}(trigram, docs) ${counting[0]}`,
        counting[1],
      );
      await trx(SEARCH_UPKEEP_TABLE).delete();
      await trx(SEARCH_UPKEEP_TABLE).insert({
        id: 1,
        catalog_assets: assets,
        counted_at: new Date().toISOString(),
      });
    });
    if (!this.postgres) await this.knex.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  /**
   * Whether the search index upkeep is due before its nightly run: the catalog holds at
   * least `upkeepMinimumAssets` assets, and more than twice as many as at the upkeep's last
   * count (none on a new install). Until then a long word is looked up by the counts of a
   * much smaller catalog (or, before any upkeep, by all its trigrams), and SQLite's full-text
   * index keeps the many segments a large ingestion wrote. As the catalog grows, the upkeeps
   * this asks for cost about as much again as the last one alone.
   */
  async upkeepDue(): Promise<boolean> {
    const assets = await this.catalogSize();
    if (assets < this.upkeepMinimumAssets) return false;
    const last = (await this.knex(SEARCH_UPKEEP_TABLE).first('catalog_assets')) as
      { catalog_assets: number | string } | undefined;
    return assets > 2 * Number(last?.catalog_assets ?? 0);
  }

  /** How many assets the catalog holds, whatever their status. */
  private async catalogSize(): Promise<number> {
    const [{ assets }] = (await this.knex(ASSETS_TABLE).count({ assets: '*' })) as {
      assets: number | string;
    }[];
    return Number(assets);
  }

  /** How many matches a search reads at most to count its total and facets (plus one). */
  private sampleCap(): number {
    return Math.max(this.totalCap, this.facetSample);
  }

  /**
   * The first assets (at most `firstReadRows`) matching the words and the related filters
   * (and access, not the column filters), with their single-valued facets.
   */
  private async readFirstMatches(input: SearchInput, matcher: Matcher): Promise<FirstMatches> {
    const q = queryWords(input.query).join(' ');
    // Without a filter on a column but status, every sample is of the same rows: the caps'
    // worth (and a margin for the other statuses) is all they use. Reading no more pays on
    // PostgreSQL, which scans the table for a common word until it has them, from where the
    // last scan stopped (2,000 → 1,252 rows: 'warehouse' 65–95 → 36–42 ms a search), and
    // for a tag's or owner's assets on SQLite (14 → 7 ms). SQLite's full-text index gives a
    // text search's rows for less than a page of a broad search costs it when the read
    // falls short of every match ('rating inventory': 24 → 14 ms), so it reads them all.
    const filtered = COLUMN_FACET_NAMES.some(
      facet => facet !== 'status' && input.filters[facet]?.length,
    );
    const limit =
      filtered || (q && !this.postgres)
        ? this.firstReadRows
        : Math.min(this.firstReadRows, Math.ceil((this.sampleCap() + 1) * STATUS_MARGIN));
    const read = this.base(input, matcher, COLUMN_FACET_NAMES)
      .select(...this.sampleColumns(), {
        sensitivityRank: `${ASSETS_TABLE}.sensitivity_rank`,
      })
      .limit(limit + 1);
    const columns: string[] = [...SAMPLE_COLUMNS, 'sensitivityRank'];
    // A text search's, with the ranking keys, so that a complete read is ranked without
    // reading it again. (Without text, the columns read are those the filters' indexes hold:
    // a tag's or label's first assets come from indexes alone.)
    if (q) {
      const [quality, length] = RANKING_KEYS;
      const [rank, bindings] = textRank(q);
      read.select(
        this.knex.raw(`${quality.expr} as ??`, ['quality']),
        this.knex.raw(`${length.expr} as ??`, ['nameLength']),
        this.knex.raw(`${rank} as ??`, [...bindings, 'textRank']),
      );
      columns.push('quality', 'nameLength', 'textRank');
    }
    const rows = await this.readRows<ScannedRow>(read, columns);
    const complete = rows.length <= limit;
    return {
      complete,
      subset(filters, except, size) {
        const out: FacetRow[] = [];
        for (const row of rows) {
          if (!passesColumnFilters(row, filters, except)) continue;
          out.push(row);
          if (out.length >= size) break;
        }
        // Without every match, only a full sample stands for them.
        return complete || out.length >= size ? out : undefined;
      },
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
    matcher: Matcher,
    /** The first matches of every filter, when already read (the unfiltered dimensions' sample). */
    known?: FacetRow[],
    /** The matches without the column filters, when read first (`readFirstMatches`). */
    wide?: FirstMatches,
    /** The first matches of every filter but status, when already read. */
    anyStatus?: FacetRow[],
  ): Promise<CountedFacets> {
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
        let sample: FacetRow[] | undefined;
        if (except === undefined && known) sample = known.slice(0, this.facetSample + 1);
        else if (except === 'status' && anyStatus)
          sample = anyStatus.slice(0, this.facetSample + 1);
        else if (wide && except !== undefined && except in COLUMN_FACETS)
          sample = wide.subset(input.filters, except as ColumnFacet, this.facetSample + 1);
        // The status facet alone needs only the status (often read from an index alone).
        const statusOnly = dimensions.length === 1 && dimensions[0] === 'status';
        const read = this.base(input, matcher, except).limit(this.facetSample + 1);
        const placed = keepsPlacement(f, except);
        sample ??= statusOnly
          ? await this.readRows<FacetRow>(
              read.select({ status: `${ASSETS_TABLE}.status` }),
              ['status'],
              placed,
            )
          : await this.readSample(read, placed);
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
        if (dimensions.some(dimension => !(dimension in COLUMN_FACETS)))
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

  /**
   * A page of matches read with their ranking keys, in ranking order. SQLite compares refs
   * bytewise, as `rankRows` does; PostgreSQL sorts the keys (not the rows) itself, so that
   * refs follow the database's collation as in every other ranked read.
   */
  private async rankKnown(rows: RankableRow[], offset: number, limit: number): Promise<string[]> {
    if (!this.postgres) return rankRows(rows).slice(offset, offset + limit);
    const result = (await this.knex.raw(
      `select ref from unnest(?::text[], ?::int[], ?::int[], ?::int[])
           as m(ref, text_rank, quality, name_length)
        order by text_rank, quality desc, name_length, ref offset ? limit ?`,
      [
        rows.map(row => row.ref),
        rows.map(row => Number(row.textRank)),
        rows.map(row => Number(row.quality)),
        rows.map(row => Number(row.nameLength)),
        offset,
        limit,
      ],
    )) as { rows: { ref: string }[] };
    return result.rows.map(row => row.ref);
  }

  /**
   * The rows `query` selects, as objects keyed by `columns` (its output columns, in order).
   * SQLite's driver builds each row's object value by value (0.3 µs a value: 6 ms for a first
   * read of 2,000 rows); there, SQLite returns the rows as one JSON array of arrays instead,
   * which is parsed at once (twice as fast). The rows keep the query's order.
   */
  private async readRows<T>(
    query: Knex.QueryBuilder,
    columns: readonly string[],
    /**
     * PostgreSQL: whether the query keeps a data source or schema filter (`keepsPlacement`).
     * Its planner takes a filter's matches to be spread evenly over the table, so that a
     * sample (the first rows found) would be soonest read by scanning it from the start; but
     * a data source's or schema's assets are stored together, in the order scans wrote them,
     * and the scan reads every row stored before them (the tables of the fourth of ten data
     * sources: 40–180 ms). Such a read goes through an index instead (15–25 ms a search),
     * on one process (the search's other reads run at the same time).
     */
    placed = false,
  ): Promise<T[]> {
    if (this.postgres && placed) return this.readThroughIndexes<T>(query);
    if (this.postgres) return (await query) as T[];
    const values = columns.map(() => '??').join(', ');
    const [result] = (await this.knex.raw(
      `select json_group_array(json_array(${values})) as rows from ? as r`,
      [...columns.map(column => `r.${column}`), query],
    )) as { rows: string }[];
    return (JSON.parse(result.rows) as unknown[][]).map(row => {
      const object: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) object[columns[i]] = row[i];
      return object as T;
    });
  }

  /**
   * PostgreSQL: `query`'s rows read through indexes, never by scanning the table (nor, where
   * no index serves, from mid-table), on one process, in a transaction of its own.
   */
  private readThroughIndexes<T>(query: Knex.QueryBuilder): Promise<T[]> {
    return this.knex.transaction(async trx => {
      await trx.raw(
        `select set_config('enable_seqscan', 'off', true), set_config('synchronize_seqscans', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
      );
      return (await query.transacting(trx)) as T[];
    });
  }

  /** A facet sample: `query`'s rows with the sample columns. */
  private readSample(query: Knex.QueryBuilder, placed = false): Promise<FacetRow[]> {
    return this.readRows<FacetRow>(query.select(...this.sampleColumns()), SAMPLE_COLUMNS, placed);
  }

  /** What a sample reads of each match: its ref and single-valued facets (aliased by facet). */
  private sampleColumns(): (string | Record<string, string>)[] {
    return [
      `${ASSETS_TABLE}.ref`,
      ...Object.entries(COLUMN_FACETS).map(([alias, column]) => ({
        [alias]: `${ASSETS_TABLE}.${column}`,
      })),
    ];
  }

  /** Label, tag, owner and term counts over the given assets (a bounded sample). */
  private async countRelatedFacets(
    refs: string[],
    dimensions: SearchFacet[],
  ): Promise<{ facet: SearchFacet; value: string; count: number }[]> {
    if (refs.length === 0) return [];
    const curated = dimensions.filter(
      (d): d is 'tag' | 'owner' | 'term' => d === 'tag' || d === 'owner' || d === 'term',
    );
    type Counted = { facet: SearchFacet; value: string; count: number | string };
    const queries: Promise<Counted[]>[] = [];
    if (this.postgres) {
      // One index lookup per ref (a lateral join kept as one by `offset 0`): with a long
      // `= any(…)` list, or a plain join, the planner reads and hashes the whole table instead.
      const perRef = async (select: string, lookup: string, bindings: unknown[]) =>
        (
          (await this.knex.raw(
            `select ${select}, count(*) as count
               from unnest(?::text[]) as r(ref)
               cross join lateral (${lookup} offset 0) as hit
              group by 1, 2`,
            [refs, ...bindings] as Knex.RawBinding[],
          )) as { rows: Counted[] }
        ).rows;
      if (dimensions.includes('label'))
        queries.push(
          perRef(
            `'label' as facet, hit.classifier_id as value`,
            `select classifier_id from ${LABELS_TABLE} where asset_ref = r.ref and status <> 'rejected'`,
            [],
          ),
        );
      if (curated.length)
        queries.push(
          perRef(
            'hit.facet as facet, hit.value as value',
            `select facet, value from ${FACETS_TABLE} where asset_ref = r.ref and facet = any(?::text[])`,
            [curated],
          ),
        );
    } else {
      // The refs as one JSON parameter, each looked up in turn (`cross join` keeps them the
      // outer loop): a list of a thousand parameters costs more to bind and to prepare (its
      // text differs with its length) than the lookups themselves.
      const perRef = async (select: string, lookup: string, bindings: unknown[]) =>
        (await this.knex.raw(
          `select ${select}, count(*) as count
             from json_each(?) as r cross join ${lookup}
            group by 1, 2`,
          [JSON.stringify(refs), ...bindings] as Knex.RawBinding[],
        )) as Counted[];
      if (dimensions.includes('label'))
        queries.push(
          perRef(
            `'label' as facet, l.classifier_id as value`,
            `${LABELS_TABLE} as l on l.asset_ref = r.value and l.status <> 'rejected'`,
            [],
          ),
        );
      // From the (asset, facet, value) index: with two facets or more, SQLite's planner
      // would rather read every row of those facets.
      if (curated.length)
        queries.push(
          perRef(
            'f.facet as facet, f.value as value',
            `${FACETS_TABLE} as f indexed by ${FACETS_BY_ASSET_INDEX}
               on f.asset_ref = r.value and f.facet in (${curated.map(() => '?').join(', ')})`,
            curated,
          ),
        );
    }
    return (await Promise.all(queries))
      .flat()
      .map(r => ({ facet: r.facet, value: String(r.value), count: Number(r.count) }));
  }

  /**
   * A query found in more than `totalCap` assets: the page in ranking order without
   * sorting every match. The first ranks are buckets read in turn: the exact names, the
   * exact qualified names, the names and then the qualified names that start with the
   * query. Each bucket is read the cheaper way for its size (a bounded count on its name
   * index decides): a small one from the name index, sorted; a large one by walking the
   * ranking-order index until the page is full. The other matches (the tail) come from the
   * ranking-order index too, each tested for the words. Returns the page's reader, so that
   * `early` can start the buckets before the search knows it needs them.
   */
  private broadTextPage(
    input: SearchInput,
    words: string[],
    offset: number,
    /** Start reading the first buckets now, each as far as the page could need. */
    early = false,
  ): () => Promise<{ ref: string }[]> {
    const q = words.join(' ');
    // Every string that starts with q sorts (bytewise) between q and q + U+10FFFF; on
    // PostgreSQL compared in the "C" collation, which its name indexes use.
    const upper = `${q}\u{10FFFF}`;
    const bytewise = (column: string) => (this.postgres ? `${column} collate "C"` : column);
    const prefixOf = (column: string) => `(${bytewise(column)} >= ? and ${bytewise(column)} < ?)`;
    const namePrefix = (query: Knex.QueryBuilder) =>
      query.whereRaw(prefixOf('name_lower'), [q, upper]);
    const qualifiedPrefix = (query: Knex.QueryBuilder) =>
      query.whereRaw(prefixOf('qualified_name_lower'), [q, upper]);
    // Past the query itself: a prefix bucket's range, without the names that equal the query
    // (an exact bucket's). Counting `id…` names passed 100,000 columns named `id` (49 → 3 ms).
    const longer = (column: string) => (query: Knex.QueryBuilder) =>
      query.whereRaw(`(${bytewise(column)} > ? and ${bytewise(column)} < ?)`, [q, upper]);
    const exactName = (query: Knex.QueryBuilder) =>
      query.whereRaw(`${bytewise('name_lower')} = ?`, [q]);
    const exactQualified = (query: Knex.QueryBuilder) =>
      query.whereRaw(`${bytewise('qualified_name_lower')} = ?`, [q]);
    const containsWords = (query: Knex.QueryBuilder) => {
      const contains = this.postgres ? 'strpos' : 'instr';
      for (const word of words)
        query.whereRaw(`${contains}(${SEARCH_DOCUMENT_SQL}, ?) > 0`, [word]);
    };
    // Disjoint, in rank order. A name that equals or starts with the query holds every
    // word (the search document holds the lower-cased name and qualified name), so the
    // buckets need no word test and read only their name index. An exact bucket is read
    // in ranking order from it; a prefix bucket is sorted, unless so large that walking the
    // ranking-order index fills the page sooner.
    const buckets: {
      index: string;
      column: 'name_lower' | 'qualified_name_lower';
      bound: (query: Knex.QueryBuilder) => Knex.QueryBuilder;
      only: (query: Knex.QueryBuilder) => void;
      prefix: boolean;
    }[] = [
      {
        index: NAME_RANK_INDEX,
        column: 'name_lower',
        bound: exactName,
        only: exactName,
        prefix: false,
      },
      {
        index: QUALIFIED_NAME_RANK_INDEX,
        column: 'qualified_name_lower',
        bound: exactQualified,
        only: query => exactQualified(query).whereNot(exactName),
        prefix: false,
      },
      {
        index: NAME_RANK_INDEX,
        column: 'name_lower',
        bound: longer('name_lower'),
        only: query => namePrefix(query).whereNot(exactName).whereNot(exactQualified),
        prefix: true,
      },
      {
        index: QUALIFIED_NAME_RANK_INDEX,
        column: 'qualified_name_lower',
        bound: longer('qualified_name_lower'),
        only: query => qualifiedPrefix(query).whereNot(namePrefix).whereNot(exactQualified),
        prefix: true,
      },
    ];
    type Bucket = (typeof buckets)[number];
    const read = async (bucket: Bucket, want: number): Promise<{ ref: string }[]> => {
      if (this.postgres && bucket.prefix) return this.prefixBucketPostgres(input, bucket, want);
      if (bucket.prefix) {
        const merged = await this.prefixBucketSqlite(input, bucket, [q, upper], want);
        if (merged) return merged;
      }
      // PostgreSQL reads an exact bucket in order from its name index by itself.
      const size = this.postgres
        ? undefined
        : await this.boundedCount(bucket.bound, this.bucketWalkSize);
      if (size === 0) return [];
      const walk = bucket.prefix && size !== undefined && size >= this.bucketWalkSize;
      const query = this.base(
        input,
        bucket.only,
        undefined,
        this.knex,
        this.postgres ? undefined : walk ? orderIndex(input.filters) : bucket.index,
      ).select(`${ASSETS_TABLE}.ref`);
      for (const order of SEARCH_ORDER_SQL) query.orderByRaw(order);
      return (await query.limit(want)) as { ref: string }[];
    };
    const started = early
      ? buckets.slice(0, 3).map(bucket => read(bucket, offset + input.limit))
      : [];
    // Settled even when not awaited (a search that needs no page), so never unhandled.
    for (const pending of started) pending.catch(() => undefined);
    return async () => {
      const page: { ref: string }[] = [];
      let skip = offset;
      for (const [i, bucket] of buckets.entries()) {
        const want = skip + input.limit - page.length;
        const rows = await (started[i] ?? read(bucket, want));
        page.push(...rows.slice(skip, want));
        if (page.length === input.limit) return page;
        // Fewer rows than wanted: the bucket holds exactly rows.length matches.
        skip = Math.max(0, skip - rows.length);
      }
      const tail = this.base(
        input,
        containsWords,
        undefined,
        this.knex,
        this.postgres ? undefined : orderIndex(input.filters),
      )
        .select(`${ASSETS_TABLE}.ref`)
        .whereNot(query => namePrefix(query).orWhere(qualifiedPrefix));
      for (const order of SEARCH_ORDER_SQL) tail.orderByRaw(order);
      const tailRows = (await tail.offset(skip).limit(input.limit - page.length)) as {
        ref: string;
      }[];
      return [...page, ...tailRows];
    };
  }

  /** Rows of `catalog_assets` matching `where` (an indexed name condition), counted up to `cap`. */
  private async boundedCount(
    where: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
    cap: number,
  ): Promise<number> {
    const inner = where(this.knex(ASSETS_TABLE).select(this.knex.raw('1'))).limit(cap);
    const [row] = (await this.knex.from(inner.as('bounded')).count({ count: '*' })) as {
      count: number | string;
    }[];
    return Number(row?.count ?? 0);
  }

  /**
   * SQLite, a name-prefix bucket of few distinct names (e.g. `email_1` … `email_9`, found by
   * seeking the name index from one name to the next): each name's first rows in ranking
   * order from the name index, merged, instead of sorting the whole bucket (30,000 columns
   * named `email_…`: 8.5 → 1 ms). Undefined when the bucket has many names.
   */
  private async prefixBucketSqlite(
    input: SearchInput,
    bucket: {
      index: string;
      column: 'name_lower' | 'qualified_name_lower';
      bound: (query: Knex.QueryBuilder) => Knex.QueryBuilder;
      only: (query: Knex.QueryBuilder) => void;
    },
    /** The prefix range: names from `lower` (included) to `upper` (excluded). */
    [lower, upper]: [string, string],
    want: number,
  ): Promise<{ ref: string }[] | undefined> {
    const column = bucket.column;
    const names = (
      (await this.knex.raw(
        `with recursive names(name) as (
           select min(${column}) from ${ASSETS_TABLE} where ${column} >= ? and ${column} < ?
           union all
           select (select min(${column}) from ${ASSETS_TABLE}
                    where ${column} > names.name and ${column} < ?)
             from names where names.name is not null limit ?
         )
         select name from names where name is not null`,
        [lower, upper, upper, this.prefixMergeNames + 2],
      )) as { name: string }[]
    ).map(row => row.name);
    if (names.length > this.prefixMergeNames) return undefined;
    if (names.length === 0) return [];
    const arms = names.map(name => {
      const arm = this.base(
        input,
        query => {
          bucket.only(query);
          query.where(`${ASSETS_TABLE}.${column}`, name);
        },
        undefined,
        this.knex,
        bucket.index,
      ).select(
        `${ASSETS_TABLE}.ref`,
        ...RANKING_KEYS.map(k => this.knex.raw(`${k.expr} as ${k.alias}`)),
      );
      for (const order of SEARCH_ORDER_SQL) arm.orderByRaw(order);
      return arm.limit(want).toSQL().toNative();
    });
    const result = (await this.knex.raw(
      `select bucket.ref from (${arms.map(arm => `select * from (${arm.sql})`).join(' union all ')}) as bucket
        order by ${rankingKeysOrder('bucket')} limit ?`,
      [...arms.flatMap(arm => arm.bindings), want],
    )) as { ref: string }[];
    return result;
  }

  /**
   * PostgreSQL, a name-prefix bucket: its planner would walk the ranking-order index, and
   * long names (which rank late) would have it read most of the catalog. Instead, when the
   * names in the prefix range have several rows each (e.g. `email_1` … `email_8`), each is
   * read in ranking order from the name index and they are merged; otherwise (or past
   * `prefixMergeNames` names) the bucket's rows are sorted.
   */
  private async prefixBucketPostgres(
    input: SearchInput,
    bucket: {
      column: 'name_lower' | 'qualified_name_lower';
      bound: (query: Knex.QueryBuilder) => Knex.QueryBuilder;
      only: (query: Knex.QueryBuilder) => void;
    },
    want: number,
  ): Promise<{ ref: string }[]> {
    const ranked = (extra?: (query: Knex.QueryBuilder) => void) =>
      this.base(input, query => {
        bucket.only(query);
        extra?.(query);
      }).select(
        `${ASSETS_TABLE}.ref`,
        ...RANKING_KEYS.map(k => this.knex.raw(`${k.expr} as ${k.alias}`)),
      );
    // Read in ranking order (the name index's order within one name), merged by the keys.
    const merged = rankingKeysOrder('bucket');
    // The bucket's names and row counts, from an index alone. With a filter that keeps few
    // rows (a data source, a sensitivity, types other than columns, which are most of a
    // catalog), of the rows that pass it (the bucket's rank index holds these columns): a
    // name with none is left out, instead of each being read to the end (1,500 names of
    // columns, for a search of tables: 112 → 6 ms). Otherwise the smaller name index counts.
    const f = input.filters;
    const selective =
      Boolean(f.dataSourceId?.length || f.sensitivity?.length) ||
      (f.type?.length ? !f.type.includes('column') : false);
    const named = (await whereRankIndexColumns(
      bucket.bound(this.knex(ASSETS_TABLE)),
      f,
      facet => selective && facet !== 'status',
    )
      .select(this.knex.raw(`${bucket.column} collate "C" as name`))
      .count({ rows: '*' })
      .groupByRaw(`${bucket.column} collate "C"`)
      .limit(this.prefixMergeNames + 1)) as { name: string; rows: number | string }[];
    if (named.length === 0) return [];
    const names = named.map(row => row.name);
    const rows = named.reduce((total, row) => total + Number(row.rows), 0);
    // Merging reads a row per name, then a page per leading name: worth it when the names
    // have several rows each (e.g. 27,000 columns named `score_…`, 1,500 names: 126 → 10 ms).
    if (names.length <= this.prefixMergeNames && rows > 2 * names.length) {
      // A name's first `limit` rows in ranking order (the name index's order within a name).
      const perName = (limit: number) => {
        const read = ranked(query => query.whereRaw(`${bucket.column} collate "C" = names.name`));
        for (const order of SEARCH_ORDER_SQL) read.orderByRaw(order);
        return read.limit(limit);
      };
      // Two rounds, so that few rows are read from the table: each name's best row; then the
      // page comes from the names of the `want` best of those (a name whose best row is not
      // among them has no row in the page: `want` rows of other names rank before it).
      const result = await this.knex.raw(
        `with leaders as (
           select names.name from unnest(?::text[]) as names(name) cross join lateral ? as bucket
            order by ${merged} limit ?
         )
         select bucket.ref from leaders as names cross join lateral ? as bucket
          order by ${merged} limit ?`,
        [names, perName(1), want, perName(want), want],
      );
      return (result as { rows: { ref: string }[] }).rows;
    }
    const result = await this.knex.raw(
      `with bucket as materialized ? select bucket.ref from bucket order by ${merged} limit ?`,
      [ranked(), want],
    );
    return (result as { rows: { ref: string }[] }).rows;
  }

  /** `catalog_assets` narrowed by the caller's access, the query words and every filter but `without`. */
  private base(
    input: SearchInput,
    matcher: Matcher,
    /** Filters left out: one dimension, or several. */
    without?: SearchFacet | readonly SearchFacet[],
    db: Knex = this.knex,
    /** SQLite: the index to read (in its order), e.g. the ranking-order index. */
    indexedBy?: string,
  ): Knex.QueryBuilder {
    const inRankingOrder = indexedBy !== undefined;
    const left = new Set<SearchFacet>(
      without === undefined ? [] : typeof without === 'string' ? [without] : without,
    );
    const kept = (facet: SearchFacet) => !left.has(facet);
    const query: Knex.QueryBuilder = indexedBy
      ? db.from(db.raw('?? indexed by ??', [ASSETS_TABLE, indexedBy]))
      : db(ASSETS_TABLE);
    applyAccessFilter(query, input.access);
    matcher(query, left);
    const f = input.filters;
    const col = (name: string) => `${ASSETS_TABLE}.${name}`;
    whereRankIndexColumns(query, f, kept);
    if (kept('schema') && f.schema?.length) query.whereIn(col('schema_name'), f.schema);
    // `ref in (…)` lets both engines start from the (indexed) labels and facet rows; when
    // reading in ranking order, a correlated lookup tests each row instead (SQLite would
    // otherwise skip-scan the ranking index for every listed ref). The lookup is a scalar
    // subquery, not `exists`: for `exists` SQLite first builds a Bloom filter over every
    // label or facet row of the filter (9,000 labels: 14 ms, where the walk takes 7).
    // Both engines build the whole `in` list (PostgreSQL: a hash of it) before reading any
    // asset, so a single value is a join, which streams (one value cannot repeat an asset:
    // the rows are unique per asset and value).
    const related = (
      table: string,
      alias: string,
      single: boolean,
      narrow: (sub: Knex.QueryBuilder) => void,
    ) => {
      if (inRankingOrder) {
        const sub = db(`${table} as ${alias}`)
          .select(db.raw('1'))
          .whereRaw(`??.asset_ref = ??.ref`, [alias, ASSETS_TABLE])
          .limit(1);
        narrow(sub);
        query.whereRaw('(?) is not null', [sub]);
      } else if (single) {
        query.join(`${table} as ${alias}`, `${alias}.asset_ref`, col('ref'));
        narrow(query);
      } else
        query.whereIn(col('ref'), sub => {
          sub.select(`${alias}.asset_ref`).from(`${table} as ${alias}`);
          narrow(sub);
        });
    };
    if (kept('label') && f.label?.length) {
      const labels = f.label.map(l => l.toLowerCase());
      related(LABELS_TABLE, 'fl', labels.length === 1, sub =>
        sub
          .whereRaw(`lower(fl.classifier_id) in (${labels.map(() => '?').join(', ')})`, labels)
          .whereNot('fl.status', 'rejected'),
      );
    }
    for (const facet of ['tag', 'owner', 'term'] as const) {
      const values = f[facet];
      if (!kept(facet) || !values?.length) continue;
      related(FACETS_TABLE, `f_${facet}`, values.length === 1, sub =>
        sub.where(`f_${facet}.facet`, facet).whereIn(`f_${facet}.value`, values),
      );
    }
    return query;
  }

  /**
   * SQLite: the FTS clause of each selective filter on a keyed column (`KEYED_FILTERS`): its
   * values' markers, kept when their assets are at most `filterKeyShare` of the catalog.
   * Only for words the full-text index answers.
   */
  private async filterKeys(
    filters: SearchFilters,
    words: string[],
  ): Promise<Map<SearchFacet, string>> {
    const keys = new Map<SearchFacet, string>();
    const keyed = (Object.keys(KEYED_FILTERS) as KeyedFilter[]).filter(
      dimension => filters[dimension]?.length,
    );
    if (this.postgres || this.filterKeyShare <= 0 || keyed.length === 0 || !words.some(ftsIndexes))
      return keys;
    const rows = (await this.knex(SEARCH_KEYS_TABLE)
      .select(
        'dimension',
        'code',
        'assets',
        this.knex.raw(
          `(select sum(assets) from ${SEARCH_KEYS_TABLE} where dimension = 'type') as ??`,
          ['catalog'],
        ),
      )
      .where(any => {
        for (const dimension of keyed)
          any.orWhere(one =>
            one.where('dimension', dimension).whereIn('value', filters[dimension] ?? []),
          );
      })) as { dimension: KeyedFilter; code: number; assets: number; catalog: number }[];
    for (const dimension of keyed) {
      const values = rows.filter(row => row.dimension === dimension);
      const assets = values.reduce((total, row) => total + Number(row.assets), 0);
      // No code: no asset has these values (the SQL filter finds none by itself).
      if (values.length === 0 || assets > this.filterKeyShare * Number(values[0].catalog)) continue;
      keys.set(
        dimension,
        `keys : (${values.map(row => ftsPhrase(filterKeyMarker(row.code))).join(' OR ')})`,
      );
    }
    return keys;
  }

  /**
   * How a search's words are matched: the substrings to look up in the trigram index (FTS5,
   * pg_trgm's GIN index), and the words to check in the search document itself. A word of
   * three characters is one trigram, its own lookup; a shorter one is only checked. A longer
   * word is looked up by its rarest trigram (the upkeep's counts) and checked whole: either
   * index would otherwise read every trigram of the word, common ones ('ion', 'ent')
   * included, and FTS5 compare their positions (SQLite, 'subscription records team': 24 → 9
   * ms for the index read; PostgreSQL, 'warehouse': 50–70 → 11–14 ms). The rarest of its
   * trigrams that no other query word holds: the other word's lookup already narrows to
   * those ('cor' of 'score' is in every 'records'). When even that trigram is common
   * (COMMON_TRIGRAM_SHARE), the two rarest. Before the upkeep has counted any, every word is
   * its own lookup.
   */
  private async textClauses(words: string[]): Promise<TextClauses> {
    const indexed = words.filter(ftsIndexes);
    const text: TextClauses = { lookups: [], checked: words.filter(word => !ftsIndexes(word)) };
    // Each long word's trigrams to look it up by. PostgreSQL: of ASCII letters and digits
    // only: pg_trgm makes words of letters and digits (`%d_a%` is no key of its index), in
    // the database's locale.
    const keys = new Map<string, string[]>();
    for (const word of indexed) {
      const grams = trigramsOf(word, false);
      const usable = grams.filter(gram => !this.postgres || /^[a-z0-9]{3}$/.test(gram));
      if (grams.length > 1 && usable.length) keys.set(word, usable);
    }
    const counts = keys.size
      ? await this.trigramCounts([...new Set([...keys.values()].flat())])
      : undefined;
    for (const word of indexed) {
      const grams = keys.get(word);
      if (!counts || !grams) {
        text.lookups.push(word);
        continue;
      }
      // A trigram counted by no upkeep yet is new since the last one: rare.
      const docsOf = (gram: string) => counts.docs[gram] ?? 0;
      const own = grams.filter(
        gram => !indexed.some(other => other !== word && other.includes(gram)),
      );
      const rarest = (own.length ? own : grams).sort((a, b) => docsOf(a) - docsOf(b));
      const common = docsOf(rarest[0]) > COMMON_TRIGRAM_SHARE * counts.catalog;
      text.lookups.push(...rarest.slice(0, common ? 2 : 1));
      text.checked.push(word);
    }
    return text;
  }

  /** The upkeep's document counts of `grams`, and the catalog's size; none before any upkeep. */
  private async trigramCounts(
    grams: string[],
  ): Promise<{ docs: Record<string, number>; catalog: number } | undefined> {
    const [row] = this.postgres
      ? ((
          await this.knex.raw(
            `select exists (select 1 from ${SEARCH_TRIGRAMS_TABLE}) as counted,
                    (select reltuples from pg_class where oid = '${ASSETS_TABLE}'::regclass) as catalog,
                    (select json_object_agg(trigram, docs) from ${SEARCH_TRIGRAMS_TABLE}
                      where trigram = any(?::text[])) as docs`,
            [grams],
          )
        ).rows as { counted: boolean; catalog: number; docs: Record<string, number> | null }[])
      : ((await this.knex.raw(
          `select exists (select 1 from ${SEARCH_TRIGRAMS_TABLE}) as counted,
                  (select sum(assets) from ${SEARCH_KEYS_TABLE} where dimension = 'type') as catalog,
                  (select json_group_object(trigram, docs) from ${SEARCH_TRIGRAMS_TABLE}
                    where trigram in (select value from json_each(?))) as docs`,
          [JSON.stringify(grams)],
        )) as { counted: number; catalog: number | null; docs: string }[]);
    if (!row.counted) return undefined;
    const docs = typeof row.docs === 'string' ? JSON.parse(row.docs) : (row.docs ?? {});
    return { docs: docs as Record<string, number>, catalog: Math.max(0, Number(row.catalog)) };
  }

  /**
   * Every word in the search document (`text`). SQLite: with the keys of the filters the
   * query keeps (`without`: those it leaves out).
   */
  private whereAllWords(
    query: Knex.QueryBuilder,
    text: TextClauses,
    keys: Map<SearchFacet, string>,
    without: ReadonlySet<SearchFacet>,
  ) {
    // The search documents are lower-cased, as the words are.
    if (this.postgres) {
      for (const lookup of text.lookups)
        query.whereRaw(`${SEARCH_DOCUMENT_SQL} like ? escape '\\'`, [likeContains(lookup)]);
      for (const word of text.checked)
        query.whereRaw(`strpos(${SEARCH_DOCUMENT_SQL}, ?) > 0`, [word]);
      return;
    }
    if (text.lookups.length) {
      // A join, not `rowid in (…)`: the index then streams matches, so a bounded count or
      // facet sample stops early instead of first collecting every match.
      query
        .join(FTS_TABLE, `${FTS_TABLE}.rowid`, `${ASSETS_TABLE}.rowid`)
        .whereRaw(`${FTS_TABLE} match ?`, [
          [
            ...text.lookups.map(lookup => `doc : ${ftsPhrase(lookup)}`),
            ...[...keys].filter(([dimension]) => !without.has(dimension)).map(([, key]) => key),
          ].join(' AND '),
        ]);
    }
    for (const word of text.checked) {
      query.whereRaw(`instr(${SEARCH_DOCUMENT_SQL}, ?) > 0`, [word]);
    }
  }

  /**
   * Typo tolerance: assets sharing trigrams with the query (pg_trgm's `<%` on PostgreSQL,
   * the FTS5 trigram index on SQLite), kept when every query word is close to some word of
   * the document, best first.
   */
  private async fuzzyCandidates(input: SearchInput, words: string[]): Promise<string[]> {
    const usable = words.filter(ftsIndexes);
    if (usable.length === 0) return [];
    // One edit leaves either half of a word intact: candidates contain the word's first
    // half or its second half as a substring (the trigram indexes answer both), per word;
    // short words, any of their trigrams. Both engines then judge them alike, below.
    const parts = usable.map(word => {
      const chars = [...word];
      const mid = Math.ceil(chars.length / 2);
      const halves = [chars.slice(0, mid), chars.slice(mid)]
        .filter(half => half.length >= 3)
        .map(half => half.join(''));
      return halves.length ? halves : trigramsOf(word, false);
    });
    let rows: { ref: string; doc: string; name_lower: string }[];
    if (this.postgres) {
      // Substring tests (the GIN trigram index answers them; a `<%` scan ranks every
      // document sharing a trigram, hundreds of milliseconds for a common one). The first
      // candidates in table order, always the same ones (no parallel or synchronized scan
      // starting mid-table), so every page of a fuzzy search sees the same candidates.
      // From the index's bitmap, which gives the same rows in the same order: for a common
      // half (`ency`), the planner's sequential scan tests 60,000 documents (55–100 ms,
      // against 11–15).
      rows = await this.readThroughIndexes(
        this.base(input, query => {
          for (const alternatives of parts)
            query.where(any => {
              for (const part of alternatives)
                any.orWhereRaw(`${SEARCH_DOCUMENT_SQL} like ? escape '\\'`, [likeContains(part)]);
            });
        })
          .select(
            `${ASSETS_TABLE}.ref`,
            'name_lower',
            this.knex.raw(`${SEARCH_DOCUMENT_SQL} as doc`),
          )
          .limit(FUZZY_CANDIDATES * 5),
      );
    } else {
      const match = parts
        .map(alternatives => `doc : (${alternatives.map(ftsPhrase).join(' OR ')})`)
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
    // Candidates share most of their words (names, schemas, column names): each distinct
    // pair of query word and document word is compared once.
    const memo = usable.map(() => new Map<string, number>());
    const similarTo = usable.map(trigramSimilarityTo);
    const similarity = (index: number, candidate: string) => {
      let value = memo[index].get(candidate);
      if (value === undefined) {
        value = similarTo[index](candidate);
        memo[index].set(candidate, value);
      }
      return value;
    };
    const scored = rows
      .map(row => {
        const docWords = fuzzyWords(row.doc);
        const nameWords = fuzzyWords(row.name_lower);
        let sum = 0;
        let nameSum = 0;
        for (let index = 0; index < usable.length; index++) {
          let best = 0;
          for (const candidate of docWords) best = Math.max(best, similarity(index, candidate));
          if (best < FUZZY_THRESHOLD) return null;
          sum += best;
          let bestName = 0;
          for (const candidate of nameWords)
            bestName = Math.max(bestName, similarity(index, candidate));
          nameSum += bestName;
        }
        return { ref: row.ref, score: sum + nameSum, length: row.name_lower.length };
      })
      .filter((s): s is { ref: string; score: number; length: number } => s !== null)
      .sort((a, b) => b.score - a.score || a.length - b.length || (a.ref < b.ref ? -1 : 1));
    return scored.slice(0, FUZZY_KEEP).map(s => s.ref);
  }
}
