import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventTopics } from '@racine/kernel-common';
import {
  actionInvokerServiceRef,
  actionRegistryServiceRef,
  auditServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  routeRegistryServiceRef,
  searchRegistryServiceRef,
  taskQueueServiceRef,
  workspaceServiceRef,
} from '@racine/kernel-node';
import {
  PIPELINES_PLUGIN_ID,
  pipelinesDefaultGrants,
  pipelinesPermissionDescriptions,
  pipelinesPermissions,
  pipelinesViewPermission,
} from '@racine/plugin-pipelines-common';
import { createCreateJobAction } from './actions/createCreateJobAction';
import { createRunJobAction } from './actions/createRunJobAction';
import { KnexJobStore } from './database/JobStore';
import { migratePipelinesDatabase } from './database/migrations';
import { RunStore } from './database/RunStore';
import { KnexTemplateStore } from './database/TemplateStore';
import { ENGINE_TASKS } from './engine/Effects';
import { RunEngine } from './engine/RunEngine';
import { createPipelinesRouter, pipelinesRoutes } from './router';
import { RbacApproverCheck } from './services/ApproverCheck';
import { JobService } from './services/JobService';
import { createJobSearchProvider } from './services/jobSearchProvider';
import {
  KnexNotificationStore,
  NotificationService,
  type NotificationDelivery,
} from './services/NotificationService';
import { OutboundHttp } from './services/OutboundHttp';
import { StepCatalog } from './services/StepCatalog';
import { TemplateService } from './services/TemplateService';

/**
 * The `pipelines` plugin: jobs (DAGs of tasks whose steps come from every group), their runs
 * on the kernel TaskQueue, schedules, event triggers, notifications and pipeline templates.
 * Wiring only.
 */
export const pipelinesPlugin = createBackendPlugin({
  pluginId: PIPELINES_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
        audit: auditServiceRef,
        queue: taskQueueServiceRef,
        invoker: actionInvokerServiceRef,
        workspaces: workspaceServiceRef,
        navigation: navigationRegistryServiceRef,
        search: searchRegistryServiceRef,
        actions: actionRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routes: routeRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger } = deps;
        const knex = await deps.database.getClient();
        if (!deps.database.migrations?.skip) await migratePipelinesDatabase(knex);

        const settings = config.getOptionalConfig('racine.pipelines');
        const http = new OutboundHttp(settings?.getOptionalStringArray('http.allowedHosts') ?? []);
        const jobStore = new KnexJobStore(knex);
        const runStore = new RunStore(knex);
        const catalog = new StepCatalog(deps.invoker);
        const notificationStore = new KnexNotificationStore(knex);
        const notifications = new NotificationService(notificationStore, http);
        const engine = new RunEngine({
          store: runStore,
          jobs: jobStore,
          queue: deps.queue,
          invoker: deps.invoker,
          catalog,
          audit: deps.audit,
          permissions: deps.permissions,
          logger,
          http,
          approvers: new RbacApproverCheck({ auth: deps.auth, discovery: deps.discovery, logger }),
          settings: {
            leaseMs: (settings?.getOptionalNumber('leaseSeconds') ?? 30) * 1000,
            recoverAfterMs: (settings?.getOptionalNumber('recoverAfterSeconds') ?? 30) * 1000,
            maxIterations: settings?.getOptionalNumber('maxIterations') ?? 1000,
          },
        });
        engine.register({ concurrency: settings?.getOptionalNumber('taskConcurrency') });
        deps.lifecycle.addShutdownHook(() => engine.close());
        // No per-task limit: on PostgreSQL a limit below the total serializes every fetch.
        deps.queue.handle<NotificationDelivery>(ENGINE_TASKS.notify, delivery =>
          notifications.deliver(delivery),
        );

        const topics = Object.values(eventTopics) as string[];
        const jobs = new JobService({
          jobs: jobStore,
          runs: runStore,
          engine,
          catalog,
          http,
          workspaces: deps.workspaces,
          eventTopics: topics,
          logger,
        });
        const templates = new TemplateService({
          store: new KnexTemplateStore(knex),
          jobs,
          catalog,
          workspaceExists: name => deps.workspaces.exists(name),
        });

        deps.permissionRegistry.register({
          permissions: pipelinesPermissions,
          descriptions: pipelinesPermissionDescriptions,
          defaultGrants: pipelinesDefaultGrants,
        });
        deps.navigation.register({
          id: 'pipelines.jobs',
          title: 'Jobs',
          path: '/jobs',
          group: 'Orchestration',
          icon: 'AccountTree',
          order: 400,
          permission: pipelinesViewPermission,
        });
        deps.navigation.register({
          id: 'pipelines.templates',
          title: 'Pipelines',
          path: '/pipelines',
          group: 'Orchestration',
          icon: 'ViewQuilt',
          order: 410,
          permission: pipelinesViewPermission,
        });
        deps.search.register(createJobSearchProvider(jobStore));
        deps.actions.register(createRunJobAction(jobs));
        deps.actions.register(createCreateJobAction(jobs));

        await deps.events.subscribe({
          id: 'pipelines-triggers',
          topics,
          onEvent: async ({ topic, eventPayload }) => {
            try {
              await engine.onEvent(topic, eventPayload, (job, payload) =>
                jobs.startTriggered(job, topic, payload),
              );
            } catch (error) {
              logger.warn(`Could not handle event ${topic}: ${(error as Error).message}`);
            }
          },
        });

        // Global scope: one replica at a time fires due schedules and runs the recovery sweep.
        await deps.scheduler.scheduleTask({
          id: 'pipelines-schedules',
          frequency: { seconds: settings?.getOptionalNumber('schedulerIntervalSeconds') ?? 10 },
          timeout: { minutes: 5 },
          scope: 'global',
          fn: async () => {
            try {
              await jobs.scheduleTick();
              await engine.sweep();
            } catch (error) {
              logger.warn(`Pipelines schedule tick failed: ${(error as Error).message}`);
            }
          },
        });

        deps.routes.register(pipelinesRoutes);
        deps.httpRouter.use(
          createPipelinesRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit: deps.audit,
            logger,
            jobs,
            templates,
            engine,
            runs: runStore,
            catalog,
            notifications: notificationStore,
            streamPollMs: settings?.getOptionalNumber('streamPollMs'),
          }),
        );
      },
    });
  },
});
