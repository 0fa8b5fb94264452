import type { Knex } from 'knex';
import { GraphileTaskQueue } from './graphileDriver';
import { resolveOptions } from './shared';
import { SqliteTaskQueue } from './sqliteDriver';
import type { CreateTaskQueueOptions, TaskQueue } from './types';

/** Which driver a knex instance calls for: graphile-worker on PostgreSQL, the runner on SQLite. */
export function taskQueueDriverFor(knex: Knex): TaskQueue['driver'] {
  const config = knex.client.config as Knex.Config;
  const client = typeof config.client === 'string' ? config.client : undefined;
  const dialect: unknown = (knex.client as { dialect?: unknown }).dialect;
  const name = client ?? (typeof dialect === 'string' ? dialect : '');
  if (['pg', 'postgres', 'postgresql'].includes(name)) return 'graphile-worker';
  if (['better-sqlite3', 'sqlite3', 'sqlite'].includes(name)) return 'sqlite';
  throw new Error(`The task queue supports PostgreSQL and SQLite, not knex client '${name}'`);
}

/**
 * Creates the kernel TaskQueue over the given database. Register handlers with `handle`, then
 * `start()` in worker processes; enqueue-only processes just `enqueue`. See README.md.
 */
export function createTaskQueue(options: CreateTaskQueueOptions): TaskQueue {
  const resolved = resolveOptions(options);
  return taskQueueDriverFor(options.knex) === 'graphile-worker'
    ? new GraphileTaskQueue(options.knex, resolved)
    : new SqliteTaskQueue(options.knex, resolved);
}
