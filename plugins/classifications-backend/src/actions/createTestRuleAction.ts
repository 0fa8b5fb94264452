import { createAction } from '@racine/kernel-node';
import {
  classificationCreatePermission,
  customRuleDefinitionSchema,
  customRuleIdSchema,
} from '@racine/plugin-classifications-common';
import { z } from 'zod';
import type { RuleTester } from '../services/RuleTester';

/**
 * Tests a custom rule definition (or a saved rule) against pasted values, without saving it.
 * Answers whether it fires, with its confidence and evidence, and which values matched.
 */
export function createTestRuleAction(tester: RuleTester) {
  return createAction({
    id: 'classifications.testRule',
    title: 'Test a classification rule',
    description:
      'Runs a custom rule (regex on values or names, dictionary, or composite) against values you paste, before saving it: whether it fires, its confidence, evidence and which values matched.',
    input: z
      .object({
        definition: customRuleDefinitionSchema.optional().describe('The rule definition to test'),
        ruleId: customRuleIdSchema.optional().describe('A saved rule to test instead'),
        values: z.array(z.string().max(4000)).max(1000).describe('Values to test the rule on'),
        columnName: z
          .string()
          .trim()
          .min(1)
          .max(255)
          .default('values')
          .describe('Column name (for name rules)'),
        tableName: z.string().trim().max(255).default('').describe('Table name (for name rules)'),
      })
      .refine(b => b.definition !== undefined || b.ruleId !== undefined, {
        message: 'give a definition or a ruleId',
        path: ['definition'],
      }),
    output: z.object({
      fired: z.boolean(),
      confidence: z.number(),
      threshold: z.number(),
      matches: z.array(z.boolean()).optional(),
      evidence: z.object({ summary: z.string(), examples: z.array(z.string()) }).loose(),
    }),
    permission: classificationCreatePermission,
    summarize: input =>
      `Tested ${input.ruleId ? `rule ${input.ruleId}` : `a ${input.definition?.type} rule`} on ${input.values.length} values`,
    async handler({ input, credentials }) {
      const { result } = await tester.test(
        {
          definition: input.definition,
          ruleId: input.ruleId,
          values: input.values,
          column: { name: input.columnName, tableName: input.tableName },
          sampleSize: 200,
        },
        credentials,
      );
      return { ...result, evidence: { ...result.evidence } };
    },
  });
}
