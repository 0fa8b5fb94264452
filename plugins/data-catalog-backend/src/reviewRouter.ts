import type { BackstageCredentials, HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import { actorOf, parseInput, type AuditService, type RouteDeclaration } from '@racine/kernel-node';
import { labelStatuses, parseAssetRef } from '@racine/plugin-data-catalog-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { LabelReviewStore } from './database/LabelReviewStore';

/**
 * Service-only routes through which the classifications plugin reviews labels
 * (`/api/data-catalog/review/...`). Users never call them: they call `/api/classifications`,
 * which authorizes them (classification.view / classification.approve), audits their
 * decisions and passes the acting user as `actor`.
 */
export const REVIEW_SUBJECTS = ['plugin:classifications'];

const assetRefString = z
  .string()
  .max(8000)
  .refine(value => {
    try {
      parseAssetRef(value);
      return true;
    } catch {
      return false;
    }
  }, 'must be a data catalog asset ref');
const classifierId = z.string().min(1).max(100);
const reason = z.string().max(1000).optional();

const queueQuery = z.object({
  status: z.enum([...labelStatuses, 'all']).default('suggested'),
  classifierId: classifierId.optional(),
  dataSourceId: z.string().min(1).max(255).optional(),
  minConfidence: z.coerce.number().min(0).max(1).optional(),
  maxConfidence: z.coerce.number().min(0).max(1).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(2000).optional(),
});

const decisionSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.enum(['approve', 'reject', 'add']),
    assetRef: assetRefString,
    classifierId,
    reason,
  }),
  z.object({
    action: z.literal('relabel'),
    assetRef: assetRefString,
    classifierId,
    newClassifierId: classifierId,
    reason,
  }),
]);
const decisionsBody = z.object({
  actor: z.string().min(1).max(255),
  decisions: z.array(decisionSchema).min(1).max(500),
});
const autoApproveBody = z.object({
  refs: z.array(assetRefString).max(5000).optional(),
  minConfidence: z.number().min(0).max(1),
});

export function createReviewRouter(options: {
  httpAuth: HttpAuthService;
  audit: AuditService;
  store: LabelReviewStore;
  /** Called with the assets whose labels decisions changed (sensitivity, label propagation). */
  onLabelsChanged?: (refs: string[]) => Promise<void>;
}): {
  router: express.Router;
  routes: RouteDeclaration[];
} {
  const { httpAuth, audit, store } = options;
  const router = Router();
  router.use('/review', express.json({ limit: '5mb' }));
  const routes: RouteDeclaration[] = [];

  /** Only the classifications plugin; a user gets 403, anyone else too (audited). */
  async function reviewer(req: express.Request): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const principal = credentials.principal as { type: string; subject?: string };
    if (principal.type !== 'service' || !REVIEW_SUBJECTS.includes(principal.subject ?? '')) {
      await audit.record({
        credentials,
        workspace: DEFAULT_WORKSPACE,
        verb: 'labels.review',
        outcome: 'denied',
        summary: `${actorOf(credentials)} may not use the label review routes (only ${REVIEW_SUBJECTS.join(', ')})`,
      });
      throw new NotAllowedError(
        `Only ${REVIEW_SUBJECTS.join(', ')} may use the label review routes`,
      );
    }
    return credentials;
  }

  const on = (
    method: 'GET' | 'POST',
    path: string,
    description: string,
    handler: (
      req: express.Request,
      res: express.Response,
      credentials: BackstageCredentials,
    ) => Promise<void>,
  ) => {
    routes.push({ method, path, audience: 'service', description });
    router[method === 'GET' ? 'get' : 'post'](path, async (req, res) =>
      handler(req, res, await reviewer(req)),
    );
  };

  on(
    'GET',
    '/review/labels',
    'Labels to review, with filters (classifications plugin only)',
    async (req, res) => {
      const query = parseInput(queueQuery, req.query, 'query');
      res.json(
        await store.queue({
          status: query.status,
          classifierId: query.classifierId,
          dataSourceId: query.dataSourceId,
          minConfidence: query.minConfidence,
          maxConfidence: query.maxConfidence,
          query: query.q?.trim() || undefined,
          limit: query.limit,
          cursor: query.cursor,
        }),
      );
    },
  );

  on(
    'GET',
    '/review/assets/:ref/labels',
    "An asset's labels and their history (classifications plugin only)",
    async (req, res) => {
      const valid = assetRefString.safeParse(req.params.ref);
      if (!valid.success)
        throw new InputError('Invalid ref: must be a data catalog asset ref, URL-encoded');
      const found = await store.assetLabels(valid.data);
      if (!found) throw new NotFoundError(`Asset ${valid.data} does not exist`);
      res.json({ assetRef: valid.data, ...found });
    },
  );

  on(
    'POST',
    '/review/decisions',
    'Apply review decisions on behalf of a user (classifications plugin only)',
    async (req, res, credentials) => {
      const body = parseInput(decisionsBody, req.body, 'body');
      const results = await store.decide(body.actor, body.decisions);
      const applied = results.filter(r => r.ok).length;
      if (applied > 0)
        await options.onLabelsChanged?.(
          body.decisions.filter((_, i) => results[i]?.ok).map(d => d.assetRef),
        );
      await audit.record({
        credentials,
        workspace: results.find(r => r.label)?.label?.workspace ?? DEFAULT_WORKSPACE,
        verb: 'labels.review',
        resource: body.decisions.length === 1 ? body.decisions[0]!.assetRef : undefined,
        summary: `Applied ${applied} of ${body.decisions.length} label decision(s) on behalf of ${body.actor}`,
        details: {
          actor: body.actor,
          decisions: body.decisions
            .slice(0, 100)
            .map(d => ({ action: d.action, assetRef: d.assetRef, classifierId: d.classifierId })),
        },
      });
      res.json({ results });
    },
  );

  on(
    'POST',
    '/review/auto-approve',
    'Approve suggested labels above a confidence (classifications plugin only)',
    async (req, res, credentials) => {
      const body = parseInput(autoApproveBody, req.body, 'body');
      const approved = await store.autoApprove({
        refs: body.refs,
        minConfidence: body.minConfidence,
        actor: actorOf(credentials),
      });
      if (approved.length > 0) {
        await options.onLabelsChanged?.(approved.map(a => a.assetRef));
        await audit.record({
          credentials,
          workspace: approved[0]!.workspace,
          verb: 'labels.autoApprove',
          summary: `Approved ${approved.length} suggested label(s) at or above confidence ${body.minConfidence}`,
        });
      }
      res.json({ approved });
    },
  );

  on(
    'GET',
    '/review/stats',
    'Label counts per classifier and status (classifications plugin only)',
    async (_req, res) => {
      res.json({ items: await store.stats() });
    },
  );

  return { router, routes };
}
