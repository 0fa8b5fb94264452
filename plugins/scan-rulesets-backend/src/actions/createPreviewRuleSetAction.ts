import { createAction } from '@racine/kernel-node';
import { ruleSetRef, ruleSetViewPermission } from '@racine/plugin-scan-rulesets-common';
import { z } from 'zod';
import type { PreviewService } from '../services/PreviewService';
import { previewOutput } from './outputSchemas';

export function createPreviewRuleSetAction(previews: PreviewService) {
  return createAction({
    id: 'scan-rulesets.preview',
    title: 'Preview a scan rule set',
    description:
      'Dry run: lists the tables and columns a scan of a data source with this rule set would read, without sampling any data.',
    input: z.object({
      ruleSetId: z.string().trim().min(1).max(64).describe('Rule set id, e.g. quick-pii'),
      dataSourceId: z.string().trim().min(1).max(200).describe('Data source id'),
      version: z
        .number()
        .int()
        .min(1)
        .optional()
        .describe('Rule set version (default: the current one)'),
    }),
    output: previewOutput,
    permission: ruleSetViewPermission,
    resourceRef: input => ruleSetRef(input.ruleSetId),
    summarize: input =>
      `Previewed rule set '${input.ruleSetId}' on data source '${input.dataSourceId}'`,
    async handler({ input, credentials }) {
      const { preview } = await previews.preview({ ...input, credentials });
      return preview;
    },
  });
}
