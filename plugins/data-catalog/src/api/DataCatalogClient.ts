import type { RacineHttpClient } from '@racine/kernel-react';
import { usePluginClient } from '@racine/kernel-react';
import type {
  AssetDetailsResponse,
  AssetType,
  ListAssetsResponse,
  TreeResponse,
} from '@racine/plugin-data-catalog-common';
import { useMemo } from 'react';

/** Filters of `GET /api/data-catalog/assets`. */
export interface AssetQuery {
  dataSourceId?: string;
  type?: AssetType[];
  parentRef?: string;
  q?: string;
  label?: string;
  status?: 'active' | 'deleted' | 'all';
  limit?: number;
  cursor?: string;
}

/** Typed calls to `/api/data-catalog`, with the user's token and workspace header. */
export class DataCatalogClient {
  constructor(private readonly http: RacineHttpClient) {}

  listAssets(query: AssetQuery, signal?: AbortSignal): Promise<ListAssetsResponse> {
    const { type, ...rest } = query;
    return this.http.get<ListAssetsResponse>('/assets', {
      query: { ...rest, type: type?.join(',') },
      signal,
    });
  }

  getAsset(
    ref: string,
    options: { includeDeleted?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<AssetDetailsResponse> {
    return this.http.get<AssetDetailsResponse>(`/assets/${encodeURIComponent(ref)}`, {
      query: { includeDeleted: options.includeDeleted ? 'true' : undefined },
      signal,
    });
  }

  tree(
    parentRef: string | undefined,
    cursor?: string,
    signal?: AbortSignal,
  ): Promise<TreeResponse> {
    return this.http.get<TreeResponse>('/tree', { query: { parentRef, cursor }, signal });
  }
}

export function useDataCatalogClient(): DataCatalogClient {
  const http = usePluginClient('data-catalog');
  return useMemo(() => new DataCatalogClient(http), [http]);
}
