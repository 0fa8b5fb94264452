import { createAction } from '@racine/kernel-node';
import { complianceEvaluatePermission } from '@racine/plugin-compliance-common';
import { z } from 'zod';
import type { EvaluationService } from '../services/EvaluationService';
import type { ScoreService } from '../services/ScoreService';

/**
 * Runs a full compliance evaluation and waits for it (pipelines use it as a step, e.g. after
 * a scan), then records the scores.
 */
export function createEvaluateAction(evaluations: EvaluationService, scores: ScoreService) {
  return createAction({
    id: 'compliance.evaluate',
    title: 'Evaluate compliance',
    description:
      'Evaluates the compliance rules (all, or those of one framework) over the whole catalog and updates findings and scores.',
    input: z.object({
      framework: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,63}$/, 'must be a framework id')
        .optional()
        .describe('Framework id, e.g. gdpr; all rules when left out'),
    }),
    output: z.object({
      id: z.string(),
      status: z.string(),
      assetsEvaluated: z.number(),
      rulesEvaluated: z.number(),
      findingsOpened: z.number(),
      findingsResolved: z.number(),
      error: z.string().nullable(),
    }),
    permission: complianceEvaluatePermission,
    summarize: input => `Evaluated compliance${input.framework ? ` of ${input.framework}` : ''}`,
    async handler({ input, actor }) {
      const requested = await evaluations.request({
        trigger: 'action',
        frameworkId: input.framework,
        requestedBy: actor,
      });
      const done = await evaluations.run(requested.id);
      if (done.status === 'succeeded') await scores.snapshot(new Date().toISOString());
      return {
        id: done.id,
        status: done.status,
        assetsEvaluated: done.assetsEvaluated,
        rulesEvaluated: done.rulesEvaluated,
        findingsOpened: done.findingsOpened,
        findingsResolved: done.findingsResolved,
        error: done.error,
      };
    },
  });
}
