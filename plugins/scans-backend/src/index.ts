/**
 * @racine/plugin-scans-backend: the `scans` group (Advanced Scan Logic) backend.
 *
 * @packageDocumentation
 */
export { scansPlugin as default } from './plugin';
export {
  ScanExecutor,
  PLAN_TASK,
  TABLE_TASK,
  FINALIZE_TASK,
  tableKey,
  coversWholeSource,
} from './services/ScanExecutor';
export { ScanService } from './services/ScanService';
export { ScheduleService } from './services/ScheduleService';
export type {
  CatalogPublisher,
  Collaborators,
  DataSourceConnection,
  DataSourceDirectory,
  RuleSet,
  RuleSetDirectory,
  ScanCompletedPayload,
  ScanEventPublisher,
} from './services/collaborators';
export { KnexScanStore, type ScanStore } from './database/ScanStore';
export { migrateScansDatabase } from './database/migrations';
export { DEFAULT_SCAN_SETTINGS, readScanSettings, type ScanSettings } from './services/settings';
