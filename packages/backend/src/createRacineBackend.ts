import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendFeatureLoader,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import { racineDatabaseServiceFactory } from '@racine/kernel-node';
import {
  apiKeyHttpAuthServiceFactory,
  inProcessPermissionsServiceFactory,
  nativeAuthModule,
  oidcAuthModule,
  rbacPolicyModule,
  workspaceAccessServiceFactory,
} from '@racine/plugin-rbac-backend';
import { appServerPlugin } from './appServer';
import { GROUPS } from './groups';

/** Loads every group that `racine.groups.<id>.enabled` leaves on (default: on). */
export const racineGroupsLoader = createBackendFeatureLoader({
  deps: { config: coreServices.rootConfig },
  *loader({ config }) {
    for (const group of GROUPS) {
      if (config.getOptionalBoolean(`racine.groups.${group.id}.enabled`) ?? true) {
        yield* group.load();
      }
    }
  },
});

/** The Racine backend: Backstage core, the kernel, auth, permissions and the enabled groups. */
export function createRacineBackend(options: { overrides?: BackendFeature[] } = {}) {
  const backend = createBackend();
  // Users' permission checks are decided in-process by the same Casbin policy; every API
  // accepts personal API keys; workspace questions are answered by the same policy.
  backend.add(inProcessPermissionsServiceFactory);
  backend.add(apiKeyHttpAuthServiceFactory);
  backend.add(workspaceAccessServiceFactory);
  backend.add(racineDatabaseServiceFactory);
  for (const feature of options.overrides ?? []) backend.add(feature);
  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
  backend.add(import('@backstage/plugin-permission-backend'));
  // The policy, native and OIDC sign-in are always on; the rbac group (administration API) is
  // loaded with the other groups.
  backend.add(rbacPolicyModule);
  backend.add(nativeAuthModule);
  backend.add(oidcAuthModule);
  backend.add(import('@racine/kernel-backend'));
  backend.add(appServerPlugin);
  backend.add(racineGroupsLoader);
  return backend;
}
