/**
 * Frontend of the Racine `datasources` group: list, detail, add and edit pages.
 *
 * @packageDocumentation
 */
export { datasourcesPlugin } from './plugin';
