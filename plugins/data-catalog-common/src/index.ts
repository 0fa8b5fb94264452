export * from './refs';
export * from './ingest';
export * from './permissions';
export * from './api';
export * from './lineage';
