import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { Permission } from '@backstage/plugin-permission-common';
import { workspaceViewPermission } from '@racine/kernel-common';
import { isGranted } from '../permissions';

/**
 * Workspace-aware questions Backstage's permission API cannot ask (its queries carry no
 * workspace). Racine's rbac plugin provides the implementation; the default here answers
 * from global grants only.
 */
export interface WorkspaceAccessService {
  /** The workspaces the caller belongs to; `'*'` when the caller may see every workspace. */
  visibleWorkspaces(credentials: BackstageCredentials): Promise<'*' | string[]>;
  /** Whether the caller holds `permission` in `workspace` (grants in `*` count everywhere). */
  isGrantedIn(
    credentials: BackstageCredentials,
    permission: Permission,
    workspace: string,
  ): Promise<boolean>;
}

export const workspaceAccessServiceRef = createServiceRef<WorkspaceAccessService>({
  id: 'racine.kernel.workspace-access',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { permissions: coreServices.permissions },
      factory: ({ permissions }) => ({
        async visibleWorkspaces(credentials) {
          return (await isGranted(permissions, credentials, workspaceViewPermission)) ? '*' : [];
        },
        isGrantedIn: (credentials, permission) => isGranted(permissions, credentials, permission),
      }),
    }),
});

/** Keeps the workspaces the caller belongs to (every one for those who may see all). */
export async function filterVisibleWorkspaces<T extends { name: string }>(
  access: WorkspaceAccessService,
  credentials: BackstageCredentials,
  workspaces: T[],
): Promise<T[]> {
  const visible = await access.visibleWorkspaces(credentials);
  return visible === '*' ? workspaces : workspaces.filter(w => visible.includes(w.name));
}
