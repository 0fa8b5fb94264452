import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { tuneSqlite } from '@racine/kernel-node';
import type { Knex } from 'knex';
import { migrateRbacDatabase } from './migrations';

export interface RbacDatabase {
  knex: Knex;
}

/**
 * The rbac plugin's database (Backstage's database for plugin `rbac`: same config, same file
 * or schema), opened once per process and migrated. It is root-scoped because the policy,
 * native sign-in and API-key authentication, which every plugin depends on, read it; only
 * rbac-backend code touches these tables.
 */
export const rbacDatabaseServiceRef = createServiceRef<RbacDatabase>({
  id: 'racine.rbac.database',
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
        const database = manager.forPlugin('rbac', {
          logger: rootLogger.child({ plugin: 'rbac' }),
          lifecycle: rootLifecycle,
        });
        const knex = await database.getClient();
        await tuneSqlite(knex);
        await migrateRbacDatabase(knex);
        return { knex };
      },
    }),
});
