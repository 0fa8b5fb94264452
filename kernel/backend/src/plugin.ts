import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  actionInvokerServiceRef,
  routeRegistryServiceRef,
  workspaceAccessServiceRef,
  activityLogServiceRef,
  auditServiceRef,
  kernelRegistriesServiceRef,
  navigationRegistryServiceRef,
  workspaceServiceRef,
} from '@racine/kernel-node';
import { activityViewPermission, workspaceCreatePermission } from '@racine/kernel-common';
import { createKernelRouter } from './router';

/**
 * The kernel plugin: serves the five registries, the audit trail and workspaces over HTTP
 * at /api/kernel. Every route requires a signed-in caller.
 */
export const kernelPlugin = createBackendPlugin({
  pluginId: 'kernel',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        registries: kernelRegistriesServiceRef,
        activityLog: activityLogServiceRef,
        audit: auditServiceRef,
        workspaces: workspaceServiceRef,
        navigation: navigationRegistryServiceRef,
        invoker: actionInvokerServiceRef,
        routes: routeRegistryServiceRef,
        workspaceAccess: workspaceAccessServiceRef,
      },
      async init({ httpRouter, navigation, routes, ...deps }) {
        const signedIn = 'signed-in' as const;
        routes.register([
          ...['/navigation', '/search', '/actions', '/workflow-steps', '/permissions', '/me'].map(
            path => ({ method: 'GET' as const, path, audience: signedIn }),
          ),
          // The invoker authorizes each action with its own permission.
          { method: 'POST', path: '/actions/:id', audience: signedIn },
          { method: 'GET', path: '/activity', permission: activityViewPermission },
          { method: 'GET', path: '/activity/verify', permission: activityViewPermission },
          // Each caller sees the workspaces they belong to (admins: all).
          { method: 'GET', path: '/workspaces', audience: signedIn },
          { method: 'GET', path: '/workspaces/:name', audience: signedIn },
          { method: 'POST', path: '/workspaces', permission: workspaceCreatePermission },
        ]);
        navigation.register({
          id: 'kernel.activity',
          title: 'Activity',
          path: '/activity',
          group: 'Platform',
          icon: 'History',
          order: 900,
          permission: activityViewPermission,
        });
        httpRouter.use(createKernelRouter(deps));
      },
    });
  },
});
