import type { AnyConnector, ConnectorDescription, ConnectorSession } from './connector.js';
import { describeConnector } from './connector.js';
import type { ConnectOptions, ConnectionTestResult } from './types.js';

/**
 * The connectors a Racine backend knows, keyed by `Connector.type`. The datasources backend plugin
 * owns one registry and fills it from `datasourcesConnectorExtensionPoint`.
 *
 * `connect` and `testConnection` take the raw (stored or user-submitted) configuration and validate
 * it against the connector's `configSchema` first, so connectors only ever see valid config.
 */
export class ConnectorRegistry {
  readonly #connectors = new Map<string, AnyConnector>();

  constructor(connectors: Iterable<AnyConnector> = []) {
    for (const connector of connectors) this.register(connector);
  }

  /** Throws if a connector with the same `type` is already registered. */
  register(connector: AnyConnector): void {
    if (!/^[a-z][a-z0-9_.-]*$/.test(connector.type)) {
      throw new Error(
        `Invalid connector type ${JSON.stringify(connector.type)}: use lower-case letters, digits, '.', '_' or '-'`,
      );
    }
    if (this.#connectors.has(connector.type)) {
      throw new Error(`A connector of type '${connector.type}' is already registered`);
    }
    this.#connectors.set(connector.type, connector);
  }

  get(type: string): AnyConnector | undefined {
    return this.#connectors.get(type);
  }

  /** Like `get`, but throws for an unknown type. */
  require(type: string): AnyConnector {
    const connector = this.#connectors.get(type);
    if (!connector) throw new Error(`Unknown connector type '${type}'`);
    return connector;
  }

  has(type: string): boolean {
    return this.#connectors.has(type);
  }

  /** Every connector, in registration order. */
  list(): AnyConnector[] {
    return [...this.#connectors.values()];
  }

  /** Descriptions (with JSON Schema config forms) of every connector, for the UI. */
  describe(): ConnectorDescription[] {
    return this.list().map(connector => describeConnector(connector));
  }

  /** Validates `config` (throws a `ZodError` when invalid) and opens a session. */
  async connect(
    type: string,
    config: unknown,
    options?: ConnectOptions,
  ): Promise<ConnectorSession> {
    const connector = this.require(type);
    return connector.connect(connector.configSchema.parse(config), options);
  }

  /** Validates `config` and tests it; an invalid config is reported as a failed test, never thrown. */
  async testConnection(
    type: string,
    config: unknown,
    options?: ConnectOptions,
  ): Promise<ConnectionTestResult> {
    const connector = this.require(type);
    const parsed = connector.configSchema.safeParse(config);
    if (!parsed.success) {
      const details = parsed.error.issues
        .map(issue => `${issue.path.join('.') || '(config)'}: ${issue.message}`)
        .join('; ');
      return {
        ok: false,
        latencyMs: 0,
        error: `Invalid configuration: ${details}`,
        errorCode: 'INVALID_CONFIG',
      };
    }
    return connector.testConnection(parsed.data, options);
  }
}
