/**
 * Connector SDK of the Racine `datasources` group: the `Connector` contract third parties
 * implement, the engine-neutral discovery/sample/profile model, a registry, the Backstage
 * extension point for contributing connectors, and the built-in PostgreSQL, MySQL/MariaDB and
 * SQLite connectors.
 *
 * @packageDocumentation
 */
export * from './types.js';
export {
  type AnyConnector,
  type Connector,
  type ConnectorDescription,
  type ConnectorSession,
  ConnectorError,
  connectorConfigJsonSchema,
  describeConnector,
  describeError,
  fingerprintTables,
  MAX_SAMPLE_ROWS,
  REDACTED,
  redactConfig,
  testConnectionWith,
  UnknownColumnError,
  UnknownTableError,
  withSession,
} from './connector.js';
export { compileDiscoveryFilter, type DiscoveryFilter } from './filters.js';
export { ConnectorRegistry } from './registry.js';
export {
  connectorExtensionPointFor,
  datasourcesConnectorExtensionPoint,
  type DatasourcesConnectorExtensionPoint,
} from './extensionPoint.js';
export * from './connectors/index.js';
