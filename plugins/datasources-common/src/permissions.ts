import { createPermission } from '@backstage/plugin-permission-common';

/** See data sources, their (secret-free) configuration and their health. */
export const datasourceViewPermission = createPermission({
  name: 'datasource.view',
  attributes: { action: 'read' },
});
/** Register new data sources (and test a configuration before saving it). */
export const datasourceCreatePermission = createPermission({
  name: 'datasource.create',
  attributes: { action: 'create' },
});
/** Change a data source's configuration, credentials, owner or tags. */
export const datasourceEditPermission = createPermission({
  name: 'datasource.edit',
  attributes: { action: 'update' },
});
export const datasourceDeletePermission = createPermission({
  name: 'datasource.delete',
  attributes: { action: 'delete' },
});
/** Run scans against a data source (checked by the scans group). */
export const datasourceScanPermission = createPermission({
  name: 'datasource.scan',
  attributes: { action: 'update' },
});
/** Test connections and watch the health of data sources. */
export const datasourceMonitorPermission = createPermission({
  name: 'datasource.monitor',
  attributes: { action: 'read' },
});
/** Security settings of data sources (credential rotation, access reviews). */
export const datasourceSecurityPermission = createPermission({
  name: 'datasource.security',
  attributes: { action: 'update' },
});

export const datasourcePermissions = [
  datasourceViewPermission,
  datasourceCreatePermission,
  datasourceEditPermission,
  datasourceDeletePermission,
  datasourceScanPermission,
  datasourceMonitorPermission,
  datasourceSecurityPermission,
];
