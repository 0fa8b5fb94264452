import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { kernelRegistriesServiceRef } from '@racine/kernel-node';
import { CasbinPermissionPolicy } from './policy/CasbinPermissionPolicy';
import { RacinePolicyEngine, readRbacConfig } from './policy/RacinePolicyEngine';

/** Installs Racine's Casbin-backed policy into Backstage's permission backend. */
export const rbacPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'racine-rbac-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        registries: kernelRegistriesServiceRef,
      },
      async init({ policy, config, registries }) {
        policy.setPolicy(
          new CasbinPermissionPolicy(new RacinePolicyEngine(readRbacConfig(config), registries)),
        );
      },
    });
  },
});
