import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { engineConfigSchema, type EngineConfig } from '@racine/plugin-classifications-node';
import type { CompleteScan, TableBatchInput } from '@racine/plugin-data-catalog-common';
import {
  ruleSetDefinitionSchema,
  type RuleSetDefinition,
} from '@racine/plugin-scan-rulesets-common';
import type { ScanProgress, ScanRunStatus } from '@racine/plugin-scans-common';
import { z } from 'zod';
import { TransientError } from './errors';

/** What `GET /api/datasources/:id/connection` returns (config carries decrypted secrets). */
export interface DataSourceConnection {
  id: string;
  name: string;
  type: string;
  workspace: string;
  environment?: string | null;
  owner?: string | null;
  config: Record<string, unknown>;
}

export interface RuleSet {
  id: string;
  name: string;
  version: number;
  definition: RuleSetDefinition;
}

/** The other groups a scan talks to, behind interfaces so they can be swapped in tests. */
export interface DataSourceDirectory {
  /** Throws NotFoundError for an unknown data source. */
  getConnection(dataSourceId: string): Promise<DataSourceConnection>;
}

export interface RuleSetDirectory {
  /** The current version when `version` is left out. Throws NotFoundError when unknown. */
  getRuleSet(ruleSetId: string, version?: number): Promise<RuleSet>;
}

export interface CatalogPublisher {
  /** Idempotent: publishing the same batch twice changes nothing. */
  publishTables(batches: TableBatchInput[], signal?: AbortSignal): Promise<void>;
  completeScan(complete: CompleteScan): Promise<{ deleted: number }>;
}

export interface ScanCompletedPayload {
  runId: string;
  dataSourceId: string;
  status: ScanRunStatus;
  progress: ScanProgress;
}

export interface ScanEventPublisher {
  scanCompleted(payload: ScanCompletedPayload): Promise<void>;
}

export interface ClassificationConfigDirectory {
  /** The engine configuration stewards set; null when the classifications group is off. */
  getEngineConfig(): Promise<EngineConfig | null>;
}

export interface Collaborators {
  dataSources: DataSourceDirectory;
  ruleSets: RuleSetDirectory;
  catalog: CatalogPublisher;
  events: ScanEventPublisher;
  /** Left out: the built-in classifiers with their defaults. */
  classifications?: ClassificationConfigDirectory;
}

const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  workspace: z.string().default('default'),
  environment: z.string().nullable().optional(),
  owner: z.string().nullable().optional(),
  config: z.record(z.string(), z.unknown()),
});

const ruleSetSchema = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  definition: ruleSetDefinitionSchema,
});

const versionSchema = z.object({
  version: z.number().int(),
  definition: ruleSetDefinitionSchema,
});

/**
 * Calls another plugin's API as the scans plugin (Backstage service auth). 5xx, 429 and
 * network failures become TransientError so the caller retries; 404 becomes NotFoundError.
 */
export class PluginHttpClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async request(
    pluginId: string,
    path: string,
    init: { method?: string; json?: unknown; signal?: AbortSignal } = {},
  ): Promise<unknown> {
    const [baseUrl, { token }] = await Promise.all([
      this.discovery.getBaseUrl(pluginId),
      this.auth.getPluginRequestToken({
        onBehalfOf: await this.auth.getOwnServiceCredentials(),
        targetPluginId: pluginId,
      }),
    ]);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${token}`,
          ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
        signal: init.signal,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new TransientError(`${pluginId} is unreachable: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (response.ok) return response.status === 204 ? undefined : response.json();
    const detail = await response
      .json()
      .then(body => (body as { error?: { message?: string } })?.error?.message)
      .catch(() => undefined);
    const message = `${init.method ?? 'GET'} /api/${pluginId}${path} answered ${response.status}${detail ? `: ${detail}` : ''}`;
    if (response.status === 404) throw new NotFoundError(detail ?? message);
    if (response.status >= 500 || response.status === 429) throw new TransientError(message);
    throw new Error(message);
  }
}

export class HttpDataSourceDirectory implements DataSourceDirectory {
  constructor(private readonly http: PluginHttpClient) {}

  async getConnection(dataSourceId: string): Promise<DataSourceConnection> {
    const body = await this.http.request(
      'datasources',
      `/${encodeURIComponent(dataSourceId)}/connection`,
    );
    return connectionSchema.parse(body);
  }
}

export class HttpRuleSetDirectory implements RuleSetDirectory {
  constructor(private readonly http: PluginHttpClient) {}

  async getRuleSet(ruleSetId: string, version?: number): Promise<RuleSet> {
    const id = encodeURIComponent(ruleSetId);
    const current = ruleSetSchema.parse(await this.http.request('scan-rulesets', `/${id}`));
    if (version === undefined || version === current.version) return current;
    const pinned = versionSchema.parse(
      await this.http.request('scan-rulesets', `/${id}/versions/${version}`),
    );
    return {
      id: current.id,
      name: current.name,
      version: pinned.version,
      definition: pinned.definition,
    };
  }
}

export class HttpClassificationConfigDirectory implements ClassificationConfigDirectory {
  constructor(private readonly http: PluginHttpClient) {}

  async getEngineConfig(): Promise<EngineConfig | null> {
    try {
      return engineConfigSchema.parse(await this.http.request('classifications', '/engine-config'));
    } catch (error) {
      // A switched-off group has no routes: classify with the built-in defaults.
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  }
}

export class HttpCatalogPublisher implements CatalogPublisher {
  constructor(private readonly http: PluginHttpClient) {}

  async publishTables(batches: TableBatchInput[], signal?: AbortSignal): Promise<void> {
    await this.http.request('data-catalog', '/ingest/tables', {
      method: 'POST',
      json: { batches },
      signal,
    });
  }

  async completeScan(complete: CompleteScan): Promise<{ deleted: number }> {
    const body = (await this.http.request('data-catalog', '/ingest/complete', {
      method: 'POST',
      json: complete,
    })) as { deleted?: number } | undefined;
    return { deleted: Number(body?.deleted ?? 0) };
  }
}
