import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { BUILTIN_CLASSIFIERS } from '@racine/plugin-classifications-node';
import { globToRegExp } from '@racine/plugin-compliance-common';

/** One catalog asset as the catalog's facts feed gives it. */
export interface AssetFact {
  ref: string;
  type: string;
  name: string;
  qualifiedName: string;
  parentRef: string | null;
  dataSourceId: string;
  workspace: string;
  status: string;
  description: string | null;
  owners: string[];
  stewards: string[];
  tags: string[];
  terms: string[];
  properties: Record<string, unknown>;
  sensitivity: string | null;
  labels: Array<{
    classifierId: string;
    status: string;
    confidence: number;
    categories?: string[];
    sensitivity?: string | null;
  }>;
  updatedAt: string;
}

export interface FactsPage {
  items: AssetFact[];
  nextCursor?: string;
}

/** The catalog, read through its facts feed. */
export interface FactSource {
  page(options: { limit: number; cursor?: string; refs?: string[] }): Promise<FactsPage>;
}

export interface DataSourceContext {
  id: string;
  ref: string;
  name: string;
  environment: string | null;
  owner: string | null;
  tags: string[];
  workspace: string | null;
  /** End of the latest successful scan, ISO; null when never scanned. */
  lastScannedAt: string | null;
}

export interface AccessGrant {
  subject: string;
  role: string | null;
  permission: string | null;
  workspace: string;
  resource: string;
  effect: 'allow' | 'deny';
  active: boolean;
}

/** Data source environments, scan times and access grants (other plugins' APIs). */
export interface ContextDirectory {
  dataSource(id: string): Promise<DataSourceContext | null>;
  grants(): Promise<AccessGrant[]>;
}

export class PluginHttpClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async get(pluginId: string, path: string): Promise<{ status: number; body: unknown }> {
    const [baseUrl, { token }] = await Promise.all([
      this.discovery.getBaseUrl(pluginId),
      this.auth.getPluginRequestToken({
        onBehalfOf: await this.auth.getOwnServiceCredentials(),
        targetPluginId: pluginId,
      }),
    ]);
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    if (response.status >= 400 && response.status !== 404) {
      const message = (body as { error?: { message?: string } } | undefined)?.error?.message;
      throw new Error(
        `GET /api/${pluginId}${path} answered ${response.status}${message ? `: ${message}` : ''}`,
      );
    }
    return { status: response.status, body };
  }
}

export class HttpFactSource implements FactSource {
  constructor(private readonly http: PluginHttpClient) {}

  async page(options: { limit: number; cursor?: string; refs?: string[] }): Promise<FactsPage> {
    const params = new URLSearchParams({ limit: String(options.limit) });
    if (options.cursor) params.set('cursor', options.cursor);
    for (const ref of options.refs ?? []) params.append('refs', ref);
    const { status, body } = await this.http.get('data-catalog', `/facts?${params}`);
    if (status === 404) throw new Error('The data catalog does not serve its facts feed');
    return body as FactsPage;
  }
}

export class HttpContextDirectory implements ContextDirectory {
  constructor(private readonly http: PluginHttpClient) {}

  async dataSource(id: string): Promise<DataSourceContext | null> {
    const source = await this.http.get('datasources', `/${encodeURIComponent(id)}`);
    if (source.status === 404) return null;
    const ds = source.body as {
      id: string;
      ref?: string;
      name: string;
      environment?: string | null;
      owner?: string | null;
      tags?: string[];
      workspace?: string;
    };
    const runs = await this.http.get(
      'scans',
      `/runs?dataSourceId=${encodeURIComponent(id)}&status=succeeded&limit=1`,
    );
    const latest = (runs.body as { items?: Array<{ endedAt: string | null }> } | undefined)
      ?.items?.[0];
    return {
      id: ds.id,
      ref: ds.ref ?? `racine:datasources:datasource/${ds.id}`,
      name: ds.name,
      environment: ds.environment ?? null,
      owner: ds.owner ?? null,
      tags: ds.tags ?? [],
      workspace: ds.workspace ?? null,
      lastScannedAt: runs.status === 404 ? null : (latest?.endedAt ?? null),
    };
  }

