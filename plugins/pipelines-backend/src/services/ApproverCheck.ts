import type { AuthService, DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';
import type { ApproverCheck } from '../engine/RunEngine';

interface Grant {
  subject?: string;
  role?: string;
  workspace?: string;
  effect?: string;
  notBefore?: string;
  expiresAt?: string;
}

/** A grant in force now (time-bounded grants outside their window do not count). */
function inForce(grant: Grant, now = Date.now()): boolean {
  if (grant.notBefore && Date.parse(grant.notBefore) > now) return false;
  if (grant.expiresAt && Date.parse(grant.expiresAt) <= now) return false;
  return true;
}

/**
 * Who may decide an approval: a user named in its approvers (`user:default/alice`), or a
 * holder of a named role (`role:compliance-officer`) in the job's workspace, as the rbac
 * plugin's grants say (`GET /api/rbac/grants?subject=`). An empty list means anyone holding
 * `pipelines.approve` (checked by the route).
 */
export class RbacApproverCheck implements ApproverCheck {
  constructor(
    private readonly deps: {
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
    },
  ) {}

  async isApprover(user: string, approvers: string[], workspace: string): Promise<boolean> {
    if (approvers.length === 0) return true;
    if (approvers.includes(user)) return true;
    const roles = approvers.filter(a => a.startsWith('role:')).map(a => a.slice('role:'.length));
    if (roles.length === 0) return false;
    const granted = await this.rolesOf(user, workspace);
    return roles.some(r => granted.has(r));
  }

  private async rolesOf(user: string, workspace: string): Promise<Set<string>> {
    try {
      const { token } = await this.deps.auth.getPluginRequestToken({
        onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
        targetPluginId: 'rbac',
      });
      const base = await this.deps.discovery.getBaseUrl('rbac');
      const response = await fetch(`${base}/grants?subject=${encodeURIComponent(user)}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!response.ok) {
        this.deps.logger.warn(
          `Cannot read the roles of ${user} from the rbac plugin: HTTP ${response.status}`,
        );
        return new Set();
      }
      const body = (await response.json()) as { items?: Grant[]; grants?: Grant[] } | Grant[];
      const grants = Array.isArray(body) ? body : (body.items ?? body.grants ?? []);
      return new Set(
        grants
          .filter(g => g.subject === user && (g.effect ?? 'allow') === 'allow' && inForce(g))
          .filter(g => g.workspace === '*' || g.workspace === workspace)
          .map(g => g.role)
          .filter((r): r is string => typeof r === 'string'),
      );
    } catch (error) {
      this.deps.logger.warn(
        `Cannot read the roles of ${user} from the rbac plugin: ${(error as Error).message}`,
      );
      return new Set();
    }
  }
}
