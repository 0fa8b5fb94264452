import { createAction } from '@racine/kernel-node';
import {
  jobRef,
  pipelinesRunPermission,
  runLifecycleOutput,
} from '@racine/plugin-pipelines-common';
import { z } from 'zod';
import type { JobService } from '../services/JobService';

/** `pipelines.runJob`: starts a run of a job, for the command palette, the assistant and scripts. */
export function createRunJobAction(jobs: JobService) {
  return createAction({
    id: 'pipelines.runJob',
    title: 'Run job',
    description:
      'Starts a run of a job with optional parameter values. Returns the run id; follow it with GET /api/pipelines/runs/:id.',
    input: z.object({
      jobId: z.string().min(1).describe('Id of the job to run'),
      parameters: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
        .default({})
        .describe('Values for the job parameters'),
    }),
    output: runLifecycleOutput,
    permission: pipelinesRunPermission,
    resourceRef: input => jobRef(input.jobId),
    summarize: input => `Started a run of job ${input.jobId}`,
    async handler({ input, actor }) {
      const run = await jobs.run(input.jobId, {
        parameters: Object.fromEntries(
          Object.entries(input.parameters).map(([k, v]) => [k, String(v)]),
        ),
        triggerType: 'action',
        triggeredBy: actor,
      });
      return {
        runId: run.id,
        ref: `racine:pipelines:run/${run.id}`,
        status: run.status,
        result: run.result,
      };
    },
  });
}
