import type { RacineHttpClient } from '@racine/kernel-react';
import { usePluginClient } from '@racine/kernel-react';
import type {
  ImpactAnalysisResponse,
  LineageDirection,
  LineageGraphResponse,
  PropagatedLabelsResponse,
  UpdateLineageEdgeResponse,
} from '@racine/plugin-data-catalog-common';
import { useMemo } from 'react';

export interface LineageQuery {
  ref: string;
  direction: LineageDirection;
  depth: number;
  columns?: boolean;
  includeForeignKeys?: boolean;
  limit?: number;
}

/** Typed calls to the lineage routes of `/api/data-catalog`. */
export class LineageClient {
  constructor(private readonly http: RacineHttpClient) {}

  graph(query: LineageQuery, signal?: AbortSignal): Promise<LineageGraphResponse> {
    return this.http.get<LineageGraphResponse>('/lineage', {
      query: {
        ref: query.ref,
        direction: query.direction,
        depth: query.depth,
        columns: query.columns ? 'true' : undefined,
        includeForeignKeys: query.includeForeignKeys ? 'true' : undefined,
        limit: query.limit,
      },
      signal,
    });
  }

  impact(ref: string, signal?: AbortSignal): Promise<ImpactAnalysisResponse> {
    return this.http.get<ImpactAnalysisResponse>('/lineage/impact', { query: { ref }, signal });
  }

  propagatedLabels(ref: string, signal?: AbortSignal): Promise<PropagatedLabelsResponse> {
    return this.http.get<PropagatedLabelsResponse>('/lineage/labels', { query: { ref }, signal });
  }

  removeEdge(id: string): Promise<void> {
    return this.http.delete<void>(`/lineage/edges/${encodeURIComponent(id)}`);
  }

  setPropagationBlocked(id: string, propagationBlocked: boolean) {
    return this.http.put<UpdateLineageEdgeResponse>(`/lineage/edges/${encodeURIComponent(id)}`, {
      propagationBlocked,
    });
  }
}

export function useLineageClient(): LineageClient {
  const http = usePluginClient('data-catalog');
  return useMemo(() => new LineageClient(http), [http]);
}
