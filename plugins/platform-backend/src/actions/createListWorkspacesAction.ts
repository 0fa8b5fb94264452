import { workspaceViewPermission } from '@racine/kernel-common';
import { createAction, type WorkspaceService } from '@racine/kernel-node';
import { z } from 'zod';
import { workspaceOutput } from './createCreateWorkspaceAction';

export function createListWorkspacesAction(workspaces: WorkspaceService) {
  return createAction({
    id: 'platform.listWorkspaces',
    title: 'List workspaces',
    description: 'Lists the workspaces, optionally only those matching a text.',
    input: z.object({
      query: z
        .string()
        .max(200)
        .optional()
        .describe('Only workspaces whose name, title or description contains this'),
    }),
    output: z.object({ items: z.array(workspaceOutput) }),
    permission: workspaceViewPermission,
    async handler({ input }) {
      const found = input.query
        ? await workspaces.search(input.query, 500)
        : await workspaces.list();
      return { items: found.map(w => ({ ref: `racine:kernel:workspace/${w.name}`, ...w })) };
    },
  });
}