  async grants(): Promise<AccessGrant[]> {
    const { status, body } = await this.http.get('rbac', '/grants');
    if (status === 404) return [];
    return ((body as { items?: AccessGrant[] }).items ?? []).map(g => ({
      subject: g.subject,
      role: g.role ?? null,
      permission: g.permission ?? null,
      workspace: g.workspace,
      resource: g.resource,
      effect: g.effect,
      active: g.active,
    }));
  }
}

const SENSITIVITY_RANK: Record<string, number> = {
  PUBLIC: 0,
  INTERNAL: 1,
  CONFIDENTIAL: 2,
  RESTRICTED: 3,
};

const classifierInfo = new Map<string, { categories: string[]; sensitivity: string }>(
  BUILTIN_CLASSIFIERS.map(c => [
    c.id,
    { categories: [...c.categories], sensitivity: c.sensitivity },
  ]),
);

/** Categories of a classifier: the library's, else its id's prefix (`PII.X` → PII). */
export function classifierCategories(classifierId: string): string[] {
  const known = classifierInfo.get(classifierId);
  if (known) return known.categories;
  const prefix = classifierId.split('.')[0];
  return prefix && prefix !== classifierId ? [prefix] : [];
}

export function classifierSensitivity(classifierId: string): string | null {
  return classifierInfo.get(classifierId)?.sensitivity ?? null;
}

export interface SubjectLabel {
  classifierId: string;
  status: string;
  confidence: number;
  categories: string[];
  sensitivity: string | null;
}

/** What a rule's conditions see. */
export interface EvaluationSubject {
  asset: Omit<AssetFact, 'labels'>;
  labels: SubjectLabel[];
  dataSource: DataSourceContext | Record<string, never>;
  grants: AccessGrant[];
}

/** Labels with categories and sensitivity filled in, and the asset's sensitivity derived. */
export function normalizeLabels(fact: AssetFact): SubjectLabel[] {
  return fact.labels.map(l => ({
    classifierId: l.classifierId,
    status: l.status,
    confidence: l.confidence,
    categories:
      l.categories && l.categories.length > 0 ? l.categories : classifierCategories(l.classifierId),
    sensitivity: l.sensitivity ?? classifierSensitivity(l.classifierId),
  }));
}

export function maxSensitivity(values: Array<string | null>): string | null {
  let best: string | null = null;
  for (const v of values) {
    if (!v || SENSITIVITY_RANK[v] === undefined) continue;
    if (best === null || SENSITIVITY_RANK[v]! > SENSITIVITY_RANK[best]!) best = v;
  }
  return best;
}

/** Active allow/deny grants whose workspace and resource pattern cover the asset. */
export function grantsCovering(grants: AccessGrant[], fact: AssetFact): AccessGrant[] {
  return grants.filter(
    g =>
      g.active &&
      (g.workspace === '*' || g.workspace === fact.workspace) &&
      (g.resource === '*' || globToRegExp(g.resource).test(fact.ref)),
  );
}

/**
 * Builds the subject one rule sees: its label statuses only (never `rejected` unless the
 * rule asks), the asset's sensitivity from those labels when the catalog has none.
 */
export function buildSubject(
  fact: AssetFact,
  labels: SubjectLabel[],
  labelStatuses: ReadonlySet<string>,
  dataSource: DataSourceContext | null,
  grants: AccessGrant[],
): EvaluationSubject {
  const visible = labels.filter(l => labelStatuses.has(l.status));
  const { labels: _ignored, ...asset } = fact;
  return {
    asset: {
      ...asset,
      sensitivity: fact.sensitivity ?? maxSensitivity(visible.map(l => l.sensitivity)),
    },
    labels: visible,
    dataSource: dataSource ?? {},
    grants,
  };
}
