/**
 * Names shared by Racine's policy (rbac) and the plugins that own governed resources: the
 * standard Backstage permission rules every governed resource type supports, so the policy
 * can narrow a resource permission to workspaces, resource-ref patterns and owners.
 */
export const ACCESS_RULES = {
  /** `{workspaces: string[]}`: the resource lives in one of these workspaces. */
  inWorkspace: 'IS_IN_WORKSPACE',
  /** `{patterns: string[]}`: the resource's ref matches one of these globs (`*` = anything). */
  matchesRef: 'MATCHES_RESOURCE_REF',
  /** `{owners: string[]}`: one of these entity refs owns the resource. */
  ownedBy: 'IS_OWNED_BY',
} as const;

/**
 * In a conditional grant's rule params, this value stands for the caller: the policy replaces
 * it with the caller's ownership refs (user and groups), e.g. `IS_OWNED_BY {owners: "$caller"}`.
 */
export const CALLER_PLACEHOLDER = '$caller';

/** Whether `value` matches a glob where `*` matches any run of characters (Casbin keyMatch). */
export function globMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === value;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
}
