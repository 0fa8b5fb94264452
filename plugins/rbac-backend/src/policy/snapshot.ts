import type {
  AccessCondition,
  RolePermission,
  RolePermissionInput,
} from '@racine/plugin-rbac-common';
import { roleSubject } from './model';

/** Where a policy line or link comes from, for explanations and the admin UI. */
export interface LineOrigin {
  kind: 'role' | 'grant' | 'config' | 'group';
  role?: string;
  grantId?: string;
  expiresAt?: string;
}

/** A Casbin `p` line plus what Racine knows about it. */
export interface PolicyLine {
  subject: string;
  workspace: string;
  /** Resource-ref glob, `*` for any. */
  resource: string;
  permission: string;
  effect: 'allow' | 'deny';
  /** An attribute condition the owning plugin evaluates (ABAC). */
  condition?: AccessCondition;
  origin: LineOrigin;
}

/** A Casbin `g` line: `subject` inherits from `parent` in `workspace`. */
export interface LinkLine {
  subject: string;
  parent: string;
  workspace: string;
  origin: LineOrigin;
}

export interface PolicySnapshot {
  lines: PolicyLine[];
  links: LinkLine[];
  /** Subjects whose accounts are disabled: every decision for them is DENY. */
  disabled: Set<string>;
  /** Epoch ms of the next not-before or expiry, when the policy must be rebuilt. */
  nextBoundary?: number;
}

export interface StoredRole {
  name: string;
  description: string;
  builtin: boolean;
  permissions: RolePermission[];
  inherits: string[];
}

export interface StoredGrant {
  id: string;
  subject: string;
  role?: string;
  permission?: string;
  workspace: string;
  resource: string;
  effect: 'allow' | 'deny';
  notBefore?: string;
  expiresAt?: string;
}

export interface PolicyRows {
  roles: StoredRole[];
  grants: StoredGrant[];
  /** Group membership: `member` (user or group ref) belongs to `group` (a group ref). */
  memberships: Array<{ group: string; member: string }>;
  disabledSubjects: string[];
}

export interface ConfigRole {
  name: string;
  description: string;
  permissions: RolePermissionInput[];
  inherits: string[];
}

export interface ConfigGrant {
  subject: string;
  role?: string;
  permission?: string;
  workspace: string;
  resource?: string;
  effect?: 'allow' | 'deny';
}

export interface ConfigPolicy {
  roles: ConfigRole[];
  grants: ConfigGrant[];
}

export function normalizeRolePermission(input: RolePermissionInput): RolePermission {
  if (typeof input === 'string') return { permission: input, resource: '*', effect: 'allow' };
  return {
    permission: input.permission,
    resource: input.resource ?? '*',
    effect: input.effect ?? 'allow',
    ...(input.condition ? { condition: input.condition } : {}),
  };
}

/** A role as the policy sees it: its stored definition plus what app-config adds. */
export interface EffectiveRole extends StoredRole {
  configPermissions: RolePermission[];
  configInherits: string[];
}

export function mergeRoles(stored: StoredRole[], config: ConfigRole[]): Map<string, EffectiveRole> {
  const roles = new Map<string, EffectiveRole>();
  for (const role of stored) {
    roles.set(role.name, { ...role, configPermissions: [], configInherits: [] });
  }
  for (const role of config) {
    const existing = roles.get(role.name) ?? {
      name: role.name,
      description: role.description,
      builtin: false,
      permissions: [],
      inherits: [],
      configPermissions: [],
      configInherits: [],
    };
    existing.configPermissions.push(...role.permissions.map(normalizeRolePermission));
    existing.configInherits.push(...role.inherits);
    if (!existing.description) existing.description = role.description;
    roles.set(role.name, existing);
  }
  return roles;
}

function isActive(grant: { notBefore?: string; expiresAt?: string }, now: number): boolean {
  return (
    (!grant.notBefore || Date.parse(grant.notBefore) <= now) &&
    (!grant.expiresAt || Date.parse(grant.expiresAt) > now)
  );
}

export function isGrantActive(grant: { notBefore?: string; expiresAt?: string }, now = Date.now()) {
  return isActive(grant, now);
}

/** Every permission entry a role holds, its own and inherited, with the role that holds it. */
function roleClosure(
  roles: Map<string, EffectiveRole>,
  name: string,
  seen = new Set<string>(),
): Array<{ entry: RolePermission; role: string }> {
  if (seen.has(name)) return [];
  seen.add(name);
  const role = roles.get(name);
  if (!role) return [];
  return [
    ...[...role.permissions, ...role.configPermissions].map(entry => ({ entry, role: name })),
    ...[...role.inherits, ...role.configInherits].flatMap(parent =>
      roleClosure(roles, parent, seen),
    ),
  ];
}

