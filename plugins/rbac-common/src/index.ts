export * from './permissions';
export * from './api';
