import { createPermission } from '@backstage/plugin-permission-common';

/** Resource type of catalog assets: views and edits can be granted conditionally (ABAC). */
export const CATALOG_ASSET_RESOURCE_TYPE = 'data-catalog-asset';

/** ABAC rule: the asset's sensitivity is at most `{level}` (unclassified assets pass). */
export const SENSITIVITY_AT_MOST_RULE = 'HAS_SENSITIVITY_AT_MOST';

export const catalogViewPermission = createPermission({
  name: 'catalog.view',
  attributes: { action: 'read' },
  resourceType: CATALOG_ASSET_RESOURCE_TYPE,
});
export const catalogCreatePermission = createPermission({
  name: 'catalog.create',
  attributes: { action: 'create' },
});
export const catalogEditPermission = createPermission({
  name: 'catalog.edit',
  attributes: { action: 'update' },
  resourceType: CATALOG_ASSET_RESOURCE_TYPE,
});
/** Approve business glossary terms (draft → approved). */
export const catalogGlossaryApprovePermission = createPermission({
  name: 'catalog.glossary.approve',
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
  catalogGlossaryApprovePermission,
];
