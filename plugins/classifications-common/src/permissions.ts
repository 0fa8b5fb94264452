import { createPermission } from '@backstage/plugin-permission-common';

/** See the classifier library, custom rules, labels, the review queue and accuracy figures. */
export const classificationViewPermission = createPermission({
  name: 'classification.view',
  attributes: { action: 'read' },
});
/** Create custom rules. */
export const classificationCreatePermission = createPermission({
  name: 'classification.create',
  attributes: { action: 'create' },
});
/** Edit, enable and disable custom rules. */
export const classificationEditPermission = createPermission({
  name: 'classification.edit',
  attributes: { action: 'update' },
});
/** Delete custom rules. */
export const classificationDeletePermission = createPermission({
  name: 'classification.delete',
  attributes: { action: 'delete' },
});
/** Tune the classifier library: enable/disable, thresholds, sensitivity and category mapping. */
export const classificationTrainPermission = createPermission({
  name: 'classification.train',
  attributes: { action: 'update' },
});
/** Review labels: approve, reject, relabel, add manual labels, set auto-approval. */
export const classificationApprovePermission = createPermission({
  name: 'classification.approve',
  attributes: { action: 'update' },
});

export const classificationPermissions = [
  classificationViewPermission,
  classificationCreatePermission,
  classificationEditPermission,
  classificationDeletePermission,
  classificationTrainPermission,
  classificationApprovePermission,
];
