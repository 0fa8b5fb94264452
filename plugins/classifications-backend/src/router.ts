import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import { DEFAULT_WORKSPACE, type ActivityOutcome } from '@racine/kernel-common';
import {
  actorOf,
  grantedPermissionNames,
  parseInput,
  type AuditService,
  type RouteDeclaration,
} from '@racine/kernel-node';
import {
  classificationApprovePermission,
  classificationCreatePermission,
  classificationDeletePermission,
  classificationEditPermission,
  classificationTrainPermission,
  classificationViewPermission,
  classifierRef,
  createRuleRequestSchema,
  customRuleRef,
  decisionsRequestSchema,
  listClassifiersQuerySchema,
  listRulesQuerySchema,
  reviewQueueQuerySchema,
  rollbackRuleRequestSchema,
  setRuleEnabledRequestSchema,
  SETTINGS_REF,
  testRuleRequestSchema,
  updateClassifierRequestSchema,
  updateRuleRequestSchema,
  updateSettingsRequestSchema,
} from '@racine/plugin-classifications-common';
import { parseAssetRef } from '@racine/plugin-data-catalog-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { ClassifierLibrary } from './services/ClassifierLibrary';
import type { EngineConfigService } from './services/EngineConfigService';
import type { ReviewService } from './services/ReviewService';
import type { RuleService } from './services/RuleService';
import type { RuleTester } from './services/RuleTester';

export interface ClassificationsRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
  library: ClassifierLibrary;
  rules: RuleService;
  tester: RuleTester;
  engineConfig: EngineConfigService;
  review: ReviewService;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface AuditContext {
  credentials: BackstageCredentials;
  verb: string;
  resource?: string;
  workspace?: string;
}

const versionParams = z.object({ version: z.coerce.number().int().min(1) });

function assetRefParam(value: string): string {
  try {
    parseAssetRef(value);
    return value;
  } catch {
    throw new InputError(
      'Invalid ref: must be a data catalog asset ref (racine:data-catalog:<type>/<path>), URL-encoded',
    );
  }
}

/**
 * HTTP only, mounted at `/api/classifications`: authenticate, authorize (before reading any
 * input, so a caller without the permission always gets 403), parse with zod, call a service,
 * audit every mutation (denied and failed ones too). Every route is declared with what it
 * requires, for the kernel's route registry.
 */
