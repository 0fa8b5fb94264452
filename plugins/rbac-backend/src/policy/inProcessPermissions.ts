import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type PermissionsService,
  type PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  type AuthorizePermissionRequest,
  type AuthorizePermissionResponse,
  type Permission,
  type PolicyDecision,
  type QueryPermissionRequest,
  type QueryPermissionResponse,
} from '@backstage/plugin-permission-common';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import { globMatches } from '@racine/kernel-common';
import { resourceAccessRegistryServiceRef, type ResourceAccessRegistry } from '@racine/kernel-node';
import { racinePolicyEngineServiceRef } from './policyEngineService';
import type { CompiledPolicy } from './CompiledPolicy';
import type { RacinePolicyEngine } from './RacinePolicyEngine';

/**
 * Credentials that came from a personal API key, with the permission patterns the key is
 * scoped to. Keyed by the credentials object httpAuth returned, which plugins pass on to the
 * permissions service unchanged.
 */
export const apiKeyScopes = new WeakMap<BackstageCredentials, string[]>();

/** Whether credentials came from an API key (such callers cannot manage keys or passwords). */
export function isApiKeyCredentials(credentials: BackstageCredentials): boolean {
  return apiKeyScopes.has(credentials);
}

type Caller =
  { kind: 'policy'; subject: string; scope?: string[] } | { kind: 'trusted' } | { kind: 'none' };

function callerOf(credentials: BackstageCredentials): Caller {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return {
      kind: 'policy',
      subject: principal.userEntityRef,
      scope: apiKeyScopes.get(credentials),
    };
  }
  if (principal.type === 'service') {
    // Other plugins of this backend are trusted like Backstage trusts them; external
    // callers (static tokens, JWKS) are subjects of the policy like users.
    return principal.subject?.startsWith('external:')
      ? { kind: 'policy', subject: principal.subject }
      : { kind: 'trusted' };
  }
  return { kind: 'none' };
}

function query(permission: Permission) {
  return {
    name: permission.name,
    resourceType: isResourcePermission(permission) ? permission.resourceType : undefined,
  };
}

/**
 * Decides users' permission requests in-process with the same engine the permission backend
 * serves, instead of an HTTP round trip per check. Conditional decisions on a named resource
 * are applied in-process by the resource's governed type (kernel-node resource access); API
 * keys narrow every decision to their scope.
 */
export class InProcessPermissionsService implements PermissionsService {
  constructor(
    private readonly engine: RacinePolicyEngine,
    private readonly fallback: PermissionsService,
    private readonly resourceTypes?: ResourceAccessRegistry,
  ) {}

  /** Decides synchronously on the compiled policy (the hot path: no await per request). */
  private decideWith(
    compiled: CompiledPolicy,
    caller: Extract<Caller, { kind: 'policy' }>,
    permission: Permission,
  ): PolicyDecision {
    if (caller.scope && !caller.scope.some(pattern => globMatches(pattern, permission.name))) {
      return { result: AuthorizeResult.DENY };
    }
    return compiled.decide(caller.subject, query(permission));
  }

  async authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    const caller = callerOf(options.credentials);
    if (caller.kind === 'trusted') return this.fallback.authorize(requests, options);
    if (caller.kind === 'none') return requests.map(() => ({ result: AuthorizeResult.DENY }));
    const compiled = this.engine.current() ?? (await this.engine.ready());
    const responses: AuthorizePermissionResponse[] = new Array(requests.length);
    const pending: Promise<void>[] = [];
    requests.forEach((request, index) => {
      const decision = this.decideWith(compiled, caller, request.permission);
      if (decision.result !== AuthorizeResult.CONDITIONAL) {
        responses[index] = { result: decision.result };
        return;
      }
      pending.push(
        this.applyConditional(request, decision, options).then(response => {
          responses[index] = response;
        }),
      );
    });
    if (pending.length) await Promise.all(pending);
    return responses;
  }

  private async applyConditional(
    request: AuthorizePermissionRequest,
    decision: PolicyDecision & { result: AuthorizeResult.CONDITIONAL },
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse> {
    const resourceRef = (request as { resourceRef?: string }).resourceRef;
    if (!resourceRef) return { result: AuthorizeResult.DENY };
    const type = this.resourceTypes?.get(decision.resourceType);
    if (type) {
      const [allowed] = await type.applyConditions([resourceRef], decision);
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    // A type governed outside the kit: only the permission backend can apply it, with the caller's token.
    if (!(options.credentials as { token?: string }).token) return { result: AuthorizeResult.DENY };
    const [applied] = await this.fallback.authorize([request], options);
    return applied;
  }

  async authorizeConditional(
    queries: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    const caller = callerOf(options.credentials);
    if (caller.kind === 'trusted') return this.fallback.authorizeConditional(queries, options);
    if (caller.kind === 'none') return queries.map(() => ({ result: AuthorizeResult.DENY }));
    const compiled = this.engine.current() ?? (await this.engine.ready());
    return queries.map(
      q => this.decideWith(compiled, caller, q.permission) as QueryPermissionResponse,
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
    engine: racinePolicyEngineServiceRef,
    resourceTypes: resourceAccessRegistryServiceRef,
  },
  factory({ auth, config, discovery, engine, resourceTypes }) {
    return new InProcessPermissionsService(
      engine,
      ServerPermissionClient.fromConfig(config, { auth, discovery }),
      resourceTypes,
    );
  },
});
