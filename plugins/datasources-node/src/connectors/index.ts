import type { AnyConnector } from '../connector.js';
import { mysqlConnector } from './mysql.js';
import { postgresConnector } from './postgres.js';
import { sqliteConnector } from './sqlite.js';

export {
  mysqlConfigSchema,
  mysqlConnector,
  quoteMysqlIdentifier,
  type MysqlConfig,
} from './mysql.js';
export {
  postgresConfigSchema,
  postgresConnector,
  quotePostgresIdentifier,
  type PostgresConfig,
} from './postgres.js';
export {
  quoteSqliteIdentifier,
  sqliteConfigSchema,
  sqliteConnector,
  type SqliteConfig,
} from './sqlite.js';

/** The connectors that ship with Racine: PostgreSQL, MySQL/MariaDB and SQLite. */
export function builtinConnectors(): AnyConnector[] {
  return [postgresConnector, mysqlConnector, sqliteConnector];
}
