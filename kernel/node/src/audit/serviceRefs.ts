import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { ActivityRecord } from '@racine/kernel-common';
import { kernelDatabaseServiceRef } from '../database/kernelDatabase';
import { ActivityLog, type ActivityEntry } from './ActivityLog';

/** The whole audit trail (read, verify); used by the kernel's activity routes. */
export const activityLogServiceRef = createServiceRef<ActivityLog>({
  id: 'racine.kernel.activity-log',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { db: kernelDatabaseServiceRef },
      factory: ({ db }) => new ActivityLog(db.knex),
    }),
});

/**
 * What plugins use to audit their mutations. Records are stamped with the calling plugin;
 * plugins never write the audit table themselves.
 */
export interface AuditService {
  record(entry: ActivityEntry): Promise<ActivityRecord>;
}

export const auditServiceRef = createServiceRef<AuditService>({
  id: 'racine.kernel.audit',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { log: activityLogServiceRef, plugin: coreServices.pluginMetadata },
      factory: ({ log, plugin }) => ({
        record: entry => log.record(plugin.getId(), entry),
      }),
    }),
});
