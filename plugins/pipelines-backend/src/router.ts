import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import { DEFAULT_WORKSPACE, WORKSPACE_HEADER, type ActivityOutcome } from '@racine/kernel-common';
import {
  actorOf,
  isGranted,
  parseInput,
  type AuditService,
  type RouteDeclaration,
} from '@racine/kernel-node';
import {
  jobRef,
  pipelinesApprovePermission,
  pipelinesCreatePermission,
  pipelinesDeletePermission,
  pipelinesEditPermission,
  pipelinesRunPermission,
  pipelinesViewPermission,
  repairRequestSchema,
  runJobRequestSchema,
  runRef,
  runStatuses,
  templateRef,
  templateVisibilities,
} from '@racine/plugin-pipelines-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { RunStore } from './database/RunStore';
import type { RunEngine } from './engine/RunEngine';
import type { JobService } from './services/JobService';
import type { NotificationStore } from './services/NotificationService';
import type { StepCatalog } from './services/StepCatalog';
import type { TemplateService } from './services/TemplateService';
import { toApprovalView, toLogView, toRunSummary, toVersionView } from './services/views';

export interface PipelinesRouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  audit: AuditService;
  logger: LoggerService;
  jobs: JobService;
  templates: TemplateService;
  engine: RunEngine;
  runs: RunStore;
  catalog: StepCatalog;
  notifications: NotificationStore;
  /** How often a live stream looks for changes made by other processes. */
  streamPollMs?: number;
}

