import { z } from 'zod';
import { conditionOperators } from './states';
import { retriesSchema, taskSchema } from './definition';

/**
 * The built-in control steps. They are part of the engine (they need its durable state:
 * branches, iterations, timers, approvals, child runs), not kernel actions: a `core.*` task
 * never leaves the pipelines plugin, while every other step invokes its kernel action.
 */

const scalarOrRef = z.union([z.string(), z.number(), z.boolean()]);

export const conditionInputSchema = z.object({
  left: scalarOrRef.describe('Left operand, e.g. {{tasks.scan.values.labelsFound}}'),
  op: z.enum(conditionOperators),
  right: scalarOrRef.describe('Right operand'),
});

const nestedTaskSchema = taskSchema
  .pick({ step: true, input: true, timeoutSeconds: true })
  .extend({ retries: retriesSchema.optional() });

export const forEachInputSchema = z.object({
  /** A JSON array, or a dynamic value that resolves to one. */
  inputs: z.union([z.array(z.unknown()), z.string()]).describe('The items, a JSON array'),
  concurrency: z.number().int().min(1).max(100).default(1),
  /** The task run once per item; `{{input}}` is the item. */
  task: nestedTaskSchema,
});

export const runJobInputSchema = z.object({
  jobId: z.string().min(1).describe('The job to run'),
  parameters: z.record(z.string(), scalarOrRef).default({}),
});

export const approvalInputSchema = z.object({
  /** User entity refs (`user:default/alice`) or roles (`role:compliance-officer`); empty: anyone holding pipelines.approve. */
  approvers: z.array(z.string().min(1).max(255)).max(100).default([]),
  message: z.string().max(4000).default(''),
});

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const httpInputSchema = z.object({
  method: z.enum(httpMethods).default('GET'),
  url: z.string().min(1).max(4000),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional(),
  /** Fail the task when the response status is 400 or above (default true). */
  failOnHttpError: z.boolean().default(true),
});

export const notifyInputSchema = z.object({
  title: z.string().max(255).default(''),
  message: z.string().min(1).max(10_000),
  /** User entity refs; `owner` is the job owner (default: the owner). */
  recipients: z.array(z.string().min(1).max(255)).max(100).default(['owner']),
  /** Also POST the notification as JSON to this URL (an allowed host). */
  webhook: z.string().max(4000).optional(),
});

export const setValuesInputSchema = z.object({
  values: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/), z.unknown()),
});

export const waitInputSchema = z.object({
  seconds: z.union([
    z
      .number()
      .min(0)
      .max(30 * 86_400),
    z.string(),
  ]),
});

export const failInputSchema = z.object({
  message: z.string().min(1).max(4000),
});

export const waitForEventInputSchema = z.object({
  /** A kernel event topic, e.g. `scan.completed`. */
  topic: z.string().min(1).max(200),
  /** Payload fields (dotted paths) the event must carry with these values, compared as strings. */
  filter: z.record(z.string(), scalarOrRef).default({}),
});

export interface BuiltinStepDefinition {
  id: string;
  title: string;
  description: string;
  input: z.ZodType;
  /** Values the step publishes; `null` when they depend on the input (core.setValues). */
  outputs: string[] | null;
  /** Re-running the step after its worker died has the effect of running it once. */
  idempotent: boolean;
  uiHints?: Record<string, { widget?: string; placeholder?: string; help?: string }>;
}

export const builtinSteps: BuiltinStepDefinition[] = [
  {
    id: 'core.condition',
    title: 'If/else condition',
    description:
      'Compares two operands. EQUAL_TO and NOT_EQUAL compare strings; the others compare numbers. Outcome "true" or "false" selects the dependents whose dependsOn.outcome matches; the other branch is EXCLUDED.',
    input: conditionInputSchema,
    outputs: ['outcome'],
    idempotent: true,
  },
  {
    id: 'core.forEach',
    title: 'For each',
    description:
      'Runs a nested task once per item of a JSON array, at most `concurrency` at a time.',
    input: forEachInputSchema,
    outputs: ['iterations', 'succeeded', 'failed'],
    idempotent: true,
    uiHints: {
      inputs: { widget: 'json', placeholder: '["a", "b"] or {{tasks.list.values.items}}' },
    },
  },
  {
    id: 'core.runJob',
    title: 'Run job',
    description: 'Runs another job as a child run and succeeds when it succeeds.',
    input: runJobInputSchema,
    outputs: ['runId', 'result'],
    idempotent: true,
    uiHints: { jobId: { widget: 'job' } },
  },
  {
    id: 'core.approval',
    title: 'Approval',
    description:
      'Waits until a named approver (or a holder of a named role) approves or denies in the UI; the task timeout bounds the wait.',
    input: approvalInputSchema,
    outputs: ['approved', 'decidedBy', 'comment'],
    idempotent: true,
    uiHints: { approvers: { help: 'user:default/alice or role:compliance-officer' } },
  },
  {
    id: 'core.http',
    title: 'HTTP request',
    description:
      'Calls an HTTP endpoint on an allowed host. GET, HEAD, PUT and DELETE are re-run after a worker loss; POST and PATCH are not.',
    input: httpInputSchema,
    outputs: ['status', 'body'],
    idempotent: false,
  },
  {
    id: 'core.notify',
    title: 'Notify',
    description: 'Sends an in-app notification to users (and optionally a webhook).',
    input: notifyInputSchema,
    outputs: ['notified'],
    idempotent: false,
  },
  {
    id: 'core.setValues',
    title: 'Set values',
    description: 'Publishes values for later tasks ({{tasks.<key>.values.<name>}}).',
    input: setValuesInputSchema,
    outputs: null,
    idempotent: true,
  },
  {
    id: 'core.wait',
    title: 'Wait',
    description: 'Waits for a number of seconds without holding a worker.',
    input: waitInputSchema,
    outputs: ['waitedSeconds'],
    idempotent: true,
  },
  {
    id: 'core.fail',
    title: 'Fail',
    description:
      'Ends the task as FAILED with the given error (for example on a condition branch).',
    input: failInputSchema,
    outputs: [],
    idempotent: true,
  },
  {
    id: 'core.waitForEvent',
    title: 'Wait for event',
    description:
      'Waits for a kernel event (e.g. scan.completed with runId = {{tasks.scan.values.id}}) published since the run started.',
    input: waitForEventInputSchema,
    outputs: ['topic', 'payload'],
    idempotent: true,
  },
];

export const builtinStepIds = new Set(builtinSteps.map(s => s.id));

export function builtinStep(id: string): BuiltinStepDefinition | undefined {
  return builtinSteps.find(s => s.id === id);
}

/** Idempotency of an HTTP request by method (RFC 9110 §9.2.2). */
export function isIdempotentHttpMethod(method: string): boolean {
  return ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method.toUpperCase());
}
