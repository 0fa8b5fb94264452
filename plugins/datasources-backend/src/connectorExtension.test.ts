import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  datasourcesConnectorExtensionPoint,
  testConnectionWith,
  type Connector,
  type ConnectorSession,
} from '@racine/plugin-datasources-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import datasourcesPlugin from './index';

/** A third-party connector as an outside author would write it (reaching no real system). */
const acmeConfigSchema = z.object({
  endpoint: z.string().url().describe('Base URL of the ACME warehouse API'),
  apiKey: z.string().min(1).describe('API key'),
});
type AcmeConfig = z.output<typeof acmeConfigSchema>;

const acmeConnector: Connector<AcmeConfig> = {
  type: 'acme-warehouse',
  title: 'ACME Warehouse',
  description: 'The ACME cloud warehouse',
  configSchema: acmeConfigSchema,
  secretFields: ['apiKey'],
  async connect(config) {
    if (!config.endpoint.startsWith('https://')) throw new Error('ACME only speaks HTTPS');
    return { serverVersion: 'ACME 7', close: async () => {} } as unknown as ConnectorSession;
  },
  testConnection(config) {
    return testConnectionWith(() => acmeConnector.connect(config));
  },
};

const acmeModule = createBackendModule({
  pluginId: 'datasources',
  moduleId: 'acme-connector',
  register(env) {
    env.registerInit({
      deps: { connectors: datasourcesConnectorExtensionPoint },
      async init({ connectors }) {
        connectors.addConnector(acmeConnector);
      },
    });
  },
});

describe('datasourcesConnectorExtensionPoint', () => {
  let baseUrl: string;
  let stop: () => Promise<void>;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'racine-ds-ext-'));

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        datasourcesPlugin,
        acmeModule,
        mockServices.rootConfig.factory({
          data: {
            backend: { database: { client: 'better-sqlite3', connection: ':memory:' } },
            racine: {
              dataDir,
              datasources: { demo: { enabled: false }, healthCheck: { enabled: false } },
            },
          },
        }),
      ],
    });
    baseUrl = `http://localhost:${backend.server.port()}/api/datasources`;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists a connector contributed by a backend module next to the built-ins', async () => {
    const { items } = await (await fetch(`${baseUrl}/connectors`)).json();
    expect(items.map((c: { type: string }) => c.type)).toEqual([
      'postgres',
      'mysql',
      'sqlite',
      'acme-warehouse',
    ]);
    const acme = items.find((c: { type: string }) => c.type === 'acme-warehouse');
    expect(acme).toMatchObject({ title: 'ACME Warehouse', secretFields: ['apiKey'] });
    expect(acme.configSchema.properties.apiKey).toMatchObject({
      writeOnly: true,
      format: 'password',
    });
    expect(acme.configSchema.properties.endpoint).toMatchObject({ type: 'string', format: 'uri' });
  });

  it('registers and tests sources of the contributed type with its own schema', async () => {
    const post = (url: string, body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const invalid = await post(baseUrl, {
      name: 'acme',
      type: 'acme-warehouse',
      config: { endpoint: 'not a url' },
    });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.message).toMatch(/config\.endpoint.*config\.apiKey/);

    const res = await post(baseUrl, {
      name: 'acme',
      type: 'acme-warehouse',
      config: { endpoint: 'https://acme.example', apiKey: 'k-123456' },
    });
    expect(res.status).toBe(201);
    const source = await res.json();
    expect(source).toMatchObject({
      type: 'acme-warehouse',
      config: { endpoint: 'https://acme.example' },
      secretFields: ['apiKey'],
    });
    expect(await (await post(`${baseUrl}/${source.id}/test`, {})).json()).toEqual({
      ok: true,
      latencyMs: expect.any(Number),
      serverVersion: 'ACME 7',
    });
    const failing = await post(`${baseUrl}/test`, {
      type: 'acme-warehouse',
      config: { endpoint: 'http://acme.example', apiKey: 'x' },
    });
    expect(await failing.json()).toMatchObject({ ok: false, error: 'ACME only speaks HTTPS' });
  });
});
