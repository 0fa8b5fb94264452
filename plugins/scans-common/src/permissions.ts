import { createPermission } from '@backstage/plugin-permission-common';

/** See scan runs, their tables and logs, and schedules. */
export const scanLogicViewPermission = createPermission({
  name: 'scan_logic.view',
  attributes: { action: 'read' },
});
/** Create scan schedules. */
export const scanLogicCreatePermission = createPermission({
  name: 'scan_logic.create',
  attributes: { action: 'create' },
});
/** Change, pause, resume and delete scan schedules. */
export const scanLogicEditPermission = createPermission({
  name: 'scan_logic.edit',
  attributes: { action: 'update' },
});
/** Start and cancel scan runs. */
export const scanLogicExecutePermission = createPermission({
  name: 'scan_logic.execute',
  attributes: { action: 'update' },
});

export const scanLogicPermissions = [
  scanLogicViewPermission,
  scanLogicCreatePermission,
  scanLogicEditPermission,
  scanLogicExecutePermission,
];
