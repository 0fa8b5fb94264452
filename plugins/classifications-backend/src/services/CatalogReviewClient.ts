import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  labelDecisions,
  labelEvents,
  labelStatuses,
  type AssetLabelsResponse,
  type LabelDecisionRequest,
  type ReviewLabel,
  type ReviewQueueQuery,
  type ReviewQueueResponse,
} from '@racine/plugin-classifications-common';
import { z } from 'zod';

/**
 * Labels live in the data catalog; reviewing them goes through the catalog's service-only
 * routes for this plugin (`/api/data-catalog/review/...`), called with this plugin's own
 * service token. Users never call those routes: they call `/api/classifications`, which
 * authorizes them (classification.view / classification.approve) and audits their decisions.
 */
export interface CatalogReview {
  queue(query: ReviewQueueQuery): Promise<ReviewQueueResponse>;
  assetLabels(assetRef: string): Promise<AssetLabelsResponse>;
  decide(actor: string, decisions: LabelDecisionRequest[]): Promise<CatalogDecisionResult[]>;
  autoApprove(input: { refs?: string[]; minConfidence: number }): Promise<ReviewLabel[]>;
  stats(): Promise<ClassifierLabelCounts[]>;
}

export interface ClassifierLabelCounts {
  classifierId: string;
  suggested: number;
  approved: number;
  autoApproved: number;
  rejected: number;
  manual: number;
}

const reviewLabelSchema = z.object({
  id: z.string(),
  assetRef: z.string(),
  assetType: z.string(),
  assetName: z.string(),
  qualifiedName: z.string(),
  dataType: z.string().nullable(),
  dataSourceId: z.string(),
  workspace: z.string(),
  classifierId: z.string(),
  confidence: z.number(),
  status: z.enum(labelStatuses),
  evidence: z.object({
    signals: z.array(
      z.object({ kind: z.string(), description: z.string(), weight: z.number().optional() }),
    ),
    maskedExamples: z.array(z.string()),
    matchRatio: z.number().optional(),
    sampleSize: z.number().optional(),
  }),
  runId: z.string().nullable(),
  decision: z.enum(labelDecisions).nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const historyEntrySchema = z.object({
  id: z.string(),
  assetRef: z.string(),
  classifierId: z.string(),
  event: z.enum(labelEvents),
  fromStatus: z.enum(labelStatuses).nullable(),
  toStatus: z.enum(labelStatuses),
  confidence: z.number().nullable(),
  actor: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: z.string(),
});

const queueSchema = z.object({
  items: z.array(reviewLabelSchema),
  nextCursor: z.string().nullable(),
});
const assetLabelsSchema = z.object({
  assetRef: z.string(),
  labels: z.array(reviewLabelSchema),
  history: z.array(historyEntrySchema),
});

const decisionResultSchema = z.object({
  assetRef: z.string(),
  classifierId: z.string(),
  action: z.enum(['approve', 'reject', 'relabel', 'add']),
  ok: z.boolean(),
  status: z.enum(labelStatuses).optional(),
  newClassifierId: z.string().optional(),
  error: z.string().optional(),
  /** The label after the decision (the new one, for a relabel). */
  label: reviewLabelSchema.optional(),
});
export type CatalogDecisionResult = z.infer<typeof decisionResultSchema>;

const decisionsSchema = z.object({ results: z.array(decisionResultSchema) });
const autoApproveSchema = z.object({ approved: z.array(reviewLabelSchema) });
const statsSchema = z.object({
  items: z.array(
    z.object({
      classifierId: z.string(),
      suggested: z.number(),
      approved: z.number(),
      autoApproved: z.number(),
      rejected: z.number(),
      manual: z.number(),
    }),
  ),
});

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    return body.error?.message ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

export class HttpCatalogReview implements CatalogReview {
  constructor(private readonly deps: { auth: AuthService; discovery: DiscoveryService }) {}

  private async request<T>(
    schema: z.ZodType<T>,
    path: string,
    init: { method?: string; json?: unknown } = {},
  ): Promise<T> {
    const [baseUrl, { token }] = await Promise.all([
      this.deps.discovery.getBaseUrl('data-catalog'),
      this.deps.auth.getPluginRequestToken({
        onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
        targetPluginId: 'data-catalog',
      }),
    ]);
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/review${path}`, {
        method: init.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${token}`,
          ...(init.json === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
    } catch (error) {
      throw new ServiceUnavailableError(`The data catalog cannot be reached: ${String(error)}`);
    }
    if (!response.ok) {
      const message = await errorMessage(response);
      if (response.status === 404) throw new NotFoundError(message);
      if (response.status === 400) throw new InputError(message);
      throw new ServiceUnavailableError(`The data catalog answered ${response.status}: ${message}`);
    }
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success)
      throw new ServiceUnavailableError(
        `The data catalog answered ${path} with an unexpected body`,
      );
    return parsed.data;
  }

  async queue(query: ReviewQueueQuery): Promise<ReviewQueueResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    return this.request(queueSchema, `/labels?${params}`);
  }

  async assetLabels(assetRef: string): Promise<AssetLabelsResponse> {
    return this.request(assetLabelsSchema, `/assets/${encodeURIComponent(assetRef)}/labels`);
  }

  async decide(actor: string, decisions: LabelDecisionRequest[]): Promise<CatalogDecisionResult[]> {
    return (
      await this.request(decisionsSchema, '/decisions', {
        method: 'POST',
        json: { actor, decisions },
      })
    ).results;
  }

  async autoApprove(input: { refs?: string[]; minConfidence: number }): Promise<ReviewLabel[]> {
    return (await this.request(autoApproveSchema, '/auto-approve', { method: 'POST', json: input }))
      .approved;
  }

  async stats(): Promise<ClassifierLabelCounts[]> {
    return (await this.request(statsSchema, '/stats')).items;
  }
}
