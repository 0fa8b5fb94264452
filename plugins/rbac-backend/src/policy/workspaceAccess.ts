import { createServiceFactory } from '@backstage/backend-plugin-api';
import { globMatches, workspaceViewPermission } from '@racine/kernel-common';
import { workspaceAccessServiceRef } from '@racine/kernel-node';
import { apiKeyScopes } from './inProcessPermissions';
import { racinePolicyEngineServiceRef } from './policyEngineService';

/**
 * Racine's answers to workspace questions: the workspaces a caller belongs to (every one for
 * those who may view workspaces everywhere) and whether it holds a permission in one.
 */
export const workspaceAccessServiceFactory = createServiceFactory({
  service: workspaceAccessServiceRef,
  deps: { engine: racinePolicyEngineServiceRef },
  factory: ({ engine }) => {
    const subjectOf = (credentials: Parameters<typeof apiKeyScopes.get>[0]) => {
      const principal = credentials.principal as {
        type: string;
        userEntityRef?: string;
        subject?: string;
      };
      if (principal.type === 'user') return principal.userEntityRef;
      if (principal.type === 'service' && principal.subject?.startsWith('external:'))
        return principal.subject;
      return undefined;
    };
    return {
      async visibleWorkspaces(credentials) {
        const principal = credentials.principal as { type: string; subject?: string };
        if (principal.type === 'service' && !principal.subject?.startsWith('external:')) return '*';
        const subject = subjectOf(credentials);
        if (!subject) return [];
        const scope = apiKeyScopes.get(credentials);
        if (scope && !scope.some(p => globMatches(p, workspaceViewPermission.name))) return [];
        return (await engine.ready()).visibleWorkspaces(subject, workspaceViewPermission.name);
      },
      async isGrantedIn(credentials, permission, workspace) {
        const principal = credentials.principal as { type: string; subject?: string };
        if (principal.type === 'service' && !principal.subject?.startsWith('external:'))
          return true;
        const subject = subjectOf(credentials);
        if (!subject) return false;
        const scope = apiKeyScopes.get(credentials);
        if (scope && !scope.some(p => globMatches(p, permission.name))) return false;
        return (await engine.ready()).isAllowedIn(subject, permission.name, workspace);
      },
    };
  },
});
