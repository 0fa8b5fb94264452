export * from './permissions';
export * from './conditions';
export * from './api';
