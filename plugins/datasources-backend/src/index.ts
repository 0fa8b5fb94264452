/**
 * The Racine `datasources` backend plugin.
 *
 * @packageDocumentation
 */
export { datasourcesPlugin as default } from './plugin';
export { DataSourceService } from './services/DataSourceService';
