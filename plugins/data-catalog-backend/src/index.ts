/**
 * @racine/plugin-data-catalog-backend: the data catalog's backend plugin.
 *
 * @packageDocumentation
 */
export { dataCatalogPlugin as default, dataCatalogPlugin } from './plugin';
export { KnexCatalogStore, type CatalogStore } from './database/CatalogStore';
export { migrateCatalogDatabase } from './database/migrations';
export { CatalogIngestService } from './services/CatalogIngestService';
export { CatalogQueryService } from './services/CatalogQueryService';
