import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import { globMatches, type ActivityOutcome } from '@racine/kernel-common';
import {
  actorOf,
  grantedPermissionNames,
  parseInput,
  type AuditService,
  type RouteDeclaration,
  type RouteRegistry,
  type WorkspaceAccessService,
  type WorkspaceService,
} from '@racine/kernel-node';
import {
  accessDecisionBodySchema,
  accessRequestBodySchema,
  createApiKeySchema,
  createUserSchema,
  explainQuerySchema,
  grantBodySchema,
  groupBodySchema,
  groupUpdateSchema,
  listGrantsQuerySchema,
  memberBodySchema,
  rbacAdminPermission,
  roleBodySchema,
  roleUpdateSchema,
  updateUserSchema,
  workspaceManagePermission,
  workspaceMemberBodySchema,
} from '@racine/plugin-rbac-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { isApiKeyCredentials } from './policy/inProcessPermissions';
import type { AccessRequestService, NotificationService } from './services/AccessRequestService';
import type { AccountService } from './services/AccountService';
import type { ApiKeyService } from './services/ApiKeyService';
import type { RbacService } from './services/RbacService';

export interface RbacRouterOptions {
  rbac: RbacService;
  accounts: AccountService;
  apiKeys: ApiKeyService;
  requests: AccessRequestService;
  notifications: NotificationService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  workspaceAccess: WorkspaceAccessService;
  workspaces: WorkspaceService;
  audit: AuditService;
  routeRegistry: RouteRegistry;
}

type Method = RouteDeclaration['method'];
type Access = Pick<RouteDeclaration, 'permission' | 'audience' | 'description'>;

const passwordChangeSchema = z.object({
  currentPassword: z.string().max(1024),
  newPassword: z.string().max(1024),
});
const profileSchema = z.object({
  displayName: z.string().trim().max(255).optional(),
  email: z.email().max(320).nullable().optional(),
});
const codeSchema = z.object({ code: z.string().trim().min(6).max(32) });
const passwordSchema = z.object({ password: z.string().max(1024) });
const requestListQuery = z.object({
  status: z.enum(['pending', 'approved', 'denied', 'cancelled']).optional(),
});
const notificationsQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const ADMIN = { permission: rbacAdminPermission };
const APPROVER = { permission: [rbacAdminPermission, workspaceManagePermission] };
const SIGNED_IN = { audience: 'signed-in' as const };

/**
 * HTTP only, mounted at /api/rbac: parse with zod, authorize (before reading the body, so a
 * caller without the permission always gets 403), call a service, audit every mutation,
 * denied ones too. Every route is declared in the kernel route registry as it is mounted.
 */
