import type { AuthService, DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';

/** Where a registered data source lives, as OpenLineage names datasets there. */
export interface DataSourceEndpoint {
  id: string;
  type: string;
  config: Record<string, unknown>;
}

/** A scanned table an OpenLineage dataset names: the segments of its catalog refs. */
export interface ScannedTable {
  dataSourceId: string;
  database: string;
  schema: string;
  table: string;
}

const DEFAULT_PORTS: Record<string, number> = { postgres: 5432, mysql: 3306 };
/** OpenLineage namespace schemes (naming spec) of the connector types. */
const SCHEMES: Record<string, string> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/**
 * A host as addresses are compared: lower-cased, and every name of this machine's loopback
 * (`localhost`, `127.0.0.1`, `::1`) as one, since a job and a data source configured on the
 * same machine often name it differently.
 */
function hostKey(host: string): string {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name)
    ? 'localhost'
    : name;
}

function endpointOf(namespace: string): { type: string; host: string; port: number } | null {
  let url: URL;
  try {
    url = new URL(namespace);
  } catch {
    return null;
  }
  const type = SCHEMES[url.protocol.replace(/:$/, '').toLowerCase()];
  if (!type || !url.hostname) return null;
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[type]!;
  return { type, host: hostKey(url.hostname), port };
}

/** `a.b.c` split into at most `parts` parts, the last one keeping any further dots. */
function splitName(name: string, parts: number): string[] {
  const out: string[] = [];
  let rest = name;
  while (out.length < parts - 1) {
    const dot = rest.indexOf('.');
    if (dot <= 0) return [];
    out.push(rest.slice(0, dot));
    rest = rest.slice(dot + 1);
  }
  return rest ? [...out, rest] : [];
}

/**
 * The scanned table an OpenLineage dataset is, by the naming spec: PostgreSQL
 * `postgres://{host}:{port}` + `{database}.{schema}.{table}`; MySQL/MariaDB
 * `mysql://{host}:{port}` + `{database}.{table}`. Null when no registered data source is at
 * that address (same host, loopback names alike, and port, and for PostgreSQL the same
 * database).
 */
export function matchDataset(
  endpoints: readonly DataSourceEndpoint[],
  dataset: { namespace: string; name: string },
): ScannedTable | null {
  const target = endpointOf(dataset.namespace);
  if (!target) return null;
  for (const source of endpoints) {
    if (source.type !== target.type) continue;
    const host = typeof source.config.host === 'string' ? hostKey(source.config.host) : '';
    const port = Number(source.config.port ?? DEFAULT_PORTS[source.type]);
    if (host !== target.host || port !== target.port) continue;
    const configured = typeof source.config.database === 'string' ? source.config.database : '';
    if (target.type === 'postgres') {
      const [database, schema, table] = splitName(dataset.name, 3);
      if (!table || database !== configured) continue;
      return { dataSourceId: source.id, database, schema: schema!, table };
    }
    // MySQL: the database is the catalog's schema; the configured one names the catalog's
    // database segment (`default` when none is), as scans record it.
    const [schema, table] = splitName(dataset.name, 2);
    if (!table) continue;
    return { dataSourceId: source.id, database: configured || 'default', schema: schema!, table };
  }
  return null;
}

/** Whether a namespace is a database address the naming spec gives (worth looking up). */
export function isDatabaseNamespace(namespace: string): boolean {
  return endpointOf(namespace) !== null;
}

export interface DataSourceEndpointDirectory {
  /** The registered data sources (an empty list when the datasources group is off). */
  list(): Promise<DataSourceEndpoint[]>;
}

/**
 * The datasources plugin's list, asked with the catalog's own service credentials each time
 * (run events are few, and a data source registered a moment ago must match).
 */
export class HttpDataSourceEndpoints implements DataSourceEndpointDirectory {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  async list(): Promise<DataSourceEndpoint[]> {
    try {
      return await this.fetchAll();
    } catch (error) {
      this.deps.logger.warn(
        `Could not list data sources to match OpenLineage datasets: ${String(error)}`,
      );
      return [];
    }
  }

  private async fetchAll(): Promise<DataSourceEndpoint[]> {
    const baseUrl = await this.deps.discovery.getBaseUrl('datasources');
    const out: DataSourceEndpoint[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const { token } = await this.deps.auth.getPluginRequestToken({
        onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
        targetPluginId: 'datasources',
      });
      const params = new URLSearchParams({ limit: '500' });
      if (cursor) params.set('cursor', cursor);
      const response = await fetch(`${baseUrl}?${params}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      // The group is off (or the route unknown): nothing to match against.
      if (response.status === 404) return [];
      if (!response.ok) throw new Error(`GET /api/datasources answered ${response.status}`);
      const body = (await response.json()) as {
        items: DataSourceEndpoint[];
        nextCursor?: string | null;
      };
      out.push(...body.items.map(({ id, type, config }) => ({ id, type, config })));
      if (!body.nextCursor) break;
      cursor = body.nextCursor;
    }
    return out;
  }
}
