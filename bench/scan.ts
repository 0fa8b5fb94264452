/**
 * Scan throughput on a generated PostgreSQL database: 1,000 tables × 20 columns × 1,000 rows.
 *
 *   npx tsx bench/scan.ts                          (Racine's own database: SQLite)
 *   RACINE_TEST_DB=postgres npx tsx bench/scan.ts  (Racine's own database: PostgreSQL, graphile-worker)
 *   BENCH_TABLES=200 npx tsx bench/scan.ts         (smaller)
 *   BENCH_E2E=1 npx tsx bench/scan.ts              (also through the whole backend, real catalog ingestion)
 *   BENCH_PROFILE=1 npx tsx bench/scan.ts          (also where the time goes: connector, store, queue calls)
 *   BENCH_CPUPROFILE=full.cpuprofile npx tsx bench/scan.ts  (a V8 CPU profile of the full scan only;
 *                                                  open it in Chrome DevTools or speedscope)
 *
 * Prints: the full scan (sampling 100 rows per table, classification on, profiling off) of a
 * running backend (after a first full scan of the same tables as another data source, which
 * is printed too), its ratio to the same sampling queries issued with plain `pg` in one loop
 * (run before and after the scans; their mean), and an incremental
 * rescan with nothing changed. Figures only, never asserted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ActivityRecord } from '@racine/kernel-common';
import {
  createTaskQueue,
  tuneSqlite,
  type HandleOptions,
  type TaskHandler,
  type TaskQueue,
} from '@racine/kernel-node';
import {
  builtinConnectors,
  ConnectorRegistry,
  type AnyConnector,
  type ConnectorSession,
} from '@racine/plugin-datasources-node';
import { createTestDatabase } from '@racine/kernel-node/testing';
import { ruleSetDefinitionSchema } from '@racine/plugin-scan-rulesets-common';
import {
  KnexScanStore,
  migrateScansDatabase,
  ScanExecutor,
  ScanService,
  readScanSettings,
  type Collaborators,
} from '@racine/plugin-scans-backend';
import type { ScanRun } from '@racine/plugin-scans-common';
import { ConfigReader } from '@backstage/config';
import Database from 'better-sqlite3';
import pg from 'pg';

const TABLES = Number(process.env.BENCH_TABLES ?? 1000);
const COLUMNS = 20;
const ROWS = 1000;
const SAMPLE = 100;
const ADMIN_URL = process.env.RACINE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The settings a backend without `racine.scans` config runs with. */
const SETTINGS = readScanSettings(new ConfigReader({}));

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** 20 columns of varied, realistic shapes so the classifiers do real work. */
const COLUMN_SQL = [
  'g AS id',
  `'user' || g || '@example.com' AS email`,
  `(ARRAY['Alice Martin','Bruno Costa','Chen Wei','Dana Levi'])[1 + g % 4] AS full_name`,
  `'+1 415 555 ' || lpad((g % 10000)::text, 4, '0') AS phone`,
  `(ARRAY['Paris','Lyon','Berlin','Madrid'])[1 + g % 4] AS city`,
  `lpad((g * 7919 % 100000)::text, 5, '0') AS postal_code`,
  `(g * 3.17)::numeric(12, 2) AS amount`,
  `now() - g * interval '1 hour' AS created_at`,
  `md5(g::text) AS token`,
  `g % 2 = 0 AS active`,
  `'note ' || g AS note`,
  `(ARRAY['new','paid','shipped','void'])[1 + g % 4] AS status`,
  `g % 97 AS score`,
  `'SKU-' || (10000 + g) AS sku`,
  `'192.168.' || (g % 255) || '.' || (g * 7 % 255) AS ip_address`,
  `date '1950-01-01' + (g * 37 % 20000) AS birth_date`,
  `(ARRAY['4111111111111111','5500005555555559'])[1 + g % 2] AS card_number`,
  `repeat('x', g % 40) AS filler`,
  `g * 1000 AS counter`,
  `'FR76' || lpad(g::text, 23, '0') AS account_ref`,
];