export function createRbacRouter(options: RbacRouterOptions): {
  router: express.Router;
  routes: RouteDeclaration[];
} {
  const { rbac, accounts, apiKeys, requests, notifications, httpAuth, permissions, audit } =
    options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));
  const routes: RouteDeclaration[] = [];

  const on = (method: Method, path: string, access: Access, handler: express.RequestHandler) => {
    routes.push({ method, path, ...access });
    router[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path, handler);
  };

  const credentialsOf = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  const record = (
    credentials: BackstageCredentials,
    verb: string,
    outcome: ActivityOutcome,
    summary: string,
    resource?: string,
    workspace?: string,
  ) =>
    audit.record({
      credentials,
      verb,
      outcome,
      summary,
      resource,
      ...(workspace && workspace !== '*' ? { workspace } : {}),
    });

  /** 403 unless the caller holds one of `required`; a denied mutation is audited. */
  async function authorize(
    req: express.Request,
    required: Permission[],
    denial?: { verb: string; summary: string; resource?: string },
  ): Promise<BackstageCredentials> {
    const credentials = await credentialsOf(req);
    const granted = await grantedPermissionNames(permissions, credentials, required);
    if (required.some(p => granted.has(p.name))) return credentials;
    const names = required.map(p => p.name).join(' or ');
    if (denial)
      await record(
        credentials,
        denial.verb,
        'denied',
        `${denial.summary}: denied (missing ${names})`,
        denial.resource,
      );
    throw new NotAllowedError(`Missing permission ${names}`);
  }

  /** Runs a mutation and audits it; client errors are recorded as failures. */
  async function audited<T>(
    credentials: BackstageCredentials,
    verb: string,
    summary: string,
    resource: string | undefined,
    run: () => Promise<T>,
    workspace?: string,
  ): Promise<T> {
    try {
      const result = await run();
      await record(credentials, verb, 'success', summary, resource, workspace);
      return result;
    } catch (error) {
      if (
        error instanceof InputError ||
        error instanceof ConflictError ||
        error instanceof NotFoundError ||
        error instanceof NotAllowedError
      ) {
        await record(
          credentials,
          verb,
          error instanceof NotAllowedError ? 'denied' : 'failure',
          `${summary}: ${error.message}`,
          resource,
          workspace,
        );
      }
      throw error;
    }
  }

  const callerRef = (credentials: BackstageCredentials) => actorOf(credentials);
  /** The native account of the caller, if it signed in with one. */
  async function ownAccount(credentials: BackstageCredentials) {
    const ref = callerRef(credentials);
    const match = ref.match(/^user:default\/(.+)$/);
    const account = match ? await accounts.find(match[1]) : undefined;
    if (!account) throw new NotFoundError('You are not signed in with a Racine account');
    return account;
  }
  function noApiKey(credentials: BackstageCredentials, what: string) {
    if (isApiKeyCredentials(credentials)) throw new NotAllowedError(`An API key cannot ${what}`);
  }

  const ref = {
    user: (u: string) => `racine:rbac:user/${u}`,
    role: (r: string) => `racine:rbac:role/${r}`,
    grant: (g: string) => `racine:rbac:grant/${g}`,
    group: (g: string) => `racine:rbac:group/${g}`,
    apiKey: (k: string) => `racine:rbac:api-key/${k}`,
    request: (r: string) => `racine:rbac:access-request/${r}`,
    workspace: (w: string) => `racine:kernel:workspace/${w}`,
  };

  // Users

  on('GET', '/users', { ...ADMIN, description: 'List native accounts' }, async (req, res) => {
    await authorize(req, [rbacAdminPermission]);
    res.json({ items: await accounts.list() });
  });

  on('POST', '/users', { ...ADMIN, description: 'Create a native account' }, async (req, res) => {
    const resource = ref.user(String(req.body?.username ?? ''));
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'user.create',
      summary: 'Create a user',
      resource,
    });
    const body = await audited(credentials, 'user.create', 'Create a user', resource, async () =>
      parseInput(createUserSchema, req.body, 'user'),
    );
    const user = await audited(
      credentials,
      'user.create',
      `Created user '${body.username}'`,
      ref.user(body.username),
      () => accounts.create(body),
    );
    res.status(201).json(user);
  });

  on('GET', '/users/:username', ADMIN, async (req, res) => {
    await authorize(req, [rbacAdminPermission]);
    res.json(await accounts.get(req.params.username));
  });

  on(
    'PUT',
    '/users/:username',
    { ...ADMIN, description: 'Change display name, email, password or disable' },
    async (req, res) => {
      const { username } = req.params;
      const credentials = await authorize(req, [rbacAdminPermission], {
        verb: 'user.update',
        summary: `Update user '${username}'`,
        resource: ref.user(username),
      });
      const user = await audited(
        credentials,
        'user.update',
        `Updated user '${username}'${req.body?.disabled === true ? ' (disabled)' : ''}`,
        ref.user(username),
        async () => accounts.update(username, parseInput(updateUserSchema, req.body, 'user')),
      );
      res.json(user);
    },
  );

  on('DELETE', '/users/:username', ADMIN, async (req, res) => {
    const { username } = req.params;
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'user.delete',
      summary: `Delete user '${username}'`,
      resource: ref.user(username),
    });
    await audited(
      credentials,
      'user.delete',
      `Deleted user '${username}'`,
      ref.user(username),
      () => accounts.delete(username),
    );
    res.status(204).end();
  });

  on(
    'POST',
    '/users/:username/unlock',
    { ...ADMIN, description: 'Lift a lockout' },
    async (req, res) => {
      const { username } = req.params;
      const credentials = await authorize(req, [rbacAdminPermission], {
        verb: 'user.unlock',
        summary: `Unlock user '${username}'`,
        resource: ref.user(username),
      });
      res.json(
        await audited(
          credentials,
          'user.unlock',
          `Unlocked user '${username}'`,
          ref.user(username),
          () => accounts.unlock(username),
        ),
      );
    },
  );

  on(
    'DELETE',
    '/users/:username/mfa',
    { ...ADMIN, description: "Reset a user's MFA" },
    async (req, res) => {
      const { username } = req.params;
      const credentials = await authorize(req, [rbacAdminPermission], {
        verb: 'user.mfa.reset',
        summary: `Reset MFA of '${username}'`,
        resource: ref.user(username),
      });
      await audited(
        credentials,
        'user.mfa.reset',
        `Reset multi-factor sign-in of '${username}'`,
        ref.user(username),
        () => accounts.disableMfa(username),
      );
      res.status(204).end();
    },
  );

  // Groups

  on('GET', '/groups', ADMIN, async (req, res) => {
    await authorize(req, [rbacAdminPermission]);
    res.json({ items: await rbac.listGroups() });
  });

  on('POST', '/groups', ADMIN, async (req, res) => {
    const resource = ref.group(String(req.body?.name ?? ''));
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'group.create',
      summary: 'Create a group',
      resource,
    });
    const group = await audited(
      credentials,
      'group.create',
      `Create group '${String(req.body?.name ?? '')}'`,
      resource,
      async () => rbac.createGroup(parseInput(groupBodySchema, req.body, 'group')),
    );
    res.status(201).json(group);
  });

  on('GET', '/groups/:name', ADMIN, async (req, res) => {
    await authorize(req, [rbacAdminPermission]);
    res.json(await rbac.getGroup(req.params.name));
  });

  on('PUT', '/groups/:name', ADMIN, async (req, res) => {
    const { name } = req.params;
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'group.update',
      summary: `Update group '${name}'`,
      resource: ref.group(name),
    });
    res.json(
      await audited(
        credentials,
        'group.update',
        `Updated group '${name}'`,
        ref.group(name),
        async () => rbac.updateGroup(name, parseInput(groupUpdateSchema, req.body, 'group')),
      ),
    );
  });

  on('DELETE', '/groups/:name', ADMIN, async (req, res) => {
    const { name } = req.params;
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'group.delete',
      summary: `Delete group '${name}'`,
      resource: ref.group(name),
    });
    await audited(credentials, 'group.delete', `Deleted group '${name}'`, ref.group(name), () =>
      rbac.deleteGroup(name),
    );
    res.status(204).end();
  });

  on('POST', '/groups/:name/members', ADMIN, async (req, res) => {
    const { name } = req.params;
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'group.member.add',
      summary: `Add a member to group '${name}'`,
      resource: ref.group(name),
    });
    res.json(
      await audited(
        credentials,
        'group.member.add',
        `Added ${String(req.body?.member ?? '')} to group '${name}'`,
        ref.group(name),
        async () => rbac.addMember(name, parseInput(memberBodySchema, req.body, 'member').member),
      ),
    );
  });

  on('DELETE', '/groups/:name/members/:member', ADMIN, async (req, res) => {
    const { name, member } = req.params;
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'group.member.remove',
      summary: `Remove ${member} from group '${name}'`,
      resource: ref.group(name),
    });
    res.json(
      await audited(
        credentials,
        'group.member.remove',
        `Removed ${member} from group '${name}'`,
        ref.group(name),
        () => rbac.removeMember(name, member),
      ),
    );
  });

  // Roles

  on(
    'GET',
    '/roles',
    {
      ...SIGNED_IN,
      description: 'Roles and what they carry (read by every signed-in user, e.g. to request one)',
    },
    async (req, res) => {
      await credentialsOf(req);
      res.json({ items: await rbac.listRoles() });
    },
  );

  on('GET', '/roles/:name', SIGNED_IN, async (req, res) => {
    await credentialsOf(req);
    res.json(await rbac.getRole(req.params.name));
  });

  on('POST', '/roles', ADMIN, async (req, res) => {
    const resource = ref.role(String(req.body?.name ?? ''));
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'role.create',
      summary: 'Create a role',
      resource,
    });
    const role = await audited(
      credentials,
      'role.create',
      `Create role '${String(req.body?.name ?? '')}'`,
      resource,
      async () => rbac.createRole(parseInput(roleBodySchema, req.body, 'role')),
    );
    res.status(201).json(role);
  });

  on('PUT', '/roles/:name', ADMIN, async (req, res) => {
    const { name } = req.params;
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'role.update',
      summary: `Update role '${name}'`,
      resource: ref.role(name),
    });
    res.json(
      await audited(
        credentials,
        'role.update',
        `Updated role '${name}'`,
        ref.role(name),
        async () => rbac.updateRole(name, parseInput(roleUpdateSchema, req.body, 'role')),
      ),
    );
  });

  on('DELETE', '/roles/:name', ADMIN, async (req, res) => {
    const { name } = req.params;
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'role.delete',
      summary: `Delete role '${name}'`,
      resource: ref.role(name),
    });
    await audited(credentials, 'role.delete', `Deleted role '${name}'`, ref.role(name), () =>
      rbac.deleteRole(name),
    );
    res.status(204).end();
  });

  // Grants

  on('GET', '/grants', ADMIN, async (req, res) => {
    await authorize(req, [rbacAdminPermission]);
    res.json({
      items: await rbac.listGrants(parseInput(listGrantsQuerySchema, req.query, 'query')),
    });
  });

  on('POST', '/grants', ADMIN, async (req, res) => {
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'grant.create',
      summary: 'Create a grant',
    });
    const body = await audited(credentials, 'grant.create', 'Create a grant', undefined, async () =>
      parseInput(grantBodySchema, req.body, 'grant'),
    );
    const what = body.role ? `role ${body.role}` : `permission ${body.permission}`;
    const grant = await audited(
      credentials,
      'grant.create',
      `${body.effect === 'deny' ? 'Denied' : 'Granted'} ${what} to ${body.subject} in ${body.workspace}${body.resource !== '*' ? ` on ${body.resource}` : ''}${body.expiresAt ? ` until ${body.expiresAt}` : ''}`,
      undefined,
      () => rbac.createGrant(body, callerRef(credentials)),
      body.workspace,
    );
    res.status(201).json(grant);
  });

  on('GET', '/grants/:id', ADMIN, async (req, res) => {
    await authorize(req, [rbacAdminPermission]);
    res.json(await rbac.getGrant(req.params.id));
  });

  on('DELETE', '/grants/:id', ADMIN, async (req, res) => {
    const { id } = req.params;
    const credentials = await authorize(req, [rbacAdminPermission], {
      verb: 'grant.delete',
      summary: `Revoke grant ${id}`,
      resource: ref.grant(id),
    });
    await audited(credentials, 'grant.delete', `Revoked grant ${id}`, ref.grant(id), () =>
      rbac.deleteGrant(id),
    );
    res.status(204).end();
  });

  // Explain and the route registry

  on(
    'GET',
    '/explain',
    { ...ADMIN, description: 'Explain a decision (administrators; anyone about themselves)' },
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const subject = typeof req.query.subject === 'string' ? req.query.subject : undefined;
      if (subject !== callerRef(credentials)) await authorize(req, [rbacAdminPermission]);
      res.json(await rbac.explain(parseInput(explainQuerySchema, req.query, 'query')));
    },
  );

  on(
    'GET',
    '/routes',
    { ...ADMIN, description: 'Every declared route of every plugin and what it requires' },
    async (req, res) => {
      await authorize(req, [rbacAdminPermission]);
      res.json({
        items: options.routeRegistry.routes.map(r => ({
          pluginId: r.pluginId,
          method: r.method,
          path: r.path,
          permissions: (Array.isArray(r.permission)
            ? r.permission
            : r.permission
              ? [r.permission]
              : []
          ).map(p => p.name),
          audience: r.audience ?? 'signed-in',
          ...(r.description ? { description: r.description } : {}),
        })),
      });
    },
  );

  // Workspaces

  on(
    'GET',
    '/workspaces',
    { ...SIGNED_IN, description: 'The workspaces the caller belongs to, with its roles there' },
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const visible = await options.workspaceAccess.visibleWorkspaces(credentials);
      const all = await options.workspaces.list();
      const mine = (await rbac.accessOf(callerRef(credentials))).grants;
      res.json({
        items: all
          .filter(w => visible === '*' || visible.includes(w.name))
          .map(w => ({
            ...w,
            roles: [
              ...new Set(
                mine
                  .filter(
                    g => g.active && g.role && (g.workspace === w.name || g.workspace === '*'),
                  )
                  .map(g => g.role!),
              ),
            ],
          })),
      });
    },
  );

  async function requireWorkspaceManager(req: express.Request, workspace: string, verb?: string) {
    const credentials = await authorize(
      req,
      [rbacAdminPermission, workspaceManagePermission],
      verb
        ? { verb, summary: `Manage members of ${workspace}`, resource: ref.workspace(workspace) }
        : undefined,
    );
    if (
      !(await options.workspaceAccess.isGrantedIn(
        credentials,
        workspaceManagePermission,
        workspace,
      )) &&
      !(await rbac.isAdmin(callerRef(credentials)))
    ) {
      if (verb)
        await record(
          credentials,
          verb,
          'denied',
          `Manage members of ${workspace}: denied (not an owner of ${workspace})`,
          ref.workspace(workspace),
          workspace,
        );
      throw new NotAllowedError(`You do not manage workspace '${workspace}'`);
    }
    if (!(await options.workspaces.exists(workspace)))
      throw new NotFoundError(`Workspace '${workspace}' does not exist`);
    return credentials;
  }

  on('GET', '/workspaces/:workspace/members', APPROVER, async (req, res) => {
    await requireWorkspaceManager(req, req.params.workspace);
    res.json({ items: await rbac.workspaceMembers(req.params.workspace) });
  });

  on(
    'POST',
    '/workspaces/:workspace/members',
    {
      ...APPROVER,
      description: 'Add a member with a role (owners cannot hand out more than they hold)',
    },
    async (req, res) => {
      const { workspace } = req.params;
      const credentials = await requireWorkspaceManager(req, workspace, 'workspace.member.add');
      const body = parseInput(workspaceMemberBodySchema, req.body, 'member');
      const member = await audited(
        credentials,
        'workspace.member.add',
        `Added ${body.subject} to ${workspace} as ${body.role}`,
        ref.workspace(workspace),
        async () => {
          await rbac.assertMayAssign(
            callerRef(credentials),
            await rbac.isAdmin(callerRef(credentials)),
            workspace,
            body.role,
          );
          return rbac.addWorkspaceMember(workspace, body, callerRef(credentials));
        },
        workspace,
      );
      res.status(201).json(member);
    },
  );

  on('DELETE', '/workspaces/:workspace/members/:subject', APPROVER, async (req, res) => {
    const { workspace, subject } = req.params;
    const credentials = await requireWorkspaceManager(req, workspace, 'workspace.member.remove');
    await audited(
      credentials,
      'workspace.member.remove',
      `Removed ${subject} from ${workspace}`,
      ref.workspace(workspace),
      () => rbac.removeWorkspaceMember(workspace, subject),
      workspace,
    );
    res.status(204).end();
  });

  // Access requests

  on(
    'POST',
    '/access-requests',
    { ...SIGNED_IN, description: 'Ask for a role or permission in a workspace' },
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const body = parseInput(accessRequestBodySchema, req.body, 'access request');
      if (body.workspace !== '*' && !(await options.workspaces.exists(body.workspace))) {
        throw new InputError(`Invalid access request: workspace: no workspace '${body.workspace}'`);
      }
      const created = await audited(
        credentials,
        'access-request.create',
        `Asked for ${body.role ? `role ${body.role}` : `permission ${body.permission}`} in ${body.workspace}`,
        undefined,
        () => requests.create(callerRef(credentials), body),
        body.workspace,
      );
      res.status(201).json(created);
    },
  );

  on(
    'GET',
    '/access-requests',
    { ...APPROVER, description: 'Requests the caller may decide' },
    async (req, res) => {
      const credentials = await authorize(req, [rbacAdminPermission, workspaceManagePermission]);
      const query = parseInput(requestListQuery, req.query, 'query');
      res.json({ items: await requests.listDecidable(callerRef(credentials), query.status) });
    },
  );

  for (const decision of ['approve', 'deny'] as const) {
    on('POST', `/access-requests/:id/${decision}`, APPROVER, async (req, res) => {
      const { id } = req.params;
      const verb = `access-request.${decision}`;
      const credentials = await authorize(req, [rbacAdminPermission, workspaceManagePermission], {
        verb,
        summary: `${decision} access request ${id}`,
        resource: ref.request(id),
      });
      const body = parseInput(accessDecisionBodySchema, req.body ?? {}, 'decision');
      const decided = await audited(
        credentials,
        verb,
        `${decision === 'approve' ? 'Approved' : 'Denied'} access request ${id}`,
        ref.request(id),
        () =>
          decision === 'approve'
            ? requests.approve(id, callerRef(credentials), body.comment)
            : requests.deny(id, callerRef(credentials), body.comment),
      );
      res.json(decided);
    });
  }

  // The caller's own account and access

  on(
    'GET',
    '/me',
    { ...SIGNED_IN, description: 'My account, groups, grants and permissions' },
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const subject = callerRef(credentials);
      const match = subject.match(/^user:default\/(.+)$/);
      const account = match ? await accounts.find(match[1]) : undefined;
      res.json({
        ...(await rbac.accessOf(subject)),
        ...(account
          ? {
              account: {
                ...account,
                recoveryCodesLeft: account.mfaEnabled
                  ? await accounts.recoveryCodesLeft(account.username)
                  : 0,
              },
            }
          : {}),
        viaApiKey: isApiKeyCredentials(credentials),
      });
    },
  );

  on('PUT', '/me/profile', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    const account = await ownAccount(credentials);
    const body = parseInput(profileSchema, req.body, 'profile');
    res.json(
      await audited(
        credentials,
        'user.update',
        'Updated own profile',
        ref.user(account.username),
        () => accounts.update(account.username, body),
      ),
    );
  });

  on('PUT', '/me/password', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    noApiKey(credentials, 'change a password');
    const account = await ownAccount(credentials);
    const body = parseInput(passwordChangeSchema, req.body, 'password change');
    await audited(
      credentials,
      'user.password.change',
      'Changed own password',
      ref.user(account.username),
      () => accounts.changePassword(account.username, body.currentPassword, body.newPassword),
    );
    res.status(204).end();
  });

  on(
    'POST',
    '/me/mfa',
    { ...SIGNED_IN, description: 'Start TOTP enrolment (secret and QR code)' },
    async (req, res) => {
      const credentials = await credentialsOf(req);
      noApiKey(credentials, 'change multi-factor sign-in');
      const account = await ownAccount(credentials);
      res.json(await accounts.beginMfa(account.username));
    },
  );

  on(
    'POST',
    '/me/mfa/confirm',
    { ...SIGNED_IN, description: 'Confirm TOTP with a code; returns recovery codes once' },
    async (req, res) => {
      const credentials = await credentialsOf(req);
      noApiKey(credentials, 'change multi-factor sign-in');
      const account = await ownAccount(credentials);
      const { code } = parseInput(codeSchema, req.body, 'confirmation');
      const recoveryCodes = await audited(
        credentials,
        'user.mfa.enable',
        'Enabled multi-factor sign-in',
        ref.user(account.username),
        () => accounts.confirmMfa(account.username, code),
      );
      res.json({ recoveryCodes });
    },
  );

  on('DELETE', '/me/mfa', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    noApiKey(credentials, 'change multi-factor sign-in');
    const account = await ownAccount(credentials);
    const { password } = parseInput(passwordSchema, req.body, 'request');
    await audited(
      credentials,
      'user.mfa.disable',
      'Disabled multi-factor sign-in',
      ref.user(account.username),
      () => accounts.disableMfa(account.username, password),
    );
    res.status(204).end();
  });

  on('GET', '/me/api-keys', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json({ items: await apiKeys.list(callerRef(credentials)) });
  });

  on(
    'POST',
    '/me/api-keys',
    { ...SIGNED_IN, description: 'Create a personal API key (the secret is returned once)' },
    async (req, res) => {
      const credentials = await credentialsOf(req);
      noApiKey(credentials, 'create API keys');
      const subject = callerRef(credentials);
      const body = parseInput(createApiKeySchema, req.body, 'API key');
      const { permissions: held } = await rbac.accessOf(subject);
      const holds = [...held.everywhere, ...Object.values(held.byWorkspace).flat()];
      const outside = body.scopes.filter(scope => !holds.some(name => globMatches(scope, name)));
      if (outside.length) {
        throw new InputError(
          `Invalid API key: scopes: ${outside.join(', ')} match no permission you hold`,
        );
      }
      const created = await audited(
        credentials,
        'api-key.create',
        `Created API key '${body.name}' (${body.scopes.join(', ')})`,
        undefined,
        () => apiKeys.create(subject, body),
      );
      res.status(201).json({ ...created.key, secret: created.secret });
    },
  );

  on('DELETE', '/me/api-keys/:id', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = req.params;
    await audited(credentials, 'api-key.revoke', `Revoked API key ${id}`, ref.apiKey(id), () =>
      apiKeys.revoke(callerRef(credentials), id),
    );
    res.status(204).end();
  });

  on('GET', '/me/access-requests', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json({ items: await requests.listMine(callerRef(credentials)) });
  });

  on('POST', '/me/access-requests/:id/cancel', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    const { id } = req.params;
    res.json(
      await audited(
        credentials,
        'access-request.cancel',
        `Cancelled access request ${id}`,
        ref.request(id),
        () => requests.cancel(id, callerRef(credentials)),
      ),
    );
  });

  on(
    'GET',
    '/notifications',
    { ...SIGNED_IN, description: 'My in-app notifications' },
    async (req, res) => {
      const credentials = await credentialsOf(req);
      const query = parseInput(notificationsQuery, req.query, 'query');
      res.json(
        await notifications.list(callerRef(credentials), {
          unreadOnly: query.unread === 'true',
          limit: query.limit,
        }),
      );
    },
  );

  on('POST', '/notifications/read', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json({ marked: await notifications.markRead(callerRef(credentials)) });
  });

  on('POST', '/notifications/:id/read', SIGNED_IN, async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json({ marked: await notifications.markRead(callerRef(credentials), req.params.id) });
  });

  router.use((_req, _res, next) => next(new NotFoundError('No such rbac route')));
  return { router, routes };
}
