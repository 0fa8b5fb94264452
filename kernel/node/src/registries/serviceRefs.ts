import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { KernelRegistries } from './KernelRegistries';
import type {
  ActionDefinition,
  NavigationRegistration,
  PermissionRegistration,
  SearchProvider,
  WorkflowStepRegistration,
} from './types';
import type { z } from 'zod';

/** Whether `racine.groups.<id>.enabled` leaves a group on (default true). */
export function isGroupEnabledInConfig(
  config: { getOptionalBoolean(key: string): boolean | undefined },
  groupId: string,
): boolean {
  return config.getOptionalBoolean(`racine.groups.${groupId}.enabled`) ?? true;
}

/** Root store of every registration; the kernel plugin reads it. */
export const kernelRegistriesServiceRef = createServiceRef<KernelRegistries>({
  id: 'racine.kernel.registries',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig },
      factory: ({ config }) => new KernelRegistries(id => isGroupEnabledInConfig(config, id)),
    }),
});

export interface NavigationRegistryService {
  register(item: NavigationRegistration): void;
}
export interface SearchRegistryService {
  register(provider: SearchProvider): void;
}
export interface ActionRegistryService {
  register<TInput extends z.ZodType, TOutput extends z.ZodType>(
    action: ActionDefinition<TInput, TOutput>,
  ): void;
}
export interface WorkflowStepRegistryService {
  register(step: WorkflowStepRegistration): void;
}
export interface PermissionRegistryService {
  register(registration: PermissionRegistration): void;
}

/**
 * The extension points are plugin-scoped services over one root store, so each
 * registration is stamped with the plugin that made it (a plugin cannot register an action
 * in another plugin's name).
 */
function registryRef<T>(id: string, make: (registries: KernelRegistries, pluginId: string) => T) {
  return createServiceRef<T>({
    id,
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { registries: kernelRegistriesServiceRef, plugin: coreServices.pluginMetadata },
        factory: ({ registries, plugin }) => make(registries, plugin.getId()),
      }),
  });
}

export const navigationRegistryServiceRef = registryRef<NavigationRegistryService>(
  'racine.kernel.navigation',
  (r, pluginId) => ({ register: item => r.addNavigation(pluginId, item) }),
);
export const searchRegistryServiceRef = registryRef<SearchRegistryService>(
  'racine.kernel.search',
  (r, pluginId) => ({ register: provider => r.addSearchProvider(pluginId, provider) }),
);
export const actionRegistryServiceRef = registryRef<ActionRegistryService>(
  'racine.kernel.actions',
  (r, pluginId) => ({
    register: action => r.addAction(pluginId, action as unknown as ActionDefinition),
  }),
);
export const workflowStepRegistryServiceRef = registryRef<WorkflowStepRegistryService>(
  'racine.kernel.workflow-steps',
  (r, pluginId) => ({ register: step => r.addWorkflowStep(pluginId, step) }),
);
export const permissionRegistryServiceRef = registryRef<PermissionRegistryService>(
  'racine.kernel.permissions',
  (r, pluginId) => ({ register: registration => r.addPermissions(pluginId, registration) }),
);
