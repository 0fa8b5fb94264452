import { createPermission } from '@backstage/plugin-permission-common';

/** See frameworks, rules, findings, scores, waivers and reports. */
export const complianceViewPermission = createPermission({
  name: 'compliance.view',
  attributes: { action: 'read' },
});
/** Write custom rules and frameworks, acknowledge findings, request waivers. */
export const complianceEditPermission = createPermission({
  name: 'compliance.edit',
  attributes: { action: 'update' },
});
/** Start compliance evaluations (HTTP, action and workflow step). */
export const complianceEvaluatePermission = createPermission({
  name: 'compliance.evaluate',
  attributes: { action: 'update' },
});
/** Approve or reject waivers. */
export const complianceApprovePermission = createPermission({
  name: 'compliance.approve',
  attributes: { action: 'update' },
});

export const compliancePermissions = [
  complianceViewPermission,
  complianceEditPermission,
  complianceEvaluatePermission,
  complianceApprovePermission,
];
