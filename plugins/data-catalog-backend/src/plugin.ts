import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  auditServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  routeRegistryServiceRef,
  searchRegistryServiceRef,
} from '@racine/kernel-node';
import { catalogPermissions, catalogViewPermission } from '@racine/plugin-data-catalog-common';
import { KnexCatalogStore } from './database/CatalogStore';
import { KnexLabelReviewStore } from './database/LabelReviewStore';
import { migrateCatalogDatabase, tuneSqlite } from './database/migrations';
import { createReviewRouter } from './reviewRouter';
import { catalogRoutes, createCatalogRouter } from './router';
import { createAssetSearchProvider } from './services/assetSearchProvider';
import { CatalogIngestService } from './services/CatalogIngestService';
import { CatalogQueryService } from './services/CatalogQueryService';

/**
 * The `data-catalog` plugin: the assets scans find (data sources → databases → schemas →
 * tables and views → columns), their technical metadata, profiles and classification labels.
 */
export const dataCatalogPlugin = createBackendPlugin({
  pluginId: 'data-catalog',
  register(env) {
    env.registerInit({
      deps: {
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        events: eventsServiceRef,
        audit: auditServiceRef,
        navigation: navigationRegistryServiceRef,
        search: searchRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routes: routeRegistryServiceRef,
      },
      async init(deps) {
        deps.permissionRegistry.register({
          permissions: catalogPermissions,
          descriptions: {
            'catalog.view': 'Browse and search the data catalog',
            'catalog.create': 'Add assets to the data catalog by hand',
            'catalog.edit': 'Edit descriptions, owners and tags of assets',
            'catalog.delete': 'Remove assets from the data catalog',
            'catalog.classify': 'Approve, reject and add classification labels',
            'catalog.lineage': 'See and edit lineage between assets',
          },
          defaultGrants: {
            viewer: ['catalog.view'],
            'data-analyst': ['catalog.view'],
            'data-owner': ['catalog.view', 'catalog.edit'],
            'data-steward': [
              'catalog.view',
              'catalog.create',
              'catalog.edit',
              'catalog.classify',
              'catalog.lineage',
            ],
            'compliance-officer': ['catalog.view', 'catalog.lineage'],
            auditor: ['catalog.view', 'catalog.lineage'],
          },
        });
        deps.navigation.register({
          id: 'data-catalog.browser',
          title: 'Data catalog',
          path: '/catalog',
          group: 'Governance',
          icon: 'LibraryBooks',
          order: 5,
          permission: catalogViewPermission,
        });

        const knex = await deps.database.getClient();
        await tuneSqlite(knex);
        await migrateCatalogDatabase(knex);
        const store = new KnexCatalogStore(knex);
        const catalog = new CatalogQueryService(store);
        const ingest = new CatalogIngestService({
          store,
          events: deps.events,
          logger: deps.logger,
        });
        deps.search.register(createAssetSearchProvider(catalog));

        // Label review, for the classifications plugin only (service-only routes).
        const review = createReviewRouter({
          httpAuth: deps.httpAuth,
          audit: deps.audit,
          store: new KnexLabelReviewStore(knex),
        });
        deps.routes.register([...catalogRoutes, ...review.routes]);
        deps.httpRouter.use(
          createCatalogRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit: deps.audit,
            ingest,
            catalog,
          }),
        );
        deps.httpRouter.use(review.router);
      },
    });
  },
});
