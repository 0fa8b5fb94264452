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
  type TaskQueue,
} from '@racine/kernel-node';
import {
  auditTrailQuerySchema,
  bulkFindingsRequestSchema,
  complianceApprovePermission,
  complianceEditPermission,
  complianceEvaluatePermission,
  complianceViewPermission,
  evaluationRequestSchema,
  frameworkInputSchema,
  listFindingsQuerySchema,
  listWaiversQuerySchema,
  notificationsQuerySchema,
  reportQuerySchema,
  ruleInputSchema,
  ruleTestRequestSchema,
  ruleUpdateSchema,
  scoreHistoryQuerySchema,
  waiverDecisionSchema,
  waiverRequestSchema,
  type ComplianceRule,
  type FrameworkSummary,
} from '@racine/plugin-compliance-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { ComplianceStore } from './database/ComplianceStore';
import type { EvaluationService } from './services/EvaluationService';
import type { FindingService } from './services/FindingService';
import type { FrameworkCatalog } from './services/FrameworkCatalog';
import type { ReportService } from './services/ReportService';
import type { ScoreService } from './services/ScoreService';

export const EVALUATE_TASK = 'compliance.evaluate';

export interface ComplianceRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
  store: ComplianceStore;
  frameworks: FrameworkCatalog;
  evaluations: EvaluationService;
  findings: FindingService;
  scores: ScoreService;
  reports: ReportService;
  queue: Pick<TaskQueue, 'enqueue'>;
  now?: () => Date;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const ruleRef = (id: string) => `racine:compliance:rule/${id}`;
const frameworkRef = (id: string) => `racine:compliance:framework/${id}`;
const findingRef = (id: string) => `racine:compliance:finding/${id}`;
const waiverRef = (id: string) => `racine:compliance:waiver/${id}`;
const idParam = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,63}$/, 'must be an id');
const numericId = z.string().regex(/^\d{1,12}$/, 'must be a numeric id');

function param<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InputError(`Invalid ${what}`);
  return parsed.data;
}

/**
 * HTTP only, mounted at `/api/compliance`: authenticate, authorize before reading any input
 * (so callers without the permission always get 403), parse with zod, call a service, audit
 * every mutation. Every route is declared for the kernel's route registry.
 */
