export * from './ActionInvoker';
export * from './serviceRef';
