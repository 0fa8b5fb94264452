import type {
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  activityOutcomes,
  activityViewPermission,
  DEFAULT_WORKSPACE,
  WORKSPACE_HEADER,
  workspaceCreatePermission,
  workspaceNameSchema,
  type NavItem,
} from '@racine/kernel-common';
import {
  actorOf,
  filterVisibleWorkspaces,
  type ActionInvoker,
  type WorkspaceAccessService,
  grantedPermissionNames,
  isGranted,
  parseInput,
  type ActivityLog,
  type AuditService,
  type KernelRegistries,
  type WorkspaceService,
} from '@racine/kernel-node';
import type { Permission } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { federatedSearch } from './federatedSearch';

export interface KernelRouterOptions {
  registries: KernelRegistries;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  activityLog: ActivityLog;
  audit: AuditService;
  workspaces: WorkspaceService;
  logger: LoggerService;
  invoker: ActionInvoker;
  workspaceAccess: WorkspaceAccessService;
}

const searchQuery = z.object({
  q: z.string().max(500).default(''),
  types: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const isoTime = z.string().refine(v => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 time');
const activityQuery = z.object({
  actor: z.string().optional(),
  resource: z.string().optional(),
  verb: z.string().optional(),
  outcome: z.enum(activityOutcomes).optional(),
  workspace: z.string().optional(),
  since: isoTime.optional(),
  until: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});

const newWorkspaceBody = z.object({
  name: workspaceNameSchema,
  title: z.string().trim().min(1).max(255),
  description: z.string().max(4000).optional(),
});

export function createKernelRouter(options: KernelRouterOptions): express.Router {
  const { registries, httpAuth, permissions, activityLog, audit, workspaces, logger, invoker } =
    options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  async function requirePermission(credentials: BackstageCredentials, permission: Permission) {
    if (!(await isGranted(permissions, credentials, permission))) {
      throw new NotAllowedError(`Missing permission ${permission.name}`);
    }
  }

  async function workspaceOf(req: express.Request): Promise<string> {
    const header = req.header(WORKSPACE_HEADER);
    if (!header) return DEFAULT_WORKSPACE;
    if (!(await workspaces.exists(header))) {
      throw new InputError(`Workspace '${header}' does not exist`);
    }
    return header;
  }

  router.get('/navigation', async (req, res) => {
    const credentials = await credentialsOf(req);
    const entries = registries.navigation;
    const granted = await grantedPermissionNames(
      permissions,
      credentials,
      entries
        .flatMap(e => [e.item.permission, ...(e.item.children ?? []).map(c => c.permission)])
        .filter((p): p is Permission => Boolean(p)),
    );
    const allowed = (p?: Permission) => !p || granted.has(p.name);
    const items: NavItem[] = entries
      .filter(e => allowed(e.item.permission))
      .map(({ pluginId, item }) => ({
        id: item.id,
        title: item.title,
        path: item.path,
        group: item.group,
        icon: item.icon,
        order: item.order ?? 100,
        pluginId,
        children: item.children
          ?.filter(c => allowed(c.permission))
          .map(c => ({
            id: c.id,
            title: c.title,
            path: c.path,
            group: item.group,
            icon: c.icon,
            order: c.order ?? 100,
            pluginId,
          })),
      }))
      .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
    res.json({ items });
  });

  router.get('/search', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(searchQuery, req.query, 'query');
    const hits = await federatedSearch({
      providers: registries.search.map(r => r.item),
      permissions,
      logger,
      request: {
        query: query.q.trim(),
        types: query.types
          ? query.types
              .split(',')
              .map(t => t.trim())
              .filter(Boolean)
          : [],
        limit: query.limit,
        workspace: await workspaceOf(req),
        credentials,
      },
    });
    res.json({ hits });
  });

  router.get('/actions', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json({ actions: await invoker.describeRunnable(credentials) });
  });

  router.post('/actions/:id', async (req, res) => {
    const credentials = await credentialsOf(req);
    const output = await invoker.invoke({
      actionId: req.params.id,
      input: req.body,
      credentials,
      workspace: await workspaceOf(req),
    });
    res.json({ output });
  });

  router.get('/workflow-steps', async (req, res) => {
    await credentialsOf(req);
    res.json({ steps: invoker.describeSteps() });
  });

  router.get('/permissions', async (req, res) => {
    await credentialsOf(req);
    const seen = new Map<
      string,
      {
        name: string;
        action: string;
        resourceType?: string;
        description?: string;
        pluginId: string;
      }
    >();
    for (const { pluginId, item } of registries.permissions) {
      for (const p of item.permissions) {
        if (seen.has(p.name)) continue;
        seen.set(p.name, {
          name: p.name,
          action: p.attributes.action ?? 'use',
          resourceType: 'resourceType' in p ? p.resourceType : undefined,
          description: item.descriptions?.[p.name],
          pluginId,
        });
      }
    }
    const defaultGrants: Record<string, string[]> = {};
    for (const { item } of registries.permissions) {
      for (const [role, names] of Object.entries(item.defaultGrants ?? {})) {
        defaultGrants[role] = [...new Set([...(defaultGrants[role] ?? []), ...names])];
      }
    }
    res.json({
      permissions: [...seen.values()].sort((a, b) => a.name.localeCompare(b.name)),
      defaultGrants,
    });
  });

  router.get('/me', async (req, res) => {
    const credentials = await credentialsOf(req);
    const all = registries.permissions.flatMap(r => r.item.permissions);
    const granted = await grantedPermissionNames(permissions, credentials, all);
    const principal = credentials.principal as { type: string; userEntityRef?: string };
    res.json({
      userEntityRef: actorOf(credentials),
      principalType: principal.type,
      ownershipEntityRefs: principal.userEntityRef ? [principal.userEntityRef] : [],
      permissions: [...granted].sort(),
    });
  });

  router.get('/activity', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requirePermission(credentials, activityViewPermission);
    res.json(await activityLog.list(parseInput(activityQuery, req.query, 'query')));
  });

  router.get('/activity/verify', async (req, res) => {
    const credentials = await credentialsOf(req);
    await requirePermission(credentials, activityViewPermission);
    res.json(await activityLog.verify());
  });

  router.get('/workspaces', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json({
      items: await filterVisibleWorkspaces(
        options.workspaceAccess,
        credentials,
        await workspaces.list(),
      ),
    });
  });

  router.get('/workspaces/:name', async (req, res) => {
    const credentials = await credentialsOf(req);
    const [visible] = await filterVisibleWorkspaces(options.workspaceAccess, credentials, [
      await workspaces.get(req.params.name),
    ]);
    if (!visible) throw new NotFoundError(`Workspace '${req.params.name}' does not exist`);
    res.json(visible);
  });

  router.post('/workspaces', async (req, res) => {
    const credentials = await credentialsOf(req);
    const resource = `racine:kernel:workspace/${String(req.body?.name ?? '')}`;
    if (!(await isGranted(permissions, credentials, workspaceCreatePermission))) {
      await audit.record({
        credentials,
        verb: 'workspace.create',
        outcome: 'denied',
        resource,
        summary: 'Create workspace denied',
      });
      throw new NotAllowedError(`Missing permission ${workspaceCreatePermission.name}`);
    }
    const body = parseInput(newWorkspaceBody, req.body, 'workspace');
    const workspace = await workspaces.create(body, actorOf(credentials));
    await audit.record({
      credentials,
      workspace: workspace.name,
      verb: 'workspace.create',
      resource: `racine:kernel:workspace/${workspace.name}`,
      summary: `Created workspace '${workspace.name}'`,
    });
    res.status(201).json(workspace);
  });

  router.use((_req, _res, next) => next(new NotFoundError('No such kernel route')));
  return router;
}
