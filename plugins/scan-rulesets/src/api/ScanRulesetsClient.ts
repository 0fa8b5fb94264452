import type { RacineHttpClient } from '@racine/kernel-react';
import type {
  ClassifierCatalog,
  CreateRuleSetRequest,
  PreviewRuleSetRequest,
  RuleSet,
  RuleSetChange,
  RuleSetPreview,
  RuleSetVersion,
  UpdateRuleSetRequest,
} from '@racine/plugin-scan-rulesets-common';

export interface RuleSetDiffResponse {
  ruleSetId: string;
  fromVersion: number;
  toVersion: number;
  changes: RuleSetChange[];
}

/** The least the preview needs of a data source (`GET /api/datasources`). */
export interface DataSourceSummary {
  id: string;
  name: string;
  type: string;
  environment?: string | null;
  workspace?: string;
}

const enc = encodeURIComponent;

/** Typed calls to `/api/scan-rulesets` (and the data source list the preview picks from). */
export class ScanRulesetsClient {
  constructor(
    private readonly http: RacineHttpClient,
    private readonly datasources: RacineHttpClient,
  ) {}

  async list(options: { q?: string; signal?: AbortSignal } = {}): Promise<RuleSet[]> {
    const { items } = await this.http.get<{ items: RuleSet[] }>('/', {
      query: { q: options.q },
      signal: options.signal,
    });
    return items;
  }

  get(id: string, signal?: AbortSignal): Promise<RuleSet> {
    return this.http.get<RuleSet>(`/${enc(id)}`, { signal });
  }

  create(body: CreateRuleSetRequest): Promise<RuleSet> {
    return this.http.post<RuleSet>('/', body);
  }

  update(id: string, body: UpdateRuleSetRequest): Promise<RuleSet> {
    return this.http.put<RuleSet>(`/${enc(id)}`, body);
  }

  delete(id: string): Promise<void> {
    return this.http.delete<void>(`/${enc(id)}`);
  }

  async versions(id: string, signal?: AbortSignal): Promise<RuleSetVersion[]> {
    const { items } = await this.http.get<{ items: RuleSetVersion[] }>(`/${enc(id)}/versions`, {
      signal,
    });
    return items;
  }

  diff(id: string, from: number, to: number, signal?: AbortSignal): Promise<RuleSetDiffResponse> {
    return this.http.get<RuleSetDiffResponse>(`/${enc(id)}/diff`, { query: { from, to }, signal });
  }

  rollback(id: string, version: number, expectedVersion?: number): Promise<RuleSet> {
    return this.http.post<RuleSet>(`/${enc(id)}/rollback`, { version, expectedVersion });
  }

  preview(id: string, body: PreviewRuleSetRequest, signal?: AbortSignal): Promise<RuleSetPreview> {
    return this.http.post<RuleSetPreview>(`/${enc(id)}/preview`, body, { signal });
  }

  classifiers(signal?: AbortSignal): Promise<ClassifierCatalog> {
    return this.http.get<ClassifierCatalog>('/classifiers', { signal });
  }

  async dataSources(signal?: AbortSignal): Promise<DataSourceSummary[]> {
    const { items } = await this.datasources.get<{ items: DataSourceSummary[] }>('/', {
      query: { limit: 500 },
      signal,
    });
    return items;
  }
}
