import { z } from 'zod';
import { runIfConditions } from './states';

/**
 * The job definition: what `POST/PUT /api/pipelines/jobs` take and what a job version stores.
 * Templates (pipelines) use the same shape.
 */

export const taskKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1-100 letters, digits, underscores or dashes');

export const dependencySchema = z.object({
  task: taskKeySchema,
  /** For a dependency on a `core.condition` task: the branch ("true" or "false") this one takes. */
  outcome: z.enum(['true', 'false']).optional(),
});
export type Dependency = z.infer<typeof dependencySchema>;

export const retriesSchema = z.object({
  /** Retries after the first attempt. */
  max: z.number().int().min(0).max(20).default(0),
  /** Minimum wait between the end of a failed attempt and the next one. */
  minIntervalMs: z.number().int().min(0).max(86_400_000).default(0),
  /** Also retry an attempt that timed out. */
  onTimeout: z.boolean().default(false),
});
export type Retries = z.infer<typeof retriesSchema>;

const stepIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/, 'must be a step type id such as core.condition');

export const taskSchema = z.object({
  key: taskKeySchema,
  /** A step type from the workflow-step registry, or a built-in `core.*` step. */
  step: stepIdSchema,
  description: z.string().max(2000).optional(),
  /** The step's input; strings may hold dynamic values (`{{job.parameters.x}}`). */
  input: z.record(z.string(), z.unknown()).default({}),
  dependsOn: z.array(dependencySchema).max(1000).default([]),
  runIf: z.enum(runIfConditions).default('ALL_SUCCESS'),
  retries: retriesSchema.optional(),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .optional(),
});
export type TaskDefinition = z.infer<typeof taskSchema>;
export type TaskDefinitionInput = z.input<typeof taskSchema>;

export const parameterNameSchema = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/,
    'must start with a letter or underscore, then letters, digits, underscores or dashes',
  );

const scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);

export const parameterSchema = z.object({
  name: parameterNameSchema,
  default: scalar.transform(v => String(v)).default(''),
  description: z.string().max(2000).optional(),
});
export type JobParameter = z.infer<typeof parameterSchema>;

export const scheduleSchema = z.object({
  /** Cron expression, 5 fields (or 6 with seconds), e.g. `0 2 * * *`. */
  cron: z.string().trim().min(9).max(200),
  /** IANA time zone the cron expression is read in. */
  timezone: z.string().min(1).max(100).default('UTC'),
  paused: z.boolean().default(false),
});
export type JobSchedule = z.infer<typeof scheduleSchema>;

export const triggerSchema = z.object({
  /** A kernel event topic, e.g. `scan.completed`. */
  event: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,199}$/, 'must be an event topic'),
  /** Payload fields (dotted paths) the event must carry with these values, compared as strings. */
  filter: z.record(z.string().min(1).max(200), scalar).default({}),
});
export type JobTrigger = z.infer<typeof triggerSchema>;

export const notificationEvents = ['start', 'success', 'failure', 'duration'] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

export const notificationSchema = z.object({
  on: z.array(z.enum(notificationEvents)).min(1),
  /** `inApp`: a user entity ref (or `owner`); `webhook`: an http(s) URL on an allowed host. */
  channel: z.enum(['inApp', 'webhook']),
  to: z.string().min(1).max(2000),
});
export type JobNotification = z.infer<typeof notificationSchema>;

export const jobSettingsShape = {
  name: z.string().trim().min(1).max(255),
  description: z.string().max(10_000).default(''),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  parameters: z.array(parameterSchema).max(100).default([]),
  tasks: z.array(taskSchema).min(1).max(1000),
  schedule: scheduleSchema.nullable().default(null),
  triggers: z.array(triggerSchema).max(20).default([]),
  maxConcurrentRuns: z.number().int().min(1).max(1000).default(1),
  /** When maxConcurrentRuns is reached: queue the new run (default) or skip it. */
  queue: z.object({ enabled: z.boolean().default(true) }).default({ enabled: true }),
  /** Job timeout: the whole run is cancelled with result TIMEDOUT after this long. */
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .nullable()
    .default(null),
  notifications: z.array(notificationSchema).max(50).default([]),
  /** A run longer than this sends the `duration` notifications. */
  durationWarningSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .nullable()
    .default(null),
};

/** A job definition as stored in a version (normalized, defaults filled). */
export const jobDefinitionSchema = z.object(jobSettingsShape);
export type JobDefinition = z.infer<typeof jobDefinitionSchema>;
export type JobDefinitionInput = z.input<typeof jobDefinitionSchema>;

/** Body of `POST /api/pipelines/jobs` and `PUT /api/pipelines/jobs/:id`. */
export const jobRequestSchema = jobDefinitionSchema.extend({
  workspace: z.string().min(1).max(64).optional(),
  /** Shown in the version history. */
  versionNote: z.string().max(500).optional(),
});
export type JobRequest = z.input<typeof jobRequestSchema>;

export const runJobRequestSchema = z.object({
  parameters: z
    .record(
      z.string(),
      scalar.transform(v => String(v)),
    )
    .default({}),
});

export const repairRequestSchema = z
  .object({
    rerunAllFailed: z.boolean().optional(),
    rerunTasks: z.array(taskKeySchema).max(1000).optional(),
    rerunDependents: z.boolean().default(false),
    parameters: z
      .record(
        z.string(),
        scalar.transform(v => String(v)),
      )
      .optional(),
  })
  .refine(r => Boolean(r.rerunAllFailed) !== Boolean(r.rerunTasks?.length), {
    message: 'give either rerunAllFailed: true or a non-empty rerunTasks',
    path: ['rerunTasks'],
  });
export type RepairRequest = z.infer<typeof repairRequestSchema>;

export const templateVisibilities = ['private', 'workspace'] as const;

/** A pipeline: a reusable, parameterized job definition. */
export const templateRequestSchema = jobDefinitionSchema.extend({
  workspace: z.string().min(1).max(64).optional(),
  /** `workspace` shares the template with everyone who sees pipelines in its workspace. */
  visibility: z.enum(templateVisibilities).default('private'),
});
export type TemplateRequest = z.input<typeof templateRequestSchema>;

export const instantiateRequestSchema = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  workspace: z.string().min(1).max(64).optional(),
  /** Values for the template's parameters; they become the job's parameter defaults. */
  parameters: z
    .record(
      z.string(),
      scalar.transform(v => String(v)),
    )
    .default({}),
  schedule: scheduleSchema.nullable().optional(),
});

/** What starting a run answers (the `pipelines.runJob` action's output). */
export const runLifecycleOutput = z.object({
  runId: z.string(),
  ref: z.string(),
  status: z.enum(['QUEUED', 'PENDING', 'RUNNING', 'TERMINATED']),
  result: z.string().nullable(),
});
