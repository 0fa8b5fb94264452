import { createAction } from '@racine/kernel-node';
import { explainQuerySchema, rbacAdminPermission } from '@racine/plugin-rbac-common';
import { z } from 'zod';
import type { RbacService } from '../services/RbacService';

/** `rbac.explain`: can this subject do this here, and why (administrators). */
export function createExplainAction(rbac: RbacService) {
  return createAction({
    id: 'rbac.explain',
    title: 'Explain an access decision',
    description:
      'Answers whether a subject holds a permission (in a workspace, on a resource) and names the policy lines and role chain that decide.',
    input: explainQuerySchema,
    output: z.object({ result: z.string(), summary: z.string() }).passthrough(),
    permission: rbacAdminPermission,
    handler: async ({ input }) => ({ ...(await rbac.explain(input)) }),
  });
}
