export * from './ActivityLog';
export * from './serviceRefs';
