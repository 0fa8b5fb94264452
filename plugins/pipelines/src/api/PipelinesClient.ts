import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
  type DiscoveryApi,
  type FetchApi,
} from '@backstage/frontend-plugin-api';
import { RacineApiError, usePluginClient, type RacineHttpClient } from '@racine/kernel-react';
import type {
  Approval,
  Job,
  JobDefinitionInput,
  JobListItem,
  JobVersion,
  JobVersionDiff,
  PipelineTemplate,
  Run,
  RunLogLine,
  RunSummary,
  StepCatalogEntry,
} from '@racine/plugin-pipelines-common';
import { useMemo } from 'react';

export type RunStreamEvent =
  | { event: 'run'; data: Run }
  | { event: 'log'; data: RunLogLine }
  | { event: 'end'; data: { status: string; result: string | null } };

/** Typed calls to `/api/pipelines`, with the user's token and workspace header. */
export class PipelinesClient {
  constructor(
    private readonly http: RacineHttpClient,
    private readonly raw: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  steps(signal?: AbortSignal) {
    return this.http.get<{ steps: StepCatalogEntry[] }>('/steps', { signal }).then(r => r.steps);
  }

  listJobs(
    query: { q?: string; tag?: string; limit?: number; offset?: number },
    signal?: AbortSignal,
  ) {
    return this.http.get<{ items: JobListItem[]; total: number }>('/jobs', {
      query: { ...query },
      signal,
    });
  }

  getJob(id: string, signal?: AbortSignal) {
    return this.http.get<Job>(`/jobs/${encodeURIComponent(id)}`, { signal });
  }

  createJob(definition: JobDefinitionInput & { versionNote?: string }) {
    return this.http.post<Job>('/jobs', definition);
  }

  updateJob(id: string, definition: JobDefinitionInput & { versionNote?: string }) {
    return this.http.put<Job>(`/jobs/${encodeURIComponent(id)}`, definition);
  }

  deleteJob(id: string) {
    return this.http.delete<void>(`/jobs/${encodeURIComponent(id)}`);
  }

  versions(id: string, signal?: AbortSignal) {
    return this.http
      .get<{ items: JobVersion[] }>(`/jobs/${encodeURIComponent(id)}/versions`, { signal })
      .then(r => r.items);
  }

  version(id: string, version: number, signal?: AbortSignal) {
    return this.http.get<JobVersion>(`/jobs/${encodeURIComponent(id)}/versions/${version}`, {
      signal,
    });
  }

  diff(id: string, from: number, to: number, signal?: AbortSignal) {
    return this.http.get<JobVersionDiff>(`/jobs/${encodeURIComponent(id)}/diff`, {
      query: { from, to },
      signal,
    });
  }

  rollback(id: string, version: number) {
    return this.http.post<Job>(`/jobs/${encodeURIComponent(id)}/rollback`, { version });
  }

  runJob(id: string, parameters: Record<string, string>) {
    return this.http.post<{ runId: string }>(`/jobs/${encodeURIComponent(id)}/run`, { parameters });
  }

  jobRuns(id: string, query: { limit?: number; cursor?: string }, signal?: AbortSignal) {
    return this.http.get<{ items: RunSummary[]; nextCursor: string | null }>(
      `/jobs/${encodeURIComponent(id)}/runs`,
      {
        query: { ...query },
        signal,
      },
    );
  }

  getRun(id: string, signal?: AbortSignal) {
    return this.http.get<Run>(`/runs/${encodeURIComponent(id)}`, { signal });
  }

  cancelRun(id: string) {
    return this.http.post<Run>(`/runs/${encodeURIComponent(id)}/cancel`);
  }

  repairRun(
    id: string,
    body: {
      rerunAllFailed?: boolean;
      rerunTasks?: string[];
      rerunDependents?: boolean;
      parameters?: Record<string, string>;
    },
  ) {
    return this.http.post<{ repairId: string; tasks: string[]; run: Run }>(
      `/runs/${encodeURIComponent(id)}/repair`,
      body,
    );
  }

  decideApproval(runId: string, taskKey: string, decision: 'approve' | 'deny', comment?: string) {
    return this.http.post<Approval>(
      `/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(taskKey)}/approval`,
      {
        decision,
        comment,
      },
    );
  }

  templates(signal?: AbortSignal) {
    return this.http
      .get<{ items: PipelineTemplate[] }>('/templates', { signal })
      .then(r => r.items);
  }

  createTemplate(definition: JobDefinitionInput & { visibility: 'private' | 'workspace' }) {
    return this.http.post<PipelineTemplate>('/templates', definition);
  }

  deleteTemplate(id: string) {
    return this.http.delete<void>(`/templates/${encodeURIComponent(id)}`);
  }

  importTemplate(content: string, visibility: 'private' | 'workspace') {
    return this.http.post<PipelineTemplate>('/templates/import', { content, visibility });
  }

  async exportTemplate(
    id: string,
    format: 'yaml' | 'json',
  ): Promise<{ content: string; filename: string }> {
    const baseUrl = await this.raw.discoveryApi.getBaseUrl('pipelines');
    const response = await this.raw.fetchApi.fetch(
      `${baseUrl}/templates/${encodeURIComponent(id)}/export?format=${format}`,
    );
    if (!response.ok) throw await RacineApiError.fromResponse(response);
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `pipeline.${format}`;
    return { content: await response.text(), filename };
  }

  instantiate(id: string, body: { name?: string; parameters: Record<string, string> }) {
    return this.http.post<Job>(`/templates/${encodeURIComponent(id)}/instantiate`, body);
  }

  /**
   * Follows a run over Server-Sent Events (`fetch`, so the request carries the user's token);
   * resolves when the stream ends.
   */
  async followRun(
    id: string,
    onEvent: (event: RunStreamEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const baseUrl = await this.raw.discoveryApi.getBaseUrl('pipelines');
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
        if ((name === 'run' || name === 'log' || name === 'end') && data) {
          onEvent({ event: name, data: JSON.parse(data) } as RunStreamEvent);
        }
        split = buffer.indexOf('\n\n');
      }
    }
  }
}

export function usePipelinesClient(): PipelinesClient {
  const http = usePluginClient('pipelines');
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () => new PipelinesClient(http, { discoveryApi, fetchApi }),
    [http, discoveryApi, fetchApi],
  );
}
