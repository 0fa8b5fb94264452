import type { BackendFeature } from '@backstage/backend-plugin-api';

/**
 * The governance groups an admin can switch off with `racine.groups.<id>.enabled: false`.
 * A group that is off is never loaded: it registers no routes, navigation, actions, search
 * providers or permissions. Add a group here when its backend plugin lands.
 */
export interface GroupDefinition {
  id: string;
  title: string;
  load(): Promise<{ default: BackendFeature }>[];
}

export const GROUPS: GroupDefinition[] = [
  {
    id: 'platform',
    title: 'Platform',
    load: () => [import('@racine/plugin-platform-backend')],
  },
  {
    id: 'datasources',
    title: 'Data sources',
    load: () => [import('@racine/plugin-datasources-backend')],
  },
  {
    id: 'scan-rulesets',
    title: 'Scan rule sets',
    load: () => [import('@racine/plugin-scan-rulesets-backend')],
  },
  {
    id: 'scans',
    title: 'Scans',
    load: () => [import('@racine/plugin-scans-backend')],
  },
  {
    id: 'data-catalog',
    title: 'Data catalog',
    load: () => [import('@racine/plugin-data-catalog-backend')],
  },
  {
    id: 'classifications',
    title: 'Classifications',
    load: () => [import('@racine/plugin-classifications-backend')],
  },
  {
    id: 'pipelines',
    title: 'Jobs and pipelines',
    load: () => [import('@racine/plugin-pipelines-backend')],
  },
  {
    id: 'compliance',
    title: 'Compliance',
    load: () => [import('@racine/plugin-compliance-backend')],
  },
  {
    // Off removes the administration API and pages; the policy, sign-in and API keys stay.
    id: 'rbac',
    title: 'Access control',
    load: () => [import('@racine/plugin-rbac-backend')],
  },
];
