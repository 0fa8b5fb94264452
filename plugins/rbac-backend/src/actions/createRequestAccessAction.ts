import { InputError } from '@backstage/errors';
import { actorOf, createAction, type WorkspaceService } from '@racine/kernel-node';
import { accessRequestBodySchema } from '@racine/plugin-rbac-common';
import { z } from 'zod';
import type { AccessRequestService } from '../services/AccessRequestService';

/** `rbac.requestAccess`: ask for a role (or permission) in a workspace, for a while. */
export function createRequestAccessAction(
  requests: AccessRequestService,
  workspaces: WorkspaceService,
) {
  return createAction({
    id: 'rbac.requestAccess',
    title: 'Request access',
    description:
      'Ask for a role or a permission in a workspace; an administrator or the workspace owner decides.',
    input: accessRequestBodySchema,
    output: z.object({ id: z.string(), status: z.string() }),
    summarize: input =>
      `Asked for ${input.role ? `role ${input.role}` : `permission ${input.permission}`} in ${input.workspace}`,
    async handler({ input, credentials }) {
      if (input.workspace !== '*' && !(await workspaces.exists(input.workspace))) {
        throw new InputError(`Invalid input: workspace: no workspace '${input.workspace}'`);
      }
      const request = await requests.create(actorOf(credentials), input);
      return { id: request.id, status: request.status };
    },
  });
}
