import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/frontend-plugin-api';
import { RacineApiError, usePluginClient, type RacineHttpClient } from '@racine/kernel-react';
import type {
  CreateScanScheduleRequest,
  ScanLogEntry,
  ScanRun,
  ScanRunEvent,
  ScanRunStatus,
  ScanRunTable,
  ScanSchedule,
  ScanTableStatus,
  StartScanRunRequest,
  UpdateScanScheduleRequest,
} from '@racine/plugin-scans-common';
import { useMemo } from 'react';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** What the dialogs need of a data source or a rule set (their own APIs return more). */
export interface NamedItem {
  id: string;
  name: string;
  type?: string;
  version?: number;
}

export type RunStreamEvent =
  { event: 'progress'; data: ScanRunEvent } | { event: 'end'; data: { status: string } };

/** Typed calls to `/api/scans` (and the lists the dialogs pick from), with the user's token. */
export class ScansClient {
  constructor(
    private readonly http: RacineHttpClient,
    private readonly lists: { datasources: RacineHttpClient; ruleSets: RacineHttpClient },
    private readonly raw: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  listRuns(
    query: { dataSourceId?: string; status?: ScanRunStatus; limit?: number; cursor?: string },
    signal?: AbortSignal,
  ) {
    return this.http.get<Page<ScanRun>>('/runs', { query: { ...query }, signal });
  }

  getRun(id: string, signal?: AbortSignal) {
    return this.http.get<ScanRun>(`/runs/${encodeURIComponent(id)}`, { signal });
  }

  listTables(
    id: string,
    query: { status?: ScanTableStatus; limit?: number; cursor?: string },
    signal?: AbortSignal,
  ) {
    return this.http.get<Page<ScanRunTable>>(`/runs/${encodeURIComponent(id)}/tables`, {
      query: { ...query },
      signal,
    });
  }

  listLogs(id: string, query: { after?: number; limit?: number }, signal?: AbortSignal) {
    return this.http.get<{ items: ScanLogEntry[] }>(`/runs/${encodeURIComponent(id)}/logs`, {
      query: { ...query },
      signal,
    });
  }

  startRun(body: StartScanRunRequest) {
    return this.http.post<ScanRun>('/runs', body);
  }

  cancelRun(id: string) {
    return this.http.post<ScanRun>(`/runs/${encodeURIComponent(id)}/cancel`, {});
  }

  listSchedules(signal?: AbortSignal) {
    return this.http.get<{ items: ScanSchedule[] }>('/schedules', { signal }).then(r => r.items);
  }

  createSchedule(body: CreateScanScheduleRequest) {
    return this.http.post<ScanSchedule>('/schedules', body);
  }

  updateSchedule(id: string, body: UpdateScanScheduleRequest) {
    return this.http.put<ScanSchedule>(`/schedules/${encodeURIComponent(id)}`, body);
  }

  deleteSchedule(id: string) {
    return this.http.delete<void>(`/schedules/${encodeURIComponent(id)}`);
  }

  dataSources(signal?: AbortSignal) {
    return this.lists.datasources
      .get<{ items: NamedItem[] }>('/', { query: { limit: 500 }, signal })
      .then(r => r.items);
  }

  ruleSets(signal?: AbortSignal) {
    return this.lists.ruleSets.get<{ items: NamedItem[] }>('/', { signal }).then(r => r.items);
  }

  /**
   * Follows a run over Server-Sent Events. `fetch` (not EventSource) so the request carries
   * the user's token like every other call; resolves when the stream ends.
   */
  async followRun(
    id: string,
    onEvent: (event: RunStreamEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const baseUrl = await this.raw.discoveryApi.getBaseUrl('scans');
    const response = await this.raw.fetchApi.fetch(
      `${baseUrl}/runs/${encodeURIComponent(id)}/events`,
      {
        headers: { Accept: 'text/event-stream' },
        signal,
      },
    );
    if (!response.ok || !response.body) throw await RacineApiError.fromResponse(response);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let split = buffer.indexOf('\n\n');
      while (split >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const name = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if ((name === 'progress' || name === 'end') && data)
          onEvent({ event: name, data: JSON.parse(data) } as RunStreamEvent);
        split = buffer.indexOf('\n\n');
      }
    }
  }
}

export function useScansClient(): ScansClient {
  const http = usePluginClient('scans');
  const datasources = usePluginClient('datasources');
  const ruleSets = usePluginClient('scan-rulesets');
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () => new ScansClient(http, { datasources, ruleSets }, { discoveryApi, fetchApi }),
    [http, datasources, ruleSets, discoveryApi, fetchApi],
  );
}
