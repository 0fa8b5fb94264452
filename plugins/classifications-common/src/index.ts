export * from './permissions';
export * from './refs';
export * from './rules';
export * from './api';
export * from './expression';
