import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { z } from 'zod';

/** What the preview needs to open a session on a data source: its type and decrypted config. */
export interface DataSourceConnection {
  id: string;
  name: string;
  type: string;
  workspace: string;
  config: Record<string, unknown>;
}

/**
 * Looks a data source's connection up on behalf of a caller. Throws NotFoundError when it
 * does not exist and NotAllowedError when the caller may not see it.
 */
export interface ConnectionResolver {
  resolve(dataSourceId: string, credentials: BackstageCredentials): Promise<DataSourceConnection>;
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

/**
 * Resolves connections through the datasources plugin: first `GET /api/datasources/:id` on
 * behalf of the caller (so its permission checks decide whether the caller may see the data
 * source), then the service-only `GET /api/datasources/:id/connection` with this plugin's own
 * service token, which returns the decrypted configuration. The secrets stay in memory.
 */
export class DatasourcesConnectionResolver implements ConnectionResolver {
  constructor(
    private readonly deps: {
      auth: AuthService;
      discovery: DiscoveryService;
      fetch?: typeof fetch;
    },
  ) {}

  private async call(path: string, onBehalfOf: BackstageCredentials): Promise<Response> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf,
      targetPluginId: 'datasources',
    });
    const baseUrl = await this.deps.discovery.getBaseUrl('datasources');
    const doFetch = this.deps.fetch ?? fetch;
    try {
      return await doFetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
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

  async resolve(
    dataSourceId: string,
    credentials: BackstageCredentials,
  ): Promise<DataSourceConnection> {
    const path = `/${encodeURIComponent(dataSourceId)}`;
    if (credentials.principal && (credentials.principal as { type?: string }).type === 'user') {
      await this.check(await this.call(path, credentials), dataSourceId);
    }
    const own = await this.deps.auth.getOwnServiceCredentials();
    const response = await this.call(`${path}/connection`, own);
    await this.check(response, dataSourceId);
    const parsed = connectionSchema.safeParse(await response.json());
    if (!parsed.success) {
      throw new ServiceUnavailableError(
        `The datasources service returned an unexpected connection for '${dataSourceId}'`,
      );
    }
    return parsed.data;
  }
}
