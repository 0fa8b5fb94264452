/**
 * TaskQueue throughput and pick-up latency on a fresh test database.
 * Run: npx tsx bench/taskqueue.ts            (SQLite)
 *      RACINE_TEST_DB=postgres npx tsx bench/taskqueue.ts
 */
import { createTaskQueue } from '@racine/kernel-node';
import { createTestDatabase } from '@racine/kernel-node/testing';

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const LATENCY_SAMPLES = 50;

const db = await createTestDatabase();
const quiet = { info: () => undefined, warn: () => undefined, error: console.error };
try {
  const queue = createTaskQueue({ knex: db.knex, logger: quiet, concurrency: 4 });
  let done = 0;
  const startedAt = new Map<number, number>();
  queue.handle<{ n: number }>('noop', async payload => {
    startedAt.set(payload.n, performance.now());
    done += 1;
  });

  // Enqueue throughput (sequential, as a request handler would).
  let t = performance.now();
  for (let n = 0; n < JOBS; n++) await queue.enqueue('noop', { n });
  const enqueueMs = performance.now() - t;

  // Batch enqueue throughput (enqueueMany, BATCH per call, as scans queue a run's tables), into
  // a task without a handler so the drain below is unchanged.
  t = performance.now();
  for (let start = 0; start < JOBS; start += BATCH) {
    const size = Math.min(BATCH, JOBS - start);
    await queue.enqueueMany(
      'noop-batch',
      Array.from({ length: size }, (_, i) => ({
        payload: { n: start + i },
        options: { key: `batch-${start + i}` },
      })),
    );
  }
  const batchMs = performance.now() - t;

  // Drain throughput.
  t = performance.now();
  await queue.start();
  while (done < JOBS) await new Promise(r => setTimeout(r, 5));
  const drainMs = performance.now() - t;

  // Pick-up latency of a single job on an idle queue.
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const n = JOBS + i;
    const before = performance.now();
    await queue.enqueue('noop', { n });
    while (!startedAt.has(n)) await new Promise(r => setTimeout(r, 1));
    latencies.push(startedAt.get(n)! - before);
  }
  latencies.sort((a, b) => a - b);
  await queue.stop();

  const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000)}/s`;
  console.log(`task queue bench (${queue.driver}, ${JOBS} jobs, concurrency 4)`);
  console.log(`  enqueue: ${rate(JOBS, enqueueMs)} (${enqueueMs.toFixed(0)} ms)`);
  console.log(
    `  enqueueMany (${BATCH} per call, keyed): ${rate(JOBS, batchMs)} (${batchMs.toFixed(0)} ms)`,
  );
  console.log(`  drain:   ${rate(JOBS, drainMs)} (${drainMs.toFixed(0)} ms)`);
  console.log(
    `  pick-up latency: p50 ${latencies[LATENCY_SAMPLES >> 1].toFixed(1)} ms, p95 ${latencies[Math.floor(LATENCY_SAMPLES * 0.95)].toFixed(1)} ms`,
  );
} finally {
  await db.destroy();
}
