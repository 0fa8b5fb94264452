import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { kernelRegistriesServiceRef, resourceAccessRegistryServiceRef } from '@racine/kernel-node';
import { PolicyStore } from '../database/PolicyStore';
import { rbacDatabaseServiceRef } from '../database/rbacDatabase';
import { CasbinPermissionPolicy } from './CasbinPermissionPolicy';
import { RacinePolicyEngine, readRbacConfig } from './RacinePolicyEngine';

/** The policy engine of this process (one per process, shared by every plugin). */
export const racinePolicyEngineServiceRef = createServiceRef<RacinePolicyEngine>({
  id: 'racine.rbac.policy-engine',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        registries: kernelRegistriesServiceRef,
        resourceTypes: resourceAccessRegistryServiceRef,
        db: rbacDatabaseServiceRef,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      async factory({ config, registries, resourceTypes, db, logger, lifecycle }) {
        const engine = new RacinePolicyEngine({
          store: new PolicyStore(db.knex),
          config: readRbacConfig(config),
          registries,
          resourceTypes,
          logger: logger.child({ plugin: 'rbac' }),
          pollIntervalMs: config.getOptionalNumber('racine.rbac.pollIntervalMs'),
        });
        await engine.start();
        lifecycle.addShutdownHook(() => engine.stop());
        return engine;
      },
    }),
});

/**
 * The Casbin-backed PermissionPolicy of this process. Backstage's permission backend consults
 * it for HTTP callers, and the in-process permissions service consults the same engine.
 */
export const racinePolicyServiceRef = createServiceRef<CasbinPermissionPolicy>({
  id: 'racine.rbac.policy',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { engine: racinePolicyEngineServiceRef },
      factory: ({ engine }) => new CasbinPermissionPolicy(engine),
    }),
});
