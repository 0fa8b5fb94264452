import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  activityViewPermission,
  kernelPermissions,
  workspaceViewPermission,
} from '@racine/kernel-common';
import {
  actionRegistryServiceRef,
  isGranted,
  kernelDatabaseServiceRef,
  routeRegistryServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  searchRegistryServiceRef,
  taskQueueServiceRef,
  workflowStepRegistryServiceRef,
  workspaceServiceRef,
} from '@racine/kernel-node';
import express from 'express';
import Router from 'express-promise-router';
import { createCreateWorkspaceAction } from './actions/createCreateWorkspaceAction';
import { createListWorkspacesAction } from './actions/createListWorkspacesAction';
import { createWaitAction } from './actions/createWaitAction';
import { HealthService } from './services/HealthService';
import { createWorkspaceSearchProvider } from './services/workspaceSearchProvider';

const VERSION = '0.1.0';

/**
 * The built-in `platform` plugin: system health, workspaces, and the first contribution to
 * each kernel registry.
 */
export const platformPlugin = createBackendPlugin({
  pluginId: 'platform',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        instance: coreServices.rootInstanceMetadata,
        db: kernelDatabaseServiceRef,
        queue: taskQueueServiceRef,
        workspaces: workspaceServiceRef,
        navigation: navigationRegistryServiceRef,
        search: searchRegistryServiceRef,
        actions: actionRegistryServiceRef,
        steps: workflowStepRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routes: routeRegistryServiceRef,
      },
      async init(deps) {
        const { workspaces } = deps;
        deps.permissionRegistry.register({
          permissions: kernelPermissions,
          descriptions: {
            'workspace.view': 'See workspaces',
            'workspace.create': 'Create workspaces',
            'workspace.edit': 'Edit workspaces and their members',
            'activity.view': 'Read the audit trail',
          },
          defaultGrants: {
            viewer: ['workspace.view'],
            auditor: ['activity.view', 'workspace.view'],
            'compliance-officer': ['activity.view'],
          },
        });
        deps.navigation.register({
          id: 'platform.system',
          title: 'System',
          path: '/system',
          group: 'Platform',
          icon: 'Settings',
          order: 910,
          permission: activityViewPermission,
        });
        deps.navigation.register({
          id: 'platform.workspaces',
          title: 'Workspaces',
          path: '/workspaces',
          group: 'Platform',
          icon: 'Work',
          order: 800,
          permission: workspaceViewPermission,
        });
        deps.search.register(createWorkspaceSearchProvider(workspaces));
        deps.actions.register(createCreateWorkspaceAction(workspaces));
        deps.actions.register(createListWorkspacesAction(workspaces));
        deps.actions.register(createWaitAction());
        deps.steps.register({
          id: 'platform.wait',
          actionId: 'platform.wait',
          title: 'Wait',
          outputs: ['waitedSeconds'],
          idempotent: true,
          uiHints: { seconds: { placeholder: '30', help: 'Seconds to wait before the next task' } },
        });

        const health = new HealthService({
          db: deps.db,
          queue: deps.queue,
          instance: deps.instance,
          version: VERSION,
        });
        const router = Router();
        router.use(express.json());
        router.get('/health', async (req, res) => {
          const credentials = await deps.httpAuth.credentials(req, { allow: ['user', 'service'] });
          // Health names internals (plugins, queue depth): operators only, like the System page.
          if (!(await isGranted(deps.permissions, credentials, activityViewPermission))) {
            throw new NotAllowedError(`Missing permission ${activityViewPermission.name}`);
          }
          res.json(await health.report());
        });
        deps.routes.register([
          { method: 'GET', path: '/health', permission: activityViewPermission },
        ]);
        deps.httpRouter.use(router);
      },
    });
  },
});
