import { createPermission } from '@backstage/plugin-permission-common';

export const ruleSetViewPermission = createPermission({
  name: 'rule_sets.view',
  attributes: { action: 'read' },
});
export const ruleSetCreatePermission = createPermission({
  name: 'rule_sets.create',
  attributes: { action: 'create' },
});
export const ruleSetEditPermission = createPermission({
  name: 'rule_sets.edit',
  attributes: { action: 'update' },
});
export const ruleSetDeletePermission = createPermission({
  name: 'rule_sets.delete',
  attributes: { action: 'delete' },
});

export const ruleSetPermissions = [
  ruleSetViewPermission,
  ruleSetCreatePermission,
  ruleSetEditPermission,
  ruleSetDeletePermission,
];
