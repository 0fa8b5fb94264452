import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  auditServiceRef,
  navigationRegistryServiceRef,
  permissionRegistryServiceRef,
  resourceAccessServiceRef,
  routeRegistryServiceRef,
  searchRegistryServiceRef,
  taskQueueServiceRef,
  type AccessQuery,
} from '@racine/kernel-node';
import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  CATALOG_ASSET_RESOURCE_TYPE,
  catalogPermissions,
  catalogViewPermission,
} from '@racine/plugin-data-catalog-common';
import { createCurationRouter, curationRoutes } from './curationRouter';
import { KnexCatalogStore, type StoredAsset } from './database/CatalogStore';
import { KnexCurationStore } from './database/CurationStore';
import { KnexGlossaryStore } from './database/GlossaryStore';
import { KnexSearchStore } from './database/SearchStore';
import { createGlossaryRouter, glossaryRoutes } from './glossaryRouter';
import { createSearchRouter, searchRoutes } from './searchRouter';
import {
  CatalogAccess,
  catalogAssetGovernance,
  createSensitivityRule,
} from './services/catalogAccess';
import { CurationService } from './services/CurationService';
import { SearchService } from './services/SearchService';
import { KnexLabelReviewStore } from './database/LabelReviewStore';
import { migrateCatalogDatabase } from './database/migrations';
import { createFactsRouter } from './factsRouter';
import { LabelPropagation } from './lineage/LabelPropagation';
import { HttpDataSourceEndpoints } from './lineage/datasetMatching';
import { LineageService } from './lineage/LineageService';
import { KnexLineageStore } from './lineage/LineageStore';
import { createLineageRouter, lineageRoutes } from './lineageRouter';
import { createReviewRouter } from './reviewRouter';
import { catalogRoutes, createCatalogRouter } from './router';
import { createAssetSearchProvider } from './services/assetSearchProvider';
import { createGlossarySearchProvider } from './services/glossarySearchProvider';
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
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        audit: auditServiceRef,
        navigation: navigationRegistryServiceRef,
        search: searchRegistryServiceRef,
        permissionRegistry: permissionRegistryServiceRef,
        routes: routeRegistryServiceRef,
        resourceAccess: resourceAccessServiceRef,
        queue: taskQueueServiceRef,
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
            'catalog.glossary.approve': 'Approve business glossary terms',
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
              'catalog.glossary.approve',
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
        await migrateCatalogDatabase(knex);
        const store = new KnexCatalogStore(knex);
        const catalog = new CatalogQueryService(store);
        // Lineage: derived at ingest, from OpenLineage and dbt; labels propagate along it.
        const lineageStore = new KnexLineageStore(knex);
        const lineage = new LineageService({
          knex,
          store: lineageStore,
          catalog: store,
          logger: deps.logger,
          dataSources: new HttpDataSourceEndpoints({
            discovery: deps.discovery,
            auth: deps.auth,
            logger: deps.logger,
          }),
        });
        const propagation = new LabelPropagation({
          knex,
          store: lineageStore,
          logger: deps.logger,
        });
        const repropagate = async () => {
          const { refs } = await propagation.reevaluate();
          if (refs.length > 0) await store.refreshSensitivity(refs);
        };
        lineage.onChange(repropagate);
        const ingest = new CatalogIngestService({
          store,
          events: deps.events,
          logger: deps.logger,
          afterIngest: batches => lineage.deriveFromBatches(batches),
        });
        // A deleted data source's assets are marked deleted, as a rescan marks a vanished table.
        await ingest.subscribeToDataSourceDeletions({
          events: deps.events,
          audit: deps.audit,
          queue: deps.queue,
        });
        // Catalog assets are a governed resource type: conditional grants become SQL filters.
        const governed = deps.resourceAccess.register(
          catalogAssetGovernance(store, [
            createSensitivityRule(
              createPermissionResourceRef<StoredAsset, AccessQuery>().with({
                pluginId: 'data-catalog',
                resourceType: CATALOG_ASSET_RESOURCE_TYPE,
              }),
            ),
          ]),
        );
        const access = new CatalogAccess(governed, deps.permissions);
        const glossary = new KnexGlossaryStore(knex);
        const curationStore = new KnexCurationStore(knex);
        const searchStore = new KnexSearchStore(knex);
        const searchService = new SearchService({ search: searchStore, store, glossary });
        // Global scope: one replica keeps the search index in shape (see optimize), nightly
        // and, checked every 10 minutes, as soon as the catalog outgrows its last upkeep.
        // One upkeep at a time in this process (the nightly run and a catch-up may coincide).
        let upkeeping: Promise<void> | undefined;
        const upkeep = (why: string) =>
          (upkeeping ??= (async () => {
            const started = Date.now();
            try {
              await searchStore.optimize();
              deps.logger.info(
                `Search index maintenance (${why}) done in ${Date.now() - started} ms`,
              );
            } catch (error) {
              deps.logger.warn(`Search index maintenance (${why}) failed: ${String(error)}`);
            } finally {
              upkeeping = undefined;
            }
          })());
        await deps.scheduler.scheduleTask({
          id: 'data-catalog-search-maintenance',
          frequency: {
            cron:
              deps.config.getOptionalString('racine.dataCatalog.searchMaintenanceSchedule') ??
              '30 2 * * *',
          },
          timeout: { hours: 1 },
          scope: 'global',
          fn: () => upkeep('nightly'),
        });
        await deps.scheduler.scheduleTask({
          id: 'data-catalog-search-catch-up',
          frequency: { minutes: 10 },
          timeout: { hours: 1 },
          scope: 'global',
          fn: async () => {
            try {
              if (await searchStore.upkeepDue()) await upkeep('the catalog outgrew the last one');
            } catch (error) {
              deps.logger.warn(`Search index maintenance check failed: ${String(error)}`);
            }
          },
        });
        const curation = new CurationService({
          access,
          curation: curationStore,
          glossary,
          store,
          audit: deps.audit,
          events: deps.events,
          logger: deps.logger,
        });
        deps.search.register(createAssetSearchProvider(searchService, access, catalog));
        deps.search.register(createGlossarySearchProvider(glossary));
        // Search, curation and the glossary.
        deps.routes.register([...searchRoutes, ...curationRoutes, ...glossaryRoutes]);
        deps.httpRouter.use(
          createSearchRouter({ httpAuth: deps.httpAuth, access, search: searchService }),
        );
        deps.httpRouter.use(createCurationRouter({ httpAuth: deps.httpAuth, access, curation }));
        deps.httpRouter.use(
          createGlossaryRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit: deps.audit,
            glossary,
            curationStore,
            curation,
          }),
        );

        // Label review, for the classifications plugin only (service-only routes).
        const review = createReviewRouter({
          httpAuth: deps.httpAuth,
          audit: deps.audit,
          store: new KnexLabelReviewStore(knex),
          onLabelsChanged: async refs => {
            await store.refreshSensitivity(refs);
            await repropagate();
          },
        });
        // Catalog facts feed, for other plugins (compliance) only.
        const facts = createFactsRouter({ httpAuth: deps.httpAuth, knex });
        deps.routes.register([
          ...catalogRoutes,
          ...review.routes,
          ...facts.routes,
          ...lineageRoutes,
        ]);
        deps.httpRouter.use(
          createCatalogRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit: deps.audit,
            ingest,
            catalog,
            access,
          }),
        );
        deps.httpRouter.use(review.router);
        deps.httpRouter.use(
          createLineageRouter({
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            audit: deps.audit,
            lineage,
            propagation,
            catalog: store,
            access,
          }),
        );
        deps.httpRouter.use(facts.router);
      },
    });
  },
});
