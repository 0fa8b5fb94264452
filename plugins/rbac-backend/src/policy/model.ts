import { globMatches } from '@racine/kernel-common';
import { newModelFromString } from 'casbin';

/**
 * Racine's Casbin model: RBAC with domains (workspaces).
 * - sub: a user, group or service principal ref, or a role (`role:<name>`).
 * - dom: a workspace name, or `*` for every workspace.
 * - obj: a resource-ref glob (`*` = any resource; `racine:datasources:datasource/prod-*`); a
 *   line whose obj starts with `?` carries an attribute condition (see encodeObject) that only
 *   the owning plugin can evaluate, so Casbin never matches it on its own.
 * - act: a permission name or glob (`datasource.*`, `*`).
 * - eft: allow or deny; one matching deny beats any allow.
 * Roles inherit through `g` lines, scoped to a domain (`*` = all); a `g` line in `*` applies
 * in every workspace, a `p` line in `*` likewise.
 */
export const RACINE_CASBIN_MODEL = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act, eft

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub, r.dom) && domMatch(r.dom, p.dom) && racineMatch(r.obj, p.obj) && racineMatch(r.act, p.act)
`;

export function racineModel() {
  return newModelFromString(RACINE_CASBIN_MODEL);
}

/** A policy domain matches a request domain when it is `*` or the same workspace. */
export function domainMatches(requestDomain: string, policyDomain: string): boolean {
  return policyDomain === '*' || policyDomain === requestDomain;
}

/** Casbin custom function `racineMatch` (Casbin's own globMatch stops at `/`): glob match where `*` matches any run (not keyMatch's prefix rule). */
export function casbinGlobMatch(...args: unknown[]): boolean {
  const [value, pattern] = args as [string, string];
  if (pattern.startsWith('?')) return false;
  return globMatches(pattern, value);
}

export function casbinDomainMatch(...args: unknown[]): boolean {
  const [requestDomain, policyDomain] = args as [string, string];
  return domainMatches(requestDomain, policyDomain);
}

/** Casbin subject for a role name. */
export function roleSubject(role: string): string {
  return role.startsWith('role:') ? role : `role:${role}`;
}
