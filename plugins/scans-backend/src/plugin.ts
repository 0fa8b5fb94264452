import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventTopics } from '@racine/kernel-common';
import {
  actionRegistryServiceRef,
  auditServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  taskQueueServiceRef,
  workflowStepRegistryServiceRef,
  routeRegistryServiceRef,
  type RouteDeclaration,
} from '@racine/kernel-node';
import {
  scanLogicCreatePermission,
  scanLogicEditPermission,
  scanLogicExecutePermission,
  scanLogicPermissions,
  scanLogicViewPermission,
} from '@racine/plugin-scans-common';
import { createRunScanAction } from './actions/createRunScanAction';
import { migrateScansDatabase } from './database/migrations';
import { KnexScanStore } from './database/ScanStore';
import { createScansRouter } from './router';
import {
  HttpCatalogPublisher,
  HttpClassificationConfigDirectory,
  HttpDataSourceDirectory,
  HttpRuleSetDirectory,
  PluginHttpClient,
  type Collaborators,
} from './services/collaborators';
import { errorText } from './services/errors';
import { ScanExecutor } from './services/ScanExecutor';
import { ScanService } from './services/ScanService';
import { ScheduleService } from './services/ScheduleService';
import { readScanSettings } from './services/settings';

const scanRoutes: RouteDeclaration[] = [
  { method: 'POST', path: '/runs', permission: scanLogicExecutePermission },
  { method: 'GET', path: '/runs', permission: scanLogicViewPermission },
  { method: 'GET', path: '/runs/:id', permission: scanLogicViewPermission },
  { method: 'GET', path: '/runs/:id/tables', permission: scanLogicViewPermission },
  { method: 'GET', path: '/runs/:id/logs', permission: scanLogicViewPermission },
  { method: 'POST', path: '/runs/:id/cancel', permission: scanLogicExecutePermission },
  { method: 'GET', path: '/runs/:id/events', permission: scanLogicViewPermission },
  { method: 'GET', path: '/schedules', permission: scanLogicViewPermission },
  { method: 'GET', path: '/schedules/:id', permission: scanLogicViewPermission },
  { method: 'POST', path: '/schedules', permission: scanLogicCreatePermission },
  { method: 'PUT', path: '/schedules/:id', permission: scanLogicEditPermission },
  { method: 'DELETE', path: '/schedules/:id', permission: scanLogicEditPermission },
];

/**
 * The `scans` plugin (Advanced Scan Logic): scan runs of a data source with a rule set, run
 * by hand, on a cron schedule or through the `scans.run` action, executed as one TaskQueue
 * task per table so any number of workers share a scan.
 */
export const scansPlugin = createBackendPlugin({
  pluginId: 'scans',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
        audit: auditServiceRef,
        queue: taskQueueServiceRef,
        navigation: navigationRegistryServiceRef,
        actions: actionRegistryServiceRef,
        steps: workflowStepRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routes: routeRegistryServiceRef,
      },
      async init(deps) {
        deps.routes.register(scanRoutes);
        const { logger } = deps;
        deps.permissionRegistry.register({
          permissions: scanLogicPermissions,
          descriptions: {
            'scan_logic.view': 'See scan runs, their tables and logs, and scan schedules',
            'scan_logic.create': 'Create scan schedules',
            'scan_logic.edit': 'Change, pause, resume and delete scan schedules',
            'scan_logic.execute': 'Start and cancel scans',
          },
          defaultGrants: {
            viewer: ['scan_logic.view'],
            'data-analyst': ['scan_logic.view'],
            'data-steward': [
              'scan_logic.view',
              'scan_logic.create',
              'scan_logic.edit',
              'scan_logic.execute',
            ],
            'data-owner': [
              'scan_logic.view',
              'scan_logic.create',
              'scan_logic.edit',
              'scan_logic.execute',
            ],
            'compliance-officer': ['scan_logic.view'],
            auditor: ['scan_logic.view'],
          },
        });
        deps.navigation.register({
          id: 'scans.home',
          title: 'Scans',
          path: '/scans',
          group: 'Governance',
          icon: 'TrackChanges',
          order: 220,
          permission: scanLogicViewPermission,
        });

        const knex = await deps.database.getClient();
        if (!deps.database.migrations?.skip) await migrateScansDatabase(knex);
        const store = new KnexScanStore(knex);
        const settings = readScanSettings(deps.config);
        const http = new PluginHttpClient(deps.discovery, deps.auth);
        const collaborators: Collaborators = {
          dataSources: new HttpDataSourceDirectory(http),
          ruleSets: new HttpRuleSetDirectory(http),
          catalog: new HttpCatalogPublisher(http),
          classifications: new HttpClassificationConfigDirectory(http),
          events: {
            scanCompleted: async eventPayload => {
              await deps.events.publish({ topic: eventTopics.scanCompleted, eventPayload });
            },
          },
        };
        const executor = new ScanExecutor({
          store,
          queue: deps.queue,
          collaborators,
          settings,
          logger,
        });
        executor.register();
        deps.lifecycle.addShutdownHook(() => executor.close());

        const scans = new ScanService({
          store,
          executor,
          collaborators,
          audit: deps.audit,
          logger,
        });
        const schedules = new ScheduleService({ store, scans, audit: deps.audit, logger });

        deps.actions.register(createRunScanAction(scans));
        deps.steps.register({
          id: 'scans.run',
          actionId: 'scans.run',
          title: 'Run scan',
          description: 'Starts a scan of a data source with a rule set',
          outputs: ['id', 'status', 'dataSourceId', 'ruleSetId', 'ruleSetVersion'],
          idempotent: false,
          uiHints: {
            dataSourceId: { widget: 'datasource', help: 'The data source to scan' },
            ruleSetId: {
              widget: 'ruleset',
              placeholder: 'default',
              help: 'Rule set (default: everything)',
            },
          },
        });

        // Global scope: one replica at a time fires due schedules and recovers stalled runs.
        await deps.scheduler.scheduleTask({
          id: 'scans-schedules',
          frequency: { seconds: settings.schedulerFrequencySeconds },
          timeout: { minutes: 2 },
          scope: 'global',
          fn: async () => {
            try {
              await schedules.tick();
              await executor.recoverStalledRuns();
            } catch (error) {
              logger.warn(`Scan schedule tick failed: ${errorText(error)}`);
            }
          },
        });

        deps.httpRouter.use(
          createScansRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit: deps.audit,
            logger,
            scans,
            schedules,
            store,
            eventsPollMs: deps.config.getOptionalNumber('racine.scans.eventsPollMs'),
          }),
        );
      },
    });
  },
});
