import { createAction } from '@racine/kernel-node';
import {
  classificationViewPermission,
  classifyColumnRequestSchema,
} from '@racine/plugin-classifications-common';
import { z } from 'zod';
import type { EngineConfigService } from '../services/EngineConfigService';

export const classificationLabelOutput = z.object({
  classifierId: z.string(),
  confidence: z.number(),
  sensitivity: z.string(),
  categories: z.array(z.string()),
  evidence: z
    .object({
      sampledValues: z.number(),
      distinctValues: z.number(),
      matchShare: z.number().nullable(),
      summary: z.string(),
      examples: z.array(z.string()).describe('At most three masked examples'),
    })
    .loose(),
});

/**
 * Classifies one column with the engine as stewards configured it. The output carries labels
 * and their evidence (masked examples only), never the values given.
 */
export function createClassifyColumnAction(config: EngineConfigService) {
  return createAction({
    id: 'classifications.classifyColumn',
    title: 'Classify a column',
    description:
      'Detects sensitive data in a column from its name, table and sample values, with the configured classifiers and custom rules. Returns labels with confidence and evidence (masked examples only).',
    input: classifyColumnRequestSchema,
    output: z.object({ labels: z.array(classificationLabelOutput) }),
    permission: classificationViewPermission,
    summarize: input =>
      `Classified column '${input.column.tableName ? `${input.column.tableName}.` : ''}${input.column.name}' (${input.values.length} values)`,
    async handler({ input }) {
      const engine = await config.engine();
      const labels = engine.classifyColumn(input.column, input.values);
      return {
        labels: labels.map(l => ({
          ...l,
          categories: [...l.categories],
          evidence: { ...l.evidence },
        })),
      };
    },
  });
}