async function createSource(): Promise<{ database: string; url: string; drop(): Promise<void> }> {
  const database = `scans_bench_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(
    `CREATE TABLE template AS SELECT ${COLUMN_SQL.join(', ')} FROM generate_series(1, ${ROWS}) g`,
  );
  // One server-side loop: 1,000 CREATE TABLE ... AS in a single round trip.
  await client.query(`DO $$ BEGIN
    FOR i IN 1..${TABLES} LOOP
      EXECUTE format('CREATE TABLE %I AS TABLE template', 't_' || lpad(i::text, 4, '0'));
      EXECUTE format('ALTER TABLE %I ADD PRIMARY KEY (id)', 't_' || lpad(i::text, 4, '0'));
    END LOOP;
  END $$`);
  await client.query('DROP TABLE template');
  await client.query('ANALYZE');
  await client.query('SELECT pg_stat_force_next_flush()');
  await client.end();
  return {
    database,
    url: url.toString(),
    async drop() {
      const cleanup = new pg.Client({ connectionString: ADMIN_URL });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/** The baseline: the same sampling queries (random 100 rows, every column as text), one loop. */
async function plainSampling(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
  );
  const { rows: columns } = await client.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = 'public.t_0001'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
  );
  const select = columns.map(c => `left("${c.name}"::text, 1025)`).join(', ');
  const started = performance.now();
  for (const { name } of rows) {
    await client.query({
      text: `SELECT ${select} FROM public."${name}" ORDER BY random() LIMIT ${SAMPLE}`,
      rowMode: 'array',
    });
  }
  const elapsed = performance.now() - started;
  await client.end();
  return elapsed;
}

/** Call counts and cumulative time per method, when BENCH_PROFILE is set. */
const PROFILE = Boolean(process.env.BENCH_PROFILE);
const timings = new Map<string, { calls: number; ms: number }>();

function track<T>(name: string, work: () => T): T {
  const started = performance.now();
  const result = work();
  if (!(result instanceof Promise)) return result;
  const record = () => {
    const entry = timings.get(name) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += performance.now() - started;
    timings.set(name, entry);
  };
  return result.finally(record) as T;
}

/** `target` with every async method timed under `<prefix>.<method>`. */
function timed<T extends object>(prefix: string, target: T): T {
  if (!PROFILE) return target;
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) =>
        track(`${prefix}.${property}`, () =>
          (value as (...a: unknown[]) => unknown).apply(object, args),
        );
    },
  });
}

/** The queue with enqueue calls and every task handler timed. */
function timedQueue(queue: TaskQueue): TaskQueue {
  if (!PROFILE) return queue;
  const wrapped = timed('queue', queue);
  return new Proxy(wrapped, {
    get(object, property) {
      if (property !== 'handle') return Reflect.get(object, property) as unknown;
      const handle: TaskQueue['handle'] = <P>(
        task: string,
        handler: TaskHandler<P>,
        options?: HandleOptions,
      ) =>
        queue.handle<P>(
          task,
          (payload, ctx) => track(`task ${task}`, () => handler(payload, ctx)),
          options,
        );
      return handle;
    },
  });
}

function timedConnectors(): ConnectorRegistry {
  return new ConnectorRegistry(
    builtinConnectors().map((connector): AnyConnector => ({
      ...connector,
      connect: async (config, options) =>
        timed<ConnectorSession>(connector.type, await connector.connect(config, options)),
    })),
  );
}

function printTimings(label: string) {
  if (!PROFILE) return;
  console.log(`  where the time went (${label}; cumulative over concurrent calls):`);
  for (const [name, { calls, ms }] of [...timings].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `    ${name.padEnd(80)} ${String(calls).padStart(6)} calls ${(ms / 1000).toFixed(2).padStart(8)} s ${(ms / calls).toFixed(2).padStart(8)} ms/call`,
    );
  }
  timings.clear();
}

const silent: LoggerService = {
  info: () => undefined,
  debug: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
  child: () => silent,
};

async function engineScans(url: string): Promise<{
  driver: string;
  full: ScanRun;
  fullMs: number;
  fullCpuMs: number;
  firstMs: number;
  rescan: ScanRun;
  rescanMs: number;
}> {
  const db = await createTestDatabase();
  // The backend's database service tunes SQLite (WAL, synchronous=NORMAL); the bench does too.
  await tuneSqlite(db.knex);
  await migrateScansDatabase(db.knex);
  if (PROFILE && db.kind === 'sqlite') {
    // SQLite runs synchronously on the event loop: time each statement by its SQL text.
    const probe = new Database(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<
      string,
      (...args: unknown[]) => unknown
    >;
    probe.close();
    for (const method of ['run', 'all', 'get']) {
      const original = statement[method]!;
      statement[method] = function (this: { source: string }, ...args: unknown[]) {
        const started = performance.now();
        try {
          return original.apply(this, args);
        } finally {
          const name = `sqlite ${this.source.replace(/\s+/g, ' ').slice(0, 70)}`;
          const entry = timings.get(name) ?? { calls: 0, ms: 0 };
          entry.calls += 1;
          entry.ms += performance.now() - started;
          timings.set(name, entry);
        }
      };
    }
  }
  const store = timed('store', new KnexScanStore(db.knex));
  const queue = timedQueue(
    createTaskQueue({
      knex: db.knex,
      concurrency: 4,
      logger: { info: () => undefined, warn: console.warn, error: console.error },
    }),
  );
  const source = new URL(url);
  const definition = ruleSetDefinitionSchema.parse({
    profiling: { enabled: false },
    sampling: { size: SAMPLE },
  });
  let published = 0;
  const collaborators: Collaborators = {
    dataSources: {
      getConnection: async id => ({
        id,
        name: 'Bench',
        type: 'postgres',
        workspace: 'default',
        config: {
          host: source.hostname,
          port: Number(source.port || 5432),
          database: source.pathname.slice(1),
          user: source.username || 'postgres',
        },
      }),
    },
    ruleSets: { getRuleSet: async id => ({ id, name: 'Bench', version: 1, definition }) },
    // The catalog's side is left out here: this measures the scan engine (see BENCH_E2E).
    catalog: {
      publishTables: async batches => void (published += batches.length),
      completeScan: async () => ({ deleted: 0 }),
    },
    events: { scanCompleted: async () => undefined },
  };
  const executor = new ScanExecutor({
    store,
    queue,
    collaborators,
    settings: SETTINGS,
    logger: silent,
    ...(PROFILE ? { connectors: timedConnectors() } : {}),
  });
  executor.register();
  await queue.start();
  const scans = new ScanService({
    store,
    executor,
    collaborators,
    audit: { record: async () => ({}) as ActivityRecord },
    logger: silent,
  });
  const runOnce = async (dataSourceId = 'bench') => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const queued = await scans.startRun(
      { dataSourceId, ruleSetId: 'bench' },
      { actor: 'bench' },
      { trigger: 'manual' },
    );
    for (;;) {
      const run = await scans.getRun(queued.id);
      if (['succeeded', 'failed', 'canceled'].includes(run.status)) {
        const used = process.cpuUsage(cpu);
        return { run, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  };
  try {
    // The first scan of a fresh process also compiles Racine's code (V8 warms up as it runs);
    // it scans the same tables as another data source, so the next scan is a full one too.
    const first = await runOnce('bench-first');
    published = 0;
    timings.clear();
    const cpuProfile = process.env.BENCH_CPUPROFILE;
    const inspector = cpuProfile ? new Session() : undefined;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    const full = await runOnce();
    if (inspector && cpuProfile) {
      const { profile } = await inspector.post('Profiler.stop');
      fs.writeFileSync(cpuProfile, JSON.stringify(profile));
      inspector.disconnect();
    }
    printTimings('full scan');
    if (published !== TABLES) console.error(`published ${published} of ${TABLES} tables`);
    const rescan = await runOnce();
    printTimings('rescan');
    return {
      driver: queue.driver,
      firstMs: first.ms,
      full: full.run,
      fullMs: full.ms,
      fullCpuMs: full.cpuMs,
      rescan: rescan.run,
      rescanMs: rescan.ms,
    };
  } finally {
    await queue.stop();
    await executor.close();
    await db.destroy();
  }
}

async function endToEnd(url: string): Promise<{ fullMs: number; rescanMs: number; full: ScanRun }> {
  const { startRacineServer } = await import('@racine/backend/testing');
  const server = await startRacineServer();
  try {
    const source = new URL(url);
    const created = await server.request('/api/datasources', {
      method: 'POST',
      json: {
        name: 'Bench',
        type: 'postgres',
        config: {
          host: source.hostname,
          port: Number(source.port || 5432),
          database: source.pathname.slice(1),
          user: source.username || 'postgres',
          ssl: 'disable',
        },
      },
    });
    const dataSourceId = (await created.json()).id;
    const rules = await server.request('/api/scan-rulesets', {
      method: 'POST',
      json: {
        name: 'Bench',
        definition: { profiling: { enabled: false }, sampling: { size: SAMPLE } },
      },
    });
    const ruleSetId = (await rules.json()).id;
    const runOnce = async () => {
      const started = performance.now();
      const queued = await (
        await server.request('/api/scans/runs', {
          method: 'POST',
          json: { dataSourceId, ruleSetId },
        })
      ).json();
      for (;;) {
        const run = (await (
          await server.request(`/api/scans/runs/${queued.id}`)
        ).json()) as ScanRun;
        if (['succeeded', 'failed', 'canceled'].includes(run.status))
          return { run, ms: performance.now() - started };
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    };
    const full = await runOnce();
    const rescan = await runOnce();
    return { fullMs: full.ms, rescanMs: rescan.ms, full: full.run };
  } finally {
    await server.stop();
  }
}

const genStarted = performance.now();
const source = await createSource();
console.log(
  `scan bench: ${TABLES} tables × ${COLUMNS} columns × ${ROWS} rows (generated in ${seconds(performance.now() - genStarted)})`,
);
try {
  // The baseline before and after Racine's scans (a shared machine drifts): their mean.
  const plainBefore = await plainSampling(source.url);
  const engine = await engineScans(source.url);
  const plainAfter = await plainSampling(source.url);
  const plainMs = (plainBefore + plainAfter) / 2;
  const p = engine.full.progress;
  console.log(
    `  Racine database: ${process.env.RACINE_TEST_DB ?? 'sqlite'} (task queue: ${engine.driver}, concurrency 4, ${SETTINGS.maxConcurrencyPerSource} per source)`,
  );
  console.log(
    `  plain pg sampling loop (1 connection, ${SAMPLE} random rows/table): ${seconds(plainMs)}, ${(TABLES / (plainMs / 1000)).toFixed(0)} tables/s ` +
      `(mean of ${seconds(plainBefore)} before and ${seconds(plainAfter)} after the scans)`,
  );
  console.log(
    `  first full scan of a fresh process (V8 compiling as it goes): ${seconds(engine.firstMs)}, ` +
      `${(engine.firstMs / plainMs).toFixed(2)}× the plain loop`,
  );
  console.log(
    `  full scan, steady state (discover, fingerprint, sample ${SAMPLE}, classify ${COLUMNS} columns, publish): ${seconds(engine.fullMs)}, ` +
      `${(TABLES / (engine.fullMs / 1000)).toFixed(0)} tables/s, ${p.rowsSampled} rows sampled, ${p.labelsFound} labels, ` +
      `${(engine.fullMs / plainMs).toFixed(2)}× the plain loop (goal ≤ 1.5×)`,
  );
  console.log(
    `  Racine's process during the full scan: ${seconds(engine.fullCpuMs)} of CPU (${(engine.fullCpuMs / TABLES).toFixed(1)} ms/table: ` +
      `classification, its own database, the pg driver), load average ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores`,
  );
  console.log(
    `  incremental rescan, nothing changed: ${seconds(engine.rescanMs)} (${engine.rescan.progress.tablesSkipped} skipped), ` +
      `${((engine.rescanMs / engine.fullMs) * 100).toFixed(1)} % of the full scan (goal ≤ 10 %)`,
  );
  if (process.env.BENCH_E2E) {
    const e2e = await endToEnd(source.url);
    console.log(
      `  end to end through the backend (real data-catalog ingestion): full ${seconds(e2e.fullMs)} ` +
        `(${(TABLES / (e2e.fullMs / 1000)).toFixed(0)} tables/s, ${(e2e.fullMs / plainMs).toFixed(2)}× the plain loop), ` +
        `rescan ${seconds(e2e.rescanMs)} (${((e2e.rescanMs / e2e.fullMs) * 100).toFixed(1)} %)`,
    );
  }
} finally {
  await source.drop();
}
// A stopped test backend leaves timers of its schedulers behind; the figures are printed.
process.exit(0);
