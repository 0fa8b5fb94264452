import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { kernelRegistriesServiceRef } from '@racine/kernel-node';
import { CasbinPermissionPolicy } from './CasbinPermissionPolicy';
import { RacinePolicyEngine, readRbacConfig } from './RacinePolicyEngine';

/**
 * The one Casbin-backed policy of this process. Backstage's permission backend consults it
 * for HTTP callers, and the in-process permissions service consults it directly.
 */
export const racinePolicyServiceRef = createServiceRef<CasbinPermissionPolicy>({
  id: 'racine.rbac.policy',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { config: coreServices.rootConfig, registries: kernelRegistriesServiceRef },
      factory: ({ config, registries }) =>
        new CasbinPermissionPolicy(new RacinePolicyEngine(readRbacConfig(config), registries)),
    }),
});
