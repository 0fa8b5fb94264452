/**
 * Action invocations per second over HTTP (validate + authorize + audit), on SQLite and on
 * PostgreSQL. Run: npx tsx bench/kernel-actions.ts [invocations] [concurrency]
 */
import { startRacineServer } from '@racine/backend/testing';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 16);

async function run(kind: 'sqlite' | 'postgres') {
  process.env.RACINE_TEST_DB = kind;
  const server = await startRacineServer();
  try {
    const invoke = () =>
      server
        .request('/api/kernel/actions/platform.listWorkspaces', {
          method: 'POST',
          json: { query: 'def' },
        })
        .then(async r => {
          if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
          await r.arrayBuffer();
        });
    for (let i = 0; i < 50; i++) await invoke(); // warm-up
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          next += 1;
          const t = performance.now();
          await invoke();
          latencies.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const p = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
    const verify = await (await server.request('/api/kernel/activity/verify')).json();
    console.log(
      `${kind.padEnd(8)} ${total} invocations, concurrency ${concurrency}: ${(total / seconds).toFixed(0)} actions/s, ` +
        `p50 ${p(0.5)} ms, p99 ${p(0.99)} ms; audit chain ok=${verify.ok} (${verify.checked} records)`,
    );
  } finally {
    await server.stop();
  }
}

await run('sqlite');
await run('postgres');
process.exit(0);
