export * from './api';
export * from './refs';
export * from './events';
export * from './permissions';
export * from './access';