export function createClassificationsRouter(options: ClassificationsRouterOptions): {
  router: express.Router;
  routes: RouteDeclaration[];
} {
  const { httpAuth, permissions, audit, library, rules, tester, engineConfig, review } = options;
  const router = Router();
  router.use(express.json({ limit: '5mb' }));
  const routes: RouteDeclaration[] = [];

  const on = (
    method: Method,
    path: string,
    access: { permission: Permission | Permission[]; description: string },
    handler: (
      req: express.Request,
      res: express.Response,
      credentials: BackstageCredentials,
    ) => Promise<void>,
    denial?: (req: express.Request) => Omit<AuditContext, 'credentials'> & { summary: string },
  ) => {
    routes.push({ method, path, ...access });
    const required = Array.isArray(access.permission) ? access.permission : [access.permission];
    router[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path, async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
      const granted = await grantedPermissionNames(permissions, credentials, required);
      if (!required.some(p => granted.has(p.name))) {
        const names = required.map(p => p.name).join(' or ');
        if (denial) {
          const context = denial(req);
          await record(
            { ...context, credentials },
            'denied',
            `${context.summary}: denied (missing ${names})`,
          );
        }
        throw new NotAllowedError(`Missing permission ${names}`);
      }
      await handler(req, res, credentials);
    });
  };

  const record = (
    context: AuditContext,
    outcome: ActivityOutcome,
    summary: string,
    details?: Record<string, unknown>,
  ) =>
    audit.record({
      credentials: context.credentials,
      verb: context.verb,
      resource: context.resource,
      workspace: context.workspace ?? DEFAULT_WORKSPACE,
      outcome,
      summary,
      details,
    });

  /** Runs a mutation and audits its outcome; client errors (400/404/409) are recorded as failures. */
  async function audited<T>(
    context: AuditContext,
    summary: string,
    run: () => Promise<T>,
    describe?: (
      result: T,
    ) => Partial<AuditContext> & { summary?: string; details?: Record<string, unknown> },
  ): Promise<T> {
    try {
      const result = await run();
      const extra = describe?.(result) ?? {};
      await record({ ...context, ...extra }, 'success', extra.summary ?? summary, extra.details);
      return result;
    } catch (error) {
      if (
        error instanceof InputError ||
        error instanceof ConflictError ||
        error instanceof NotFoundError
      ) {
        await record(context, 'failure', `${summary}: ${error.message}`);
      }
      throw error;
    }
  }

  const ruleId = (req: express.Request) => String(req.params.id);

  // ------------------------------------------------------------------------------------------
  // Classifier library

  on(
    'GET',
    '/classifiers',
    { permission: classificationViewPermission, description: 'The built-in classifier library' },
    async (req, res) => {
      const query = parseInput(listClassifiersQuerySchema, req.query, 'query');
      res.json(
        await library.list({
          q: query.q,
          category: query.category,
          enabled: query.enabled === undefined ? undefined : query.enabled === 'true',
        }),
      );
    },
  );

  on(
    'GET',
    '/classifiers/:id',
    {
      permission: classificationViewPermission,
      description: 'A classifier with its examples and name rules',
    },
    async (req, res) => {
      res.json(await library.get(req.params.id!));
    },
  );

  on(
    'PUT',
    '/classifiers/:id',
    {
      permission: classificationTrainPermission,
      description: 'Enable/disable a classifier, change its threshold, sensitivity or categories',
    },
    async (req, res, credentials) => {
      const id = req.params.id!;
      const context: AuditContext = {
        credentials,
        verb: 'classification.classifier.update',
        resource: classifierRef(id),
      };
      const updated = await audited(
        context,
        `Update classifier ${id}`,
        async () =>
          library.update(
            id,
            parseInput(updateClassifierRequestSchema, req.body, 'body'),
            actorOf(credentials),
          ),
        c => ({
          summary: `Updated classifier ${id}: ${c.enabled ? 'enabled' : 'disabled'}, threshold ${c.threshold}, ${c.sensitivity}, ${c.categories.join('/')}`,
          details: { changes: req.body },
        }),
      );
      res.json(updated);
    },
    req => ({
      verb: 'classification.classifier.update',
      resource: classifierRef(String(req.params.id)),
      summary: `Update classifier ${req.params.id}`,
    }),
  );

  // ------------------------------------------------------------------------------------------
  // Custom rules

  on(
    'GET',
    '/rules',
    { permission: classificationViewPermission, description: 'Custom rules' },
    async (req, res) => {
      const query = parseInput(listRulesQuerySchema, req.query, 'query');
      res.json({
        items: await rules.list({
          q: query.q,
          type: query.type,
          enabled: query.enabled === undefined ? undefined : query.enabled === 'true',
        }),
      });
    },
  );

  on(
    'POST',
    '/rules',
    { permission: classificationCreatePermission, description: 'Create a custom rule' },
    async (req, res, credentials) => {
      const name = typeof req.body?.name === 'string' ? req.body.name : '';
      const context: AuditContext = { credentials, verb: 'classification.rule.create' };
      const created = await audited(
        context,
        `Create custom rule '${name}'`,
        async () =>
          rules.create(parseInput(createRuleRequestSchema, req.body, 'rule'), actorOf(credentials)),
        rule => ({
          resource: rule.ref,
          summary: `Created ${rule.type} rule ${rule.id} ('${rule.name}')${rule.enabled ? '' : ', disabled'}`,
        }),
      );
      res.status(201).json(created);
    },
    () => ({ verb: 'classification.rule.create', summary: 'Create a custom rule' }),
  );

  // Before `/rules/:id`: rule ids are NAMESPACE.NAME, never "test".
  on(
    'POST',
    '/rules/test',
    {
      permission: [classificationCreatePermission, classificationEditPermission],
      description: 'Test a rule on pasted values or a live column',
    },
    async (req, res, credentials) => {
      const input = parseInput(testRuleRequestSchema, req.body, 'test');
      if (!input.source) {
        res.json((await tester.test(input, credentials)).result);
        return;
      }
      // Sampling a live column reads data: audited like any access to a source.
      const context: AuditContext = {
        credentials,
        verb: 'classification.rule.test',
        resource: 'assetRef' in input.source ? input.source.assetRef : undefined,
      };
      const { result } = await audited(
        context,
        'Test a rule on a live column',
        () => tester.test(input, credentials),
        ({ sample, result: r }) => ({
          workspace: sample?.workspace,
          summary: `Tested ${input.ruleId ?? `a ${input.definition?.type} rule`} on ${sample?.values.length ?? 0} sampled values of ${sample?.schema}.${sample?.table}.${sample?.column} (data source ${sample?.dataSourceId}): ${r.fired ? 'fires' : 'does not fire'} at ${r.confidence}`,
        }),
      );
      res.json(result);
    },
  );

  on(
    'GET',
    '/rules/:id',
    {
      permission: classificationViewPermission,
      description: 'A custom rule at its current version',
    },
    async (req, res) => {
      res.json(await rules.get(ruleId(req)));
    },
  );

  on(
    'PUT',
    '/rules/:id',
    {
      permission: classificationEditPermission,
      description: 'Edit a custom rule (creates a version)',
    },
    async (req, res, credentials) => {
      const id = ruleId(req);
      const context: AuditContext = {
        credentials,
        verb: 'classification.rule.update',
        resource: customRuleRef(id),
      };
      const updated = await audited(
        context,
        `Update custom rule ${id}`,
        async () =>
          rules.update(
            id,
            parseInput(updateRuleRequestSchema, req.body, 'rule'),
            actorOf(credentials),
          ),
        rule => ({ summary: `Updated custom rule ${id} to version ${rule.version}` }),
      );
      res.json(updated);
    },
    req => ({
      verb: 'classification.rule.update',
      resource: customRuleRef(ruleId(req)),
      summary: `Update custom rule ${ruleId(req)}`,
    }),
  );

  on(
    'DELETE',
    '/rules/:id',
    {
      permission: classificationDeletePermission,
      description: 'Delete a custom rule (its versions are kept)',
    },
    async (req, res, credentials) => {
      const id = ruleId(req);
      const context: AuditContext = {
        credentials,
        verb: 'classification.rule.delete',
        resource: customRuleRef(id),
      };
      await audited(
        context,
        `Delete custom rule ${id}`,
        () => rules.delete(id, actorOf(credentials)),
        rule => ({
          summary: `Deleted custom rule ${id} ('${rule.name}')`,
        }),
      );
      res.status(204).end();
    },
    req => ({
      verb: 'classification.rule.delete',
      resource: customRuleRef(ruleId(req)),
      summary: `Delete custom rule ${ruleId(req)}`,
    }),
  );

  on(
    'PUT',
    '/rules/:id/enabled',
    { permission: classificationEditPermission, description: 'Enable or disable a custom rule' },
    async (req, res, credentials) => {
      const id = ruleId(req);
      const context: AuditContext = {
        credentials,
        verb: 'classification.rule.enable',
        resource: customRuleRef(id),
      };
      const updated = await audited(
        context,
        `Enable or disable custom rule ${id}`,
        async () => {
          const { enabled } = parseInput(setRuleEnabledRequestSchema, req.body, 'body');
          return rules.setEnabled(id, enabled, actorOf(credentials));
        },
        rule => ({
          verb: rule.enabled ? 'classification.rule.enable' : 'classification.rule.disable',
          summary: `${rule.enabled ? 'Enabled' : 'Disabled'} custom rule ${id}`,
        }),
      );
      res.json(updated);
    },
    req => ({
      verb: 'classification.rule.enable',
      resource: customRuleRef(ruleId(req)),
      summary: `Enable or disable custom rule ${ruleId(req)}`,
    }),
  );

  on(
    'GET',
    '/rules/:id/versions',
    {
      permission: classificationViewPermission,
      description: 'Versions of a custom rule, newest first',
    },
    async (req, res) => {
      res.json({ items: await rules.versions(ruleId(req)) });
    },
  );

  on(
    'GET',
    '/rules/:id/versions/:version',
    { permission: classificationViewPermission, description: 'One version of a custom rule' },
    async (req, res) => {
      const { version } = parseInput(versionParams, req.params, 'path');
      res.json(await rules.version(ruleId(req), version));
    },
  );

  on(
    'POST',
    '/rules/:id/rollback',
    {
      permission: classificationEditPermission,
      description: "Make an earlier version's content current (as a new version)",
    },
    async (req, res, credentials) => {
      const id = ruleId(req);
      const context: AuditContext = {
        credentials,
        verb: 'classification.rule.rollback',
        resource: customRuleRef(id),
      };
      const updated = await audited(
        context,
        `Roll back custom rule ${id}`,
        async () => {
          const body = parseInput(rollbackRuleRequestSchema, req.body, 'body');
          return rules.rollback(id, body.version, body.note, actorOf(credentials));
        },
        rule => ({
          summary: `Rolled custom rule ${id} back to version ${req.body?.version} (now version ${rule.version})`,
        }),
      );
      res.json(updated);
    },
    req => ({
      verb: 'classification.rule.rollback',
      resource: customRuleRef(ruleId(req)),
      summary: `Roll back custom rule ${ruleId(req)}`,
    }),
  );

  // ------------------------------------------------------------------------------------------
  // Engine configuration (scans build the same engine) and settings

  on(
    'GET',
    '/engine-config',
    {
      permission: classificationViewPermission,
      description:
        'What scans need to build the configured engine (users with classification.view, and services)',
    },
    async (_req, res) => {
      res.json(await engineConfig.config());
    },
  );

  on(
    'GET',
    '/settings',
    { permission: classificationViewPermission, description: 'Review settings (auto-approval)' },
    async (_req, res) => {
      res.json(await engineConfig.reviewSettings());
    },
  );

  on(
    'PUT',
    '/settings',
    {
      permission: classificationApprovePermission,
      description: 'Set the confidence above which labels are approved automatically',
    },
    async (req, res, credentials) => {
      const context: AuditContext = {
        credentials,
        verb: 'classification.settings.update',
        resource: SETTINGS_REF,
      };
      const updated = await audited(
        context,
        'Update review settings',
        async () => {
          const body = parseInput(updateSettingsRequestSchema, req.body, 'body');
          return engineConfig.setAutoApproveConfidence(
            body.autoApproveConfidence,
            actorOf(credentials),
          );
        },
        s => ({
          summary:
            s.autoApproveConfidence === null
              ? 'Turned automatic approval of labels off'
              : `Labels at or above confidence ${s.autoApproveConfidence} are now approved automatically`,
        }),
      );
      res.json(updated);
    },
    () => ({
      verb: 'classification.settings.update',
      resource: SETTINGS_REF,
      summary: 'Update review settings',
    }),
  );

  // ------------------------------------------------------------------------------------------
  // Review

  on(
    'GET',
    '/review-queue',
    {
      permission: classificationViewPermission,
      description: 'Labels to review, filtered by status, classifier, confidence and data source',
    },
    async (req, res) => {
      res.json(await review.queue(parseInput(reviewQueueQuerySchema, req.query, 'query')));
    },
  );

  on(
    'GET',
    '/assets/:ref/labels',
    {
      permission: classificationViewPermission,
      description: "An asset's labels with evidence and their full history",
    },
    async (req, res) => {
      res.json(await review.assetLabels(assetRefParam(req.params.ref!)));
    },
  );

  on(
    'POST',
    '/decisions',
    {
      permission: classificationApprovePermission,
      description: 'Approve, reject, relabel or add labels (single or bulk), with a reason',
    },
    async (req, res, credentials) => {
      const { decisions } = parseInput(decisionsRequestSchema, req.body, 'body');
      const actor = actorOf(credentials);
      const outcome = await review.decide(decisions, actor);
      const verbs = {
        approve: 'approve',
        reject: 'reject',
        relabel: 'relabel',
        add: 'add',
      } as const;
      const past = {
        approve: 'Approved',
        reject: 'Rejected',
        relabel: 'Relabelled',
        add: 'Added',
      } as const;
      for (const [i, result] of outcome.results.entries()) {
        const request = decisions[i]!;
        const label = result.label;
        await record(
          {
            credentials,
            verb: `classification.label.${verbs[request.action]}`,
            resource: request.assetRef,
            workspace: label?.workspace,
          },
          result.ok ? 'success' : 'failure',
          result.ok
            ? `${past[request.action]} label ${request.classifierId}${request.action === 'relabel' ? ` as ${request.newClassifierId}` : ''} on ${label?.qualifiedName ?? request.assetRef}${request.reason ? `: ${request.reason}` : ''}`
            : `${past[request.action]} label ${request.classifierId} on ${request.assetRef}: failed (${result.error})`,
          {
            classifierId: request.classifierId,
            ...(request.action === 'relabel' ? { newClassifierId: request.newClassifierId } : {}),
            ...(request.reason ? { reason: request.reason } : {}),
          },
        );
      }
      const results = outcome.results.map(({ label: _label, ...rest }) => rest);
      res.json({ results, applied: outcome.applied, failed: outcome.failed });
    },
    () => ({ verb: 'classification.label.decide', summary: 'Decide on classification labels' }),
  );

  on(
    'GET',
    '/accuracy',
    {
      permission: classificationViewPermission,
      description: "Per-classifier precision from stewards' decisions",
    },
    async (_req, res) => {
      res.json(await review.accuracy());
    },
  );

  return { router, routes };
}
