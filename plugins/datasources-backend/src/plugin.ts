import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  actionRegistryServiceRef,
  auditServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  searchRegistryServiceRef,
  secretBoxServiceRef,
  workflowStepRegistryServiceRef,
  workspaceServiceRef,
  routeRegistryServiceRef,
  type RouteDeclaration,
} from '@racine/kernel-node';
import {
  DATASOURCES_PLUGIN_ID,
  datasourceCreatePermission,
  datasourceDeletePermission,
  datasourceEditPermission,
  datasourceMonitorPermission,
  datasourcePermissions,
  datasourceViewPermission,
} from '@racine/plugin-datasources-common';
import {
  builtinConnectors,
  ConnectorRegistry,
  connectorExtensionPointFor,
  datasourcesConnectorExtensionPoint,
} from '@racine/plugin-datasources-node';
import { createListDataSourcesAction } from './actions/createListDataSourcesAction';
import { createTestConnectionAction } from './actions/createTestConnectionAction';
import { migrateDatasourcesDatabase } from './database/migrations';
import { KnexDataSourceStore } from './database/DataSourceStore';
import { createDatasourcesRouter } from './router';
import { sqlitePathPolicy } from './services/configPolicy';
import { createDataSourceSearchProvider } from './services/dataSourceSearchProvider';
import { DataSourceService } from './services/DataSourceService';
import { demoDatabasePath, ensureDemoDataSource } from './services/DemoDataSource';
import { HealthMonitor, readHealthCheckSettings } from './services/HealthMonitor';

const datasourceRoutes: RouteDeclaration[] = [
  { method: 'GET', path: '/connectors', permission: datasourceViewPermission },
  {
    method: 'POST',
    path: '/test',
    permission: [datasourceCreatePermission, datasourceEditPermission],
  },
  { method: 'GET', path: '/', permission: datasourceViewPermission },
  { method: 'POST', path: '/', permission: datasourceCreatePermission },
  { method: 'GET', path: '/:id', permission: datasourceViewPermission },
  { method: 'PUT', path: '/:id', permission: datasourceEditPermission },
  { method: 'DELETE', path: '/:id', permission: datasourceDeletePermission },
  {
    method: 'POST',
    path: '/:id/test',
    permission: [datasourceMonitorPermission, datasourceEditPermission],
  },
  { method: 'GET', path: '/:id/health', permission: datasourceViewPermission },
  { method: 'GET', path: '/:id/connection', audience: 'service' },
];

/**
 * The `datasources` plugin: the databases Racine governs, their connectors (built-ins plus
 * any contributed through `datasourcesConnectorExtensionPoint`), encrypted credentials,
 * connection tests and periodic health checks. Wiring only.
 */
export const datasourcesPlugin = createBackendPlugin({
  pluginId: DATASOURCES_PLUGIN_ID,
  register(env) {
    const connectors = new ConnectorRegistry(builtinConnectors());
    env.registerExtensionPoint(
      datasourcesConnectorExtensionPoint,
      connectorExtensionPointFor(connectors),
    );

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        events: eventsServiceRef,
        secretBox: secretBoxServiceRef,
        workspaces: workspaceServiceRef,
        audit: auditServiceRef,
        navigation: navigationRegistryServiceRef,
        search: searchRegistryServiceRef,
        actions: actionRegistryServiceRef,
        steps: workflowStepRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routes: routeRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger } = deps;
        deps.routes.register(datasourceRoutes);
        const knex = await deps.database.getClient();
        await migrateDatasourcesDatabase(knex);

        // SQLite keeps every plugin's database as a file in this directory (`connection` may also be a string).
        const connection = config.getOptional('backend.database.connection');
        const databaseDirectory =
          connection &&
          typeof connection === 'object' &&
          'directory' in connection &&
          typeof connection.directory === 'string'
            ? connection.directory
            : undefined;
        const service = new DataSourceService({
          store: new KnexDataSourceStore(knex),
          connectors,
          secretBox: deps.secretBox,
          workspaces: deps.workspaces,
          events: deps.events,
          logger,
          configPolicies: [
            sqlitePathPolicy({
              reservedDirectories: databaseDirectory ? [databaseDirectory] : [],
              allowedFiles: [demoDatabasePath(config)],
            }),
          ],
        });

        deps.permissionRegistry.register({
          permissions: datasourcePermissions,
          descriptions: {
            'datasource.view':
              'See data sources, their configuration (never credentials) and health',
            'datasource.create': 'Register data sources',
            'datasource.edit': 'Change data sources and their credentials',
            'datasource.delete': 'Delete data sources',
            'datasource.scan': 'Scan data sources',
            'datasource.monitor': 'Test connections and watch data source health',
            'datasource.security': 'Manage the security settings of data sources',
          },
          defaultGrants: {
            viewer: ['datasource.view'],
            'data-analyst': ['datasource.view'],
            'data-owner': ['datasource.view', 'datasource.edit'],
            'data-steward': [
              'datasource.view',
              'datasource.create',
              'datasource.edit',
              'datasource.scan',
              'datasource.monitor',
            ],
            'compliance-officer': ['datasource.view'],
            auditor: ['datasource.view'],
          },
        });
        deps.navigation.register({
          id: 'datasources.list',
          title: 'Data sources',
          path: '/datasources',
          group: 'Governance',
          icon: 'Storage',
          order: 110,
          permission: datasourceViewPermission,
        });
        deps.search.register(createDataSourceSearchProvider(service));
        deps.actions.register(createTestConnectionAction(service));
        deps.actions.register(createListDataSourcesAction(service));
        deps.steps.register({
          id: 'datasources.testConnection',
          actionId: 'datasources.testConnection',
          title: 'Test data source connection',
          outputs: ['ok', 'latencyMs', 'serverVersion', 'error'],
          idempotent: true,
          uiHints: { dataSourceId: { widget: 'datasource', help: 'The data source to test' } },
        });

        deps.httpRouter.use(
          createDatasourcesRouter({
            service,
            auth: deps.auth,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit: deps.audit,
          }),
        );

        await ensureDemoDataSource({ config, service, logger });
        await new HealthMonitor({
          service,
          logger,
          settings: readHealthCheckSettings(config),
        }).schedule(deps.scheduler);
      },
    });
  },
});
