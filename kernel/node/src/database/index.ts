export * from './kernelDatabase';
export { migrateKernelDatabase } from './migrations';