const listJobsQuery = z.object({
  workspace: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  tag: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

const listRunsQuery = z.object({
  jobId: z.string().max(64).optional(),
  workspace: z.string().max(64).optional(),
  status: z.enum(runStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const logsQuery = z.object({
  after: z.coerce.number().int().min(0).optional(),
  taskKey: z.string().max(220).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  follow: z.enum(['true', 'false']).optional(),
});

const versionParam = z.coerce.number().int().min(1);
const diffQuery = z.object({ from: versionParam, to: versionParam });
const rollbackBody = z.object({ version: versionParam });
const approvalBody = z.object({
  decision: z.enum(['approve', 'deny']),
  comment: z.string().max(4000).optional(),
});
const exportQuery = z.object({ format: z.enum(['yaml', 'json']).default('yaml') });
const importBody = z.object({
  content: z.string().min(1).max(2_000_000),
  visibility: z.enum(templateVisibilities).optional(),
  workspace: z.string().min(1).max(64).optional(),
});

const view = pipelinesViewPermission;
/** Every route of `/api/pipelines` and what it requires (the kernel route registry). */
export const pipelinesRoutes: RouteDeclaration[] = [
  { method: 'GET', path: '/steps', permission: view },
  { method: 'GET', path: '/jobs', permission: view },
  { method: 'POST', path: '/jobs', permission: pipelinesCreatePermission },
  { method: 'GET', path: '/jobs/:id', permission: view },
  { method: 'PUT', path: '/jobs/:id', permission: pipelinesEditPermission },
  { method: 'DELETE', path: '/jobs/:id', permission: pipelinesDeletePermission },
  { method: 'GET', path: '/jobs/:id/versions', permission: view },
  { method: 'GET', path: '/jobs/:id/versions/:version', permission: view },
  { method: 'GET', path: '/jobs/:id/diff', permission: view },
  { method: 'POST', path: '/jobs/:id/rollback', permission: pipelinesEditPermission },
  { method: 'POST', path: '/jobs/:id/run', permission: pipelinesRunPermission },
  { method: 'GET', path: '/jobs/:id/runs', permission: view },
  { method: 'GET', path: '/runs', permission: view },
  { method: 'GET', path: '/runs/:id', permission: view },
  { method: 'POST', path: '/runs/:id/cancel', permission: pipelinesRunPermission },
  { method: 'POST', path: '/runs/:id/repair', permission: pipelinesRunPermission },
  {
    method: 'GET',
    path: '/runs/:id/logs',
    permission: view,
    description: 'JSON, or SSE when streamed',
  },
  { method: 'GET', path: '/runs/:id/events', permission: view, description: 'SSE live run view' },
  { method: 'GET', path: '/approvals', permission: view },
  {
    method: 'POST',
    path: '/runs/:id/tasks/:taskKey/approval',
    permission: pipelinesApprovePermission,
  },
  {
    method: 'GET',
    path: '/notifications',
    audience: 'signed-in',
    description: "The caller's own notifications",
  },
  {
    method: 'POST',
    path: '/notifications/:id/read',
    audience: 'signed-in',
    description: "One of the caller's notifications",
  },
  { method: 'GET', path: '/templates', permission: view },
  { method: 'POST', path: '/templates/import', permission: pipelinesCreatePermission },
  { method: 'POST', path: '/templates', permission: pipelinesCreatePermission },
  { method: 'GET', path: '/templates/:id', permission: view },
  { method: 'PUT', path: '/templates/:id', permission: pipelinesEditPermission },
  { method: 'DELETE', path: '/templates/:id', permission: pipelinesDeletePermission },
  { method: 'GET', path: '/templates/:id/export', permission: view },
  { method: 'POST', path: '/templates/:id/instantiate', permission: pipelinesCreatePermission },
];

function encodeCursor(createdAt: number, id: string) {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}
function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [
      number,
      string,
    ];
    if (typeof createdAt !== 'number' || typeof id !== 'string') throw new Error();
    return { createdAt, id };
  } catch {
    throw new InputError('Invalid query: cursor: not a cursor this API returned');
  }
}

interface AuditContext {
  credentials: BackstageCredentials;
  verb: string;
  resource?: string;
  workspace?: string;
}

/**
 * HTTP only: parse with zod, authorize, call the services, audit every mutation (denied and
 * failed ones too). Mounted at `/api/pipelines`; described in openapi.yaml.
 */
export function createPipelinesRouter(options: PipelinesRouterOptions): express.Router {
  const { httpAuth, permissions, audit, jobs, templates, engine, runs, catalog, notifications } =
    options;
  const streamPollMs = options.streamPollMs ?? 1000;
  const router = Router();
  router.use(express.json({ limit: '4mb' }));
  router.use(
    express.text({
      type: ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'],
      limit: '2mb',
    }),
  );

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const workspaceOf = (req: express.Request) => req.header(WORKSPACE_HEADER) || DEFAULT_WORKSPACE;

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

  async function authorize(
    credentials: BackstageCredentials,
    permission: Permission,
    denial?: AuditContext & { summary: string },
  ) {
    if (await isGranted(permissions, credentials, permission)) return;
    if (denial)
      await record(denial, 'denied', `${denial.summary}: denied (missing ${permission.name})`);
    throw new NotAllowedError(`Missing permission ${permission.name}`);
  }

  /** Runs a mutation and audits its outcome; client errors are recorded as failures. */
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
        error instanceof NotFoundError ||
        error instanceof NotAllowedError
      ) {
        await record(context, 'failure', `${summary}: ${error.message}`.slice(0, 2000));
      }
      throw error;
    }
  }

  // --- steps -----------------------------------------------------------------------------

  router.get('/steps', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    res.json({ steps: catalog.list() });
  });

  // --- jobs ------------------------------------------------------------------------------

  router.get('/jobs', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    const query = parseInput(listJobsQuery, req.query, 'query');
    res.json(await jobs.list(query));
  });

  router.post('/jobs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const workspace =
      (typeof req.body?.workspace === 'string' && req.body.workspace) || workspaceOf(req);
    const context: AuditContext = { credentials, verb: 'pipelines.job.create', workspace };
    const name = typeof req.body?.name === 'string' ? req.body.name : '';
    await authorize(credentials, pipelinesCreatePermission, {
      ...context,
      summary: `Create job '${name}'`,
    });
    const job = await audited(
      context,
      `Create job '${name}'`,
      () =>
        jobs.create(req.body, { workspace, by: actorOf(credentials), note: req.body?.versionNote }),
      created => ({
        resource: created.ref,
        summary: `Created job '${created.name}' (${created.tasks.length} task(s))`,
      }),
    );
    res.status(201).json(job);
  });

  router.get('/jobs/:id', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    res.json(await jobs.get(req.params.id));
  });

  router.put('/jobs/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const existing = await jobs.find(req.params.id);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.job.update',
      resource: jobRef(req.params.id),
      workspace: existing?.workspace,
    };
    const label = existing ? `job '${existing.name}'` : `job ${req.params.id}`;
    await authorize(credentials, pipelinesEditPermission, { ...context, summary: `Edit ${label}` });
    const job = await audited(
      context,
      `Edit ${label}`,
      () =>
        jobs.update(req.params.id, req.body, {
          by: actorOf(credentials),
          note: req.body?.versionNote,
        }),
      updated => ({ summary: `Saved version ${updated.version} of job '${updated.name}'` }),
    );
    res.json(job);
  });

  router.delete('/jobs/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const existing = await jobs.find(req.params.id);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.job.delete',
      resource: jobRef(req.params.id),
      workspace: existing?.workspace,
    };
    const label = existing ? `job '${existing.name}'` : `job ${req.params.id}`;
    await authorize(credentials, pipelinesDeletePermission, {
      ...context,
      summary: `Delete ${label}`,
    });
    await audited(
      context,
      `Delete ${label}`,
      () => jobs.delete(req.params.id),
      deleted => ({ summary: `Deleted job '${deleted.name}' and its runs` }),
    );
    res.status(204).end();
  });

  router.get('/jobs/:id/versions', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    res.json({ items: (await jobs.versions(req.params.id)).map(toVersionView) });
  });

  router.get('/jobs/:id/versions/:version', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    const version = parseInput(versionParam, req.params.version, 'version');
    res.json(toVersionView(await jobs.version(req.params.id, version)));
  });

  router.get('/jobs/:id/diff', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    const { from, to } = parseInput(diffQuery, req.query, 'query');
    res.json(await jobs.diff(req.params.id, from, to));
  });

  router.post('/jobs/:id/rollback', async (req, res) => {
    const credentials = await credentialsOf(req);
    const existing = await jobs.find(req.params.id);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.job.rollback',
      resource: jobRef(req.params.id),
      workspace: existing?.workspace,
    };
    const label = existing ? `job '${existing.name}'` : `job ${req.params.id}`;
    await authorize(credentials, pipelinesEditPermission, {
      ...context,
      summary: `Roll back ${label}`,
    });
    const job = await audited(
      context,
      `Roll back ${label}`,
      async () => {
        const { version } = parseInput(rollbackBody, req.body, 'body');
        return jobs.rollback(req.params.id, version, actorOf(credentials));
      },
      updated => ({
        summary: `Rolled back job '${updated.name}' (now version ${updated.version})`,
      }),
    );
    res.json(job);
  });

  router.post('/jobs/:id/run', async (req, res) => {
    const credentials = await credentialsOf(req);
    const existing = await jobs.find(req.params.id);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.job.run',
      resource: jobRef(req.params.id),
      workspace: existing?.workspace,
    };
    const label = existing ? `job '${existing.name}'` : `job ${req.params.id}`;
    await authorize(credentials, pipelinesRunPermission, { ...context, summary: `Run ${label}` });
    const run = await audited(
      context,
      `Run ${label}`,
      async () => {
        const { parameters } = parseInput(runJobRequestSchema, req.body ?? {}, 'body');
        return jobs.run(req.params.id, {
          parameters,
          triggerType: 'manual',
          triggeredBy: actorOf(credentials),
        });
      },
      created => ({
        summary: `Started a run of ${label} (${created.status})`,
        details: { runId: created.id },
      }),
    );
    res.status(201).json({ runId: run.id, status: run.status, result: run.result });
  });

  router.get('/jobs/:id/runs', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    await jobs.record(req.params.id);
    const query = parseInput(listRunsQuery, req.query, 'query');
    const items = await runs.read.listRuns({
      jobId: req.params.id,
      status: query.status,
      limit: query.limit + 1,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const page = items.slice(0, query.limit);
    res.json({
      items: page.map(r => ({ ...toRunSummary(r), jobId: r.jobId, jobName: r.jobName })),
      nextCursor:
        items.length > query.limit ? encodeCursor(page.at(-1)!.createdAt, page.at(-1)!.id) : null,
    });
  });

  // --- runs ------------------------------------------------------------------------------

  router.get('/runs', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    const query = parseInput(listRunsQuery, req.query, 'query');
    const items = await runs.read.listRuns({
      jobId: query.jobId,
      workspace: query.workspace,
      status: query.status,
      limit: query.limit + 1,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
    const page = items.slice(0, query.limit);
    res.json({
      items: page.map(r => ({
        ...toRunSummary(r),
        jobId: r.jobId,
        jobName: r.jobName,
        workspace: r.workspace,
      })),
      nextCursor:
        items.length > query.limit ? encodeCursor(page.at(-1)!.createdAt, page.at(-1)!.id) : null,
    });
  });

  router.get('/runs/:id', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    res.json(await jobs.runView(req.params.id));
  });

  router.post('/runs/:id/cancel', async (req, res) => {
    const credentials = await credentialsOf(req);
    const existing = await jobs.findRun(req.params.id);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.run.cancel',
      resource: runRef(req.params.id),
      workspace: existing?.workspace,
    };
    const label = existing ? `run of job '${existing.jobName}'` : `run ${req.params.id}`;
    await authorize(credentials, pipelinesRunPermission, {
      ...context,
      summary: `Cancel ${label}`,
    });
    await audited(context, `Cancel ${label}`, () =>
      engine.cancelRun(req.params.id, actorOf(credentials)),
    );
    res.json(await jobs.runView(req.params.id));
  });

  router.post('/runs/:id/repair', async (req, res) => {
    const credentials = await credentialsOf(req);
    const existing = await jobs.findRun(req.params.id);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.run.repair',
      resource: runRef(req.params.id),
      workspace: existing?.workspace,
    };
    const label = existing ? `run of job '${existing.jobName}'` : `run ${req.params.id}`;
    await authorize(credentials, pipelinesRunPermission, {
      ...context,
      summary: `Repair ${label}`,
    });
    const repaired = await audited(
      context,
      `Repair ${label}`,
      async () => {
        if (!existing) throw new NotFoundError(`No run '${req.params.id}'`);
        const request = parseInput(repairRequestSchema, req.body ?? {}, 'body');
        return engine.repairRun(req.params.id, request, actorOf(credentials));
      },
      r => ({
        summary: `Repaired ${label}: rerunning ${r.tasks.join(', ')}`,
        details: { repairId: r.repairId, tasks: r.tasks },
      }),
    );
    res.json({
      repairId: repaired.repairId,
      tasks: repaired.tasks,
      run: await jobs.runView(req.params.id),
    });
  });

  router.get('/runs/:id/logs', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    const query = parseInput(logsQuery, req.query, 'query');
    const run = await runs.read.run(req.params.id);
    if (!run) throw new NotFoundError(`No run '${req.params.id}'`);
    const wantsStream =
      query.follow === 'true' || (req.header('accept') ?? '').includes('text/event-stream');
    if (!wantsStream) {
      const lines = await runs.read.logs(run.id, {
        after: query.after,
        taskKey: query.taskKey,
        limit: query.limit,
      });
      res.json({ items: lines.map(toLogView), nextAfter: lines.at(-1)?.id ?? query.after ?? 0 });
      return;
    }
    await stream(req, res, run.id, {
      after: query.after ?? 0,
      taskKey: query.taskKey,
      snapshots: false,
    });
  });

  /** Live run view: `run` events with the whole run on every change, `log` events, then `end`. */
  router.get('/runs/:id/events', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    const run = await runs.read.run(req.params.id);
    if (!run) throw new NotFoundError(`No run '${req.params.id}'`);
    await stream(req, res, run.id, { after: 0, snapshots: true });
  });

  async function stream(
    req: express.Request,
    res: express.Response,
    runId: string,
    opts: { after: number; taskKey?: string; snapshots: boolean },
  ) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    const flush = () => (res as unknown as { flush?: () => void }).flush?.();
    const send = (event: string, data: unknown) => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      flush();
    };
    let after = opts.after;
    let lastUpdate = -1;
    let closed = false;
    let wake: (() => void) | undefined;
    const unsubscribe = engine.onRunChanged(runId, () => wake?.());
    req.on('close', () => {
      closed = true;
      wake?.();
    });
    let lastBeat = Date.now();
    try {
      while (!closed) {
        const lines = await runs.read.logs(runId, { after, taskKey: opts.taskKey, limit: 500 });
        for (const line of lines) send('log', toLogView(line));
        if (lines.length) after = lines.at(-1)!.id;
        const run = await runs.read.run(runId);
        if (!run) break;
        if (opts.snapshots && (run.updatedAt !== lastUpdate || lines.length > 0)) {
          lastUpdate = run.updatedAt;
          send('run', await jobs.runView(runId));
        }
        if (run.status === 'TERMINATED' && lines.length < 500) {
          send('end', { status: run.status, result: run.result });
          break;
        }
        if (lines.length === 500) continue;
        if (Date.now() - lastBeat > 15_000) {
          res.write(': keep-alive\n\n');
          flush();
          lastBeat = Date.now();
        }
        await new Promise<void>(resolve => {
          const timer = setTimeout(resolve, streamPollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
      res.end();
    }
  }

  // --- approvals -------------------------------------------------------------------------

  router.get('/approvals', async (req, res) => {
    await authorize(await credentialsOf(req), pipelinesViewPermission);
    const query = parseInput(
      z.object({
        state: z.enum(['PENDING', 'APPROVED', 'DENIED', 'TIMEDOUT', 'CANCELED']).optional(),
        runId: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      req.query,
      'query',
    );
    res.json({ items: (await runs.read.approvals(query)).map(toApprovalView) });
  });

  router.post('/runs/:id/tasks/:taskKey/approval', async (req, res) => {
    const credentials = await credentialsOf(req);
    const existing = await jobs.findRun(req.params.id);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.approval.decide',
      resource: runRef(req.params.id),
      workspace: existing?.workspace,
    };
    const label = `the approval of task '${req.params.taskKey}'${existing ? ` of job '${existing.jobName}'` : ''}`;
    await authorize(credentials, pipelinesApprovePermission, {
      ...context,
      summary: `Decide ${label}`,
    });
    const approval = await audited(
      context,
      `Decide ${label}`,
      async () => {
        const body = parseInput(approvalBody, req.body ?? {}, 'body');
        return engine.decideApproval(
          req.params.id,
          req.params.taskKey,
          { approve: body.decision === 'approve', comment: body.comment },
          actorOf(credentials),
        );
      },
      a => ({ summary: `${a.state === 'APPROVED' ? 'Approved' : 'Denied'} ${label}` }),
    );
    res.json(toApprovalView(approval));
  });

  // --- in-app notifications --------------------------------------------------------------

  router.get('/notifications', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(
      z.object({
        unread: z.enum(['true', 'false']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
      }),
      req.query,
      'query',
    );
    res.json({
      items: await notifications.list(actorOf(credentials), {
        unreadOnly: query.unread === 'true',
        limit: query.limit,
      }),
    });
  });

  router.post('/notifications/:id/read', async (req, res) => {
    const credentials = await credentialsOf(req);
    if (!(await notifications.markRead(actorOf(credentials), req.params.id))) {
      throw new NotFoundError(`No unread notification '${req.params.id}' for you`);
    }
    res.status(204).end();
  });

  // --- pipelines (templates) -------------------------------------------------------------

  router.get('/templates', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, pipelinesViewPermission);
    const { workspace } = parseInput(
      z.object({ workspace: z.string().max(64).optional() }),
      req.query,
      'query',
    );
    res.json({ items: await templates.list(actorOf(credentials), workspace) });
  });

  router.post('/templates/import', async (req, res) => {
    const credentials = await credentialsOf(req);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.template.import',
      workspace: workspaceOf(req),
    };
    await authorize(credentials, pipelinesCreatePermission, {
      ...context,
      summary: 'Import a pipeline',
    });
    const template = await audited(
      context,
      'Import a pipeline',
      async () => {
        const body = typeof req.body === 'string' ? { content: req.body } : req.body;
        const parsed = parseInput(importBody, body ?? {}, 'body');
        return templates.import(parsed.content, {
          user: actorOf(credentials),
          workspace: parsed.workspace ?? workspaceOf(req),
          visibility: parsed.visibility,
        });
      },
      t => ({
        resource: t.ref,
        workspace: t.workspace ?? undefined,
        summary: `Imported pipeline '${t.name}'`,
      }),
    );
    res.status(201).json(template);
  });

  router.post('/templates', async (req, res) => {
    const credentials = await credentialsOf(req);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.template.create',
      workspace: workspaceOf(req),
    };
    await authorize(credentials, pipelinesCreatePermission, {
      ...context,
      summary: 'Create a pipeline',
    });
    const template = await audited(
      context,
      'Create a pipeline',
      () => templates.create(req.body, { user: actorOf(credentials), workspace: workspaceOf(req) }),
      t => ({
        resource: t.ref,
        workspace: t.workspace ?? undefined,
        summary: `Created pipeline '${t.name}' (${t.visibility})`,
      }),
    );
    res.status(201).json(template);
  });

  router.get('/templates/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, pipelinesViewPermission);
    res.json(await templates.get(req.params.id, actorOf(credentials)));
  });

  router.put('/templates/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.template.update',
      resource: templateRef(req.params.id),
      workspace: workspaceOf(req),
    };
    await authorize(credentials, pipelinesEditPermission, {
      ...context,
      summary: `Edit pipeline ${req.params.id}`,
    });
    const template = await audited(
      context,
      `Edit pipeline ${req.params.id}`,
      () => templates.update(req.params.id, req.body, actorOf(credentials)),
      t => ({ summary: `Edited pipeline '${t.name}'` }),
    );
    res.json(template);
  });

  router.delete('/templates/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.template.delete',
      resource: templateRef(req.params.id),
      workspace: workspaceOf(req),
    };
    await authorize(credentials, pipelinesDeletePermission, {
      ...context,
      summary: `Delete pipeline ${req.params.id}`,
    });
    await audited(
      context,
      `Delete pipeline ${req.params.id}`,
      () => templates.delete(req.params.id, actorOf(credentials)),
      t => ({ summary: `Deleted pipeline '${t.definition.name}'` }),
    );
    res.status(204).end();
  });

  router.get('/templates/:id/export', async (req, res) => {
    const credentials = await credentialsOf(req);
    await authorize(credentials, pipelinesViewPermission);
    const { format } = parseInput(exportQuery, req.query, 'query');
    const exported = await templates.export(req.params.id, actorOf(credentials), format);
    res
      .status(200)
      .type(exported.contentType)
      .setHeader('Content-Disposition', `attachment; filename="${exported.filename}"`)
      .send(exported.content);
  });

  router.post('/templates/:id/instantiate', async (req, res) => {
    const credentials = await credentialsOf(req);
    const context: AuditContext = {
      credentials,
      verb: 'pipelines.template.instantiate',
      resource: templateRef(req.params.id),
      workspace:
        (typeof req.body?.workspace === 'string' && req.body.workspace) || workspaceOf(req),
    };
    await authorize(credentials, pipelinesCreatePermission, {
      ...context,
      summary: `Instantiate pipeline ${req.params.id}`,
    });
    const job = await audited(
      context,
      `Instantiate pipeline ${req.params.id}`,
      () =>
        templates.instantiate(req.params.id, req.body, {
          user: actorOf(credentials),
          workspace: workspaceOf(req),
        }),
      created => ({
        summary: `Created job '${created.name}' from pipeline ${req.params.id}`,
        details: { jobId: created.id },
      }),
    );
    res.status(201).json(job);
  });

  router.use((_req, _res, next) => next(new NotFoundError('No such pipelines route')));
  return router;
}
