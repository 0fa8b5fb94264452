import { createAction } from '@racine/kernel-node';
import { ruleSetViewPermission } from '@racine/plugin-scan-rulesets-common';
import { z } from 'zod';
import type { RuleSetService } from '../services/RuleSetService';
import { ruleSetOutput } from './outputSchemas';

export function createListRuleSetsAction(ruleSets: RuleSetService) {
  return createAction({
    id: 'scan-rulesets.list',
    title: 'List scan rule sets',
    description:
      'Lists the scan rule sets of the current workspace and the built-in ones, optionally only those whose name or description contains a text.',
    input: z.object({
      query: z
        .string()
        .trim()
        .max(200)
        .optional()
        .describe('Only rule sets whose name or description contains this'),
    }),
    output: z.object({ items: z.array(ruleSetOutput) }),
    permission: ruleSetViewPermission,
    async handler({ input, workspace }) {
      return { items: await ruleSets.list({ workspace, query: input.query || undefined }) };
    },
  });
}
