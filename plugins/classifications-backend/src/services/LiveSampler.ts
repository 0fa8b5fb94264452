import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { LiveColumn } from '@racine/plugin-classifications-common';
import { parseAssetRef } from '@racine/plugin-data-catalog-common';
import {
  builtinConnectors,
  ConnectorRegistry,
  describeError,
  UnknownColumnError,
  UnknownTableError,
} from '@racine/plugin-datasources-node';
import { z } from 'zod';

/** A live column's sample: values stay in memory for the caller, never stored or returned. */
export interface LiveSample {
  dataSourceId: string;
  schema: string;
  table: string;
  column: string;
  /** The data source's workspace, for the audit trail. */
  workspace: string;
  values: (string | null)[];
}

export interface LiveSampler {
  sample(column: LiveColumn, size: number, credentials: BackstageCredentials): Promise<LiveSample>;
}

const connectionSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  workspace: z.string().default('default'),
  config: z.record(z.string(), z.unknown()),
});

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

/** Where a live column lives: from a catalog column ref, or given directly. */
export function locateColumn(column: LiveColumn): {
  dataSourceId: string;
  database?: string;
  schema: string;
  table: string;
  column: string;
} {
  if ('assetRef' in column) {
    let parsed: ReturnType<typeof parseAssetRef>;
    try {
      parsed = parseAssetRef(column.assetRef);
    } catch {
      throw new InputError('Invalid test: source.assetRef: must be a data catalog column ref');
    }
    if (parsed.type !== 'column' || parsed.segments.length !== 5) {
      throw new InputError('Invalid test: source.assetRef: must be a data catalog column ref');
    }
    const [dataSourceId, database, schema, table, name] = parsed.segments as [
      string,
      string,
      string,
      string,
      string,
    ];
    return { dataSourceId, database, schema, table, column: name };
  }
  return {
    dataSourceId: column.dataSourceId,
    schema: column.schema,
    table: column.table,
    column: column.column,
  };
}

/**
 * Samples one column of a data source for a rule test. The caller must be allowed to see the
 * data source (`GET /api/datasources/:id` on its behalf); the connection itself (decrypted
 * credentials, kept in memory) comes from the datasources plugin's service-only route.
 */
export class DatasourcesLiveSampler implements LiveSampler {
  private readonly connectors: ConnectorRegistry;

  constructor(
    private readonly deps: {
      auth: AuthService;
      discovery: DiscoveryService;
      connectors?: ConnectorRegistry;
    },
  ) {
    this.connectors = deps.connectors ?? new ConnectorRegistry(builtinConnectors());
  }

  private async call(path: string, onBehalfOf: BackstageCredentials): Promise<Response> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'datasources',
    });
    const baseUrl = await this.deps.discovery.getBaseUrl('datasources');
    try {
      return await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    } catch (error) {
      throw new ServiceUnavailableError(
        `The datasources service cannot be reached: ${String(error)}`,
      );
    }
  }

  private async check(response: Response, dataSourceId: string): Promise<void> {
    if (response.ok) return;
    const message = await errorMessage(response);
    if (response.status === 404)
      throw new NotFoundError(`Data source '${dataSourceId}' does not exist`);
    if (response.status === 403) throw new NotAllowedError(message);
    throw new ServiceUnavailableError(
      `The datasources service answered ${response.status}: ${message}`,
    );
  }

  async sample(
    column: LiveColumn,
    size: number,
    credentials: BackstageCredentials,
  ): Promise<LiveSample> {
    const where = locateColumn(column);
    const path = `/${encodeURIComponent(where.dataSourceId)}`;
    if ((credentials.principal as { type?: string }).type === 'user') {
      await this.check(await this.call(path, credentials), where.dataSourceId);
    }
    const response = await this.call(
      `${path}/connection`,
      await this.deps.auth.getOwnServiceCredentials(),
    );
    await this.check(response, where.dataSourceId);
    const parsed = connectionSchema.safeParse(await response.json());
    if (!parsed.success) {
      throw new ServiceUnavailableError(
        `The datasources service returned an unexpected connection for '${where.dataSourceId}'`,
      );
    }
    const connection = parsed.data;
    // A PostgreSQL session reads one database: the column's, when the catalog names another.
    const config =
      connection.type === 'postgres' &&
      where.database &&
      connection.config.database !== where.database
        ? { ...connection.config, database: where.database }
        : connection.config;
    let session;
    try {
      session = await this.connectors.connect(connection.type, config, {
        statementTimeoutMs: 15_000,
        maxConnections: 1,
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Cannot connect to data source '${connection.name}': ${describeError(error).message}`,
      );
    }
    try {
      const result = await session.sample(
        { schema: where.schema, name: where.table },
        [where.column],
        size,
        'random',
      );
      const index = result.columns.indexOf(where.column);
      if (index < 0)
        throw new NotFoundError(
          `Column '${where.column}' not found in ${where.schema}.${where.table}`,
        );
      return {
        dataSourceId: where.dataSourceId,
        schema: where.schema,
        table: where.table,
        column: where.column,
        workspace: connection.workspace,
        values: result.rows.map(row => row[index] ?? null),
      };
    } catch (error) {
      if (error instanceof NotFoundError) throw error;
      if (error instanceof UnknownTableError || error instanceof UnknownColumnError)
        throw new NotFoundError(error.message);
      throw new ServiceUnavailableError(
        `Sampling ${where.schema}.${where.table}.${where.column} failed: ${describeError(error).message}`,
      );
    } finally {
      await session.close();
    }
  }
}
