import { usePluginClient, type RacineHttpClient } from '@racine/kernel-react';
import type {
  AccuracyResponse,
  AssetLabelsResponse,
  ClassifierDetails,
  CreateRuleRequest,
  CustomRule,
  CustomRuleSummary,
  CustomRuleVersion,
  DecisionsResponse,
  LabelDecisionRequest,
  ListClassifiersResponse,
  ReviewQueueResponse,
  ReviewSettings,
  RuleTestResult,
  TestRuleRequest,
  UpdateClassifierRequest,
  UpdateRuleRequest,
} from '@racine/plugin-classifications-common';
import { useMemo } from 'react';

export interface ReviewQueueFilters {
  status?: string;
  classifierId?: string;
  dataSourceId?: string;
  minConfidence?: number;
  maxConfidence?: number;
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface DataSourceOption {
  id: string;
  name: string;
  type: string;
}

const id = (value: string) => encodeURIComponent(value);

/** Typed calls to `/api/classifications`, with the user's token and workspace header. */
export class ClassificationsClient {
  constructor(
    private readonly http: RacineHttpClient,
    private readonly datasources: RacineHttpClient,
  ) {}

  classifiers(
    query: { q?: string; category?: string; enabled?: boolean } = {},
    signal?: AbortSignal,
  ): Promise<ListClassifiersResponse> {
    return this.http.get('/classifiers', {
      query: { ...query, enabled: query.enabled === undefined ? undefined : String(query.enabled) },
      signal,
    });
  }

  classifier(classifierId: string, signal?: AbortSignal): Promise<ClassifierDetails> {
    return this.http.get(`/classifiers/${id(classifierId)}`, { signal });
  }

  updateClassifier(
    classifierId: string,
    body: UpdateClassifierRequest,
  ): Promise<ClassifierDetails> {
    return this.http.put(`/classifiers/${id(classifierId)}`, body);
  }

  rules(signal?: AbortSignal): Promise<CustomRuleSummary[]> {
    return this.http.get<{ items: CustomRuleSummary[] }>('/rules', { signal }).then(r => r.items);
  }

  rule(ruleId: string, signal?: AbortSignal): Promise<CustomRule> {
    return this.http.get(`/rules/${id(ruleId)}`, { signal });
  }

  createRule(body: CreateRuleRequest): Promise<CustomRule> {
    return this.http.post('/rules', body);
  }

  updateRule(ruleId: string, body: UpdateRuleRequest): Promise<CustomRule> {
    return this.http.put(`/rules/${id(ruleId)}`, body);
  }

  setRuleEnabled(ruleId: string, enabled: boolean): Promise<CustomRule> {
    return this.http.put(`/rules/${id(ruleId)}/enabled`, { enabled });
  }

  deleteRule(ruleId: string): Promise<void> {
    return this.http.delete(`/rules/${id(ruleId)}`);
  }

  ruleVersions(ruleId: string, signal?: AbortSignal): Promise<CustomRuleVersion[]> {
    return this.http
      .get<{ items: CustomRuleVersion[] }>(`/rules/${id(ruleId)}/versions`, { signal })
      .then(r => r.items);
  }

  rollbackRule(ruleId: string, version: number): Promise<CustomRule> {
    return this.http.post(`/rules/${id(ruleId)}/rollback`, { version });
  }

  testRule(body: TestRuleRequest, signal?: AbortSignal): Promise<RuleTestResult> {
    return this.http.post('/rules/test', body, { signal });
  }

  reviewQueue(filters: ReviewQueueFilters, signal?: AbortSignal): Promise<ReviewQueueResponse> {
    return this.http.get('/review-queue', { query: { ...filters }, signal });
  }

  assetLabels(assetRef: string, signal?: AbortSignal): Promise<AssetLabelsResponse> {
    return this.http.get(`/assets/${id(assetRef)}/labels`, { signal });
  }

  decide(decisions: LabelDecisionRequest[]): Promise<DecisionsResponse> {
    return this.http.post('/decisions', { decisions });
  }

  accuracy(signal?: AbortSignal): Promise<AccuracyResponse> {
    return this.http.get('/accuracy', { signal });
  }

  settings(signal?: AbortSignal): Promise<ReviewSettings> {
    return this.http.get('/settings', { signal });
  }

  updateSettings(autoApproveConfidence: number | null): Promise<ReviewSettings> {
    return this.http.put('/settings', { autoApproveConfidence });
  }

  /** Data sources the user may see (for filters and live tests); empty when the group is off. */
  async dataSources(signal?: AbortSignal): Promise<DataSourceOption[]> {
    try {
      const { items } = await this.datasources.get<{ items: DataSourceOption[] }>('/', {
        query: { limit: 500 },
        signal,
      });
      return items.map(s => ({ id: s.id, name: s.name, type: s.type }));
    } catch {
      return [];
    }
  }
}

export function useClassificationsClient(): ClassificationsClient {
  const http = usePluginClient('classifications');
  const datasources = usePluginClient('datasources');
  return useMemo(() => new ClassificationsClient(http, datasources), [http, datasources]);
}
