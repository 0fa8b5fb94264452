import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { isResourcePermission } from '@backstage/plugin-permission-common';
import type { KernelRegistries } from '@racine/kernel-node';
import type {
  ExplainResponse,
  Grant,
  GrantInput,
  Group,
  Role,
  RolePermission,
  RolePermissionInput,
  WorkspaceMember,
} from '@racine/plugin-rbac-common';
import type { Knex } from 'knex';
import { groupRef, type GrantRecord, type PolicyStore } from '../database/PolicyStore';
import type { RacinePolicyEngine } from '../policy/RacinePolicyEngine';
import { isGrantActive, normalizeRolePermission, type ConfigGrant } from '../policy/snapshot';

function toGrant(record: GrantRecord): Grant {
  return { ...record, active: isGrantActive(record) };
}

function configGrantOf(grant: ConfigGrant, index: number): Grant {
  return {
    id: `config-${index}`,
    subject: grant.subject,
    ...(grant.role ? { role: grant.role } : {}),
    ...(grant.permission ? { permission: grant.permission } : {}),
    workspace: grant.workspace,
    resource: grant.resource ?? '*',
    effect: grant.effect ?? 'allow',
    source: 'config',
    createdBy: 'app-config',
    createdAt: '',
    active: true,
  };
}

/**
 * Administration of the policy: roles, grants, groups, workspace members, and the questions
 * asked of it (explain, who holds what). Every change goes through PolicyStore.mutate (which
 * bumps the version other replicas watch) and reloads this replica's policy at once.
 */
export class RbacService {
  constructor(
    private readonly engine: RacinePolicyEngine,
    private readonly configGrants: ConfigGrant[],
    private readonly registries?: KernelRegistries,
  ) {}

  private get store(): PolicyStore {
    return this.engine.store;
  }

