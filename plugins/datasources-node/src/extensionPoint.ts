import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { Connector } from './connector.js';

/** What a backend module gets from `datasourcesConnectorExtensionPoint`. */
export interface DatasourcesConnectorExtensionPoint {
  /** Makes a connector available to the datasources plugin. Its `type` must be unique. */
  addConnector<TConfig extends object>(connector: Connector<TConfig>): void;
}

/**
 * Lets backend modules contribute connectors to the `datasources` plugin:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'datasources',
 *   moduleId: 'snowflake-connector',
 *   register(env) {
 *     env.registerInit({
 *       deps: { connectors: datasourcesConnectorExtensionPoint },
 *       async init({ connectors }) {
 *         connectors.addConnector(snowflakeConnector);
 *       },
 *     });
 *   },
 * });
 * ```
 */
export const datasourcesConnectorExtensionPoint =
  createExtensionPoint<DatasourcesConnectorExtensionPoint>({ id: 'datasources.connectors' });

/** The extension point implementation a datasources plugin registers: adds to `registry`. */
export function connectorExtensionPointFor(registry: {
  register(connector: Connector): void;
}): DatasourcesConnectorExtensionPoint {
  return {
    addConnector<TConfig extends object>(connector: Connector<TConfig>) {
      // Configs are validated by the registry against the connector's own schema before they
      // reach `connect`, which makes widening the config type here sound.
      registry.register(connector as unknown as Connector);
    },
  };
}
