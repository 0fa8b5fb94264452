import crypto from 'node:crypto';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { AccessRequest, AccessRequestStatus, Notification } from '@racine/plugin-rbac-common';
import type { Knex } from 'knex';
import type { RbacService } from './RbacService';

type RequestRow = {
  id: string;
  requester: string;
  workspace: string;
  role: string | null;
  permission: string | null;
  resource: string;
  reason: string;
  duration_hours: number;
  status: string;
  decided_by: string | null;
  decision_comment: string | null;
  decided_at: string | null;
  grant_id: string | null;
  created_at: string;
};

function toRequest(row: RequestRow): AccessRequest {
  return {
    id: row.id,
    requester: row.requester,
    workspace: row.workspace,
    ...(row.role ? { role: row.role } : {}),
    ...(row.permission ? { permission: row.permission } : {}),
    resource: row.resource,
    reason: row.reason,
    durationHours: Number(row.duration_hours),
    status: row.status as AccessRequestStatus,
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.decision_comment ? { decisionComment: row.decision_comment } : {}),
    ...(row.decided_at ? { decidedAt: row.decided_at } : {}),
    ...(row.grant_id ? { grantId: row.grant_id } : {}),
    createdAt: row.created_at,
  };
}

type NotificationRow = {
  id: string;
  recipient: string;
  title: string;
  body: string;
  link: string | null;
  created_at: string;
  read_at: string | null;
};

/** In-app notifications (until a notifications plugin exists): one row per recipient. */
export class NotificationService {
  constructor(private readonly knex: Knex) {}

  async notify(
    recipients: string[],
    message: { title: string; body: string; link?: string },
  ): Promise<void> {
    const now = new Date().toISOString();
    const rows = [...new Set(recipients)].map(recipient => ({
      id: crypto.randomUUID(),
      recipient,
      title: message.title,
      body: message.body,
      link: message.link ?? null,
      created_at: now,
    }));
    for (let i = 0; i < rows.length; i += 200)
      await this.knex('rbac_notifications').insert(rows.slice(i, i + 200));
  }

  async list(
    recipient: string,
    options: { unreadOnly?: boolean; limit?: number } = {},
  ): Promise<{ items: Notification[]; unread: number }> {
    const query = this.knex<NotificationRow>('rbac_notifications')
      .where({ recipient })
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(options.limit ?? 50);
    if (options.unreadOnly) query.whereNull('read_at');
    const unread = await this.knex('rbac_notifications')
      .where({ recipient })
      .whereNull('read_at')
      .count({ n: '*' })
      .first();
    return {
      items: ((await query) as NotificationRow[]).map(r => ({
        id: r.id,
        recipient: r.recipient,
        title: r.title,
        body: r.body,
        ...(r.link ? { link: r.link } : {}),
        createdAt: r.created_at,
        ...(r.read_at ? { readAt: r.read_at } : {}),
      })),
      unread: Number(unread?.n ?? 0),
    };
  }

  async markRead(recipient: string, id?: string): Promise<number> {
    const query = this.knex('rbac_notifications').where({ recipient }).whereNull('read_at');
    if (id) query.where({ id });
    return query.update({ read_at: new Date().toISOString() });
  }
}

/**
 * Access requests: a user asks for a role (or a permission on resources) in a workspace for a
 * while; an administrator or the workspace's owner approves (creating a grant that expires)
 * or denies; both sides are notified in-app.
 */
export class AccessRequestService {
  constructor(
    private readonly knex: Knex,
    private readonly rbac: RbacService,
    private readonly notifications: NotificationService,
    private readonly listPrincipals: () => Promise<string[]>,
  ) {}

  private async row(id: string): Promise<RequestRow> {
    const row = (await this.knex<RequestRow>('rbac_access_requests').where({ id }).first()) as
      RequestRow | undefined;
    if (!row) throw new NotFoundError(`Access request '${id}' does not exist`);
    return row;
  }

  async get(id: string): Promise<AccessRequest> {
    return toRequest(await this.row(id));
  }

  /** Everyone who may decide requests for `workspace`: administrators and its owners. */
  async approversOf(workspace: string): Promise<string[]> {
    const approvers: string[] = [];
    for (const subject of await this.listPrincipals()) {
      if (await this.rbac.mayManageWorkspace(subject, workspace)) approvers.push(subject);
    }
    return approvers;
  }