  private async change<T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    const result = await this.store.mutate(fn);
    await this.engine.reload();
    return result;
  }

  // Roles

  async listRoles(): Promise<Role[]> {
    return (await this.engine.roles()).map(r => ({
      name: r.name,
      description: r.description,
      builtin: r.builtin,
      permissions: r.permissions,
      inherits: r.inherits,
      configPermissions: r.configPermissions,
      configInherits: r.configInherits,
    }));
  }

  async getRole(name: string): Promise<Role> {
    const role = (await this.listRoles()).find(r => r.name === name);
    if (!role) throw new NotFoundError(`Role '${name}' does not exist`);
    return role;
  }

  private async checkParents(name: string, inherits: string[]) {
    const roles = await this.listRoles();
    const byName = new Map(roles.map(r => [r.name, r]));
    for (const parent of inherits) {
      if (!byName.has(parent)) throw new InputError(`Invalid role: inherits: no role '${parent}'`);
    }
    // Inheriting from a role that (transitively) inherits from this one would be a cycle.
    const reaches = (from: string, seen = new Set<string>()): boolean => {
      if (from === name) return true;
      if (seen.has(from)) return false;
      seen.add(from);
      const role = byName.get(from);
      return [...(role?.inherits ?? []), ...(role?.configInherits ?? [])].some(p =>
        reaches(p, seen),
      );
    };
    if (inherits.some(p => reaches(p))) {
      throw new InputError(`Invalid role: inherits: would make '${name}' inherit from itself`);
    }
  }

  async createRole(input: {
    name: string;
    description: string;
    permissions: RolePermissionInput[];
    inherits: string[];
  }): Promise<Role> {
    if ((await this.engine.roles()).some(r => r.name === input.name)) {
      throw new ConflictError(`Role '${input.name}' already exists`);
    }
    await this.checkParents(input.name, input.inherits);
    await this.change(trx =>
      this.store.createRole(trx, {
        name: input.name,
        description: input.description,
        builtin: false,
        permissions: input.permissions.map(normalizeRolePermission),
        inherits: input.inherits,
      }),
    );
    return this.getRole(input.name);
  }

  async updateRole(
    name: string,
    input: { description?: string; permissions?: RolePermissionInput[]; inherits?: string[] },
  ): Promise<Role> {
    const existing = (await this.store.listRoles()).find(r => r.name === name);
    if (!existing)
      throw new NotFoundError(
        `Role '${name}' is not stored (roles from app-config are edited there)`,
      );
    if (input.inherits) await this.checkParents(name, input.inherits);
    await this.change(trx =>
      this.store.updateRole(trx, name, {
        description: input.description,
        permissions: input.permissions?.map(normalizeRolePermission),
        inherits: input.inherits,
      }),
    );
    return this.getRole(name);
  }

  async deleteRole(name: string): Promise<void> {
    const role = await this.getRole(name);
    if (role.builtin) throw new ConflictError(`Role '${name}' is built in; edit it instead`);
    const grants = await this.store.listGrants({ role: name });
    const used = grants.length + this.configGrants.filter(g => g.role === name).length;
    if (used > 0)
      throw new ConflictError(
        `Role '${name}' is granted ${used} time(s); revoke those grants first`,
      );
    const children = (await this.listRoles()).filter(r => r.inherits.includes(name));
    if (children.length) {
      throw new ConflictError(
        `Role '${name}' is inherited by ${children.map(c => c.name).join(', ')}`,
      );
    }
    await this.change(trx => this.store.deleteRole(trx, name));
  }

  // Grants

  async listGrants(
    filter: { subject?: string; role?: string; workspace?: string } = {},
  ): Promise<Grant[]> {
    const stored = (await this.store.listGrants(filter)).map(toGrant);
    const config = this.configGrants
      .map(configGrantOf)
      .filter(
        g =>
          (!filter.subject || g.subject === filter.subject) &&
          (!filter.role || g.role === filter.role) &&
          (!filter.workspace || g.workspace === filter.workspace),
      );
    return [...config, ...stored];
  }

  async getGrant(id: string): Promise<Grant> {
    const grant = (await this.listGrants()).find(g => g.id === id);
    if (!grant) throw new NotFoundError(`Grant '${id}' does not exist`);
    return grant;
  }

  async createGrant(input: GrantInput, createdBy: string, source = 'admin'): Promise<Grant> {
    if (input.role && !(await this.engine.roles()).some(r => r.name === input.role)) {
      throw new InputError(`Invalid grant: role: no role '${input.role}'`);
    }
    const record = await this.change(trx =>
      this.store.createGrant(trx, {
        subject: input.subject,
        ...(input.role ? { role: input.role } : {}),
        ...(input.permission ? { permission: input.permission } : {}),
        workspace: input.workspace,
        resource: input.resource,
        effect: input.effect,
        ...(input.notBefore ? { notBefore: input.notBefore } : {}),
        ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
        source,
        createdBy,
      }),
    );
    return toGrant(record);
  }

  async deleteGrant(id: string): Promise<Grant> {
    if (id.startsWith('config-'))
      throw new ConflictError('Grants from app-config are changed in app-config');
    const grant = await this.store.getGrant(id);
    if (!grant) throw new NotFoundError(`Grant '${id}' does not exist`);
    await this.change(trx => this.store.deleteGrants(trx, [id]));
    return toGrant(grant);
  }

  // Groups

  async listGroups(): Promise<Group[]> {
    return (await this.store.listGroups()).map(g => ({ ...g, ref: groupRef(g.name) }));
  }

  async getGroup(name: string): Promise<Group> {
    const group = await this.store.getGroup(name);
    if (!group) throw new NotFoundError(`Group '${name}' does not exist`);
    return { ...group, ref: groupRef(name) };
  }

  private checkMembers(name: string, members: string[]) {
    if (members.includes(groupRef(name)))
      throw new InputError('Invalid group: members: a group cannot contain itself');
  }

  async createGroup(input: {
    name: string;
    title?: string;
    description: string;
    members: string[];
  }): Promise<Group> {
    this.checkMembers(input.name, input.members);
    await this.change(trx =>
      this.store.createGroup(trx, {
        name: input.name,
        title: input.title || input.name,
        description: input.description,
        members: input.members,
      }),
    );
    return this.getGroup(input.name);
  }

  async updateGroup(
    name: string,
    input: { title?: string; description?: string; members?: string[] },
  ): Promise<Group> {
    if (input.members) this.checkMembers(name, input.members);
    await this.change(trx => this.store.updateGroup(trx, name, input));
    return this.getGroup(name);
  }

  async deleteGroup(name: string): Promise<void> {
    await this.change(trx => this.store.deleteGroup(trx, name));
  }

  async addMember(name: string, member: string): Promise<Group> {
    this.checkMembers(name, [member]);
    await this.change(trx => this.store.addMember(trx, name, member));
    return this.getGroup(name);
  }

  async removeMember(name: string, member: string): Promise<Group> {
    await this.change(trx => this.store.removeMember(trx, name, member));
    return this.getGroup(name);
  }

  // Workspaces

  async workspaceMembers(workspace: string): Promise<WorkspaceMember[]> {
    const bySubject = new Map<string, WorkspaceMember>();
    for (const grant of await this.listGrants({ workspace })) {
      if (!grant.role || grant.effect !== 'allow' || grant.resource !== '*' || !grant.active)
        continue;
      const member = bySubject.get(grant.subject) ?? { subject: grant.subject, roles: [] };
      member.roles.push({
        role: grant.role,
        grantId: grant.id,
        ...(grant.expiresAt ? { expiresAt: grant.expiresAt } : {}),
        source: grant.source,
      });
      bySubject.set(grant.subject, member);
    }
    return [...bySubject.values()].sort((a, b) => a.subject.localeCompare(b.subject));
  }

  /**
   * Whether `actor` may hand out `role` in `workspace`: administrators may; a workspace owner
   * only when it holds, in that workspace, every permission the role carries (no escalation).
   */
  async assertMayAssign(
    actor: string,
    isAdmin: boolean,
    workspace: string,
    role: string,
  ): Promise<void> {
    if (isAdmin) return;
    const roles = await this.engine.roles();
    const byName = new Map(roles.map(r => [r.name, r]));
    if (!byName.has(role)) throw new InputError(`Invalid member: role: no role '${role}'`);
    const entries: RolePermission[] = [];
    const walk = (name: string, seen = new Set<string>()) => {
      if (seen.has(name)) return;
      seen.add(name);
      const r = byName.get(name);
      if (!r) return;
      entries.push(...r.permissions, ...r.configPermissions);
      [...r.inherits, ...r.configInherits].forEach(p => walk(p, seen));
    };
    walk(role);
    const compiled = await this.engine.ready();
    const missing = entries
      .filter(e => e.effect === 'allow')
      .filter(
        e =>
          !compiled.isAllowedIn(
            actor,
            e.permission,
            workspace,
            e.resource === '*' ? undefined : e.resource,
          ),
      );
    if (missing.length) {
      throw new NotAllowedError(
        `You cannot grant role '${role}' in ${workspace}: it carries permissions you do not hold there (${missing
          .map(m => m.permission)
          .slice(0, 5)
          .join(', ')})`,
      );
    }
  }

  async addWorkspaceMember(
    workspace: string,
    input: { subject: string; role: string; expiresAt?: string },
    createdBy: string,
  ): Promise<WorkspaceMember> {
    await this.createGrant(
      {
        subject: input.subject,
        role: input.role,
        workspace,
        resource: '*',
        effect: 'allow',
        expiresAt: input.expiresAt,
      },
      createdBy,
      'workspace',
    );
    const member = (await this.workspaceMembers(workspace)).find(m => m.subject === input.subject);
    return member!;
  }

  async removeWorkspaceMember(workspace: string, subject: string): Promise<number> {
    const grants = (await this.store.listGrants({ workspace, subject })).filter(g => g.role);
    if (grants.length === 0)
      throw new NotFoundError(`${subject} is not a member of workspace '${workspace}'`);
    await this.change(trx =>
      this.store.deleteGrants(
        trx,
        grants.map(g => g.id),
      ),
    );
    return grants.length;
  }

  // Questions

  private permissionQuery(name: string) {
    for (const { item } of this.registries?.permissions ?? []) {
      const permission = item.permissions.find(p => p.name === name);
      if (permission) {
        return {
          name,
          resourceType: isResourcePermission(permission) ? permission.resourceType : undefined,
        };
      }
    }
    return { name };
  }

  async explain(q: {
    subject: string;
    permission: string;
    workspace?: string;
    resource?: string;
  }): Promise<ExplainResponse> {
    return this.engine.explain(
      q.subject,
      this.permissionQuery(q.permission),
      q.workspace,
      q.resource,
    );
  }

  /** Every registered permission name, for "my access" and the role editor. */
  permissionNames(): string[] {
    const names = new Set<string>();
    for (const { item } of this.registries?.permissions ?? [])
      item.permissions.forEach(p => names.add(p.name));
    return [...names].sort();
  }

  async accessOf(subject: string) {
    const compiled = await this.engine.ready();
    const groups = compiled.ownershipOf(subject).filter(s => s !== subject);
    const grants = (await this.listGrants()).filter(
      g => g.subject === subject || groups.includes(g.subject),
    );
    return {
      userEntityRef: subject,
      groups,
      grants,
      permissions: compiled.permissionsOf(subject, this.permissionNames()),
    };
  }

  async isAdmin(subject: string): Promise<boolean> {
    return (await this.engine.decide(subject, { name: 'rbac.admin' })).result === 'ALLOW';
  }

  async mayManageWorkspace(subject: string, workspace: string): Promise<boolean> {
    if (await this.isAdmin(subject)) return true;
    return (await this.engine.ready()).isAllowedIn(subject, 'workspace.manage', workspace);
  }
}
