import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/frontend-plugin-api';
import { RacineApiError, usePluginClient, type RacineHttpClient } from '@racine/kernel-react';
import type {
  ComplianceNotification,
  ComplianceRule,
  Evaluation,
  Finding,
  FindingEvent,
  Framework,
  FrameworkInput,
  FrameworkScores,
  FrameworkSummary,
  RuleInput,
  RuleTestResult,
  ScorePoint,
  Waiver,
} from '@racine/plugin-compliance-common';
import { useMemo } from 'react';

export interface FindingFilters {
  framework?: string;
  requirement?: string;
  /** `me` for the caller's remediation tasks. */
  owner?: string;
  status?: string;
  severity?: string;
  ruleId?: string;
  assetRef?: string;
  dataSourceId?: string;
  cursor?: string;
  limit?: number;
}

export type FrameworkDetail = Framework & { rules: ComplianceRule[]; scores: FrameworkScores };

/** Typed calls to `/api/compliance` with the user's token and workspace header. */
export class ComplianceClient {
  constructor(
    private readonly http: RacineHttpClient,
    private readonly download: (path: string) => Promise<Blob>,
  ) {}

  frameworks(signal?: AbortSignal): Promise<FrameworkSummary[]> {
    return this.http
      .get<{ items: FrameworkSummary[] }>('/frameworks', { signal })
      .then(r => r.items);
  }
  framework(id: string, signal?: AbortSignal): Promise<FrameworkDetail> {
    return this.http.get(`/frameworks/${encodeURIComponent(id)}`, { signal });
  }
  createFramework(framework: FrameworkInput): Promise<Framework> {
    return this.http.post('/frameworks', framework);
  }
  deleteFramework(id: string): Promise<void> {
    return this.http.delete(`/frameworks/${encodeURIComponent(id)}`);
  }
  history(
    framework: string,
    scope = 'framework',
    id?: string,
    signal?: AbortSignal,
  ): Promise<ScorePoint[]> {
    return this.http
      .get<{ items: ScorePoint[] }>('/scores/history', { query: { framework, scope, id }, signal })
      .then(r => r.items);
  }
  findings(
    filters: FindingFilters,
    signal?: AbortSignal,
  ): Promise<{ items: Finding[]; nextCursor?: string }> {
    return this.http.get('/findings', { query: { ...filters }, signal });
  }
  finding(
    id: string,
    signal?: AbortSignal,
  ): Promise<Finding & { events: FindingEvent[]; waivers: Waiver[] }> {
    return this.http.get(`/findings/${encodeURIComponent(id)}`, { signal });
  }
  bulk(
    ids: string[],
    action: 'acknowledge' | 'reopen',
    note?: string,
  ): Promise<{ changed: number }> {
    return this.http.post('/findings/bulk', { ids, action, note });
  }
  requestWaiver(
    findingIds: string[],
    reason: string,
    expiresAt: string,
  ): Promise<{ items: Waiver[] }> {
    return this.http.post('/waivers', { findingIds, reason, expiresAt });
  }
  waivers(status?: string, signal?: AbortSignal): Promise<Waiver[]> {
    return this.http
      .get<{ items: Waiver[] }>('/waivers', { query: { status }, signal })
      .then(r => r.items);
  }
  decideWaiver(id: string, decision: 'approve' | 'reject', note?: string): Promise<Waiver> {
    return this.http.post(`/waivers/${encodeURIComponent(id)}/${decision}`, { note });
  }
  rules(signal?: AbortSignal): Promise<ComplianceRule[]> {
    return this.http.get<{ items: ComplianceRule[] }>('/rules', { signal }).then(r => r.items);
  }
  createRule(rule: RuleInput): Promise<ComplianceRule> {
    return this.http.post('/rules', rule);
  }
  updateRule(id: string, patch: Partial<RuleInput>): Promise<ComplianceRule> {
    return this.http.put(`/rules/${encodeURIComponent(id)}`, patch);
  }
  deleteRule(id: string): Promise<void> {
    return this.http.delete(`/rules/${encodeURIComponent(id)}`);
  }
  testRule(rule: Omit<RuleInput, 'id' | 'name'>): Promise<RuleTestResult> {
    return this.http.post('/rules/test', { rule });
  }
  evaluate(framework?: string): Promise<Evaluation> {
    return this.http.post('/evaluations', framework ? { framework } : {});
  }
  evaluations(signal?: AbortSignal): Promise<Evaluation[]> {
    return this.http.get<{ items: Evaluation[] }>('/evaluations', { signal }).then(r => r.items);
  }
  report(framework: string, format: 'csv' | 'pdf', asOf?: string): Promise<Blob> {
    const query = new URLSearchParams({ format });
    if (asOf) query.set('asOf', asOf);
    return this.download(`/reports/${encodeURIComponent(framework)}?${query}`);
  }
  notifications(
    signal?: AbortSignal,
  ): Promise<{ items: ComplianceNotification[]; unread: number }> {
    return this.http.get('/notifications', { query: { unread: 'true', limit: 20 }, signal });
  }
  markRead(id: string): Promise<void> {
    return this.http.post(`/notifications/${encodeURIComponent(id)}/read`, {});
  }
  auditTrail(): Promise<Blob> {
    return this.download('/audit-trail?format=csv');
  }
}

export function useComplianceClient(): ComplianceClient {
  const http = usePluginClient('compliance');
  const discovery = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  return useMemo(
    () =>
      new ComplianceClient(http, async path => {
        const base = await discovery.getBaseUrl('compliance');
        const response = await fetchApi.fetch(`${base}${path}`);
        if (!response.ok) throw await RacineApiError.fromResponse(response);
        return response.blob();
      }),
    [http, discovery, fetchApi],
  );
}

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