export function createComplianceRouter(options: ComplianceRouterOptions): {
  router: express.Router;
  routes: RouteDeclaration[];
} {
  const {
    httpAuth,
    permissions,
    audit,
    store,
    frameworks,
    evaluations,
    findings,
    scores,
    reports,
    queue,
  } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const router = Router();
  router.use(express.json({ limit: '2mb' }));
  const routes: RouteDeclaration[] = [];

  const record = (
    credentials: BackstageCredentials,
    verb: string,
    outcome: ActivityOutcome,
    summary: string,
    resource?: string,
    details?: Record<string, unknown>,
  ) =>
    audit.record({
      credentials,
      verb,
      outcome,
      summary,
      resource,
      workspace: DEFAULT_WORKSPACE,
      details,
    });

  const on = (
    method: Method,
    path: string,
    access: { permission: Permission; description: string; verb?: string },
    handler: (
      req: express.Request,
      res: express.Response,
      credentials: BackstageCredentials,
    ) => Promise<void>,
  ) => {
    routes.push({ method, path, permission: access.permission, description: access.description });
    router[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path, async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user', 'service'] });
      const granted = await grantedPermissionNames(permissions, credentials, [access.permission]);
      if (!granted.has(access.permission.name)) {
        if (access.verb)
          await record(
            credentials,
            access.verb,
            'denied',
            `${access.description}: denied (missing ${access.permission.name})`,
          );
        throw new NotAllowedError(`Missing permission ${access.permission.name}`);
      }
      if (!access.verb) {
        await handler(req, res, credentials);
        return;
      }
      try {
        await handler(req, res, credentials);
      } catch (error) {
        if (
          error instanceof InputError ||
          error instanceof ConflictError ||
          error instanceof NotFoundError
        )
          await record(
            credentials,
            access.verb,
            'failure',
            `${access.description}: ${error.message}`,
          );
        throw error;
      }
    });
  };

  // Frameworks

  on(
    'GET',
    '/frameworks',
    { permission: complianceViewPermission, description: 'Frameworks with their current scores' },
    async (_req, res) => {
      const open = await store.openFindingsByRule();
      const counts = await scores.counts();
      const items: FrameworkSummary[] = [];
      for (const f of await frameworks.list()) {
        const ruleIds = new Set(f.requirements.flatMap(r => r.ruleIds));
        const s = await scores.scores(f.id, counts);
        items.push({
          id: f.id,
          name: f.name,
          version: f.version,
          description: f.description,
          builtin: f.builtin,
          requirementCount: f.requirements.length,
          ruleCount: ruleIds.size,
          score: s.score,
          openFindings: [...ruleIds].reduce((n, id) => n + (open.get(id) ?? 0), 0),
        });
      }
      res.json({ items });
    },
  );

  on(
    'GET',
    '/frameworks/:id',
    {
      permission: complianceViewPermission,
      description: 'A framework with its requirements, rules and scores',
    },
    async (req, res) => {
      const framework = await frameworks.get(param(idParam, req.params.id, 'framework id'));
      const rules = await store.listRules();
      const used = new Set(framework.requirements.flatMap(r => r.ruleIds));
      res.json({
        ...framework,
        rules: rules.filter(r => used.has(r.id)),
        scores: await scores.scores(framework.id),
      });
    },
  );

  on(
    'POST',
    '/frameworks',
    {
      permission: complianceEditPermission,
      description: 'Create a custom framework',
      verb: 'compliance.framework.create',
    },
    async (req, res, credentials) => {
      const body = parseInput(frameworkInputSchema, req.body, 'framework');
      const created = await frameworks.create(body, actorOf(credentials), now());
      await record(
        credentials,
        'compliance.framework.create',
        'success',
        `Created framework ${created.name} ${created.version}`,
        frameworkRef(created.id),
      );
      res.status(201).json(created);
    },
  );

  on(
    'DELETE',
    '/frameworks/:id',
    {
      permission: complianceEditPermission,
      description: 'Delete a custom framework',
      verb: 'compliance.framework.delete',
    },
    async (req, res, credentials) => {
      const id = param(idParam, req.params.id, 'framework id');
      await frameworks.delete(id);
      await record(
        credentials,
        'compliance.framework.delete',
        'success',
        `Deleted framework ${id}`,
        frameworkRef(id),
      );
      res.status(204).end();
    },
  );

  // Rules

  on(
    'GET',
    '/rules',
    { permission: complianceViewPermission, description: 'Compliance rules' },
    async (_req, res) => {
      res.json({ items: await store.listRules() });
    },
  );

  on(
    'GET',
    '/rules/:id',
    { permission: complianceViewPermission, description: 'A compliance rule' },
    async (req, res) => {
      const rule = await store.getRule(param(idParam, req.params.id, 'rule id'));
      if (!rule) throw new NotFoundError(`Rule ${req.params.id} does not exist`);
      res.json(rule);
    },
  );

  on(
    'POST',
    '/rules',
    {
      permission: complianceEditPermission,
      description: 'Create a custom rule',
      verb: 'compliance.rule.create',
    },
    async (req, res, credentials) => {
      const body = parseInput(ruleInputSchema, req.body, 'rule');
      const rule = await store.createRule(body, actorOf(credentials), now());
      await record(
        credentials,
        'compliance.rule.create',
        'success',
        `Created rule ${rule.id} (${rule.name})`,
        ruleRef(rule.id),
        { scope: rule.scope, assert: rule.assert },
      );
      res.status(201).json(rule);
    },
  );

  on(
    'PUT',
    '/rules/:id',
    {
      permission: complianceEditPermission,
      description: 'Change a rule (built-in rules: enable or disable only)',
      verb: 'compliance.rule.update',
    },
    async (req, res, credentials) => {
      const id = param(idParam, req.params.id, 'rule id');
      const patch = parseInput(ruleUpdateSchema, req.body, 'rule');
      const existing = await store.getRule(id);
      if (!existing) throw new NotFoundError(`Rule ${id} does not exist`);
      if (existing.builtin && Object.keys(patch).some(k => k !== 'enabled'))
        throw new ConflictError(
          `Rule ${id} is built in: only 'enabled' can change; create a custom rule to change its definition`,
        );
      const merged = ruleInputSchema.parse({ ...toInput(existing), ...patch, id });
      const rule = await store.updateRule(id, merged, actorOf(credentials), now());
      await record(
        credentials,
        'compliance.rule.update',
        'success',
        `Updated rule ${id} to version ${rule.version}`,
        ruleRef(id),
        { changed: Object.keys(patch) },
      );
      res.json(rule);
    },
  );

  on(
    'DELETE',
    '/rules/:id',
    {
      permission: complianceEditPermission,
      description: 'Delete a custom rule',
      verb: 'compliance.rule.delete',
    },
    async (req, res, credentials) => {
      const id = param(idParam, req.params.id, 'rule id');
      const existing = await store.getRule(id);
      if (!existing) throw new NotFoundError(`Rule ${id} does not exist`);
      if (existing.builtin) throw new ConflictError(`Rule ${id} is built in: disable it instead`);
      await store.deleteRule(id);
      await record(
        credentials,
        'compliance.rule.delete',
        'success',
        `Deleted rule ${id}`,
        ruleRef(id),
      );
      res.status(204).end();
    },
  );

  on(
    'POST',
    '/rules/test',
    {
      permission: complianceEditPermission,
      description: 'Test a rule against the catalog (nothing is stored)',
    },
    async (req, res) => {
      const body = parseInput(ruleTestRequestSchema, req.body, 'rule test');
      const rule: ComplianceRule = {
        ...body.rule,
        id: body.rule.id ?? 'preview',
        name: body.rule.name ?? 'Preview',
        builtin: false,
        version: 0,
        updatedAt: now(),
        updatedBy: '',
      };
      res.json(
        await evaluations.test(rule, { maxAssets: body.maxAssets, sampleSize: body.sampleSize }),
      );
    },
  );

  // Findings

  on(
    'GET',
    '/findings',
    { permission: complianceViewPermission, description: 'Findings, filtered, newest first' },
    async (req, res, credentials) => {
      const query = parseInput(listFindingsQuerySchema, req.query, 'query');
      // `owner=me`: the caller's remediation tasks.
      if (query.owner === 'me') query.owner = actorOf(credentials);
      res.json(await findings.list(query));
    },
  );

  on(
    'GET',
    '/findings/:id',
    { permission: complianceViewPermission, description: 'A finding with its history and waivers' },
    async (req, res) => {
      res.json(await findings.get(param(numericId, req.params.id, 'finding id')));
    },
  );

  on(
    'POST',
    '/findings/bulk',
    {
      permission: complianceEditPermission,
      description: 'Acknowledge or re-open findings',
      verb: 'compliance.finding.update',
    },
    async (req, res, credentials) => {
      const body = parseInput(bulkFindingsRequestSchema, req.body, 'request');
      const changed =
        body.action === 'acknowledge'
          ? await store.transition(
              body.ids,
              'acknowledged',
              ['open'],
              actorOf(credentials),
              body.note ?? null,
              now(),
            )
          : await store.transition(
              body.ids,
              'open',
              ['acknowledged'],
              actorOf(credentials),
              body.note ?? null,
              now(),
            );
      await record(
        credentials,
        'compliance.finding.update',
        'success',
        `${body.action === 'acknowledge' ? 'Acknowledged' : 'Re-opened'} ${changed.length} of ${body.ids.length} finding(s)`,
        body.ids.length === 1 ? findingRef(body.ids[0]!) : undefined,
        { ids: body.ids.slice(0, 100), note: body.note },
      );
      res.json({ changed: changed.length, items: await findings.present(changed) });
    },
  );

  // Waivers

  on(
    'GET',
    '/waivers',
    { permission: complianceViewPermission, description: 'Waivers, filtered by status' },
    async (req, res) => {
      const query = parseInput(listWaiversQuerySchema, req.query, 'query');
      res.json({ items: await store.listWaivers(query) });
    },
  );

  on(
    'POST',
    '/waivers',
    {
      permission: complianceEditPermission,
      description: 'Request waivers for findings',
      verb: 'compliance.waiver.request',
    },
    async (req, res, credentials) => {
      const body = parseInput(waiverRequestSchema, req.body, 'waiver');
      if (body.expiresAt <= now())
        throw new InputError('Invalid waiver: expiresAt must be in the future');
      const created = await store.requestWaivers(
        body.findingIds,
        body.reason,
        new Date(body.expiresAt).toISOString(),
        actorOf(credentials),
        now(),
      );
      await record(
        credentials,
        'compliance.waiver.request',
        'success',
        `Requested ${created.length} waiver(s) until ${body.expiresAt}: ${body.reason.slice(0, 200)}`,
        created.length === 1 ? waiverRef(created[0]!.id) : undefined,
        { findingIds: body.findingIds.slice(0, 100) },
      );
      res.status(201).json({ items: created });
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    on(
      'POST',
      `/waivers/:id/${decision}`,
      {
        permission: complianceApprovePermission,
        description: `${decision === 'approve' ? 'Approve' : 'Reject'} a waiver`,
        verb: `compliance.waiver.${decision}`,
      },
      async (req, res, credentials) => {
        const id = param(z.uuid(), req.params.id, 'waiver id');
        const body = parseInput(waiverDecisionSchema, req.body ?? {}, 'decision');
        const waiver = await store.decideWaiver(
          id,
          decision === 'approve',
          actorOf(credentials),
          body.note ?? null,
          now(),
        );
        await record(
          credentials,
          `compliance.waiver.${decision}`,
          'success',
          `${decision === 'approve' ? 'Approved' : 'Rejected'} waiver ${id} of finding ${waiver.findingId}`,
          waiverRef(id),
        );
        res.json(waiver);
      },
    );
  }

  // Evaluations

  on(
    'POST',
    '/evaluations',
    {
      permission: complianceEvaluatePermission,
      description: 'Start a full evaluation (all rules, or one framework)',
      verb: 'compliance.evaluate',
    },
    async (req, res, credentials) => {
      const body = parseInput(evaluationRequestSchema, req.body ?? {}, 'evaluation');
      const evaluation = await evaluations.request({
        trigger: 'manual',
        frameworkId: body.framework,
        requestedBy: actorOf(credentials),
      });
      await queue.enqueue(EVALUATE_TASK, { evaluationId: evaluation.id }, { maxAttempts: 1 });
      await record(
        credentials,
        'compliance.evaluate',
        'success',
        `Started a compliance evaluation${body.framework ? ` of ${body.framework}` : ''}`,
        `racine:compliance:evaluation/${evaluation.id}`,
      );
      res.status(202).json(evaluation);
    },
  );

  on(
    'GET',
    '/evaluations',
    { permission: complianceViewPermission, description: 'Recent evaluations' },
    async (req, res) => {
      const { limit } = parseInput(
        z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) }),
        req.query,
        'query',
      );
      res.json({ items: await store.listEvaluations(limit) });
    },
  );

  on(
    'GET',
    '/evaluations/:id',
    { permission: complianceViewPermission, description: 'One evaluation' },
    async (req, res) => {
      const found = await store.getEvaluation(param(z.uuid(), req.params.id, 'evaluation id'));
      if (!found) throw new NotFoundError(`Evaluation ${req.params.id} does not exist`);
      res.json(found);
    },
  );

  // Scores and reports

  on(
    'GET',
    '/scores',
    {
      permission: complianceViewPermission,
      description: 'Scores of a framework per requirement, data source and workspace',
    },
    async (req, res) => {
      const { framework } = parseInput(z.object({ framework: idParam }), req.query, 'query');
      res.json(await scores.scores(framework));
    },
  );

  on(
    'GET',
    '/scores/history',
    { permission: complianceViewPermission, description: 'Score snapshots over time' },
    async (req, res) => {
      const query = parseInput(scoreHistoryQuerySchema, req.query, 'query');
      res.json({
        items: await scores.history({
          frameworkId: query.framework,
          kind: query.scope,
          id: query.id,
          since: query.since,
          limit: query.limit,
        }),
      });
    },
  );

  on(
    'GET',
    '/reports/:framework',
    {
      permission: complianceViewPermission,
      description: 'A framework report (CSV or PDF) as of a date',
    },
    async (req, res) => {
      const frameworkId = param(idParam, req.params.framework, 'framework id');
      const query = parseInput(reportQuerySchema, req.query, 'query');
      const asOf = query.asOf ? new Date(query.asOf).toISOString() : now();
      const report = await reports.build(frameworkId, asOf);
      const name = `${frameworkId}-compliance-${asOf.slice(0, 10)}`;
      if (query.format === 'pdf') {
        const pdf = await reports.toPdf(report);
        res.setHeader('Content-Type', 'application/pdf');
        res.setHeader('Content-Disposition', `attachment; filename="${name}.pdf"`);
        res.send(pdf);
        return;
      }
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      res.send(reports.toCsv(report));
    },
  );

  on(
    'GET',
    '/audit-trail',
    {
      permission: complianceViewPermission,
      description: 'Export of finding transitions and waiver decisions',
    },
    async (req, res) => {
      const query = parseInput(auditTrailQuerySchema, req.query, 'query');
      const rows = await reports.auditTrail({ since: query.since, until: query.until });
      if (query.format === 'json') {
        res.json({ items: rows });
        return;
      }
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="compliance-audit-trail.csv"');
      res.send(reports.auditTrailCsv(rows));
    },
  );

  // In-app notifications: any signed-in caller, about their own remediation tasks.

  const signedIn = (
    method: 'GET' | 'POST',
    path: string,
    description: string,
    handler: (
      req: express.Request,
      res: express.Response,
      me: string,
      credentials: BackstageCredentials,
    ) => Promise<void>,
  ) => {
    routes.push({ method, path, audience: 'signed-in', description });
    router[method === 'GET' ? 'get' : 'post'](path, async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      await handler(req, res, credentials.principal.userEntityRef, credentials);
    });
  };

  signedIn('GET', '/notifications', 'My remediation notifications', async (req, res, me) => {
    const query = parseInput(notificationsQuerySchema, req.query, 'query');
    res.json(
      await store.listNotifications(me, {
        unreadOnly: query.unread === 'true',
        limit: query.limit,
      }),
    );
  });

  signedIn(
    'POST',
    '/notifications/:id/read',
    'Mark one of my notifications read',
    async (req, res, me, credentials) => {
      const id = param(z.uuid(), req.params.id, 'notification id');
      if (!(await store.markNotificationRead(me, id, now())))
        throw new NotFoundError(`Notification ${id} does not exist`);
      await record(
        credentials,
        'compliance.notification.read',
        'success',
        `Read notification ${id}`,
      );
      res.status(204).end();
    },
  );

  return { router, routes };
}

function toInput(rule: ComplianceRule) {
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    subject: rule.subject,
    scope: rule.scope,
    assert: rule.assert,
    labelStatuses: rule.labelStatuses,
    slaDays: rule.slaDays,
    remediation: rule.remediation,
    enabled: rule.enabled,
  };
}
