import {
  coreServices,
  createServiceFactory,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import type { Knex } from 'knex';

interface SqliteStatement {
  /** True while an `iterate()` over the statement is open. */
  readonly busy?: boolean;
}

interface SqliteConnection {
  pragma?(source: string): unknown;
  prepare?(source: string): SqliteStatement;
}

/** Address space mapped per connection (SQLite's default build caps it near 2 GiB). */
const MMAP_BYTES = 2 ** 31;
const CACHE_KIB = 64 * 1024;

/** How often a tuned client refreshes the planner's statistics (`PRAGMA optimize`). */
export const OPTIMIZE_INTERVAL_MS = 5 * 60 * 1000;

/** Prepared statements kept per connection, least recently used evicted first. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * knex prepares every query anew; compiling the SQL cost as much as running the small
 * statements plugins issue most. The same SQL text gets the same prepared statement back
 * (SQLite re-prepares it by itself after a schema change). A statement still iterating is
 * never handed out twice.
 */
const caching = new WeakSet<SqliteConnection>();

function cacheStatements(connection: SqliteConnection) {
  const prepare = connection.prepare?.bind(connection);
  if (!prepare || caching.has(connection)) return;
  caching.add(connection);
  const cache = new Map<string, SqliteStatement>();
  connection.prepare = (source: string) => {
    const cached = cache.get(source);
    if (cached && !cached.busy) {
      cache.delete(source);
      cache.set(source, cached);
      return cached;
    }
    const statement = prepare(source);
    cache.set(source, statement);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return statement;
  };
}

function applyPragmas(connection: SqliteConnection) {
  // WAL lets readers run beside the writer; NORMAL sync is durable at checkpoints and an
  // order of magnitude faster per commit than FULL. busy_timeout waits instead of failing.
  connection.pragma?.('journal_mode = WAL');
  connection.pragma?.('synchronous = NORMAL');
  connection.pragma?.('busy_timeout = 5000');
  // Reads go through a memory map (no read() call per page) and a 64 MiB page cache per
  // connection: a catalog search touches thousands of scattered rows of a large file.
  connection.pragma?.(`mmap_size = ${MMAP_BYTES}`);
  connection.pragma?.(`cache_size = -${CACHE_KIB}`);
  // The planner needs statistics: without them a 1M-asset catalog search picked plans 10 to
  // 100 times slower (a label filter: 20 ms with them, 1.9 s without). SQLite's own advice:
  // on open, analyse the tables never analysed or grown or shrunk 25-fold since (bounded by
  // its own analysis limit: ~5 s for a 2 GB catalog, once; a no-op after).
  connection.pragma?.('optimize = 0x10002');
  cacheStatements(connection);
}

const optimizing = new WeakMap<Knex, NodeJS.Timeout>();

/**
 * Every OPTIMIZE_INTERVAL_MS, `PRAGMA optimize` for the tables the client used: a catalog
 * that grew from empty after the process started gets statistics without a restart. Stops
 * when the client is destroyed (or by `stopOptimizing`).
 */
function keepOptimizing(knex: Knex) {
  const timer = setInterval(() => {
    knex.raw('PRAGMA optimize').catch(() => stopOptimizing(knex));
  }, OPTIMIZE_INTERVAL_MS);
  timer.unref();
  optimizing.set(knex, timer);
}

/** Stops the periodic `PRAGMA optimize` of a tuned client. */
export function stopOptimizing(knex: Knex): void {
  clearInterval(optimizing.get(knex));
  optimizing.delete(knex);
}

const tuned = new WeakSet<Knex>();

/** Tunes a better-sqlite3 knex client (a no-op on PostgreSQL), now and for new connections. */
export async function tuneSqlite(knex: Knex): Promise<void> {
  const client = String(knex.client.config.client);
  if (tuned.has(knex) || (client !== 'better-sqlite3' && client !== 'sqlite3')) return;
  tuned.add(knex);
  keepOptimizing(knex);
  knex.client.pool.on('createSuccess', (_id: unknown, connection: SqliteConnection) =>
    applyPragmas(connection),
  );
  const connection = (await knex.client.acquireConnection()) as SqliteConnection;
  try {
    applyPragmas(connection);
  } finally {
    await knex.client.releaseConnection(connection);
  }
}

/**
 * Backstage's database service with SQLite tuned for every plugin (same config, same
 * files and schemas as the default factory).
 */
export const racineDatabaseServiceFactory = createServiceFactory({
  service: coreServices.database,
  deps: {
    config: coreServices.rootConfig,
    lifecycle: coreServices.lifecycle,
    logger: coreServices.logger,
    pluginMetadata: coreServices.pluginMetadata,
    rootLifecycle: coreServices.rootLifecycle,
    rootLogger: coreServices.rootLogger,
  },
  createRootContext({ config, rootLifecycle, rootLogger }) {
    return DatabaseManager.fromConfig(config, { rootLifecycle, rootLogger });
  },
  factory({ pluginMetadata, lifecycle, logger }, manager): DatabaseService {
    const database = manager.forPlugin(pluginMetadata.getId(), { lifecycle, logger });
    return {
      ...database,
      async getClient() {
        const knex = await database.getClient();
        await tuneSqlite(knex);
        lifecycle.addShutdownHook(() => stopOptimizing(knex));
        return knex;
      },
    };
  },
});
