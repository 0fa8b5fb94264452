import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type PermissionsService,
  type PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type AuthorizePermissionRequest,
  type AuthorizePermissionResponse,
  type QueryPermissionRequest,
  type QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import type { CasbinPermissionPolicy } from './CasbinPermissionPolicy';
import { racinePolicyServiceRef } from './policyEngineService';

/**
 * Decides users' permission requests in-process with the same policy the permission backend
 * serves, instead of an HTTP round trip per check. What needs the permission backend still
 * goes there: service principals (decided locally by Backstage's client) and conditional
 * decisions that must be applied to a specific resource.
 */
export class InProcessPermissionsService implements PermissionsService {
  constructor(
    private readonly policy: CasbinPermissionPolicy,
    private readonly fallback: PermissionsService,
  ) {}

  private userOf(credentials: BackstageCredentials) {
    const principal = credentials.principal as { type: string; userEntityRef?: string };
    if (principal.type !== 'user' || !principal.userEntityRef) return undefined;
    return {
      credentials,
      info: {
        userEntityRef: principal.userEntityRef,
        ownershipEntityRefs: [principal.userEntityRef],
      },
    };
  }

  async authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    const principal = options.credentials.principal as { type: string };
    if (principal.type === 'service') return this.fallback.authorize(requests, options);
    const user = this.userOf(options.credentials);
    if (!user) return requests.map(() => ({ result: AuthorizeResult.DENY }));
    return Promise.all(
      requests.map(async request => {
        const decision = await this.policy.handle({ permission: request.permission }, user);
        if (decision.result === AuthorizeResult.CONDITIONAL) {
          // Conditions are evaluated against the resource by its owning plugin.
          const [applied] = await this.fallback.authorize([request], options);
          return applied;
        }
        return { result: decision.result };
      }),
    );
  }

  async authorizeConditional(
    queries: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    const principal = options.credentials.principal as { type: string };
    if (principal.type === 'service') return this.fallback.authorizeConditional(queries, options);
    const user = this.userOf(options.credentials);
    if (!user) return queries.map(() => ({ result: AuthorizeResult.DENY }));
    return Promise.all(
      queries.map(
        query =>
          this.policy.handle(
            { permission: query.permission },
            user,
          ) as Promise<QueryPermissionResponse>,
      ),
    );
  }
}

/** Replaces Backstage's default permissions service for every plugin of this backend. */
export const inProcessPermissionsServiceFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {
    auth: coreServices.auth,
    config: coreServices.rootConfig,
    discovery: coreServices.discovery,
    policy: racinePolicyServiceRef,
  },
  factory({ auth, config, discovery, policy }) {
    return new InProcessPermissionsService(
      policy,
      ServerPermissionClient.fromConfig(config, { auth, discovery }),
    );
  },
});
