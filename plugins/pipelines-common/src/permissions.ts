import { createPermission } from '@backstage/plugin-permission-common';

/** The group (plugin) id of job workflows and pipelines. */
export const PIPELINES_PLUGIN_ID = 'pipelines';

/** See jobs, their versions, runs, logs and pipeline templates. */
export const pipelinesViewPermission = createPermission({
  name: 'pipelines.view',
  attributes: { action: 'read' },
});
/** Create jobs and pipeline templates (also by import or instantiation). */
export const pipelinesCreatePermission = createPermission({
  name: 'pipelines.create',
  attributes: { action: 'create' },
});
/** Change jobs (a new version each time), roll them back, pause schedules; edit templates. */
export const pipelinesEditPermission = createPermission({
  name: 'pipelines.edit',
  attributes: { action: 'update' },
});
export const pipelinesDeletePermission = createPermission({
  name: 'pipelines.delete',
  attributes: { action: 'delete' },
});
/** Run jobs, cancel and repair runs. */
export const pipelinesRunPermission = createPermission({
  name: 'pipelines.run',
  attributes: { action: 'update' },
});
/** Decide approval tasks (`core.approval`) the caller is named in. */
export const pipelinesApprovePermission = createPermission({
  name: 'pipelines.approve',
  attributes: { action: 'update' },
});

export const pipelinesPermissions = [
  pipelinesViewPermission,
  pipelinesCreatePermission,
  pipelinesEditPermission,
  pipelinesDeletePermission,
  pipelinesRunPermission,
  pipelinesApprovePermission,
];

export const pipelinesPermissionDescriptions: Record<string, string> = {
  'pipelines.view': 'See jobs, versions, runs, logs and pipeline templates',
  'pipelines.create': 'Create jobs and pipeline templates (import, instantiate)',
  'pipelines.edit': 'Change jobs and templates, roll back versions, pause schedules',
  'pipelines.delete': 'Delete jobs and templates',
  'pipelines.run': 'Run jobs, cancel and repair runs',
  'pipelines.approve': 'Approve or deny approval tasks',
};

/** Default grants of the built-in roles (platform-admin holds `*`). */
export const pipelinesDefaultGrants: Record<string, string[]> = {
  viewer: ['pipelines.view'],
  'data-analyst': ['pipelines.view'],
  'data-owner': ['pipelines.view', 'pipelines.run'],
  'data-steward': [
    'pipelines.view',
    'pipelines.create',
    'pipelines.edit',
    'pipelines.run',
    'pipelines.approve',
  ],
  'compliance-officer': ['pipelines.view', 'pipelines.run', 'pipelines.approve'],
  auditor: ['pipelines.view'],
};
