import path from 'node:path';
import { tableRef } from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPostgresSource,
  createSqliteSource,
  HOSTILE_SCHEMA,
  HOSTILE_TABLE,
  SECRET_EMAIL,
  type PostgresSource,
  type SqliteSource,
} from '../__fixtures__/sources';
import { createHarness, type Harness } from '../__fixtures__/harness';
import { TABLE_TASK, tableKey } from './ScanExecutor';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';

/**
 * The scan engine end to end on real databases: a real TaskQueue on the Racine test database
 * (SQLite runner or graphile-worker), real PostgreSQL and SQLite sources scanned through the
 * real connectors and classified by the real engine. Only the other groups' HTTP APIs are
 * replaced by in-process implementations of their contracts (see the API test for the real ones).
 */
describe(`scan engine (${engine})`, () => {
  let h: Harness;
  let pgSource: PostgresSource;
  let sqliteSource: SqliteSource;
  let dsCounter = 0;

  /** A fresh data source id pointing at a database, so tests do not share incremental state. */
  function pgDataSource(name = 'Sales PG') {
    const id = `pg-${++dsCounter}`;
    h.sources.put({
      id,
      name,
      type: 'postgres',
      workspace: 'default',
      config: { ...pgSource.config },
    });
    return id;
  }

  beforeAll(async () => {
    [h, pgSource] = await Promise.all([createHarness(), createPostgresSource()]);
    sqliteSource = createSqliteSource();
    h.ruleSets.put('default', 'Default', {});
    h.ruleSets.put('no-profile', 'No profiling', { profiling: { enabled: false } });
    h.ruleSets.put('sales-only', 'Sales only', {
      include: { schemas: ['sales'] },
      profiling: { enabled: false },
    });
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
    await pgSource?.drop();
    sqliteSource?.drop();
  });

  it('scans a PostgreSQL source: every table once, with columns, profiles and labels, then succeeds', async () => {
    const ds = pgDataSource();
    const requestsBefore = h.sources.requests;
    const queued = await h.start({ dataSourceId: ds });
    expect(queued).toMatchObject({
      status: 'queued',
      ruleSetId: 'default',
      ruleSetVersion: 1,
      trigger: 'manual',
    });
    const run = await h.waitForRun(queued.id);
    expect(run.status).toBe('succeeded');
    expect(run.progress).toEqual({
      tablesTotal: 4,
      tablesDone: 4,
      tablesScanned: 4,
      tablesSkipped: 0,
      tablesFailed: 0,
      rowsSampled: 60 + 80 + 60 + 30,
      columnsClassified: 5 + 4 + 2 + 3,
      labelsFound: expect.any(Number),
      errors: 0,
    });
    expect(run.fullScan).toBe(true);
    expect(run.startedAt).not.toBeNull();
    expect(run.durationMs).toBeGreaterThan(0);

    const published = h.catalog.ofSource(ds);
    expect(published.map(([ref]) => ref).sort()).toEqual(
      [
        tableRef(ds, pgSource.database, 'sales', 'customers'),
        tableRef(ds, pgSource.database, 'sales', 'orders'),
        tableRef(ds, pgSource.database, 'public', 'customer_emails', 'view'),
        tableRef(ds, pgSource.database, HOSTILE_SCHEMA, HOSTILE_TABLE),
      ].sort(),
    );
    for (const [, entry] of published) expect(entry.publishes).toBe(1);

    const customers = h.catalog.tables.get(
      tableRef(ds, pgSource.database, 'sales', 'customers'),
    )!.batch;
    expect(customers.table).toMatchObject({
      kind: 'table',
      comment: 'People who bought something',
      primaryKey: ['id'],
    });
    expect(customers.table.fingerprint).toEqual(expect.any(String));
    const email = customers.columns.find(c => c.name === 'email')!;
    expect(email.profile).toMatchObject({ rowCount: 60, nullCount: 0, distinctCount: 60 });
    expect(email.labels[0]).toMatchObject({
      classifierId: 'PII.EMAIL_ADDRESS',
      confidence: expect.any(Number),
      sensitivity: 'CONFIDENTIAL',
      categories: ['PII'],
    });
    expect(email.labels[0]!.evidence.signals.length).toBeGreaterThan(0);
    expect(email.labels[0]!.evidence.maskedExamples.length).toBeGreaterThan(0);
    const orders = h.catalog.tables.get(tableRef(ds, pgSource.database, 'sales', 'orders'))!.batch;
    expect(orders.table.foreignKeys).toEqual([
      expect.objectContaining({
        columns: ['customer_id'],
        referencedSchema: 'sales',
        referencedTable: 'customers',
        referencedColumns: ['id'],
      }),
    ]);
    expect(
      orders.columns.find(c => c.name === 'card_number')!.labels.map(l => l.classifierId),
    ).toContain('FIN.CREDIT_CARD_NUMBER');
    const view = h.catalog.tables.get(
      tableRef(ds, pgSource.database, 'public', 'customer_emails', 'view'),
    )!.batch;
    expect(view.table.kind).toBe('view');
    expect(view.table.viewSql).toMatch(/sales\.customers/);
    const hostile = h.catalog.tables.get(
      tableRef(ds, pgSource.database, HOSTILE_SCHEMA, HOSTILE_TABLE),
    )!.batch;
    expect(hostile.columns.map(c => c.name)).toEqual(['id', 'e-mail "work"', 'Straße']);
    expect(hostile.columns[1]!.labels.map(l => l.classifierId)).toContain('PII.EMAIL_ADDRESS');

    // Raw sampled values never leave the scan: not in the batches (masked only), not in our tables.
    expect(JSON.stringify([...h.catalog.tables.values()])).not.toContain(SECRET_EMAIL);
    for (const table of ['scans_runs', 'scans_run_tables', 'scans_run_logs', 'scans_table_state']) {
      expect(JSON.stringify(await h.db.knex(table).select())).not.toContain(SECRET_EMAIL);
    }

    const tables = await h.scans.listTables(run.id, { limit: 100 });
    expect(tables.items).toHaveLength(4);
    for (const table of tables.items) {
      expect(table).toMatchObject({ status: 'succeeded', attempts: 1, error: null });
      expect(table.durationMs).toBeGreaterThanOrEqual(0);
      expect(table.logs.map(l => l.message).join('\n')).toMatch(/^Scanned /);
    }
    const logs = await h.scans.listLogs(run.id, { limit: 100 });
    expect(logs.items[0]!.message).toMatch(/^Queued by user:default\/tester/);
    expect(logs.items.map(l => l.message)).toContainEqual(
      expect.stringMatching(/^Planned 4 table\(s\) in 3 schema\(s\)/),
    );
    expect(logs.items.map(l => l.message)).toContainEqual(
      expect.stringMatching(/Catalog updated: 4 table\(s\) seen, 0 no longer present/),
    );

    expect(h.events.filter(e => e.runId === run.id)).toEqual([
      { runId: run.id, dataSourceId: ds, status: 'succeeded', progress: run.progress },
    ]);
    expect(h.catalog.completions.filter(c => c.runId === run.id)).toHaveLength(1);
    // The connection is fetched when the run is queued and once per run by this worker, not per table.
    expect(h.sources.requests - requestsBefore).toBe(2);
  });

  it('rescans incrementally: unchanged tables are skipped but still seen, a changed one is rescanned, a dropped one becomes deleted', async () => {
    const ds = pgDataSource();
    const first = await h.waitForRun(
      (await h.start({ dataSourceId: ds, ruleSetId: 'no-profile' })).id,
    );
    expect(first.progress).toMatchObject({ tablesTotal: 4, tablesScanned: 4, tablesSkipped: 0 });

    const unchanged = await h.waitForRun(
      (await h.start({ dataSourceId: ds, ruleSetId: 'no-profile' })).id,
    );
    expect(unchanged.status).toBe('succeeded');
    expect(unchanged.progress).toMatchObject({
      tablesTotal: 4,
      tablesDone: 4,
      tablesSkipped: 4,
      tablesScanned: 0,
      rowsSampled: 0,
    });
    const skippedTables = await h.scans.listTables(unchanged.id, { limit: 10 });
    expect(skippedTables.items.every(t => t.status === 'skipped')).toBe(true);
    const completion = h.catalog.completions.find(c => c.runId === unchanged.id)!;
    expect(completion.seenTableRefs).toHaveLength(4);
    for (const [, entry] of h.catalog.ofSource(ds))
      expect(entry).toMatchObject({ status: 'active', publishes: 1 });

    await pgSource.sql(`INSERT INTO sales.orders VALUES (1000, 1, 5.00, '4111111111111111')`);
    await pgSource.sql(`CREATE TABLE sales.doomed (id integer PRIMARY KEY, note text)`);
    const changed = await h.waitForRun(
      (await h.start({ dataSourceId: ds, ruleSetId: 'no-profile' })).id,
    );
    const byTable = new Map(
      (await h.scans.listTables(changed.id, { limit: 10 })).items.map(t => [t.table, t.status]),
    );
    expect(Object.fromEntries(byTable)).toEqual({
      customer_emails: 'skipped',
      customers: 'skipped',
      doomed: 'succeeded',
      orders: 'succeeded',
      [HOSTILE_TABLE]: 'skipped',
    });
    expect(changed.progress).toMatchObject({ tablesTotal: 5, tablesSkipped: 3, tablesScanned: 2 });

    await pgSource.sql(`DROP TABLE sales.doomed`);
    const afterDrop = await h.waitForRun(
      (await h.start({ dataSourceId: ds, ruleSetId: 'no-profile' })).id,
    );
    expect(afterDrop.progress).toMatchObject({ tablesTotal: 4, tablesSkipped: 4 });
    expect(h.catalog.tables.get(tableRef(ds, pgSource.database, 'sales', 'doomed'))!.status).toBe(
      'deleted',
    );
    expect(h.catalog.tables.get(tableRef(ds, pgSource.database, 'sales', 'orders'))!.status).toBe(
      'active',
    );

    // A new rule set version rescans everything.
    h.ruleSets.put('no-profile', 'No profiling', {
      profiling: { enabled: false },
      sampling: { size: 10 },
    });
    const newVersion = await h.waitForRun(
      (await h.start({ dataSourceId: ds, ruleSetId: 'no-profile' })).id,
    );
    expect(newVersion).toMatchObject({ ruleSetVersion: 2, status: 'succeeded' });
    expect(newVersion.progress).toMatchObject({
      tablesSkipped: 0,
      tablesScanned: 4,
      rowsSampled: 40,
    });
  });

  it('reports nothing as deleted after a partial (filtered) scan', async () => {
    const ds = pgDataSource();
    await h.waitForRun((await h.start({ dataSourceId: ds, ruleSetId: 'no-profile' })).id);
    const partial = await h.waitForRun(
      (await h.start({ dataSourceId: ds, ruleSetId: 'sales-only' })).id,
    );
    expect(partial).toMatchObject({ status: 'succeeded', fullScan: false });
    expect(partial.progress.tablesTotal).toBe(2);
    expect(h.catalog.completions.find(c => c.runId === partial.id)).toBeUndefined();
    expect(h.catalog.ofSource(ds).every(([, e]) => e.status === 'active')).toBe(true);
  });

  it('does not duplicate anything when a table task is replayed', async () => {
    const ds = pgDataSource();
    const run = await h.waitForRun(
      (await h.start({ dataSourceId: ds, ruleSetId: 'no-profile' })).id,
    );
    const ref = tableRef(ds, pgSource.database, 'sales', 'customers');
    // What a crash-and-retry or a replayed plan would do: the same job again.
    await h.queue.enqueue(
      TABLE_TASK,
      { runId: run.id, tableRef: ref },
      { key: tableKey(run.id, ref) },
    );
    await h.executor.enqueuePlan(run.id);
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect(await h.queue.stats()).toMatchObject({ pending: 0, running: 0 });
    const after = await h.scans.getRun(run.id);
    expect(after.progress).toEqual(run.progress);
    expect(h.catalog.tables.get(ref)!.publishes).toBe(1);
    expect(h.events.filter(e => e.runId === run.id)).toHaveLength(1);
    const rows = await h.db.knex('scans_run_tables').where({ run_id: run.id });
    expect(rows).toHaveLength(4);
  });

  it('recovers a run whose table job was lost (crash recovery by the scheduled sweep)', async () => {
    const ds = pgDataSource();
    const done = await h.waitForRun(
      (await h.start({ dataSourceId: ds, ruleSetId: 'sales-only' })).id,
    );
    const [row] = await h.db
      .knex('scans_run_tables')
      .where({ run_id: done.id, table_name: 'customers' });
    // The state a crash leaves: a planned run whose table has no job in the queue.
    const runId = 'crashed-run-1';
    await h.store.insertRun({
      id: runId,
      dataSourceId: ds,
      dataSourceName: 'Sales PG',
      workspace: 'default',
      ruleSetId: 'no-profile',
      ruleSetName: 'No profiling',
      ruleSetVersion: 1,
      trigger: 'manual',
      scheduleId: null,
      requestedBy: 'user:default/tester',
      createdAt: new Date().toISOString(),
    });
    await h.store.markRunStarted(runId, new Date().toISOString());
    await h.store.completePlan(runId, {
      tables: [
        {
          tableRef: row.table_ref,
          schema: 'sales',
          table: 'customers',
          kind: 'table',
          status: 'pending',
          fingerprint: null,
          discovered: row.discovered,
        },
      ],
      fullScan: false,
      now: new Date().toISOString(),
    });
    await new Promise(resolve => setTimeout(resolve, h.settings.stalledAfterMs + 100));
    await h.executor.recoverStalledRuns();
    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({
      status: 'succeeded',
      progress: { tablesTotal: 1, tablesScanned: 1 },
    });
    // scan.completed follows the run's final write.
    await vi.waitFor(() => expect(h.events.filter(e => e.runId === runId)).toHaveLength(1));
  });

  it('scans a SQLite file', async () => {
    const id = `sqlite-${++dsCounter}`;
    h.sources.put({
      id,
      name: 'Shop',
      type: 'sqlite',
      workspace: 'default',
      config: { path: sqliteSource.path },
    });
    const run = await h.waitForRun((await h.start({ dataSourceId: id })).id);
    expect(run.status).toBe('succeeded');
    expect(run.progress).toMatchObject({
      tablesTotal: 3,
      tablesScanned: 3,
      tablesFailed: 0,
      rowsSampled: 40 + 100 + 42,
    });
    const refs = h.catalog.ofSource(id).map(([ref]) => ref);
    expect(refs).toHaveLength(3);
    // The file's name, not its path, names the database: moving the file keeps the refs.
    expect(refs.join(' ')).not.toContain(path.dirname(sqliteSource.path));
    const customers = h.catalog.ofSource(id).find(([ref]) => ref.endsWith('.customers'))![1].batch;
    expect(
      customers.columns.find(c => c.name === 'iban')!.labels.map(l => l.classifierId),
    ).toContain('FIN.IBAN');
    expect(
      customers.columns.find(c => c.name === 'email')!.labels.map(l => l.classifierId),
    ).toContain('PII.EMAIL_ADDRESS');

    sqliteSource.exec(`DROP VIEW big_spenders`);
    const rescan = await h.waitForRun((await h.start({ dataSourceId: id })).id);
    expect(rescan.progress).toMatchObject({ tablesTotal: 2, tablesSkipped: 2 });
    expect(
      h.catalog
        .ofSource(id)
        .filter(([, e]) => e.status === 'deleted')
        .map(([ref]) => ref),
    ).toEqual([expect.stringMatching(/big_spenders$/)]);
  });

  describe('with slow tables', () => {
    beforeAll(async () => {
      await pgSource.sql(`CREATE SCHEMA slow`);
      for (let i = 1; i <= 6; i++) {
        await pgSource.sql(
          `CREATE VIEW slow.v${i} AS SELECT g AS id, pg_sleep(0.4)::text AS nap FROM generate_series(1, 1) g`,
        );
      }
      await pgSource.sql(`CREATE VIEW slow.sleepy AS SELECT pg_sleep(6)::text AS nap`);
      h.ruleSets.put('slow', 'Slow views', {
        include: { schemas: ['slow'], tables: ['v*'] },
        profiling: { enabled: false },
      });
      h.ruleSets.put('sleepy', 'Sleepy', {
        include: { schemas: ['slow'] },
        profiling: { enabled: false },
        tableTimeoutSeconds: 1,
      });
      h.ruleSets.put('one-slow', 'One slow view', {
        include: { schemas: ['slow'], tables: ['v1'] },
        profiling: { enabled: false },
        sampling: { strategy: 'first' },
      });
    });

    it('bounds concurrent work per data source across workers with database leases', async () => {
      const worker = await h.addWorker(4);
      try {
        const ds = pgDataSource('Slow source');
        // Two workers with 4 slots each, but the data source allows 4 at once across both.
        let peak = 0;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            const { rows } = await pgSource.sql(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE '%"slow"."v%' AND pid <> pg_backend_pid()`,
              [pgSource.database],
            );
            peak = Math.max(peak, rows[0].n);
            const leases = await h.store.countActiveLeases(ds, Date.now());
            expect(leases).toBeLessThanOrEqual(h.settings.maxConcurrencyPerSource);
            await new Promise(resolve => setTimeout(resolve, 40));
          }
        })();
        const run = await h.waitForRun((await h.start({ dataSourceId: ds, ruleSetId: 'slow' })).id);
        sampling = false;
        await sampler;
        expect(run.status).toBe('succeeded');
        expect(run.progress).toMatchObject({ tablesTotal: 6, tablesScanned: 6 });
        expect(peak).toBeGreaterThan(1);
        expect(peak).toBeLessThanOrEqual(h.settings.maxConcurrencyPerSource);
      } finally {
        await worker.stop();
      }
    });

    it('fails a table that runs past tableTimeoutSeconds, and the run still succeeds', async () => {
      const ds = pgDataSource();
      h.ruleSets.put('sleepy-only', 'Sleepy only', {
        include: { schemas: ['slow'], tables: ['sleepy', 'v1'] },
        profiling: { enabled: false },
        tableTimeoutSeconds: 2,
      });
      const started = Date.now();
      const run = await h.waitForRun(
        (await h.start({ dataSourceId: ds, ruleSetId: 'sleepy-only' })).id,
      );
      expect(Date.now() - started).toBeLessThan(5_500);
      expect(run.status).toBe('succeeded');
      expect(run.progress).toMatchObject({
        tablesTotal: 2,
        tablesDone: 2,
        tablesFailed: 1,
        tablesScanned: 1,
        errors: 1,
      });
      const tables = (await h.scans.listTables(run.id, { limit: 10 })).items;
      const sleepy = tables.find(t => t.table === 'sleepy')!;
      expect(sleepy).toMatchObject({ status: 'failed', attempts: 1, error: 'Timed out after 2 s' });
      expect(sleepy.logs.at(-1)!).toMatchObject({
        level: 'error',
        message: expect.stringMatching(/sleepy failed: Timed out/),
      });
      expect(h.catalog.tables.has(tableRef(ds, pgSource.database, 'slow', 'sleepy', 'view'))).toBe(
        false,
      );
    });

    it('marks a run whose every table failed as failed', async () => {
      const ds = pgDataSource();
      h.ruleSets.put('only-sleepy', 'Only sleepy', {
        include: { tables: ['slow.sleepy'] },
        profiling: { enabled: false },
        tableTimeoutSeconds: 1,
      });
      const run = await h.waitForRun(
        (await h.start({ dataSourceId: ds, ruleSetId: 'only-sleepy' })).id,
      );
      expect(run).toMatchObject({ status: 'failed', error: 'Every table failed (1)' });
      await vi.waitFor(() =>
        expect(h.events.find(e => e.runId === run.id)).toMatchObject({ status: 'failed' }),
      );
    });

    it('retries a table after a transient error (the catalog was unavailable) with backoff', async () => {
      const ds = pgDataSource();
      h.catalog.unavailableFor = 2;
      const run = await h.waitForRun(
        (await h.start({ dataSourceId: ds, ruleSetId: 'one-slow' })).id,
      );
      expect(run.status).toBe('succeeded');
      expect(run.progress).toMatchObject({
        tablesTotal: 1,
        tablesScanned: 1,
        tablesFailed: 0,
        errors: 0,
      });
      const [table] = (await h.scans.listTables(run.id, { limit: 10 })).items;
      expect(table).toMatchObject({ status: 'succeeded', attempts: 3, error: null });
      expect(table!.logs.map(l => [l.level, l.message.replace(/[\d.]+ s:/, 'N s:')])).toEqual([
        [
          'warn',
          'Attempt 1 of 3 failed, retrying in N s: POST /api/data-catalog/ingest/tables answered 503: Service Unavailable',
        ],
        [
          'warn',
          'Attempt 2 of 3 failed, retrying in N s: POST /api/data-catalog/ingest/tables answered 503: Service Unavailable',
        ],
        ['info', expect.stringMatching(/^Scanned slow\.v1: 1 rows sampled/)],
      ]);
      expect(
        h.catalog.tables.get(tableRef(ds, pgSource.database, 'slow', 'v1', 'view'))!.publishes,
      ).toBe(1);

      // Past the attempts budget the table fails, and the run (its only table failed) fails.
      h.catalog.unavailableFor = 3;
      const failed = await h.waitForRun(
        (await h.start({ dataSourceId: pgDataSource(), ruleSetId: 'one-slow' })).id,
      );
      expect(failed).toMatchObject({ status: 'failed' });
      const [lost] = (await h.scans.listTables(failed.id, { limit: 10 })).items;
      expect(lost).toMatchObject({
        status: 'failed',
        attempts: 3,
        error: expect.stringMatching(/answered 503/),
      });
    });

    it('cancels a run: running tables are aborted, pending ones dropped, the run ends canceled', async () => {
      const ds = pgDataSource();
      h.ruleSets.put('slow-serial', 'Slow', {
        include: { schemas: ['slow'], tables: ['v*'] },
        profiling: { enabled: false },
      });
      const queued = await h.start({ dataSourceId: ds, ruleSetId: 'slow-serial' });
      await h.waitForRun(
        queued.id,
        run => run.status === 'running' && run.progress.tablesTotal === 6,
      );
      const canceled = await h.scans.cancelRun(queued.id, { actor: 'user:default/tester' });
      expect(canceled.status).toBe('canceled');
      await expect(h.scans.cancelRun(queued.id, { actor: 'user:default/tester' })).rejects.toThrow(
        /already ended/,
      );
      await new Promise(resolve => setTimeout(resolve, 1500));
      const run = await h.scans.getRun(queued.id);
      expect(run.status).toBe('canceled');
      expect(run.progress.tablesDone).toBeLessThan(6);
      const tables = (await h.scans.listTables(run.id, { limit: 10 })).items;
      expect(tables.some(t => t.status === 'canceled')).toBe(true);
      expect(tables.every(t => ['canceled', 'succeeded'].includes(t.status))).toBe(true);
      expect(await h.queue.stats()).toMatchObject({ pending: 0, running: 0 });
      expect(h.events.filter(e => e.runId === run.id)).toEqual([
        expect.objectContaining({ status: 'canceled' }),
      ]);
      expect(h.catalog.completions.find(c => c.runId === run.id)).toBeUndefined();
    });
  });

  it('fails a run whose data source cannot be reached, after retrying the plan', async () => {
    const id = `pg-${++dsCounter}`;
    h.sources.put({
      id,
      name: 'Nowhere',
      type: 'postgres',
      workspace: 'default',
      config: { ...pgSource.config, port: 1 },
    });
    const run = await h.waitForRun((await h.start({ dataSourceId: id })).id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^Planning failed: .*ECONNREFUSED/);
    const logs = (await h.scans.listLogs(run.id, { limit: 50 })).items;
    expect(logs.filter(l => l.level === 'warn' && /retrying/.test(l.message))).toHaveLength(2);
    expect(h.events.find(e => e.runId === run.id)).toMatchObject({ status: 'failed' });
  });

  it('refuses unknown data sources and rule sets with 404s', async () => {
    await expect(h.start({ dataSourceId: 'nope' })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: "Data source 'nope' not found",
    });
    const ds = pgDataSource();
    await expect(h.start({ dataSourceId: ds, ruleSetId: 'nope' })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('fires a due schedule exactly once even when ticks overlap, and not while paused', async () => {
    const ds = pgDataSource();
    const caller = { actor: 'user:default/tester' };
    const schedule = await h.schedules.create(
      {
        dataSourceId: ds,
        ruleSetId: 'sales-only',
        cron: '*/5 * * * *',
        timezone: 'Europe/Paris',
        paused: false,
      },
      caller,
    );
    expect(schedule.nextRunAt).not.toBeNull();
    // Make it due now.
    await h.db
      .knex('scans_schedules')
      .where({ id: schedule.id })
      .update({ next_run_at: new Date(Date.now() - 1000).toISOString() });
    const [a, b] = await Promise.all([h.schedules.tick(), h.schedules.tick()]);
    const started = [...a, ...b];
    expect(started).toHaveLength(1);
    const run = await h.waitForRun(started[0]!);
    expect(run).toMatchObject({
      status: 'succeeded',
      trigger: 'schedule',
      scheduleId: schedule.id,
      requestedBy: 'plugin:scans',
    });
    const after = await h.schedules.get(schedule.id);
    expect(after.lastRunId).toBe(run.id);
    expect(Date.parse(after.nextRunAt!)).toBeGreaterThan(Date.now());

    const paused = await h.schedules.update(schedule.id, { paused: true }, caller);
    expect(paused).toMatchObject({ paused: true, nextRunAt: null });
    expect(await h.schedules.tick()).toEqual([]);
    const resumed = await h.schedules.update(schedule.id, { paused: false }, caller);
    expect(resumed.nextRunAt).not.toBeNull();
    await expect(
      h.schedules.create(
        { dataSourceId: ds, cron: '61 * * * *', timezone: 'UTC', paused: false },
        caller,
      ),
    ).rejects.toThrow(/cron/);
    await expect(
      h.schedules.create(
        { dataSourceId: ds, cron: '0 * * * *', timezone: 'Mars/Olympus', paused: false },
        caller,
      ),
    ).rejects.toThrow(/timezone/);
    await h.schedules.delete(schedule.id, caller);
    expect(h.audit.map(e => e.verb)).toEqual(
      expect.arrayContaining([
        'scan.schedule.create',
        'scan.schedule.update',
        'scan.schedule.delete',
        'scan.run',
      ]),
    );
  });
});
