export * from './kernelDatabase';
export { migrateKernelDatabase } from './migrations';
export { tuneSqlite, racineDatabaseServiceFactory } from './sqliteTuning';
export { migrateFromCode, type CodeMigration } from './codeMigrations';
export {
  isBetterSqlite,
  sqliteTransaction,
  withSqliteConnection,
  type SqliteConnectionLike,
  type SqliteStatementLike,
} from './sqliteTransaction';
