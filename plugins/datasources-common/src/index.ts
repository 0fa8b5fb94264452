/**
 * Shared contracts of the Racine `datasources` group: permissions, HTTP types and request
 * schemas, resource refs.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './refs';
export * from './api';
