import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  actionRegistryServiceRef,
  auditServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  routeRegistryServiceRef,
  searchRegistryServiceRef,
  workflowStepRegistryServiceRef,
} from '@racine/kernel-node';
import {
  CLASSIFICATIONS_PLUGIN_ID,
  classificationPaths,
  classificationPermissions,
  classificationViewPermission,
} from '@racine/plugin-classifications-common';
import { createApproveAction } from './actions/createApproveAction';
import { createClassifyColumnAction } from './actions/createClassifyColumnAction';
import { createTestRuleAction } from './actions/createTestRuleAction';
import { migrateClassificationsDatabase } from './database/migrations';
import { KnexRuleStore } from './database/RuleStore';
import { KnexSettingsStore } from './database/SettingsStore';
import { createClassificationsRouter } from './router';
import { HttpCatalogReview } from './services/CatalogReviewClient';
import { createClassificationSearchProvider } from './services/classificationSearchProvider';
import { ClassifierLibrary } from './services/ClassifierLibrary';
import { EngineConfigService } from './services/EngineConfigService';
import { DatasourcesLiveSampler } from './services/LiveSampler';
import { RecheckPatternChecker } from './services/patternSafety';
import { ReviewService } from './services/ReviewService';
import { RuleService } from './services/RuleService';
import { RuleTester } from './services/RuleTester';
import { subscribeAutoApproval } from './services/autoApproval';

/**
 * The `classifications` plugin: the classifier library with stewards' overrides, custom rules
 * (versions, tests before saving), the engine configuration scans build their engine from, and
 * the review of labels (stored in the data catalog). Wiring only.
 */
export const classificationsPlugin = createBackendPlugin({
  pluginId: CLASSIFICATIONS_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        events: eventsServiceRef,
        audit: auditServiceRef,
        navigation: navigationRegistryServiceRef,
        search: searchRegistryServiceRef,
        actions: actionRegistryServiceRef,
        steps: workflowStepRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routeRegistry: routeRegistryServiceRef,
      },
      async init(deps) {
        const knex = await deps.database.getClient();
        await migrateClassificationsDatabase(knex);
        const settings = new KnexSettingsStore(knex);
        const library = new ClassifierLibrary({ settings });
        const rules = new RuleService({
          store: new KnexRuleStore(knex),
          patterns: new RecheckPatternChecker(),
        });
        const defaultAutoApproveConfidence =
          deps.config.getOptionalNumber('racine.classifications.autoApproveConfidence') ?? null;
        if (
          defaultAutoApproveConfidence !== null &&
          !(defaultAutoApproveConfidence >= 0.5 && defaultAutoApproveConfidence <= 1)
        )
          throw new Error(
            `racine.classifications.autoApproveConfidence must be between 0.5 and 1, not ${defaultAutoApproveConfidence}`,
          );
        const engineConfig = new EngineConfigService({
          rules,
          library,
          settings,
          defaultAutoApproveConfidence,
        });
        const tester = new RuleTester({
          rules,
          config: engineConfig,
          sampler: new DatasourcesLiveSampler({ auth: deps.auth, discovery: deps.discovery }),
        });
        const review = new ReviewService({
          catalog: new HttpCatalogReview({ auth: deps.auth, discovery: deps.discovery }),
          classifiers: {
            async describe() {
              const known = new Map<string, { name: string; kind: 'builtin' | 'custom' }>();
              for (const c of (await library.list()).items)
                known.set(c.id, { name: c.name, kind: 'builtin' });
              for (const r of await rules.liveRules())
                known.set(r.id, { name: r.name, kind: 'custom' });
              return known;
            },
          },
          events: deps.events,
          logger: deps.logger,
        });

        deps.permissionRegistry.register({
          permissions: classificationPermissions,
          descriptions: {
            'classification.view':
              'See classifiers, custom rules, labels, the review queue and accuracy',
            'classification.create': 'Create custom classification rules and test them',
            'classification.edit': 'Edit, enable and disable custom classification rules',
            'classification.delete': 'Delete custom classification rules',
            'classification.train':
              'Tune the classifier library: enable/disable, thresholds, sensitivity and categories',
            'classification.approve':
              'Approve, reject, relabel and add classification labels; set auto-approval',
          },
          defaultGrants: {
            viewer: ['classification.view'],
            'data-analyst': ['classification.view'],
            // Owners confirming labels on what they own needs ownership rules (ABAC); they see them.
            'data-owner': ['classification.view'],
            // Stewards run classification end to end; deleting a rule (its labels stay in the
            // catalog) is kept for administrators, a steward disables it instead.
            'data-steward': [
              'classification.view',
              'classification.create',
              'classification.edit',
              'classification.train',
              'classification.approve',
            ],
            'compliance-officer': ['classification.view'],
            auditor: ['classification.view'],
          },
        });
        deps.navigation.register({
          id: 'classifications.home',
          title: 'Classifications',
          path: classificationPaths.root,
          group: 'Governance',
          icon: 'Fingerprint',
          order: 130,
          permission: classificationViewPermission,
        });
        deps.search.register(createClassificationSearchProvider(library, rules));
        deps.actions.register(createClassifyColumnAction(engineConfig));
        deps.actions.register(createApproveAction(review));
        deps.actions.register(createTestRuleAction(tester));
        deps.steps.register({
          id: 'classifications.approve',
          actionId: 'classifications.approve',
          title: 'Approve classification labels',
          outputs: ['applied', 'failed'],
          idempotent: true,
        });

        const { router, routes } = createClassificationsRouter({
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
          audit: deps.audit,
          library,
          rules,
          tester,
          engineConfig,
          review,
        });
        deps.routeRegistry.register(routes);
        deps.httpRouter.use(router);

        await subscribeAutoApproval({
          events: deps.events,
          review,
          engineConfig,
          audit: deps.audit,
          logger: deps.logger,
        });
      },
    });
  },
});
