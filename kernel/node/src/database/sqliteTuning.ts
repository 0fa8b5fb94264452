import {
  coreServices,
  createServiceFactory,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import type { Knex } from 'knex';

interface SqliteConnection {
  pragma?(source: string): unknown;
}

function applyPragmas(connection: SqliteConnection) {
  // WAL lets readers run beside the writer; NORMAL sync is durable at checkpoints and an
  // order of magnitude faster per commit than FULL. busy_timeout waits instead of failing.
  connection.pragma?.('journal_mode = WAL');
  connection.pragma?.('synchronous = NORMAL');
  connection.pragma?.('busy_timeout = 5000');
}

const tuned = new WeakSet<Knex>();

/** Tunes a better-sqlite3 knex client (a no-op on PostgreSQL), now and for new connections. */
export async function tuneSqlite(knex: Knex): Promise<void> {
  const client = String(knex.client.config.client);
  if (tuned.has(knex) || (client !== 'better-sqlite3' && client !== 'sqlite3')) return;
  tuned.add(knex);
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
        return knex;
      },
    };
  },
});
