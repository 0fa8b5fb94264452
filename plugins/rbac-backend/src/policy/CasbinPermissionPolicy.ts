import { AuthorizeResult, type PolicyDecision } from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import type { RacinePolicyEngine } from './RacinePolicyEngine';

/**
 * The one Backstage PermissionPolicy of Racine: every decision is Casbin's. A request names
 * no workspace, so it is decided for all workspaces (`*`); workspace- and resource-scoped
 * grants answer through conditional decisions that the owning plugins apply.
 */
export class CasbinPermissionPolicy implements PermissionPolicy {
  constructor(private readonly engine: RacinePolicyEngine) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const principal = user?.credentials.principal as
      { type?: string; userEntityRef?: string } | undefined;
    if (!principal?.userEntityRef) return { result: AuthorizeResult.DENY };
    const allowed = await this.engine.isAllowed(principal.userEntityRef, request.permission.name);
    return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  }
}
