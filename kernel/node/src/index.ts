/**
 * @racine/kernel-node: the backend contracts of the Racine kernel. Plugins depend on these
 * service refs in `registerInit` to contribute navigation, search, actions, workflow steps
 * and permissions, to audit their mutations, and to queue work.
 */
export * from './registries';
export * from './audit';
export * from './database';
export * from './workspaces';
export * from './permissions';
export * from './validation';
export * from './taskQueue';
export * from './taskQueueService';
export * from './secrets';
export * from './actions';
export * from './access';
