import { createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { racinePolicyServiceRef } from './policy/policyEngineService';

/** Installs Racine's Casbin-backed policy into Backstage's permission backend. */
export const rbacPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'racine-rbac-policy',
  register(env) {
    env.registerInit({
      deps: {
        policy: policyExtensionPoint,
        racinePolicy: racinePolicyServiceRef,
      },
      async init({ policy, racinePolicy }) {
        policy.setPolicy(racinePolicy);
      },
    });
  },
});
