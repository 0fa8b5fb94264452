import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  actionRegistryServiceRef,
  auditServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  searchRegistryServiceRef,
  workspaceServiceRef,
  routeRegistryServiceRef,
  type RouteDeclaration,
} from '@racine/kernel-node';
import {
  ruleSetCreatePermission,
  ruleSetDeletePermission,
  ruleSetEditPermission,
  ruleSetPermissions,
  ruleSetViewPermission,
} from '@racine/plugin-scan-rulesets-common';
import { createListRuleSetsAction } from './actions/createListRuleSetsAction';
import { createPreviewRuleSetAction } from './actions/createPreviewRuleSetAction';
import { migrateScanRulesetsDatabase } from './database/migrations';
import { KnexRuleSetStore } from './database/RuleSetStore';
import { createRouter } from './router';
import { DatasourcesConnectionResolver } from './services/ConnectionResolver';
import { PreviewService } from './services/PreviewService';
import { createRuleSetSearchProvider } from './services/ruleSetSearchProvider';
import { RuleSetService } from './services/RuleSetService';

const ruleSetRoutes: RouteDeclaration[] = [
  { method: 'GET', path: '/', permission: ruleSetViewPermission },
  { method: 'POST', path: '/', permission: ruleSetCreatePermission },
  { method: 'GET', path: '/classifiers', permission: ruleSetViewPermission },
  { method: 'GET', path: '/:id', permission: ruleSetViewPermission },
  { method: 'PUT', path: '/:id', permission: ruleSetEditPermission },
  { method: 'DELETE', path: '/:id', permission: ruleSetDeletePermission },
  { method: 'GET', path: '/:id/versions', permission: ruleSetViewPermission },
  { method: 'GET', path: '/:id/versions/:version', permission: ruleSetViewPermission },
  { method: 'GET', path: '/:id/diff', permission: ruleSetViewPermission },
  { method: 'POST', path: '/:id/rollback', permission: ruleSetEditPermission },
  { method: 'POST', path: '/:id/preview', permission: ruleSetViewPermission },
];

/**
 * `scan-rulesets`: versioned rule sets that decide what a scan reads and how (filters,
 * classifiers, sampling, profiling, limits), with a dry-run preview against a data source.
 */
export const scanRulesetsPlugin = createBackendPlugin({
  pluginId: 'scan-rulesets',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        database: coreServices.database,
        logger: coreServices.logger,
        audit: auditServiceRef,
        workspaces: workspaceServiceRef,
        navigation: navigationRegistryServiceRef,
        search: searchRegistryServiceRef,
        actions: actionRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routes: routeRegistryServiceRef,
      },
      async init(deps) {
        deps.routes.register(ruleSetRoutes);
        const knex = await deps.database.getClient();
        await migrateScanRulesetsDatabase(knex);
        const ruleSets = new RuleSetService(new KnexRuleSetStore(knex));
        const seeded = await ruleSets.seedBuiltins();
        if (seeded.length > 0) deps.logger.info(`Seeded built-in rule sets: ${seeded.join(', ')}`);
        const previews = new PreviewService(
          ruleSets,
          new DatasourcesConnectionResolver({ auth: deps.auth, discovery: deps.discovery }),
        );

        deps.permissionRegistry.register({
          permissions: ruleSetPermissions,
          descriptions: {
            'rule_sets.view': 'See scan rule sets, their versions and previews',
            'rule_sets.create': 'Create scan rule sets',
            'rule_sets.edit': 'Change scan rule sets and roll them back',
            'rule_sets.delete': 'Delete scan rule sets (built-in ones cannot be deleted)',
          },
          defaultGrants: {
            viewer: ['rule_sets.view'],
            'data-analyst': ['rule_sets.view'],
            'data-owner': ['rule_sets.view'],
            'data-steward': [
              'rule_sets.view',
              'rule_sets.create',
              'rule_sets.edit',
              'rule_sets.delete',
            ],
            'compliance-officer': ['rule_sets.view'],
            auditor: ['rule_sets.view'],
          },
        });
        deps.navigation.register({
          id: 'scan-rulesets.home',
          title: 'Scan rule sets',
          path: '/scan-rulesets',
          group: 'Governance',
          icon: 'Tune',
          order: 20,
          permission: ruleSetViewPermission,
        });
        deps.search.register(createRuleSetSearchProvider(ruleSets));
        deps.actions.register(createListRuleSetsAction(ruleSets));
        deps.actions.register(createPreviewRuleSetAction(previews));

        deps.httpRouter.use(
          createRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit: deps.audit,
            workspaces: deps.workspaces,
            ruleSets,
            previews,
          }),
        );
      },
    });
  },
});
