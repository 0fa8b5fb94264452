import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventTopics } from '@racine/kernel-common';
import {
  actionRegistryServiceRef,
  auditServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  routeRegistryServiceRef,
  taskQueueServiceRef,
  workflowStepRegistryServiceRef,
} from '@racine/kernel-node';
import {
  COMPLIANCE_PLUGIN_ID,
  compliancePermissions,
  complianceViewPermission,
} from '@racine/plugin-compliance-common';
import { createEvaluateAction } from './actions/createEvaluateAction';
import { ComplianceStore } from './database/ComplianceStore';
import { migrateComplianceDatabase } from './database/migrations';
import { createComplianceRouter, EVALUATE_TASK } from './router';
import { BUILTIN_RULES } from './rules/builtinRules';
import { EvaluationService } from './services/EvaluationService';
import { HttpContextDirectory, HttpFactSource, PluginHttpClient } from './services/facts';
import { FindingService } from './services/FindingService';
import { FrameworkCatalog } from './services/FrameworkCatalog';
import { RemediationNotifier } from './services/RemediationNotifier';
import { ReportService } from './services/ReportService';
import { ScoreService } from './services/ScoreService';

const EVALUATE_ASSETS_TASK = 'compliance.evaluate-assets';

/**
 * The `compliance` plugin: frameworks mapped to rules over the catalog, findings with their
 * lifecycle, waivers, scores over time and reports. Evaluates on `asset.changed` (only the
 * changed assets), on a schedule and on demand. Wiring only.
 */
export const compliancePlugin = createBackendPlugin({
  pluginId: COMPLIANCE_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        audit: auditServiceRef,
        queue: taskQueueServiceRef,
        navigation: navigationRegistryServiceRef,
        actions: actionRegistryServiceRef,
        steps: workflowStepRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routeRegistry: routeRegistryServiceRef,
      },
      async init(deps) {
        const { logger } = deps;
        deps.permissionRegistry.register({
          permissions: compliancePermissions,
          descriptions: {
            'compliance.view': 'See compliance frameworks, rules, findings, scores and reports',
            'compliance.edit':
              'Write custom rules and frameworks, acknowledge findings and request waivers',
            'compliance.evaluate': 'Start compliance evaluations',
            'compliance.approve': 'Approve or reject compliance waivers',
          },
          defaultGrants: {
            viewer: ['compliance.view'],
            'data-owner': ['compliance.view'],
            'data-steward': ['compliance.view', 'compliance.edit', 'compliance.evaluate'],
            'compliance-officer': [
              'compliance.view',
              'compliance.edit',
              'compliance.evaluate',
              'compliance.approve',
            ],
            auditor: ['compliance.view'],
          },
        });
        deps.navigation.register({
          id: 'compliance.home',
          title: 'Compliance',
          path: '/compliance',
          group: 'Governance',
          icon: 'VerifiedUser',
          order: 300,
          permission: complianceViewPermission,
        });

        const knex = await deps.database.getClient();
        await migrateComplianceDatabase(knex);
        const store = new ComplianceStore(knex);
        await store.syncBuiltinRules(BUILTIN_RULES, new Date().toISOString());
        const http = new PluginHttpClient(deps.discovery, deps.auth);
        const frameworks = new FrameworkCatalog(store);
        const evaluations = new EvaluationService({
          store,
          facts: new HttpFactSource(http),
          context: new HttpContextDirectory(http),
          frameworks,
          logger,
          notifier: new RemediationNotifier({ store, events: deps.events, logger }),
        });
        const scores = new ScoreService(store, frameworks);
        const reports = new ReportService(store, frameworks);
        const findings = new FindingService(store, frameworks);

        deps.queue.handle<{ evaluationId: string }>(
          EVALUATE_TASK,
          async ({ evaluationId }) => {
            const done = await evaluations.run(evaluationId);
            if (done.status === 'succeeded') await scores.snapshot(new Date().toISOString());
          },
          { concurrency: 1 },
        );
        deps.queue.handle<{ refs: string[] }>(
          EVALUATE_ASSETS_TASK,
          async ({ refs }) => {
            await evaluations.evaluateRefs(refs);
          },
          { concurrency: 1 },
        );
        await deps.events.subscribe({
          id: 'compliance-incremental-evaluation',
          topics: [eventTopics.assetChanged],
          async onEvent({ eventPayload }) {
            const refs = (eventPayload as { refs?: unknown }).refs;
            if (!Array.isArray(refs)) return;
            const valid = refs.filter((r): r is string => typeof r === 'string').slice(0, 5000);
            if (valid.length === 0) return;
            try {
              await deps.queue.enqueue(EVALUATE_ASSETS_TASK, { refs: valid }, { maxAttempts: 3 });
            } catch (error) {
              logger.warn(`Could not queue an incremental compliance evaluation: ${String(error)}`);
            }
          },
        });

        deps.actions.register(createEvaluateAction(evaluations, scores));
        deps.steps.register({
          id: 'compliance.evaluate',
          actionId: 'compliance.evaluate',
          title: 'Evaluate compliance',
          description: 'Evaluates compliance rules over the catalog and updates findings',
          outputs: ['id', 'status', 'findingsOpened', 'findingsResolved'],
          idempotent: true,
          uiHints: {
            framework: { placeholder: 'gdpr', help: 'Framework id; all rules when empty' },
          },
        });

        // Global scope: one replica runs the periodic full evaluation and expires waivers.
        const cron = deps.config.getOptionalString('racine.compliance.schedule') ?? '0 3 * * *';
        await deps.scheduler.scheduleTask({
          id: 'compliance-scheduled-evaluation',
          frequency: { cron },
          timeout: { hours: 2 },
          scope: 'global',
          fn: async () => {
            const evaluation = await evaluations.request({
              trigger: 'schedule',
              requestedBy: 'plugin:compliance',
            });
            await deps.queue.enqueue(
              EVALUATE_TASK,
              { evaluationId: evaluation.id },
              { maxAttempts: 1 },
            );
          },
        });
        const expiryMinutes =
          deps.config.getOptionalNumber('racine.compliance.waiverCheckMinutes') ?? 5;
        await deps.scheduler.scheduleTask({
          id: 'compliance-waiver-expiry',
          frequency: { minutes: expiryMinutes },
          timeout: { minutes: 5 },
          scope: 'global',
          fn: async () => {
            try {
              const { expired, reopened } = await store.expireWaivers(new Date().toISOString());
              if (expired > 0) {
                await deps.audit.record({
                  actor: 'plugin:compliance',
                  verb: 'compliance.waiver.expire',
                  workspace: 'default',
                  outcome: 'success',
                  summary: `${expired} waiver(s) expired; ${reopened} finding(s) re-opened`,
                });
                await scores.snapshot(new Date().toISOString());
              }
            } catch (error) {
              logger.warn(`Waiver expiry failed: ${String(error)}`);
            }
          },
        });

        const { router, routes } = createComplianceRouter({
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
          audit: deps.audit,
          store,
          frameworks,
          evaluations,
          findings,
          scores,
          reports,
          queue: deps.queue,
        });
        deps.routeRegistry.register(routes);
        deps.httpRouter.use(router);
      },
    });
  },
});
