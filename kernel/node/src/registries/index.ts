export * from './types';
export * from './KernelRegistries';
export * from './serviceRefs';
