/**
 * A task worker process for the crash test: it starts a queue whose `hang` handler never
 * settles, reports the job it picked up on stdout, and waits to be SIGKILLed.
 *
 *   RACINE_CRASH_DB_KIND=sqlite|postgres RACINE_CRASH_DB_LOCATION=<file or URL> \
 *     node --import tsx kernel/node/src/taskQueue/__fixtures__/crashWorker.ts
 */
import knexFactory from 'knex';
import { createTaskQueue } from '../index';

const kind = process.env.RACINE_CRASH_DB_KIND;
const location = process.env.RACINE_CRASH_DB_LOCATION;
if (!location || (kind !== 'sqlite' && kind !== 'postgres')) {
  throw new Error('Set RACINE_CRASH_DB_KIND (sqlite|postgres) and RACINE_CRASH_DB_LOCATION');
}

const knex =
  kind === 'postgres'
    ? knexFactory({ client: 'pg', connection: location, pool: { min: 0, max: 3 } })
    : knexFactory({
        client: 'better-sqlite3',
        connection: { filename: location },
        useNullAsDefault: true,
      });

const queue = createTaskQueue({
  knex,
  concurrency: 1,
  pollIntervalMs: 100,
  heartbeatIntervalMs: 300,
  staleAfterMs: 1500,
  workerId: `crash-worker-${process.pid}`,
  logger: {
    info: () => undefined,
    warn: () => undefined,
    error: m => process.stderr.write(`${m}\n`),
  },
});

queue.handle('hang', async (_payload, ctx) => {
  process.stdout.write(`RUNNING ${ctx.jobId} ${ctx.attempt}\n`);
  // Never settles: the parent kills this process mid-job.
  await new Promise<never>(() => undefined);
});

await queue.start();
process.stdout.write('READY\n');
// Keep the event loop alive whatever the driver's own timers do.
setInterval(() => undefined, 60_000);