/**
 * Builds the policy in force at `now` from the stored rows and app-config: every role's
 * permission lines, role inheritance, group membership, and the grants valid now. A grant
 * of a role in a workspace is a `g` line; one narrowed to resources or denying is expanded to
 * `p` lines over the role's permissions, since `g` lines carry no resource or effect.
 */
export function buildSnapshot(
  rows: PolicyRows,
  config: ConfigPolicy,
  now = Date.now(),
): PolicySnapshot & { roles: Map<string, EffectiveRole> } {
  const roles = mergeRoles(rows.roles, config.roles);
  const lines: PolicyLine[] = [];
  const links: LinkLine[] = [];

  for (const role of roles.values()) {
    const subject = roleSubject(role.name);
    for (const [entries, kind] of [
      [role.permissions, 'role'],
      [role.configPermissions, 'config'],
    ] as const) {
      for (const entry of entries) {
        lines.push({
          subject,
          workspace: '*',
          resource: entry.resource,
          permission: entry.permission,
          effect: entry.effect,
          condition: entry.condition,
          origin: { kind, role: role.name },
        });
      }
    }
    for (const [parents, kind] of [
      [role.inherits, 'role'],
      [role.configInherits, 'config'],
    ] as const) {
      for (const parent of parents) {
        links.push({
          subject,
          parent: roleSubject(parent),
          workspace: '*',
          origin: { kind, role: role.name },
        });
      }
    }
  }

  for (const { group, member } of rows.memberships) {
    links.push({ subject: member, parent: group, workspace: '*', origin: { kind: 'group' } });
  }

  const addGrant = (
    grant: ConfigGrant & { resource: string; effect: 'allow' | 'deny' },
    origin: LineOrigin,
  ) => {
    if (grant.permission) {
      lines.push({
        subject: grant.subject,
        workspace: grant.workspace,
        resource: grant.resource,
        permission: grant.permission,
        effect: grant.effect,
        origin,
      });
      return;
    }
    if (!grant.role) return;
    if (grant.effect === 'allow' && grant.resource === '*') {
      links.push({
        subject: grant.subject,
        parent: roleSubject(grant.role),
        workspace: grant.workspace,
        origin: { ...origin, role: grant.role },
      });
      return;
    }
    for (const { entry, role } of roleClosure(roles, grant.role)) {
      // A denying grant denies what the role allows; it never turns the role's denies into allows.
      if (entry.effect === 'deny' && grant.effect === 'deny') continue;
      let resource = grant.resource;
      if (entry.resource !== '*' && grant.resource !== '*' && entry.resource !== grant.resource) {
        // Two different narrowings cannot be one glob: an allow keeps neither (deny-biased),
        // a deny keeps the grant's (wider) one.
        if (grant.effect === 'allow') continue;
      } else if (grant.resource === '*') {
        resource = entry.resource;
      }
      lines.push({
        subject: grant.subject,
        workspace: grant.workspace,
        resource,
        permission: entry.permission,
        effect: entry.effect === 'deny' ? 'deny' : grant.effect,
        condition: entry.condition,
        origin: { ...origin, role: role },
      });
    }
  };

  let nextBoundary: number | undefined;
  const consider = (time?: string) => {
    if (!time) return;
    const at = Date.parse(time);
    if (at > now && (nextBoundary === undefined || at < nextBoundary)) nextBoundary = at;
  };
  for (const grant of rows.grants) {
    consider(grant.notBefore);
    consider(grant.expiresAt);
    if (!isActive(grant, now)) continue;
    addGrant(grant, { kind: 'grant', grantId: grant.id, expiresAt: grant.expiresAt });
  }
  for (const grant of config.grants) {
    addGrant(
      { ...grant, resource: grant.resource ?? '*', effect: grant.effect ?? 'allow' },
      { kind: 'config' },
    );
  }

  return { lines, links, disabled: new Set(rows.disabledSubjects), nextBoundary, roles };
}

/** The Casbin `obj` of a line: its resource glob, or `?{…}` when it carries a condition. */
export function encodeObject(line: Pick<PolicyLine, 'resource' | 'condition'>): string {
  if (!line.condition) return line.resource;
  return `?${JSON.stringify({ resource: line.resource, ...line.condition })}`;
}

export function casbinPolicyOf(line: PolicyLine): string[] {
  return [line.subject, line.workspace, encodeObject(line), line.permission, line.effect];
}

export function casbinLinkOf(link: LinkLine): string[] {
  return [link.subject, link.parent, link.workspace];
}

export function formatLine(line: PolicyLine): string {
  return `p, ${casbinPolicyOf(line).join(', ')}`;
}

export function formatLink(link: LinkLine): string {
  return `g, ${casbinLinkOf(link).join(', ')}`;
}
