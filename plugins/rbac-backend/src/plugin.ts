import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  actionRegistryServiceRef,
  auditServiceRef,
  kernelRegistriesServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  resourceAccessServiceRef,
  routeRegistryServiceRef,
  routeRegistryStoreServiceRef,
  workspaceAccessServiceRef,
  workspaceServiceRef,
} from '@racine/kernel-node';
import {
  RBAC_PLUGIN_ID,
  WORKSPACE_RESOURCE_TYPE,
  rbacAdminPermission,
  rbacPermissions,
  workspaceManagePermission,
} from '@racine/plugin-rbac-common';
import type { Workspace } from '@racine/kernel-common';
import { createExplainAction } from './actions/createExplainAction';
import { createRequestAccessAction } from './actions/createRequestAccessAction';
import { AccountStore } from './database/AccountStore';
import { rbacDatabaseServiceRef } from './database/rbacDatabase';
import { racinePolicyEngineServiceRef } from './policy/policyEngineService';
import { readRbacConfig } from './policy/RacinePolicyEngine';
import { createRbacRouter } from './router';
import { AccessRequestService, NotificationService } from './services/AccessRequestService';
import { RbacService } from './services/RbacService';
import { accountServiceRef, apiKeyServiceRef } from './services/serviceRefs';

/**
 * The `rbac` plugin: administration of users, groups, roles, grants, workspace members and
 * access requests, explanations of decisions, and each user's own account (password, MFA,
 * API keys, access). The policy itself, sign-in and API-key authentication are root
 * services of this package that keep working when this group is switched off. Wiring only.
 */
export const rbacPlugin = createBackendPlugin({
  pluginId: RBAC_PLUGIN_ID,
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        db: rbacDatabaseServiceRef,
        engine: racinePolicyEngineServiceRef,
        accounts: accountServiceRef,
        apiKeys: apiKeyServiceRef,
        audit: auditServiceRef,
        workspaces: workspaceServiceRef,
        workspaceAccess: workspaceAccessServiceRef,
        registries: kernelRegistriesServiceRef,
        navigation: navigationRegistryServiceRef,
        actions: actionRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        resourceAccess: resourceAccessServiceRef,
        routes: routeRegistryServiceRef,
        routeStore: routeRegistryStoreServiceRef,
      },
      async init(deps) {
        const { engine, accounts, workspaces } = deps;
        const rbac = new RbacService(engine, readRbacConfig(deps.config).grants, deps.registries);
        const notifications = new NotificationService(deps.db.knex);
        const accountStore = new AccountStore(deps.db.knex);
        // Approvers: native accounts and every principal the policy names (e.g. config grants).
        const requests = new AccessRequestService(deps.db.knex, rbac, notifications, async () => {
          const users = (await accountStore.listUsers())
            .filter(u => !u.disabled)
            .map(u => `user:default/${u.username}`);
          return [...new Set([...users, ...(await engine.ready()).knownPrincipals()])];
        });

        deps.permissionRegistry.register({
          permissions: rbacPermissions,
          descriptions: {
            'rbac.admin':
              'Administer users, groups, roles, grants and access requests; explain any decision',
            'workspace.manage': "Manage a workspace's members and decide its access requests",
          },
          defaultGrants: {},
        });
        // Workspaces as governed resources: a workspace.manage grant in one workspace makes its
        // holder that workspace's owner.
        deps.resourceAccess.register<Workspace>({
          resourceType: WORKSPACE_RESOURCE_TYPE,
          permissions: [workspaceManagePermission],
          refOf: w => `racine:kernel:workspace/${w.name}`,
          workspaceOf: w => w.name,
          columns: { ref: 'name', workspace: 'name' },
          getResources: refs =>
            Promise.all(
              refs.map(async r => {
                const name = r.replace(/^racine:kernel:workspace\//, '');
                return (await workspaces.exists(name)) ? workspaces.get(name) : undefined;
              }),
            ),
        });

        const nav = [
          ['rbac.users', 'Users', '/admin/users', 'People', 10],
          ['rbac.groups', 'Groups', '/admin/groups', 'Group', 20],
          ['rbac.roles', 'Roles', '/admin/roles', 'Security', 30],
          ['rbac.grants', 'Grants', '/admin/grants', 'VpnKey', 40],
          ['rbac.explain', 'Explain', '/admin/explain', 'HelpOutline', 60],
        ] as const;
        for (const [id, title, path, icon, order] of nav) {
          deps.navigation.register({
            id,
            title,
            path,
            icon,
            group: 'Administration',
            order: 1000 + order,
            permission: rbacAdminPermission,
          });
        }
        deps.navigation.register({
          id: 'rbac.accessRequests',
          title: 'Access requests',
          path: '/admin/access-requests',
          icon: 'AssignmentInd',
          group: 'Administration',
          order: 1050,
          permission: workspaceManagePermission,
        });
        deps.navigation.register({
          id: 'rbac.myAccess',
          title: 'My access',
          path: '/settings/access',
          icon: 'AccountCircle',
          group: 'Account',
          order: 1200,
        });

        deps.actions.register(createRequestAccessAction(requests, workspaces));
        deps.actions.register(createExplainAction(rbac));

        const { router, routes } = createRbacRouter({
          rbac,
          accounts,
          apiKeys: deps.apiKeys,
          requests,
          notifications,
          httpAuth: deps.httpAuth,
          permissions: deps.permissions,
          workspaceAccess: deps.workspaceAccess,
          workspaces,
          audit: deps.audit,
          routeRegistry: deps.routeStore,
        });
        deps.routes.register(routes);
        deps.httpRouter.use(router);
      },
    });
  },
});
