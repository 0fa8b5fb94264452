import { createPermission } from '@backstage/plugin-permission-common';

/** Permissions owned by the kernel itself (workspaces and the activity trail). */
export const workspaceViewPermission = createPermission({
  name: 'workspace.view',
  attributes: { action: 'read' },
});
export const workspaceCreatePermission = createPermission({
  name: 'workspace.create',
  attributes: { action: 'create' },
});
export const workspaceEditPermission = createPermission({
  name: 'workspace.edit',
  attributes: { action: 'update' },
});
export const activityViewPermission = createPermission({
  name: 'activity.view',
  attributes: { action: 'read' },
});

export const kernelPermissions = [
  workspaceViewPermission,
  workspaceCreatePermission,
  workspaceEditPermission,
  activityViewPermission,
];
