/**
 * @racine/plugin-scans-common: permissions and HTTP contracts of the `scans` group
 * (Advanced Scan Logic), shared by its backend, its frontend and other groups.
 */
export * from './permissions';
export * from './api';
