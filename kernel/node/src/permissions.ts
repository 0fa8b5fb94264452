import type { BackstageCredentials, PermissionsService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  type BasicPermission,
  type Permission,
} from '@backstage/plugin-permission-common';

/**
 * The names of the given permissions the caller holds at all, in one batched round trip
 * per kind. A resource permission that is conditionally granted counts: it gates whether a
 * feature is shown, while the owning plugin filters the resources themselves.
 */
export async function grantedPermissionNames(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  candidates: Permission[],
): Promise<Set<string>> {
  const unique = [...new Map(candidates.map(p => [p.name, p])).values()];
  const basic = unique.filter(p => !isResourcePermission(p)) as BasicPermission[];
  const resource = unique.filter(p => isResourcePermission(p));
  const granted = new Set<string>();
  if (basic.length > 0) {
    const decisions = await permissions.authorize(
      basic.map(permission => ({ permission })),
      { credentials },
    );
    decisions.forEach((d, i) => d.result === AuthorizeResult.ALLOW && granted.add(basic[i].name));
  }
  if (resource.length > 0) {
    const decisions = await permissions.authorizeConditional(
      resource.map(permission => ({ permission })) as Parameters<
        PermissionsService['authorizeConditional']
      >[0],
      { credentials },
    );
    decisions.forEach((d, i) => d.result !== AuthorizeResult.DENY && granted.add(resource[i].name));
  }
  return granted;
}

/** Whether the caller holds one permission (conditional grants count, see above). */
export async function isGranted(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: Permission,
): Promise<boolean> {
  return (await grantedPermissionNames(permissions, credentials, [permission])).has(
    permission.name,
  );
}
