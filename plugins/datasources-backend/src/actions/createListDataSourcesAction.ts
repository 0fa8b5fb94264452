import { createAction } from '@racine/kernel-node';
import { datasourceViewPermission } from '@racine/plugin-datasources-common';
import { z } from 'zod';
import type { DataSourceService } from '../services/DataSourceService';

const summary = z.object({
  id: z.string(),
  ref: z.string(),
  name: z.string(),
  type: z.string(),
  environment: z.string(),
  owner: z.string(),
  tags: z.array(z.string()),
  workspace: z.string(),
  healthy: z
    .boolean()
    .nullable()
    .describe('Result of the latest connection check; null before the first'),
  lastCheckedAt: z.string().nullable(),
});

/** Lists data sources (never their configuration), e.g. for the palette or a workflow. */
export function createListDataSourcesAction(service: DataSourceService) {
  return createAction({
    id: 'datasources.list',
    title: 'List data sources',
    description:
      'Lists registered data sources with their type, environment, tags and latest health.',
    input: z.object({
      workspace: z.string().optional().describe('Only sources of this workspace'),
      type: z.string().optional().describe('Only sources of this connector type, e.g. postgres'),
      environment: z.string().optional().describe('Only sources of this environment, e.g. prod'),
      query: z
        .string()
        .max(200)
        .optional()
        .describe('Only sources whose name, type, environment, owner or tags contain this'),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    output: z.object({ items: z.array(summary), totalCount: z.number() }),
    permission: datasourceViewPermission,
    async handler({ input }) {
      const page = await service.list({
        workspace: input.workspace,
        type: input.type,
        environment: input.environment,
        q: input.query,
        limit: input.limit,
      });
      return {
        totalCount: page.totalCount,
        items: page.items.map(s => ({
          id: s.id,
          ref: s.ref,
          name: s.name,
          type: s.type,
          environment: s.environment,
          owner: s.owner,
          tags: s.tags,
          workspace: s.workspace,
          healthy: s.health ? s.health.ok : null,
          lastCheckedAt: s.health?.checkedAt ?? null,
        })),
      };
    },
  });
}
