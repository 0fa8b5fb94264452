import { createPermission } from '@backstage/plugin-permission-common';

export const RBAC_PLUGIN_ID = 'rbac';

/** Resource type of a workspace as a governed resource (ref `racine:kernel:workspace/<name>`). */
export const WORKSPACE_RESOURCE_TYPE = 'workspace';

/** Administer users, groups, roles, grants and access requests; explain any decision. */
export const rbacAdminPermission = createPermission({
  name: 'rbac.admin',
  attributes: { action: 'update' },
});

/**
 * Manage a workspace's members and decide its access requests. A resource permission, so a
 * grant in one workspace makes its holder that workspace's owner.
 */
export const workspaceManagePermission = createPermission({
  name: 'workspace.manage',
  attributes: { action: 'update' },
  resourceType: WORKSPACE_RESOURCE_TYPE,
});

export const rbacPermissions = [rbacAdminPermission, workspaceManagePermission];
