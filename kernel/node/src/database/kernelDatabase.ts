import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import type { Knex } from 'knex';
import { migrateKernelDatabase } from './migrations';
import { tuneSqlite } from './sqliteTuning';

export interface KernelDatabase {
  knex: Knex;
  client: 'sqlite' | 'postgres';
}

export function clientKind(knex: Knex): 'sqlite' | 'postgres' {
  const client = String(knex.client.config.client);
  return client === 'pg' || client === 'postgres' || client === 'postgresql'
    ? 'postgres'
    : 'sqlite';
}

/**
 * The kernel's own database (audit trail, workspaces, task queue), shared by the root-level
 * kernel services. It is the `kernel` plugin's database in Backstage terms (same config,
 * same file or schema), opened once per process.
 */
export const kernelDatabaseServiceRef = createServiceRef<KernelDatabase>({
  id: 'racine.kernel.database',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        rootLogger: coreServices.rootLogger,
        rootLifecycle: coreServices.rootLifecycle,
      },
      async factory({ config, rootLogger, rootLifecycle }) {
        const manager = DatabaseManager.fromConfig(config, { rootLogger, rootLifecycle });
        const database = manager.forPlugin('kernel', {
          logger: rootLogger.child({ plugin: 'kernel' }),
          lifecycle: rootLifecycle,
        });
        const knex = await database.getClient();
        await tuneSqlite(knex);
        await migrateKernelDatabase(knex);
        return { knex, client: clientKind(knex) };
      },
    }),
});
