import { AuthorizeResult, type PolicyDecision } from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import type { RacinePolicyEngine } from './RacinePolicyEngine';

/**
 * The one Backstage PermissionPolicy of Racine: every decision is the Casbin policy's. A query
 * names no workspace or resource, so it is decided for all of them: ALLOW only when allowed
 * everywhere, CONDITIONAL (workspace, ref-pattern and attribute rules the owning plugin
 * applies) for resource permissions granted in part, DENY otherwise.
 */
export class CasbinPermissionPolicy implements PermissionPolicy {
  constructor(readonly engine: RacinePolicyEngine) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const principal = user?.credentials.principal as { userEntityRef?: string } | undefined;
    if (!principal?.userEntityRef) return { result: AuthorizeResult.DENY };
    const { permission } = request;
    return this.engine.decide(principal.userEntityRef, {
      name: permission.name,
      resourceType: 'resourceType' in permission ? permission.resourceType : undefined,
    });
  }
}
