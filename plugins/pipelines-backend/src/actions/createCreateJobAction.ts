import { createAction } from '@racine/kernel-node';
import { jobRequestSchema, pipelinesCreatePermission } from '@racine/plugin-pipelines-common';
import { z } from 'zod';
import type { JobService } from '../services/JobService';

/** `pipelines.createJob`: creates a job from a definition (validated like POST /api/pipelines/jobs). */
export function createCreateJobAction(jobs: JobService) {
  return createAction({
    id: 'pipelines.createJob',
    title: 'Create job',
    description:
      'Creates a job: a DAG of tasks whose steps come from any group (see GET /api/pipelines/steps), with parameters, schedule, triggers and notifications.',
    input: jobRequestSchema,
    output: z.object({
      id: z.string(),
      ref: z.string(),
      name: z.string(),
      version: z.number(),
      workspace: z.string(),
    }),
    permission: pipelinesCreatePermission,
    summarize: input => `Created job '${input.name}'`,
    async handler({ input, actor, workspace }) {
      const { workspace: requested, versionNote, ...definition } = input;
      const job = await jobs.create(definition, {
        workspace: requested ?? workspace,
        by: actor,
        note: versionNote,
      });
      return {
        id: job.id,
        ref: job.ref,
        name: job.name,
        version: job.version,
        workspace: job.workspace,
      };
    },
  });
}
