import crypto from 'node:crypto';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type { RolePermission } from '@racine/plugin-rbac-common';
import type { Knex } from 'knex';
import type { PolicyRows, StoredGrant, StoredRole } from '../policy/snapshot';

export interface GrantRecord extends StoredGrant {
  reason?: string;
  source: string;
  createdBy: string;
  createdAt: string;
}

export interface GroupRecord {
  name: string;
  title: string;
  description: string;
  members: string[];
}

export interface GrantFilter {
  subject?: string;
  role?: string;
  workspace?: string;
  ids?: string[];
}

type GrantRow = {
  id: string;
  subject: string;
  role: string | null;
  permission: string | null;
  workspace: string;
  resource: string;
  effect: string;
  not_before: string | null;
  expires_at: string | null;
  reason: string | null;
  source: string;
  created_by: string;
  created_at: string;
};

function toGrant(row: GrantRow): GrantRecord {
  return {
    id: row.id,
    subject: row.subject,
    ...(row.role ? { role: row.role } : {}),
    ...(row.permission ? { permission: row.permission } : {}),
    workspace: row.workspace,
    resource: row.resource,
    effect: row.effect === 'deny' ? 'deny' : 'allow',
    ...(row.not_before ? { notBefore: row.not_before } : {}),
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    source: row.source,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export const groupRef = (name: string) => `group:default/${name}`;
export const userRef = (username: string) => `user:default/${username}`;

/**
 * The policy's tables: roles and their permission lines, role inheritance, grants, groups and
 * the policy version row. Every mutation runs in a transaction that bumps the version, which
 * is how other replicas learn that the policy changed.
 */
export class PolicyStore {
  constructor(readonly knex: Knex) {}

  async version(): Promise<number> {
    const row = await this.knex('rbac_policy_version').where({ id: 1 }).first('version');
    return Number(row?.version ?? 0);
  }

  /** Runs `fn` in a transaction and bumps the policy version with it. */
  async mutate<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.knex.transaction(async trx => {
      const result = await fn(trx);
      await trx('rbac_policy_version')
        .where({ id: 1 })
        .update({ version: trx.raw('version + 1'), updated_at: new Date().toISOString() });
      return result;
    });
  }

  /** Everything the policy is built from. */
  async loadAll(): Promise<PolicyRows> {
    const [roles, grants, memberships, disabled] = await Promise.all([
      this.listRoles(),
      this.knex<GrantRow>('rbac_grants').select(),
      this.knex('rbac_group_members').select('group_name', 'member'),
      this.knex('rbac_users').where({ disabled: true }).select('username'),
    ]);
    return {
      roles,
      grants: (grants as GrantRow[]).map(toGrant),
      memberships: (memberships as Array<{ group_name: string; member: string }>).map(m => ({
        group: groupRef(m.group_name),
        member: m.member,
      })),
      disabledSubjects: (disabled as Array<{ username: string }>).map(u => userRef(u.username)),
    };
  }

  // Roles

  async listRoles(db: Knex = this.knex): Promise<StoredRole[]> {
    const [roles, permissions, parents] = await Promise.all([
      db('rbac_roles').select().orderBy('name'),
      db('rbac_role_permissions').select().orderBy('id'),
      db('rbac_role_parents').select().orderBy(['role', 'parent']),
    ]);
    const byRole = new Map<string, StoredRole>();
    for (const r of roles as Array<{
      name: string;
      description: string;
      builtin: boolean | number;
    }>) {
      byRole.set(r.name, {
        name: r.name,
        description: r.description,
        builtin: Boolean(r.builtin),
        permissions: [],
        inherits: [],
      });
    }
    for (const p of permissions as Array<{
      role: string;
      permission: string;
      resource: string;
      effect: string;
      condition: string | null;
    }>) {
      byRole.get(p.role)?.permissions.push({
        permission: p.permission,
        resource: p.resource,
        effect: p.effect === 'deny' ? 'deny' : 'allow',
        ...(p.condition ? { condition: JSON.parse(p.condition) } : {}),
      });
    }
    for (const p of parents as Array<{ role: string; parent: string }>) {
      byRole.get(p.role)?.inherits.push(p.parent);
    }
    return [...byRole.values()];
  }

  private async writeRoleBody(
    trx: Knex.Transaction,
    name: string,
    permissions: RolePermission[],
    inherits: string[],
  ) {
    await trx('rbac_role_permissions').where({ role: name }).delete();
    await trx('rbac_role_parents').where({ role: name }).delete();
    const unique = [...new Map(permissions.map(p => [JSON.stringify(p), p])).values()];
    for (let i = 0; i < unique.length; i += 200) {
      await trx('rbac_role_permissions').insert(
        unique.slice(i, i + 200).map(p => ({
          role: name,
          permission: p.permission,
          resource: p.resource,
          effect: p.effect,
          condition: p.condition ? JSON.stringify(p.condition) : null,
        })),
      );
    }
    const parents = [...new Set(inherits)];
    if (parents.length) {
      await trx('rbac_role_parents').insert(parents.map(parent => ({ role: name, parent })));
    }
  }

  async createRole(trx: Knex.Transaction, role: StoredRole): Promise<void> {
    const now = new Date().toISOString();
    const inserted = await trx('rbac_roles')
      .insert({
        name: role.name,
        description: role.description,
        builtin: role.builtin,
        created_at: now,
        updated_at: now,
      })
      .onConflict('name')
      .ignore()
      .returning('name');
    if (inserted.length === 0) throw new ConflictError(`Role '${role.name}' already exists`);
    await this.writeRoleBody(trx, role.name, role.permissions, role.inherits);
  }

  async updateRole(
    trx: Knex.Transaction,
    name: string,
    update: { description?: string; permissions?: RolePermission[]; inherits?: string[] },
  ): Promise<void> {
    const existing = (await this.listRoles(trx)).find(r => r.name === name);
    if (!existing) throw new NotFoundError(`Role '${name}' does not exist`);
    await trx('rbac_roles')
      .where({ name })
      .update({
        description: update.description ?? existing.description,
        updated_at: new Date().toISOString(),
      });
    await this.writeRoleBody(
      trx,
      name,
      update.permissions ?? existing.permissions,
      update.inherits ?? existing.inherits,
    );
  }

  async deleteRole(trx: Knex.Transaction, name: string): Promise<void> {
    await trx('rbac_role_permissions').where({ role: name }).delete();
    await trx('rbac_role_parents').where({ role: name }).delete();
    await trx('rbac_role_parents').where({ parent: name }).delete();
    const deleted = await trx('rbac_roles').where({ name }).delete();
    if (!deleted) throw new NotFoundError(`Role '${name}' does not exist`);
  }

  /**
   * Seeds built-in roles and the plugins' default grants, each once: a default an admin later
   * removes stays removed. Returns whether anything was added.
   */
  async seedDefaults(
    roles: Array<{ name: string; description: string; permissions: string[]; inherits: string[] }>,
  ): Promise<boolean> {
    const seeded = new Set(
      ((await this.knex('rbac_seeds').select('key')) as Array<{ key: string }>).map(r => r.key),
    );
    const missing = roles.some(
      role =>
        !seeded.has(`role|${role.name}`) ||
        role.permissions.some(p => !seeded.has(`perm|${role.name}|${p}`)),
    );
    if (!missing) return false;
    return this.mutate(async trx => {
      const done = new Set(
        ((await trx('rbac_seeds').select('key')) as Array<{ key: string }>).map(r => r.key),
      );
      const existing = new Set(
        ((await trx('rbac_roles').select('name')) as Array<{ name: string }>).map(r => r.name),
      );
      const now = new Date().toISOString();
      let added = false;
      const keys: string[] = [];
      for (const role of roles) {
        const roleKey = `role|${role.name}`;
        if (!done.has(roleKey)) {
          keys.push(roleKey);
          if (!existing.has(role.name)) {
            await trx('rbac_roles').insert({
              name: role.name,
              description: role.description,
              builtin: true,
              created_at: now,
              updated_at: now,
            });
            existing.add(role.name);
            const parents = role.inherits.map(parent => ({ role: role.name, parent }));
            if (parents.length) await trx('rbac_role_parents').insert(parents);
            added = true;
          }
        }
        if (!existing.has(role.name)) continue;
        const fresh = role.permissions.filter(p => !done.has(`perm|${role.name}|${p}`));
        if (fresh.length) {
          const present = new Set(
            (
              (await trx('rbac_role_permissions')
                .where({ role: role.name, resource: '*', effect: 'allow' })
                .whereNull('condition')
                .select('permission')) as Array<{ permission: string }>
            ).map(r => r.permission),
          );
          const rows = fresh
            .filter(p => !present.has(p))
            .map(permission => ({ role: role.name, permission, resource: '*', effect: 'allow' }));
          for (let i = 0; i < rows.length; i += 200) {
            await trx('rbac_role_permissions').insert(rows.slice(i, i + 200));
          }
          added ||= rows.length > 0;
          keys.push(...fresh.map(p => `perm|${role.name}|${p}`));
        }
      }
      for (let i = 0; i < keys.length; i += 200) {
        await trx('rbac_seeds')
          .insert(keys.slice(i, i + 200).map(key => ({ key })))
          .onConflict('key')
          .ignore();
      }
      return added;
    });
  }

  // Grants

  async listGrants(filter: GrantFilter = {}, db: Knex = this.knex): Promise<GrantRecord[]> {
    const query = db<GrantRow>('rbac_grants').select().orderBy('created_at').orderBy('id');
    if (filter.subject) query.where({ subject: filter.subject });
    if (filter.role) query.where({ role: filter.role });
    if (filter.workspace) query.where({ workspace: filter.workspace });
    if (filter.ids) query.whereIn('id', filter.ids);
    return ((await query) as GrantRow[]).map(toGrant);
  }

  async getGrant(id: string): Promise<GrantRecord | undefined> {
    const row = (await this.knex<GrantRow>('rbac_grants').where({ id }).first()) as
      GrantRow | undefined;
    return row ? toGrant(row) : undefined;
  }

  async createGrant(
    trx: Knex.Transaction,
    grant: Omit<GrantRecord, 'id' | 'createdAt'>,
  ): Promise<GrantRecord> {
    const record: GrantRecord = {
      ...grant,
      id: crypto.randomUUID(),
      createdAt: new Date().toISOString(),
    };
    await trx('rbac_grants').insert({
      id: record.id,
      subject: record.subject,
      role: record.role ?? null,
      permission: record.permission ?? null,
      workspace: record.workspace,
      resource: record.resource,
      effect: record.effect,
      not_before: record.notBefore ?? null,
      expires_at: record.expiresAt ?? null,
      reason: record.reason ?? null,
      source: record.source,
      created_by: record.createdBy,
      created_at: record.createdAt,
    });
    return record;
  }

  async deleteGrants(trx: Knex.Transaction, ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return trx('rbac_grants').whereIn('id', ids).delete();
  }

  // Groups

  async listGroups(): Promise<GroupRecord[]> {
    const [groups, members] = await Promise.all([
      this.knex('rbac_groups').select().orderBy('name'),
      this.knex('rbac_group_members').select().orderBy('member'),
    ]);
    const byName = new Map<string, GroupRecord>();
    for (const g of groups as Array<{ name: string; title: string; description: string }>) {
      byName.set(g.name, { name: g.name, title: g.title, description: g.description, members: [] });
    }
    for (const m of members as Array<{ group_name: string; member: string }>) {
      byName.get(m.group_name)?.members.push(m.member);
    }
    return [...byName.values()];
  }

  async getGroup(name: string): Promise<GroupRecord | undefined> {
    return (await this.listGroups()).find(g => g.name === name);
  }

  async groupsOf(member: string): Promise<string[]> {
    const rows = (await this.knex('rbac_group_members')
      .where({ member })
      .select('group_name')) as Array<{
      group_name: string;
    }>;
    return rows.map(r => groupRef(r.group_name));
  }

  async createGroup(trx: Knex.Transaction, group: GroupRecord): Promise<void> {
    const inserted = await trx('rbac_groups')
      .insert({
        name: group.name,
        title: group.title,
        description: group.description,
        created_at: new Date().toISOString(),
      })
      .onConflict('name')
      .ignore()
      .returning('name');
    if (inserted.length === 0) throw new ConflictError(`Group '${group.name}' already exists`);
    await this.setMembers(trx, group.name, group.members);
  }

  async updateGroup(
    trx: Knex.Transaction,
    name: string,
    update: { title?: string; description?: string; members?: string[] },
  ): Promise<void> {
    const found = await trx('rbac_groups').where({ name }).first('name');
    if (!found) throw new NotFoundError(`Group '${name}' does not exist`);
    const patch: Record<string, string> = {};
    if (update.title !== undefined) patch.title = update.title;
    if (update.description !== undefined) patch.description = update.description;
    if (Object.keys(patch).length) await trx('rbac_groups').where({ name }).update(patch);
    if (update.members) await this.setMembers(trx, name, update.members);
  }

  private async setMembers(trx: Knex.Transaction, name: string, members: string[]) {
    await trx('rbac_group_members').where({ group_name: name }).delete();
    const unique = [...new Set(members)];
    for (let i = 0; i < unique.length; i += 200) {
      await trx('rbac_group_members').insert(
        unique.slice(i, i + 200).map(member => ({ group_name: name, member })),
      );
    }
  }

  async addMember(trx: Knex.Transaction, name: string, member: string): Promise<void> {
    const found = await trx('rbac_groups').where({ name }).first('name');
    if (!found) throw new NotFoundError(`Group '${name}' does not exist`);
    await trx('rbac_group_members')
      .insert({ group_name: name, member })
      .onConflict(['group_name', 'member'])
      .ignore();
  }

  async removeMember(trx: Knex.Transaction, name: string, member: string): Promise<void> {
    const deleted = await trx('rbac_group_members').where({ group_name: name, member }).delete();
    if (!deleted) throw new NotFoundError(`${member} is not a member of group '${name}'`);
  }

  async deleteGroup(trx: Knex.Transaction, name: string): Promise<void> {
    await trx('rbac_group_members').where({ group_name: name }).delete();
    await trx('rbac_group_members')
      .where({ member: groupRef(name) })
      .delete();
    const deleted = await trx('rbac_groups').where({ name }).delete();
    if (!deleted) throw new NotFoundError(`Group '${name}' does not exist`);
  }
}
