import { workspaceViewPermission } from '@racine/kernel-common';
import type { SearchProvider, WorkspaceService } from '@racine/kernel-node';

/** Global search over workspaces: exact name first, then prefix, then substring. */
export function createWorkspaceSearchProvider(workspaces: WorkspaceService): SearchProvider {
  return {
    id: 'platform.workspaces',
    types: ['workspace'],
    permission: workspaceViewPermission,
    async search({ query, limit }) {
      const q = query.toLowerCase();
      const found = await workspaces.search(query, limit);
      return found.map(w => {
        const name = w.name.toLowerCase();
        const title = w.title.toLowerCase();
        const score =
          name === q || title === q ? 1 : name.startsWith(q) || title.startsWith(q) ? 0.8 : 0.5;
        return {
          ref: `racine:kernel:workspace/${w.name}`,
          type: 'workspace',
          title: w.title,
          snippet: w.description || `Workspace ${w.name}`,
          score,
          url: `/workspaces?selected=${encodeURIComponent(w.name)}`,
        };
      });
    },
  };
}
