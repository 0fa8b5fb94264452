import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  actionInvokerServiceRef,
  activityLogServiceRef,
  auditServiceRef,
  kernelRegistriesServiceRef,
  navigationRegistryServiceRef,
  workspaceServiceRef,
} from '@racine/kernel-node';
import { activityViewPermission } from '@racine/kernel-common';
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
      },
      async init({ httpRouter, navigation, ...deps }) {
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
