/**
 * Catalog search at scale: generates 1,000,000 assets (10 data sources → 200 schemas →
 * ~100,000 tables → ~900,000 columns, with descriptions, owners, tags, glossary terms and
 * labels on a share of them) by bulk insert, then measures p50/p95 of 20 query shapes of
 * `GET /search` (the store query: match, ranking, total and the 9 facet counts) on SQLite
 * (FTS5 trigram) and PostgreSQL (pg_trgm). Run: npx tsx bench/search.ts [assets] [runs]
 * Totals are exact up to 1,000 matches (printed `1000+` past that) and facets exact up to
 * 1,000 matches (`~` when counted over a sample of the first 1,000 found).
 * BENCH_TRACE=<shape> prints the statements one search of that shape runs (its slowest input), with times
 * (BENCH_TRACE_SQL=1: in full, with their bindings).
 * BENCH_ENGINES=sqlite|postgres picks one engine; BENCH_KEEP=1 loads into a database named
 * after the asset count and reuses it on the next run (drop it by hand afterwards).
 * Numbers from a shared 2-core machine are pessimistic.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { tuneSqlite, type AccessQuery } from '@racine/kernel-node';
import {
  createTestDatabase,
  testPostgresUrl,
  type TestDatabase,
} from '@racine/kernel-node/testing';
import knexFactory from 'knex';
import type { StoredAsset } from '../plugins/data-catalog-backend/src/database/CatalogStore';
import type { Knex } from 'knex';
import { migrateCatalogDatabase } from '../plugins/data-catalog-backend/src/database/migrations';
import {
  KnexSearchStore,
  type SearchInput,
} from '../plugins/data-catalog-backend/src/database/SearchStore';
import {
  FACETS_TABLE,
  ingestedSearchText,
} from '../plugins/data-catalog-backend/src/database/searchMigration';
import { createSensitivityRule } from '../plugins/data-catalog-backend/src/services/catalogAccess';

const TARGET = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 15);
const COLUMNS_PER_TABLE = 9;

const WORDS = (
  'customer order invoice payment product shipment refund account ledger balance ' +
  'employee salary contract supplier warehouse inventory stock price discount campaign ' +
  'session event click visit device address country region city store channel partner ' +
  'subscription plan usage metric forecast budget expense revenue margin tax currency ' +
  'patient claim policy premium loan credit card transaction fraud risk score audit ' +
  'ticket incident survey feedback review rating category brand catalog sku vendor'
).split(' ');
const COLUMN_WORDS = (
  'id name email phone created_at updated_at status amount total quantity code type ' +
  'description street zip birth_date ssn iban notes owner_id parent_id country_code ' +
  'first_name last_name gender ip_address user_agent latitude longitude score flag'
).split(' ');
const LABELS = [
  { classifierId: 'pii.email', sensitivity: 'CONFIDENTIAL', rank: 3 },
  { classifierId: 'pii.phone', sensitivity: 'CONFIDENTIAL', rank: 3 },
  { classifierId: 'pii.national_id', sensitivity: 'RESTRICTED', rank: 4 },
  { classifierId: 'finance.iban', sensitivity: 'RESTRICTED', rank: 4 },
  { classifierId: 'pii.name', sensitivity: 'INTERNAL', rank: 2 },
];
const TAGS = ['gold', 'silver', 'bronze', 'deprecated', 'gdpr', 'finance', 'marketing', 'core'];
const OWNERS = [
  'group:default/finance',
  'group:default/sales-ops',
  'group:default/data-platform',
  'user:default/ada',
  'user:default/grace',
];
/** Glossary term ids: fixed, so a kept database (BENCH_KEEP) still finds them. */
const TERMS = Array.from(
  { length: 40 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);

/** Deterministic pseudo-random numbers, so both engines get the same catalog. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Row {
  [column: string]: string | number | null;
}

function* generate(target: number): Generator<{ asset: Row; facets: Row[]; label?: Row }> {
  const random = rng(42);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const now = '2026-11-01T00:00:00.000Z';
  let count = 0;
  const base = (fields: {
    ref: string;
    type: string;
    name: string;
    qualifiedName: string;
    parentRef: string | null;
    dataSourceId: string;
    schema: string | null;
    columnNames?: string[];
  }): Row => ({
    ref: fields.ref,
    type: fields.type,
    name: fields.name,
    qualified_name: fields.qualifiedName,
    name_lower: fields.name.toLowerCase(),
    qualified_name_lower: fields.qualifiedName.toLowerCase(),
    parent_ref: fields.parentRef,
    path: fields.ref.slice(fields.ref.indexOf('/') + 1),
    data_source_id: fields.dataSourceId,
    workspace: 'default',
    description: null,
    owner: null,
    owners: '[]',
    stewards: '[]',
    tags: '[]',
    terms: '[]',
    properties: '{}',
    technical: '{}',
    content_hash: 'x',
    labels_hash: 'x',
    status: random() < 0.02 ? 'deleted' : 'active',
    first_seen_at: now,
    last_seen_at: now,
    created_at: now,
    updated_at: now,
    schema_name: fields.schema,
    search_ingested: ingestedSearchText({
      name: fields.name,
      qualifiedName: fields.qualifiedName,
      columnNames: fields.columnNames,
    }),
    search_curated: '',
    sensitivity: null,
    sensitivity_rank: 0,
    version: 0,
  });
  const sources = 10;
  const schemasPerSource = 20;
  const tablesPerSchema = Math.ceil(
    target / (sources * schemasPerSource * (COLUMNS_PER_TABLE + 1)),
  );
  for (let d = 0; d < sources && count < target; d++) {
    const ds = `ds-${d}`;
    const dsRef = `racine:data-catalog:datasource/${ds}`;
    yield {
      asset: base({
        ref: dsRef,
        type: 'datasource',
        name: `source ${d}`,
        qualifiedName: `source ${d}`,
        parentRef: null,
        dataSourceId: ds,
        schema: null,
      }),
      facets: [],
    };
    const dbRef = `racine:data-catalog:database/${ds}.db`;
    yield {
      asset: base({
        ref: dbRef,
        type: 'database',
        name: 'db',
        qualifiedName: 'db',
        parentRef: dsRef,
        dataSourceId: ds,
        schema: null,
      }),
      facets: [],
    };
    count += 2;
    for (let s = 0; s < schemasPerSource && count < target; s++) {
      const schema = `${pick(WORDS)}_${s}`;
      const schemaRef = `racine:data-catalog:schema/${ds}.db.${schema}`;
      yield {
        asset: base({
          ref: schemaRef,
          type: 'schema',
          name: schema,
          qualifiedName: schema,
          parentRef: dbRef,
          dataSourceId: ds,
          schema,
        }),
        facets: [],
      };
      count++;
      for (let t = 0; t < tablesPerSchema && count < target; t++) {
        const table = `${pick(WORDS)}_${pick(WORDS)}_${t}`;
        const tableRef = `racine:data-catalog:table/${ds}.db.${schema}.${table}`;
        const columns = Array.from({ length: COLUMNS_PER_TABLE }, (_, c) =>
          c === 0 ? 'id' : `${pick(COLUMN_WORDS)}_${c}`,
        );
        const asset = base({
          ref: tableRef,
          type: 'table',
          name: table,
          qualifiedName: `${schema}.${table}`,
          parentRef: schemaRef,
          dataSourceId: ds,
          schema,
          columnNames: columns,
        });
        const facets: Row[] = [];
        const curated: string[] = [];
        if (random() < 0.2) {
          asset.description = `The ${pick(WORDS)} and ${pick(WORDS)} records of the ${pick(WORDS)} team`;
          curated.push(String(asset.description));
        }
        if (random() < 0.1) {
          const owner = pick(OWNERS);
          asset.owner = owner;
          asset.owners = JSON.stringify([owner]);
          facets.push({ facet: 'owner', value: owner, asset_ref: tableRef });
          curated.push(owner);
        }
        if (random() < 0.15) {
          const tag = pick(TAGS);
          asset.tags = JSON.stringify([tag]);
          facets.push({ facet: 'tag', value: tag, asset_ref: tableRef });
          curated.push(tag);
        }
        if (random() < 0.05) {
          const term = pick(TERMS);
          asset.terms = JSON.stringify([term]);
          facets.push({ facet: 'term', value: term, asset_ref: tableRef });
        }
        asset.search_curated = curated.join(' ').toLowerCase();
        let tableRank = 0;
        const columnRows: { asset: Row; facets: Row[]; label?: Row }[] = [];
        for (const column of columns) {
          const columnRef = `racine:data-catalog:column/${ds}.db.${schema}.${table}.${column}`;
          const columnAsset = base({
            ref: columnRef,
            type: 'column',
            name: column,
            qualifiedName: `${schema}.${table}.${column}`,
            parentRef: tableRef,
            dataSourceId: ds,
            schema,
          });
          let label: Row | undefined;
          if (random() < 0.05) {
            const l = pick(LABELS);
            columnAsset.sensitivity = l.sensitivity;
            columnAsset.sensitivity_rank = l.rank;
            tableRank = Math.max(tableRank, l.rank);
            label = {
              id: crypto.randomUUID(),
              asset_ref: columnRef,
              data_source_id: ds,
              classifier_id: l.classifierId,
              confidence: 0.9,
              status: 'suggested',
              evidence: '{"signals":[],"maskedExamples":[]}',
              created_at: now,
              updated_at: now,
              sensitivity: l.sensitivity,
              categories: '["PII"]',
            };
          }
          columnRows.push({ asset: columnAsset, facets: [], label });
        }
        if (tableRank > 0) {
          asset.sensitivity_rank = tableRank;
          asset.sensitivity = LABELS.find(l => l.rank === tableRank)!.sensitivity;
        }
        yield { asset, facets };
        count++;
        for (const row of columnRows) {
          if (count >= target) break;
          yield row;
          count++;
        }
      }
    }
  }
}

async function load(db: TestDatabase): Promise<number> {
  const knex = db.knex;
  const postgres = db.kind === 'postgres';
  await migrateCatalogDatabase(knex);
  // PostgreSQL: bulk load without the GIN indexes, then build them once (timed with the load).
  const ginIndexes = postgres
    ? (
        (await knex.raw(
          `select indexname, indexdef from pg_indexes where tablename = 'catalog_assets' and indexdef like '%USING gin%'`,
        )) as { rows: { indexname: string; indexdef: string }[] }
      ).rows
    : [];
  for (const { indexname } of ginIndexes) await knex.raw('DROP INDEX ??', [indexname]);
  if (!postgres) {
    await knex.raw('PRAGMA journal_mode = WAL');
    await knex.raw('PRAGMA synchronous = OFF');
  }
  const started = Date.now();
  const assets: Row[] = [];
  const facets: Row[] = [];
  const labels: Row[] = [];
  const flush = async (trx: Knex.Transaction) => {
    // 300 rows × 32 columns stays under SQLite's bind-parameter limit; 2,000 under PostgreSQL's.
    const rows = postgres ? 2000 : 300;
    for (let i = 0; i < assets.length; i += rows)
      await trx('catalog_assets').insert(assets.slice(i, i + rows));
    for (let i = 0; i < facets.length; i += 1000)
      await trx(FACETS_TABLE).insert(facets.slice(i, i + 1000));
    for (let i = 0; i < labels.length; i += 500)
      await trx('catalog_labels').insert(labels.slice(i, i + 500));
    assets.length = 0;
    facets.length = 0;
    labels.length = 0;
  };
  let trx = await knex.transaction();
  let inserted = 0;
  for (const row of generate(TARGET)) {
    assets.push(row.asset);
    facets.push(...row.facets);
    if (row.label) labels.push(row.label);
    inserted++;
    if (assets.length >= 6000) {
      await flush(trx);
      if (inserted % 120_000 < 6000) {
        await trx.commit();
        trx = await knex.transaction();
        process.stdout.write(`  ${db.kind}: ${inserted.toLocaleString()} assets\r`);
      }
    }
  }
  await flush(trx);
  await trx.commit();
  for (const { indexdef } of ginIndexes) await knex.raw(indexdef);
  if (postgres) {
    // What autovacuum does to a loaded table in service (the visibility map lets index-only
    // scans skip the heap); the test server runs with autovacuum off.
    await knex.raw('VACUUM ANALYZE');
  } else {
    await knex.raw('ANALYZE');
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `  ${db.kind}: loaded ${inserted.toLocaleString()} assets in ${seconds.toFixed(1)} s (${Math.round(inserted / seconds).toLocaleString()} assets/s, indexes included)`,
  );
  return inserted;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

type Shape = {
  name: string;
  input: (i: number) => Omit<SearchInput, 'limit'> & { limit?: number };
};

const all = { result: 'all' } as const;
/** What the catalog.view filter is for a grant "up to INTERNAL" (the plugin's own rule). */
const upToInternal: SearchInput['access'] = {
  result: 'some',
  criteria: createSensitivityRule(
    createPermissionResourceRef<StoredAsset, AccessQuery>().with({
      pluginId: 'data-catalog',
      resourceType: 'data-catalog-asset',
    }),
  ).toQuery({ level: 'INTERNAL' }),
};

function shapes(firstPageCursor: string | null, tableNames: string[]): Shape[] {
  const word = (i: number) => WORDS[(i * 7) % WORDS.length];
  const base = { filters: {}, access: all, facets: true } as const;
  return [
    {
      name: 'exact table name',
      input: i => ({ ...base, query: tableNames[i % tableNames.length] }),
    },
    { name: 'one common word', input: i => ({ ...base, query: word(i) }) },
    { name: 'two words', input: i => ({ ...base, query: `${word(i)} ${word(i + 3)}` }) },
    { name: 'three-letter prefix', input: i => ({ ...base, query: word(i).slice(0, 3) }) },
    {
      // A realistic typo: one edit (the third letter replaced), e.g. `cuxtomer`.
      name: 'typo (fuzzy fallback)',
      input: i => ({ ...base, query: `${word(i).slice(0, 2)}x${word(i).slice(3)}` }),
    },
    {
      name: 'no text, type=table',
      input: () => ({ ...base, query: '', filters: { type: ['table'] } }),
    },
    {
      name: 'label filter, columns',
      input: i => ({
        ...base,
        query: '',
        filters: { type: ['column'], label: [LABELS[i % LABELS.length].classifierId] },
      }),
    },
    {
      name: 'sensitivity filter',
      input: () => ({ ...base, query: '', filters: { sensitivity: ['CONFIDENTIAL'] } }),
    },
    {
      name: 'tag filter',
      input: i => ({ ...base, query: '', filters: { tag: [TAGS[i % TAGS.length]] } }),
    },
    {
      name: 'owner filter',
      input: i => ({ ...base, query: '', filters: { owner: [OWNERS[i % OWNERS.length]] } }),
    },
    {
      name: 'data source + schema',
      input: i => ({
        ...base,
        query: '',
        filters: { dataSourceId: [`ds-${i % 10}`], type: ['table'] },
      }),
    },
    {
      name: 'word + type + source',
      input: i => ({
        ...base,
        query: word(i),
        filters: { type: ['table'], dataSourceId: [`ds-${i % 10}`] },
      }),
    },
    {
      name: 'word, ABAC ≤ INTERNAL',
      input: i => ({
        ...base,
        query: word(i),
        access: upToInternal,
      }),
    },
    {
      name: 'no text, ABAC ≤ INTERNAL',
      input: () => ({
        ...base,
        query: '',
        filters: { type: ['table'] },
        access: upToInternal,
      }),
    },
    {
      name: 'column-name word, columns',
      input: i => ({
        ...base,
        query: COLUMN_WORDS[i % COLUMN_WORDS.length],
        filters: { type: ['column'] },
      }),
    },
    { name: 'description words', input: i => ({ ...base, query: `${word(i)} records team` }) },
    {
      name: 'second page',
      input: i => ({ ...base, query: word(i), cursor: firstPageCursor ?? undefined }),
    },
    {
      name: 'deleted assets',
      input: () => ({ ...base, query: '', filters: { status: ['deleted'], type: ['table'] } }),
    },
    {
      name: 'global search (no facets)',
      input: i => ({
        ...base,
        query: word(i),
        filters: { type: ['table', 'view', 'column'] },
        facets: false,
        limit: 10,
      }),
    },
    {
      name: 'glossary term filter',
      input: i => ({ ...base, query: '', filters: { term: [TERMS[i % TERMS.length]] } }),
    },
  ];
}

async function measure(db: TestDatabase) {
  // As the backend's database service does for every plugin (WAL, memory-mapped reads…).
  await tuneSqlite(db.knex);
  const store = new KnexSearchStore(db.knex);
  // The steady state of a service: after the plugin's nightly search index upkeep (SQLite
  // merges the full-text segments the bulk load left).
  const upkeep = performance.now();
  await store.optimize();
  console.log(
    `\n  ${db.kind}: search index upkeep ${((performance.now() - upkeep) / 1000).toFixed(1)} s`,
  );
  const first = await store.search({
    query: WORDS[0],
    filters: {},
    access: all,
    facets: false,
    limit: 25,
  });
  const names = (
    (await db
      .knex('catalog_assets')
      .select('name')
      .where('type', 'table')
      .orderBy('ref')
      .limit(40)) as {
      name: string;
    }[]
  ).map(r => r.name);
  const results: { name: string; p50: number; p95: number; total: string; slowest: number }[] = [];
  // A service in use has its working set in memory: one untimed pass over every shape and
  // input first (it also brings back pages this VM's kernel reclaims from idle files, e.g.
  // one engine's while the other was measured), so the figures are the steady state.
  for (const shape of shapes(first.nextCursor, names))
    for (let i = 0; i < RUNS; i++)
      await store.search({ limit: 25, ...shape.input(i) } as SearchInput);
  for (const shape of shapes(first.nextCursor, names)) {
    const times: number[] = [];
    let total = '';
    let slowest = 0;
    for (let i = 0; i < RUNS; i++) {
      const input = shape.input(i);
      const started = performance.now();
      const found = await store.search({ limit: 25, ...input } as SearchInput);
      times.push(performance.now() - started);
      if (times[i] > times[slowest]) slowest = i;
      total = `${input.facets && found.facetsApproximate ? '~' : ''}${found.total}${found.totalExact ? '' : '+'}`;
    }
    const sorted = [...times].sort((a, b) => a - b);
    results.push({
      name: shape.name,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      total,
      slowest,
    });
  }
  console.log(
    `\n  ${db.kind}: ${RUNS} runs per shape, page of 25, total + 9 facet counts unless noted (~ facets sampled, + total capped)`,
  );
  console.log(
    `  ${'shape'.padEnd(30)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'matches'.padStart(10)}`,
  );
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(30)} ${r.p50.toFixed(1).padStart(9)} ${r.p95.toFixed(1).padStart(9)} ${r.total.padStart(10)}`,
    );
  }
  const trace = process.env.BENCH_TRACE;
  if (trace) {
    for (const [i, shape] of shapes(first.nextCursor, names).entries()) {
      if (trace !== '1' && !shape.name.includes(trace)) continue;
      await traceStatements(db, store, shape, results[i].slowest);
    }
  }
  const p95s = results.map(r => r.p95).sort((a, b) => a - b);
  console.log(
    `  median of the p95s: ${percentile(p95s, 50).toFixed(1)} ms; worst p95: ${p95s[p95s.length - 1].toFixed(1)} ms`,
  );
}

/**
 * BENCH_TRACE=<part of a shape name> (or 1 for all): one more search of each such shape
 * (its input that was slowest when timed),
 * printing every SQL statement it ran with its time, to see where a shape's time goes.
 */
async function traceStatements(
  db: TestDatabase,
  store: KnexSearchStore,
  shape: Shape,
  /** Which input: the one that was slowest when timed. */
  input: number,
) {
  const started = new Map<string, { sql: string; at: number }>();
  const lines: string[] = [];
  // BENCH_TRACE_SQL=1: whole statements with their bindings (to EXPLAIN them by hand).
  const whole = process.env.BENCH_TRACE_SQL === '1';
  const onQuery = (q: { __knexQueryUid: string; sql: string; bindings?: unknown[] }) =>
    started.set(q.__knexQueryUid, {
      sql: whole ? `${q.sql}\n      bindings: ${JSON.stringify(q.bindings ?? [])}` : q.sql,
      at: performance.now(),
    });
  const onResponse = (_: unknown, q: { __knexQueryUid: string }) => {
    const entry = started.get(q.__knexQueryUid);
    if (!entry) return;
    const sql = whole ? entry.sql : entry.sql.replace(/\s+/g, ' ');
    lines.push(
      `    ${(performance.now() - entry.at).toFixed(1).padStart(6)} ms  ${sql.length > 160 && !whole ? `${sql.slice(0, 157)}...` : sql}`,
    );
  };
  db.knex.on('query', onQuery).on('query-response', onResponse);
  const began = performance.now();
  try {
    await store.search({ limit: 25, ...shape.input(input) } as SearchInput);
  } finally {
    db.knex.removeListener('query', onQuery).removeListener('query-response', onResponse);
  }
  const query = JSON.stringify(shape.input(input).query);
  console.log(
    `\n  ${db.kind} trace, ${shape.name} (input ${input}, query ${query}): ${(performance.now() - began).toFixed(1)} ms`,
  );
  for (const line of lines) console.log(line);
}

async function main() {
  const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as (
    'sqlite' | 'postgres'
  )[];
  console.log(`Catalog search benchmark: ${TARGET.toLocaleString()} assets`);
  const keep = process.env.BENCH_KEEP === '1';
  for (const kind of engines) {
    const db = keep ? await keptDatabase(kind) : await createTestDatabase(kind);
    try {
      const loaded = keep && (await alreadyLoaded(db));
      if (loaded) {
        await migrateCatalogDatabase(db.knex);
        await analyzeNewIndexes(db);
        console.log(`  ${db.kind}: reusing ${loaded.toLocaleString()} assets at ${db.location}`);
      } else await load(db);
      await measure(db);
    } finally {
      if (keep) await db.knex.destroy();
      else await db.destroy();
    }
  }
}

/**
 * BENCH_KEEP=1: a database named after the asset count that outlives the run (SQLite file in
 * the temp directory, PostgreSQL database on RACINE_TEST_PG_URL), loaded once and reused.
 */
async function keptDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const name = `racine_bench_search_${TARGET}`;
  if (kind === 'sqlite') {
    const file = path.join(os.tmpdir(), `${name}.sqlite`);
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    return {
      kind,
      knex,
      location: file,
      backendDatabaseConfig: {},
      destroy: async () => {
        await knex.destroy();
        fs.rmSync(file, { force: true });
      },
    };
  }
  const adminUrl = new URL(testPostgresUrl());
  const admin = knexFactory({ client: 'pg', connection: adminUrl.toString() });
  try {
    const exists = await admin.raw('SELECT 1 FROM pg_database WHERE datname = ?', [name]);
    if (exists.rows.length === 0) await admin.raw('CREATE DATABASE ??', [name]);
  } finally {
    await admin.destroy();
  }
  const url = new URL(adminUrl.toString());
  url.pathname = `/${name}`;
  const knex = knexFactory({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 5 } });
  return {
    kind,
    knex,
    location: url.toString(),
    backendDatabaseConfig: {},
    destroy: async () => {
      await knex.destroy();
    },
  };
}

/**
 * A kept database: indexes a migration added since the load get statistics, as the load's
 * ANALYZE gave the others (a planner that knows only some would favour the new ones).
 */
async function analyzeNewIndexes(db: TestDatabase) {
  // PostgreSQL samples: ANALYZE is quick, and an expression index needs it for its statistics.
  if (db.kind === 'postgres') {
    await db.knex.raw('ANALYZE');
    return;
  }
  const missing = (await db.knex.raw(
    `select name from sqlite_master where type = 'index' and tbl_name like 'catalog_%'
       and name not like 'sqlite_autoindex_%'
       and name not in (select idx from sqlite_stat1 where idx is not null)`,
  )) as { name: string }[];
  for (const { name } of missing) await db.knex.raw('ANALYZE ??', [name]);
}

/** Assets already in a kept database (0 when it is empty or half-loaded). */
async function alreadyLoaded(db: TestDatabase): Promise<number> {
  if (!(await db.knex.schema.hasTable('catalog_assets'))) return 0;
  const [row] = (await db.knex('catalog_assets').count({ count: '*' })) as {
    count: number | string;
  }[];
  const count = Number(row?.count ?? 0);
  if (count >= TARGET) return count;
  if (count > 0) throw new Error(`${db.location} holds a partial load (${count}); remove it`);
  return 0;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
