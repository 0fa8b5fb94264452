import type { RacineHttpClient } from '@racine/kernel-react';
import { usePluginClient } from '@racine/kernel-react';
import type {
  AssetDetailsResponse,
  AssetHistoryResponse,
  AssetType,
  CurationResponse,
  GlossaryStatus,
  GlossaryTerm,
  GlossaryTermDetails,
  ListAssetsResponse,
  ListGlossaryResponse,
  SearchAssetsResponse,
  SearchFacetName,
  SensitivityLevel,
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

/** Filters of `GET /api/data-catalog/search`: values within one facet are OR-ed. */
export interface SearchQuery {
  q: string;
  filters: Partial<Record<SearchFacetName, string[]>>;
  limit?: number;
  cursor?: string;
}

/** Curated fields of `PATCH /assets/:ref`; each one given replaces the current value. */
export interface CurationInput {
  description?: string | null;
  owners?: string[];
  stewards?: string[];
  tags?: string[];
  terms?: string[];
  properties?: Record<string, string | number | boolean | null>;
  sensitivity?: SensitivityLevel | null;
  expectedVersion?: number;
}

export interface BulkCurationInput {
  refs: string[];
  addTags?: string[];
  removeTags?: string[];
  addOwners?: string[];
  removeOwners?: string[];
  addStewards?: string[];
  removeStewards?: string[];
  addTerms?: string[];
  removeTerms?: string[];
  set?: Omit<CurationInput, 'expectedVersion'>;
}

export interface GlossaryTermInput {
  name: string;
  definition: string;
  synonyms: string[];
  related: string[];
  parentId: string | null;
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

  search(query: SearchQuery, signal?: AbortSignal): Promise<SearchAssetsResponse> {
    const filters = Object.fromEntries(
      Object.entries(query.filters)
        .filter(([, values]) => values && values.length > 0)
        .map(([facet, values]) => [facet, values!.join(',')]),
    );
    return this.http.get<SearchAssetsResponse>('/search', {
      query: { q: query.q, limit: query.limit, cursor: query.cursor, ...filters },
      signal,
    });
  }

  curate(ref: string, input: CurationInput): Promise<CurationResponse> {
    return this.http.request<CurationResponse>('PATCH', `/assets/${encodeURIComponent(ref)}`, {
      body: input,
    });
  }

  bulkCurate(
    input: BulkCurationInput,
  ): Promise<{ changed: CurationResponse[]; unchanged: string[] }> {
    return this.http.post('/assets/bulk', input);
  }

  history(ref: string, signal?: AbortSignal): Promise<AssetHistoryResponse> {
    return this.http.get<AssetHistoryResponse>(`/assets/${encodeURIComponent(ref)}/history`, {
      query: { limit: 200 },
      signal,
    });
  }

  glossary(
    query: { q?: string; status?: GlossaryStatus; parentId?: string } = {},
    signal?: AbortSignal,
  ): Promise<ListGlossaryResponse> {
    return this.http.get<ListGlossaryResponse>('/glossary', { query, signal });
  }

  glossaryTerm(id: string, signal?: AbortSignal): Promise<GlossaryTermDetails> {
    return this.http.get<GlossaryTermDetails>(`/glossary/${encodeURIComponent(id)}`, { signal });
  }

  createTerm(input: GlossaryTermInput): Promise<GlossaryTerm> {
    return this.http.post<GlossaryTerm>('/glossary', input);
  }

  updateTerm(id: string, input: Partial<GlossaryTermInput>): Promise<GlossaryTerm> {
    return this.http.request<GlossaryTerm>('PATCH', `/glossary/${encodeURIComponent(id)}`, {
      body: input,
    });
  }

  approveTerm(id: string): Promise<GlossaryTerm> {
    return this.http.post<GlossaryTerm>(`/glossary/${encodeURIComponent(id)}/approve`);
  }

  deleteTerm(id: string): Promise<void> {
    return this.http.delete<void>(`/glossary/${encodeURIComponent(id)}`);
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
