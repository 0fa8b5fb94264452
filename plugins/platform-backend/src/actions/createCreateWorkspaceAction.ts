import { workspaceCreatePermission, workspaceNameSchema } from '@racine/kernel-common';
import { createAction, type WorkspaceService } from '@racine/kernel-node';
import { z } from 'zod';

export const workspaceOutput = z.object({
  ref: z.string(),
  name: z.string(),
  title: z.string(),
  description: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export function createCreateWorkspaceAction(workspaces: WorkspaceService) {
  return createAction({
    id: 'platform.createWorkspace',
    title: 'Create workspace',
    description: 'Creates a workspace: a space that owns data sources, scans, policies and jobs.',
    input: z.object({
      name: workspaceNameSchema.describe('Identifier: lowercase letters, digits and dashes'),
      title: z.string().trim().min(1).max(255).describe('Display name'),
      description: z.string().max(4000).optional().describe('What the workspace is for'),
    }),
    output: workspaceOutput,
    permission: workspaceCreatePermission,
    resourceRef: input => `racine:kernel:workspace/${input.name}`,
    summarize: input => `Created workspace '${input.name}'`,
    async handler({ input, actor }) {
      const workspace = await workspaces.create(input, actor);
      return { ref: `racine:kernel:workspace/${workspace.name}`, ...workspace };
    },
  });
}
