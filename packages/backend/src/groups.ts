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
];
