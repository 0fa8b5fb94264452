import { newModelFromString } from 'casbin';

/**
 * Racine's Casbin model: RBAC with domains (workspaces).
 * - sub: a user, group or service principal entity ref, or a role (`role:<name>`).
 * - dom: a workspace name, or `*` for every workspace.
 * - obj: a resource-ref pattern (`*` = any resource; `racine:datasources:datasource/prod-*`).
 * - act: a permission name or pattern (`datasource.*`, `*`).
 * - eft: allow or deny; one matching deny beats any allow.
 * Roles inherit through `g` lines, themselves scoped to a domain (`*` = all).
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
m = g(r.sub, p.sub, r.dom) && keyMatch(r.dom, p.dom) && keyMatch(r.obj, p.obj) && keyMatch(r.act, p.act)
`;

export function racineModel() {
  return newModelFromString(RACINE_CASBIN_MODEL);
}

/** Casbin subject for a role name. */
export function roleSubject(role: string): string {
  return role.startsWith('role:') ? role : `role:${role}`;
}
