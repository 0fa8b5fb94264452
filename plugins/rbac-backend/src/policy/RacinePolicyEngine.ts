import type { Config } from '@backstage/config';
import type { KernelRegistries } from '@racine/kernel-node';
import { newEnforcer, Util, type Enforcer } from 'casbin';
import { BUILTIN_ROLES, type RoleDefinition } from './builtinRoles';
import { racineModel, roleSubject } from './model';

export interface GrantDefinition {
  subject: string;
  role: string;
  workspace: string;
}

/** Reads roles (`racine.rbac.roles`) and grants (`racine.rbac.grants`) from config. */
export function readRbacConfig(config: Config): {
  roles: RoleDefinition[];
  grants: GrantDefinition[];
} {
  const roles = (config.getOptionalConfigArray('racine.rbac.roles') ?? []).map(c => ({
    name: c.getString('name'),
    description: c.getOptionalString('description') ?? '',
    permissions: c.getOptionalStringArray('permissions') ?? [],
    inherits: c.getOptionalStringArray('inherits') ?? [],
  }));
  const grants = (config.getOptionalConfigArray('racine.rbac.grants') ?? []).map(c => ({
    subject: c.getString('subject'),
    role: c.getString('role'),
    workspace: c.getOptionalString('workspace') ?? '*',
  }));
  return { roles, grants };
}

/**
 * Owns the Casbin enforcer. Roles are the built-ins merged with config, then each plugin's
 * declared default grants; the enforcer is rebuilt lazily when a plugin registers more.
 */
export class RacinePolicyEngine {
  private enforcer?: Promise<Enforcer>;

  constructor(
    private readonly source: { roles: RoleDefinition[]; grants: GrantDefinition[] },
    private readonly registries?: KernelRegistries,
  ) {
    registries?.onChange(() => {
      this.enforcer = undefined;
    });
  }

  /** Role definitions in effect: built-ins, then config (same name extends), then plugin defaults. */
  roles(): RoleDefinition[] {
    const byName = new Map<string, RoleDefinition>();
    for (const role of [...BUILTIN_ROLES, ...this.source.roles]) {
      const existing = byName.get(role.name);
      byName.set(role.name, {
        name: role.name,
        description: role.description || existing?.description || '',
        permissions: [...new Set([...(existing?.permissions ?? []), ...role.permissions])],
        inherits: [...new Set([...(existing?.inherits ?? []), ...role.inherits])],
      });
    }
    for (const { item } of this.registries?.permissions ?? []) {
      for (const [roleName, names] of Object.entries(item.defaultGrants ?? {})) {
        const role = byName.get(roleName);
        if (role) role.permissions = [...new Set([...role.permissions, ...names])];
      }
    }
    return [...byName.values()];
  }

  private async build(): Promise<Enforcer> {
    const enforcer = await newEnforcer(racineModel());
    // Grants in `*` apply in every workspace, and so do role links made in `*`.
    await enforcer.addNamedDomainMatchingFunc('g', Util.keyMatchFunc);
    const policies: string[][] = [];
    const links: string[][] = [];
    for (const role of this.roles()) {
      for (const permission of role.permissions) {
        policies.push([roleSubject(role.name), '*', '*', permission, 'allow']);
      }
      for (const parent of role.inherits) {
        links.push([roleSubject(role.name), roleSubject(parent), '*']);
      }
    }
    for (const grant of this.source.grants) {
      links.push([grant.subject, roleSubject(grant.role), grant.workspace]);
    }
    if (policies.length) await enforcer.addPolicies(policies);
    if (links.length) await enforcer.addGroupingPolicies(links);
    return enforcer;
  }

  private current(): Promise<Enforcer> {
    this.enforcer ??= this.build();
    return this.enforcer;
  }

  /** Whether `subject` holds `permission` in `workspace` (`*` = everywhere) on `resource`. */
  async isAllowed(
    subject: string,
    permission: string,
    workspace = '*',
    resource = '*',
  ): Promise<boolean> {
    const enforcer = await this.current();
    return enforcer.enforce(subject, workspace, resource, permission);
  }
}
