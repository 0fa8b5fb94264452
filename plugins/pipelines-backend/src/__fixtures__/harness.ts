import type { LoggerService, PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ActionInvoker,
  createAction,
  createTaskQueue,
  KernelRegistries,
  tuneSqlite,
  type ActivityEntry,
  type TaskQueue,
} from '@racine/kernel-node';
import { createTestDatabase, type TestDatabase } from '@racine/kernel-node/testing';
import type { JobDefinitionInput, Run } from '@racine/plugin-pipelines-common';
import { z } from 'zod';
import { KnexJobStore } from '../database/JobStore';
import { migratePipelinesDatabase } from '../database/migrations';
import { RunStore } from '../database/RunStore';
import { RunEngine, type EngineSettings } from '../engine/RunEngine';
import { JobService } from '../services/JobService';
import { OutboundHttp } from '../services/OutboundHttp';
import { StepCatalog } from '../services/StepCatalog';

/**
 * A real engine on a real database (RACINE_TEST_DB) and a real TaskQueue, with a few test
 * actions registered as workflow steps in a kernel registry and invoked by the kernel's
 * ActionInvoker (authorization always allows).
 */
export interface Harness {
  db: TestDatabase;
  engine: RunEngine;
  jobs: JobService;
  runs: RunStore;
  queue: TaskQueue;
  audits: ActivityEntry[];
  /** Invocations of test.* actions, in order: [actionId, input]. */
  calls: [string, Record<string, unknown>][];
  /** Peak number of test.sleep invocations running at once. */
  peakSleeping(): number;
  resetPeak(): void;
  sleeping(): number;
  createJob(definition: JobDefinitionInput): Promise<string>;
  run(jobId: string, parameters?: Record<string, string>): Promise<string>;
  view(runId: string): Promise<Run>;
  waitForRun(runId: string, timeoutMs?: number): Promise<Run>;
  waitFor(condition: () => Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export const silentLogger: LoggerService = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};

const allowAll = {
  authorize: async (requests: unknown[]) => requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  authorizeConditional: async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
} as unknown as PermissionsService;

export async function createHarness(
  options: {
    settings?: Partial<EngineSettings>;
    allowedHosts?: string[];
    startQueue?: boolean;
  } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  await tuneSqlite(db.knex);
  await migratePipelinesDatabase(db.knex);
  const audits: ActivityEntry[] = [];
  const calls: [string, Record<string, unknown>][] = [];
  const registries = new KernelRegistries();
  let sleeping = 0;
  let peak = 0;
  const flaky = new Map<string, number>();

  const register = (
    id: string,
    input: z.ZodObject,
    handler: (input: Record<string, unknown>) => Promise<unknown>,
    idempotent: boolean,
    outputs: string[],
  ) => {
    registries.addAction(
      'test',
      createAction({
        id,
        title: id,
        description: id,
        input,
        handler: async ({ input: i }) => {
          calls.push([id, i as Record<string, unknown>]);
          return handler(i as Record<string, unknown>);
        },
      }),
    );
    registries.addWorkflowStep('test', { id, actionId: id, idempotent, outputs });
  };
  register(
    'test.echo',
    z.looseObject({ value: z.unknown().optional() }),
    async i => ({ value: i.value ?? null, echoed: true }),
    true,
    ['value', 'echoed'],
  );
  register(
    'test.flaky',
    z.object({ key: z.string(), failures: z.number().int() }),
    async i => {
      const seen = (flaky.get(String(i.key)) ?? 0) + 1;
      flaky.set(String(i.key), seen);
      if (seen <= Number(i.failures)) throw new Error(`flaky failure ${seen}`);
      return { attempts: seen };
    },
    true,
    ['attempts'],
  );
  register(
    'test.sleep',
    z.object({ ms: z.number().int().min(0), label: z.string().optional() }),
    async i => {
      sleeping++;
      peak = Math.max(peak, sleeping);
      try {
        await new Promise(resolve => setTimeout(resolve, Number(i.ms)));
      } finally {
        sleeping--;
      }
      return { slept: i.ms, label: i.label ?? null };
    },
    true,
    ['slept', 'label'],
  );
  register(
    'test.big',
    z.object({ kb: z.number() }),
    async i => ({ blob: 'x'.repeat(Number(i.kb) * 1024) }),
    true,
    ['blob'],
  );
  register(
    'test.boom',
    z.object({ message: z.string() }),
    async i => {
      throw new Error(String(i.message));
    },
    true,
    [],
  );

  const invoker = new ActionInvoker({
    registries,
    permissions: allowAll,
    logger: silentLogger,
    audit: {
      record: async entry => {
        audits.push(entry);
        return {} as never;
      },
    },
  });
  const queue = createTaskQueue({
    knex: db.knex,
    concurrency: 8,
    pollIntervalMs: 50,
    backoffMs: () => 200,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const jobStore = new KnexJobStore(db.knex);
  const runs = new RunStore(db.knex);
  const catalog = new StepCatalog(invoker);
  const http = new OutboundHttp(options.allowedHosts ?? ['127.0.0.1']);
  const engine = new RunEngine({
    store: runs,
    jobs: jobStore,
    queue,
    invoker,
    catalog,
    audit: {
      record: async entry => {
        audits.push(entry);
        return {} as never;
      },
    },
    permissions: allowAll,
    logger: silentLogger,
    http,
    approvers: {
      isApprover: async (user, approvers) => approvers.length === 0 || approvers.includes(user),
    },
    settings: { leaseMs: 2000, recoverAfterMs: 1000, ...options.settings },
  });
  engine.register();
  queue.handle('pipelines.notify', async () => undefined);
  if (options.startQueue !== false) await queue.start();
  const jobs = new JobService({
    jobs: jobStore,
    runs,
    engine,
    catalog,
    http,
    workspaces: { exists: async () => true },
    eventTopics: ['scan.completed', 'asset.changed'],
    logger: silentLogger,
  });

  const view = (runId: string) => jobs.runView(runId);
  const waitFor = async (condition: () => Promise<boolean>, what: string, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await condition()) return;
      if (Date.now() > deadline)
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise(resolve => setTimeout(resolve, 25));
    }
  };
  return {
    db,
    engine,
    jobs,
    runs,
    queue,
    audits,
    calls,
    peakSleeping: () => peak,
    resetPeak: () => {
      peak = sleeping;
    },
    sleeping: () => sleeping,
    async createJob(definition) {
      return (await jobs.create(definition, { workspace: 'default', by: 'user:default/owner' })).id;
    },
    async run(jobId, parameters) {
      return (
        await jobs.run(jobId, {
          parameters,
          triggerType: 'manual',
          triggeredBy: 'user:default/tester',
        })
      ).id;
    },
    view,
    async waitForRun(runId, timeoutMs = 15_000) {
      let last: Run | undefined;
      await waitFor(
        async () => {
          last = await view(runId);
          return last.status === 'TERMINATED';
        },
        `run ${runId} to end`,
        timeoutMs,
      );
      return last!;
    },
    waitFor,
    async stop() {
      await queue.stop();
      await db.destroy();
    },
  };
}

/** `{key: [state, result]}` of a run's tasks, for compact assertions. */
export function results(run: Run): Record<string, string | null> {
  return Object.fromEntries(run.tasks.map(t => [t.key, t.result]));
}
