import type { RacineHttpClient } from '@racine/kernel-react';
import { usePluginClient } from '@racine/kernel-react';
import type {
  ConnectionTestResult,
  ConnectorInfo,
  CreateDataSourceRequest,
  DataSource,
  DataSourceHealth,
  DataSourceList,
  UpdateDataSourceRequest,
} from '@racine/plugin-datasources-common';
import { useMemo } from 'react';

/** Filters of `GET /api/datasources`. */
export interface DataSourceQuery {
  workspace?: string;
  type?: string;
  environment?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

/** Typed calls to `/api/datasources`, with the user's token and workspace header. */
export class DatasourcesClient {
  constructor(private readonly http: RacineHttpClient) {}

  connectors(signal?: AbortSignal): Promise<ConnectorInfo[]> {
    return this.http.get<{ items: ConnectorInfo[] }>('/connectors', { signal }).then(r => r.items);
  }

  list(query: DataSourceQuery, signal?: AbortSignal): Promise<DataSourceList> {
    return this.http.get<DataSourceList>('/', { query: { ...query }, signal });
  }

  get(id: string, signal?: AbortSignal): Promise<DataSource> {
    return this.http.get<DataSource>(`/${encodeURIComponent(id)}`, { signal });
  }

  create(body: CreateDataSourceRequest): Promise<DataSource> {
    return this.http.post<DataSource>('/', body);
  }

  update(id: string, body: UpdateDataSourceRequest): Promise<DataSource> {
    return this.http.put<DataSource>(`/${encodeURIComponent(id)}`, body);
  }

  delete(id: string): Promise<void> {
    return this.http.delete<void>(`/${encodeURIComponent(id)}`);
  }

  test(id: string): Promise<ConnectionTestResult> {
    return this.http.post<ConnectionTestResult>(`/${encodeURIComponent(id)}/test`, {});
  }

  testConfig(
    type: string,
    config: Record<string, unknown>,
    dataSourceId?: string,
  ): Promise<ConnectionTestResult> {
    return this.http.post<ConnectionTestResult>('/test', { type, config, dataSourceId });
  }

  health(id: string, signal?: AbortSignal): Promise<DataSourceHealth> {
    return this.http.get<DataSourceHealth>(`/${encodeURIComponent(id)}/health`, { signal });
  }
}

export function useDatasourcesClient(): DatasourcesClient {
  const http = usePluginClient('datasources');
  return useMemo(() => new DatasourcesClient(http), [http]);
}