  async create(
    requester: string,
    input: {
      workspace: string;
      role?: string;
      permission?: string;
      resource: string;
      reason: string;
      durationHours: number;
    },
  ): Promise<AccessRequest> {
    if (input.role && !(await this.rbac.listRoles()).some(r => r.name === input.role)) {
      throw new InputError(`Invalid access request: role: no role '${input.role}'`);
    }
    const pending = await this.knex('rbac_access_requests')
      .where({
        requester,
        workspace: input.workspace,
        role: input.role ?? null,
        permission: input.permission ?? null,
        status: 'pending',
      })
      .first('id');
    if (pending)
      throw new ConflictError(`You already have a pending request for this access (${pending.id})`);
    const row: RequestRow = {
      id: crypto.randomUUID(),
      requester,
      workspace: input.workspace,
      role: input.role ?? null,
      permission: input.permission ?? null,
      resource: input.resource,
      reason: input.reason,
      duration_hours: input.durationHours,
      status: 'pending',
      decided_by: null,
      decision_comment: null,
      decided_at: null,
      grant_id: null,
      created_at: new Date().toISOString(),
    };
    await this.knex('rbac_access_requests').insert(row);
    const what = input.role ? `role ${input.role}` : `permission ${input.permission}`;
    await this.notifications.notify(
      (await this.approversOf(input.workspace)).filter(a => a !== requester),
      {
        title: 'Access request',
        body: `${requester} asks for ${what} in ${input.workspace} for ${input.durationHours} h: ${input.reason}`,
        link: `/admin/access-requests?id=${row.id}`,
      },
    );
    return toRequest(row);
  }

  async listMine(requester: string): Promise<AccessRequest[]> {
    const rows = (await this.knex<RequestRow>('rbac_access_requests')
      .where({ requester })
      .orderBy('created_at', 'desc')) as RequestRow[];
    return rows.map(toRequest);
  }

  /** The requests `subject` may decide (all for admins, its workspaces' for owners). */
  async listDecidable(subject: string, status?: AccessRequestStatus): Promise<AccessRequest[]> {
    const query = this.knex<RequestRow>('rbac_access_requests')
      .orderBy('created_at', 'desc')
      .limit(500);
    if (status) query.where({ status });
    const rows = (await query) as RequestRow[];
    const admin = await this.rbac.isAdmin(subject);
    const result: AccessRequest[] = [];
    for (const row of rows) {
      if (admin || (await this.rbac.mayManageWorkspace(subject, row.workspace)))
        result.push(toRequest(row));
    }
    return result;
  }

  private async decidable(id: string, approver: string) {
    const row = await this.row(id);
    if (!(await this.rbac.mayManageWorkspace(approver, row.workspace))) {
      throw new NotAllowedError(
        `You may not decide access requests for workspace '${row.workspace}'`,
      );
    }
    if (row.requester === approver)
      throw new NotAllowedError('You cannot decide your own access request');
    if (row.status !== 'pending')
      throw new ConflictError(`Access request '${id}' is already ${row.status}`);
    return row;
  }

  async approve(id: string, approver: string, comment?: string): Promise<AccessRequest> {
    const row = await this.decidable(id, approver);
    const admin = await this.rbac.isAdmin(approver);
    if (row.role) await this.rbac.assertMayAssign(approver, admin, row.workspace, row.role);
    else if (!admin)
      throw new NotAllowedError('Only an administrator may grant a single permission');
    const expiresAt = new Date(Date.now() + Number(row.duration_hours) * 3600_000).toISOString();
    const grant = await this.rbac.createGrant(
      {
        subject: row.requester,
        ...(row.role ? { role: row.role } : {}),
        ...(row.permission ? { permission: row.permission } : {}),
        workspace: row.workspace,
        resource: row.resource,
        effect: 'allow',
        expiresAt,
        reason: `Access request ${row.id}: ${row.reason}`,
      },
      approver,
      'access-request',
    );
    const decided = await this.knex('rbac_access_requests')
      .where({ id, status: 'pending' })
      .update({
        status: 'approved',
        decided_by: approver,
        decision_comment: comment ?? null,
        decided_at: new Date().toISOString(),
        grant_id: grant.id,
      });
    if (!decided) {
      await this.rbac.deleteGrant(grant.id);
      throw new ConflictError(`Access request '${id}' was decided meanwhile`);
    }
    await this.notifications.notify([row.requester], {
      title: 'Access request approved',
      body: `${approver} approved your request for ${row.role ? `role ${row.role}` : `permission ${row.permission}`} in ${row.workspace} until ${expiresAt}${comment ? `: ${comment}` : ''}`,
      link: '/settings/access',
    });
    return this.get(id);
  }

  async deny(id: string, approver: string, comment?: string): Promise<AccessRequest> {
    const row = await this.decidable(id, approver);
    await this.knex('rbac_access_requests')
      .where({ id, status: 'pending' })
      .update({
        status: 'denied',
        decided_by: approver,
        decision_comment: comment ?? null,
        decided_at: new Date().toISOString(),
      });
    await this.notifications.notify([row.requester], {
      title: 'Access request denied',
      body: `${approver} denied your request for ${row.role ? `role ${row.role}` : `permission ${row.permission}`} in ${row.workspace}${comment ? `: ${comment}` : ''}`,
      link: '/settings/access',
    });
    return this.get(id);
  }

  async cancel(id: string, requester: string): Promise<AccessRequest> {
    const row = await this.row(id);
    if (row.requester !== requester)
      throw new NotFoundError(`Access request '${id}' does not exist`);
    if (row.status !== 'pending')
      throw new ConflictError(`Access request '${id}' is already ${row.status}`);
    await this.knex('rbac_access_requests')
      .where({ id })
      .update({ status: 'cancelled', decided_at: new Date().toISOString() });
    return this.get(id);
  }
}
