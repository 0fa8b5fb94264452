import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { describe, expect, it } from 'vitest';
import {
  type Connector,
  connectorConfigJsonSchema,
  describeError,
  REDACTED,
  redactConfig,
  testConnectionWith,
} from './connector.js';
import {
  builtinConnectors,
  mysqlConnector,
  postgresConnector,
  sqliteConnector,
} from './connectors/index.js';
import { jsonFilesConnector, jsonFilesConnectorModule } from './example/jsonFilesConnector.js';
import {
  connectorExtensionPointFor,
  datasourcesConnectorExtensionPoint,
} from './extensionPoint.js';
import { ConnectorRegistry } from './registry.js';

describe('ConnectorRegistry', () => {
  it('registers, gets and lists connectors in order', () => {
    const registry = new ConnectorRegistry(builtinConnectors());
    expect(registry.list().map(c => c.type)).toEqual(['postgres', 'mysql', 'sqlite']);
    expect(registry.get('mysql')).toBe(mysqlConnector);
    expect(registry.get('oracle')).toBeUndefined();
    expect(registry.has('sqlite')).toBe(true);
    expect(() => registry.require('oracle')).toThrow(/Unknown connector type 'oracle'/);
  });

  it('refuses duplicate and malformed types', () => {
    const registry = new ConnectorRegistry([postgresConnector]);
    expect(() => registry.register(postgresConnector)).toThrow(/already registered/);
    expect(() => registry.register({ ...sqliteConnector, type: 'Bad Type' })).toThrow(
      /Invalid connector type/,
    );
  });

  it('validates configuration before connecting', async () => {
    const registry = new ConnectorRegistry(builtinConnectors());
    const result = await registry.testConnection('postgres', { host: '', database: 'x' });
    expect(result).toMatchObject({ ok: false, errorCode: 'INVALID_CONFIG' });
    if (!result.ok) expect(result.error).toMatch(/host: .*user: /);
    await expect(registry.connect('sqlite', { path: 42 })).rejects.toThrow();
  });

  it('describes connectors with JSON Schema forms and flags secret fields', () => {
    const registry = new ConnectorRegistry(builtinConnectors());
    const [postgres] = registry.describe();
    expect(postgres).toMatchObject({
      type: 'postgres',
      title: 'PostgreSQL',
      secretFields: ['password'],
    });
    const schema = postgres!.configSchema as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    expect(schema.properties.password).toMatchObject({
      type: 'string',
      writeOnly: true,
      format: 'password',
    });
    expect(schema.properties.host).toMatchObject({
      type: 'string',
      description: expect.any(String),
    });
    expect(schema.properties.port).toMatchObject({ default: 5432 });
    expect(schema.properties.ssl).toMatchObject({ enum: ['disable', 'require', 'verify-full'] });
    // Fields with defaults are optional in the form.
    expect(schema.required.sort()).toEqual(['database', 'host', 'user']);
    for (const connector of builtinConnectors()) {
      const properties = (connectorConfigJsonSchema(connector).properties ?? {}) as Record<
        string,
        { description?: string }
      >;
      for (const [field, property] of Object.entries(properties)) {
        expect(property.description, `${connector.type}.${field}`).toBeTruthy();
      }
    }
  });

  it('redacts secret fields', () => {
    const config = postgresConfigFixture();
    expect(redactConfig(postgresConnector, config)).toEqual({ ...config, password: REDACTED });
    expect(
      redactConfig(postgresConnector, { ...config, password: undefined }).password,
    ).toBeUndefined();
    expect(config.password).toBe('hunter2');
  });
});

describe('datasourcesConnectorExtensionPoint', () => {
  it('lets a backend module add a connector to the plugin that owns the registry', async () => {
    const registry = new ConnectorRegistry(builtinConnectors());
    const datasourcesPlugin = createBackendPlugin({
      pluginId: 'datasources',
      register(env) {
        env.registerExtensionPoint(
          datasourcesConnectorExtensionPoint,
          connectorExtensionPointFor(registry),
        );
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const backend = await startTestBackend({
      features: [datasourcesPlugin, jsonFilesConnectorModule],
    });
    try {
      expect(datasourcesConnectorExtensionPoint.id).toBe('datasources.connectors');
      expect(registry.get('json-files')).toBe(jsonFilesConnector);
      expect(registry.list()).toHaveLength(4);
    } finally {
      await backend.stop();
    }
  });
});

describe('connection test helpers', () => {
  it('unpacks AggregateErrors and keeps error codes', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), {
      code: 'ECONNREFUSED',
    });
    const outer = Object.assign(
      new AggregateError([inner, new Error('connect ECONNREFUSED 127.0.0.1:5432')], ''),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(describeError(outer)).toEqual({
      message: 'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
      code: 'ECONNREFUSED',
    });
    expect(describeError('plain')).toEqual({ message: 'plain' });
  });

  it('turns a failing connect into a failed result', async () => {
    const failing: Connector<{ url: string }>['connect'] = async () => {
      throw Object.assign(new Error('nope'), { code: 42 });
    };
    expect(await testConnectionWith(() => failing({ url: 'x' }))).toEqual({
      ok: false,
      latencyMs: expect.any(Number),
      error: 'nope',
      errorCode: '42',
    });
  });
});

function postgresConfigFixture() {
  return postgresConnector.configSchema.parse({
    host: 'db.example.com',
    database: 'sales',
    user: 'scanner',
    password: 'hunter2',
  });
}
