import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { kernelDatabaseServiceRef } from './database/kernelDatabase';
import { createTaskQueue, type TaskQueue } from './taskQueue';

/**
 * The kernel TaskQueue: graphile-worker on PostgreSQL, an in-process runner on SQLite.
 * Plugins call `handle` in their init; the queue starts working once every plugin has
 * initialized, unless `racine.taskQueue.worker` is false (an API-only replica).
 */
export const taskQueueServiceRef = createServiceRef<TaskQueue>({
  id: 'racine.kernel.task-queue',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        db: kernelDatabaseServiceRef,
        config: coreServices.rootConfig,
        rootLogger: coreServices.rootLogger,
        rootLifecycle: coreServices.rootLifecycle,
      },
      factory({ db, config, rootLogger, rootLifecycle }) {
        const queue = createTaskQueue({
          knex: db.knex,
          logger: rootLogger.child({ service: 'task-queue' }),
          concurrency: config.getOptionalNumber('racine.taskQueue.concurrency'),
        });
        if (config.getOptionalBoolean('racine.taskQueue.worker') ?? true) {
          rootLifecycle.addStartupHook(() => queue.start());
        }
        rootLifecycle.addBeforeShutdownHook(() => queue.stop());
        return queue;
      },
    }),
});
