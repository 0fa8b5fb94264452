/**
 * Data catalog ingestion throughput over HTTP, as the scans plugin publishes it: 1,000
 * tables × 20 columns (two labelled columns per table), on SQLite and on PostgreSQL, first
 * ingestion then an idempotent replay. Run: npx tsx bench/catalog-ingest.ts [tables] [tablesPerRequest]
 */
import crypto from 'node:crypto';
import { startRacineServer } from '@racine/backend/testing';
import type { TableBatchInput } from '@racine/plugin-data-catalog-common';

const tables = Number(process.argv[2] ?? 1000);
const perRequest = Number(process.argv[3] ?? 20);
const columnsPerTable = 20;

function batch(i: number, runId: string, scannedAt: string): TableBatchInput {
  return {
    dataSourceId: 'bench-ds',
    dataSourceName: 'Benchmark warehouse',
    runId,
    scannedAt,
    database: 'warehouse',
    schema: `schema_${i % 10}`,
    table: {
      name: `table_${i}`,
      kind: 'table',
      rowCount: 1000 + i,
      primaryKey: ['c0'],
      foreignKeys: [],
    },
    columns: Array.from({ length: columnsPerTable }, (_, c) => ({
      name: `c${c}`,
      ordinal: c + 1,
      dataType: c === 0 ? 'bigint' : 'varchar(255)',
      nullable: c !== 0,
      isPrimaryKey: c === 0,
      profile: { rowCount: 1000 + i, nullCount: c, distinctCount: 900, maxLength: 40 },
      labels:
        c === 3 || c === 7
          ? [
              {
                classifierId: c === 3 ? 'pii.email' : 'pii.phone',
                confidence: 0.9,
                evidence: {
                  signals: [{ kind: 'value-pattern', description: '95 of 100 values match' }],
                  maskedExamples: ['j***@example.com'],
                },
              },
            ]
          : [],
    })),
  };
}

async function run(kind: 'sqlite' | 'postgres') {
  process.env.RACINE_TEST_DB = kind;
  const token = crypto.randomBytes(24).toString('hex');
  const server = await startRacineServer({
    config: {
      backend: {
        auth: { externalAccess: [{ type: 'static', options: { token, subject: 'plugin:scans' } }] },
      },
    },
  });
  try {
    const publish = async (runId: string) => {
      const scannedAt = new Date().toISOString();
      let changed = 0;
      const started = performance.now();
      for (let i = 0; i < tables; i += perRequest) {
        const batches = Array.from({ length: Math.min(perRequest, tables - i) }, (_, k) =>
          batch(i + k, runId, scannedAt),
        );
        const res = await server.request('/api/data-catalog/ingest/tables', {
          method: 'POST',
          json: { batches },
          token,
        });
        if (!res.ok) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
        changed += (await res.json()).changed;
      }
      return { seconds: (performance.now() - started) / 1000, changed };
    };
    const first = await publish('bench-1');
    const replay = await publish('bench-1');
    const rate = (s: number) => Math.round(tables / s);
    console.log(
      `${kind.padEnd(8)} ${tables} tables × ${columnsPerTable} columns, ${perRequest} tables/request: ` +
        `first ingestion ${first.seconds.toFixed(2)} s (${rate(first.seconds)} tables/s, ${first.changed} assets changed), ` +
        `replay ${replay.seconds.toFixed(2)} s (${rate(replay.seconds)} tables/s, ${replay.changed} changed)`,
    );
  } finally {
    // Bounded, so one engine's slow shutdown cannot hold up the other's figures.
    await Promise.race([server.stop(), new Promise(resolve => setTimeout(resolve, 15_000))]);
  }
}

process.env.LOG_LEVEL ??= 'error';
await run('sqlite');
await run('postgres');
process.exit(0);
