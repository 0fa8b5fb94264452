import { createAction } from '@racine/kernel-node';
import {
  classificationApprovePermission,
  classifierIdSchema,
} from '@racine/plugin-classifications-common';
import { z } from 'zod';
import type { ReviewService } from '../services/ReviewService';

const labelRef = z.object({
  assetRef: z
    .string()
    .min(1)
    .max(8000)
    .regex(/^racine:data-catalog:[a-z]+\/.+$/, 'must be a data catalog asset ref')
    .describe('Ref of the column'),
  classifierId: classifierIdSchema.describe('Classifier id of the label, e.g. PII.EMAIL_ADDRESS'),
});

/** Approves suggested labels (one or many) on behalf of the caller, with an optional reason. */
export function createApproveAction(review: ReviewService) {
  return createAction({
    id: 'classifications.approve',
    title: 'Approve classification labels',
    description:
      'Approves labels suggested by scans (or reverses a rejection), so they count as confirmed sensitive data.',
    input: z.object({
      labels: z.array(labelRef).min(1).max(500),
      reason: z.string().trim().max(1000).optional().describe('Why the labels are right'),
    }),
    output: z.object({
      applied: z.number(),
      failed: z.number(),
      results: z.array(
        z.object({
          assetRef: z.string(),
          classifierId: z.string(),
          ok: z.boolean(),
          status: z.string().optional(),
          error: z.string().optional(),
        }),
      ),
    }),
    permission: classificationApprovePermission,
    resourceRef: input => (input.labels.length === 1 ? input.labels[0]!.assetRef : undefined),
    summarize: input =>
      input.labels.length === 1
        ? `Approved label ${input.labels[0]!.classifierId} on ${input.labels[0]!.assetRef}`
        : `Approved ${input.labels.length} labels`,
    async handler({ input, actor }) {
      const { results, applied, failed } = await review.decide(
        input.labels.map(l => ({
          action: 'approve' as const,
          assetRef: l.assetRef,
          classifierId: l.classifierId,
          reason: input.reason,
        })),
        actor,
      );
      return {
        applied,
        failed,
        results: results.map(r => ({
          assetRef: r.assetRef,
          classifierId: r.classifierId,
          ok: r.ok,
          status: r.status,
          error: r.error,
        })),
      };
    },
  });
}
