import { createPermission } from '@backstage/plugin-permission-common';

export const catalogViewPermission = createPermission({
  name: 'catalog.view',
  attributes: { action: 'read' },
});
export const catalogCreatePermission = createPermission({
  name: 'catalog.create',
  attributes: { action: 'create' },
});
export const catalogEditPermission = createPermission({
  name: 'catalog.edit',
  attributes: { action: 'update' },
});
export const catalogDeletePermission = createPermission({
  name: 'catalog.delete',
  attributes: { action: 'delete' },
});
export const catalogClassifyPermission = createPermission({
  name: 'catalog.classify',
  attributes: { action: 'update' },
});
export const catalogLineagePermission = createPermission({
  name: 'catalog.lineage',
  attributes: { action: 'read' },
});

export const catalogPermissions = [
  catalogViewPermission,
  catalogCreatePermission,
  catalogEditPermission,
  catalogDeletePermission,
  catalogClassifyPermission,
  catalogLineagePermission,
];
