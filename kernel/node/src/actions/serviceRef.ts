import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { activityLogServiceRef } from '../audit/serviceRefs';
import { kernelRegistriesServiceRef } from '../registries/serviceRefs';
import { ActionInvoker } from './ActionInvoker';

/**
 * Invokes kernel actions in-process (the workflow engine, the assistant): the same
 * authorize → validate → run → audit path as `POST /api/kernel/actions/:id`. Invocation
 * records are the kernel's, with the invoking plugin in their details.
 */
export const actionInvokerServiceRef = createServiceRef<ActionInvoker>({
  id: 'racine.kernel.action-invoker',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        registries: kernelRegistriesServiceRef,
        permissions: coreServices.permissions,
        log: activityLogServiceRef,
        logger: coreServices.logger,
        plugin: coreServices.pluginMetadata,
      },
      factory: ({ registries, permissions, log, logger, plugin }) =>
        new ActionInvoker({
          registries,
          permissions,
          logger,
          audit: {
            record: entry =>
              log.record('kernel', {
                ...entry,
                details:
                  plugin.getId() === 'kernel'
                    ? entry.details
                    : { ...entry.details, via: plugin.getId() },
              }),
          },
        }),
    }),
});

/**
 * Credentials standing for a user when work runs on their behalf without a request (a
 * scheduled job run as its owner). Racine decides users' permissions in-process, so these
 * are authorized exactly like the user's own requests; they carry no token, so code running
 * under them calls other plugins with its own service credentials.
 */
export function actingAsUser(userEntityRef: string): BackstageCredentials {
  return {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'user', userEntityRef },
  } as BackstageCredentials;
}
