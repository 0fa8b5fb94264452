import crypto from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { WorkspaceService } from '@racine/kernel-node';
import {
  findReferences,
  jobDefinitionSchema,
  validateJobDefinition,
  type FieldChange,
  type Job,
  type JobDefinition,
  type JobListItem,
  type JobVersionDiff,
  type Run,
  type RunTriggerType,
} from '@racine/plugin-pipelines-common';
import type { JobRecord, JobStore } from '../database/JobStore';
import type { RunRow, RunStore } from '../database/RunStore';
import type { RunEngine } from '../engine/RunEngine';
import { nextCronTime, validateTimezone } from './cron';
import type { OutboundHttp } from './OutboundHttp';
import type { StepCatalog } from './StepCatalog';
import { toJobView, toRunSummary, toRunView } from './views';

export interface JobServiceDeps {
  jobs: JobStore;
  runs: RunStore;
  engine: RunEngine;
  catalog: StepCatalog;
  http: OutboundHttp;
  workspaces: Pick<WorkspaceService, 'exists'>;
  /** Kernel event topics a trigger or core.waitForEvent may name. */
  eventTopics: string[];
  logger: LoggerService;
}

function literal(value: unknown): value is string {
  return typeof value === 'string' && findReferences(value).length === 0;
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** Field-level changes between two JSON values (objects recurse; arrays and scalars compare whole). */
export function diffValues(
  before: unknown,
  after: unknown,
  path: string,
  out: FieldChange[] = [],
): FieldChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    Boolean(v) && typeof v === 'object' && !Array.isArray(v);
  if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      diffValues(before[key], after[key], path ? `${path}.${key}` : key, out);
    }
  } else if (stable(before) !== stable(after)) {
    out.push({ path, before: before ?? null, after: after ?? null });
  }
  return out;
}

/** Jobs: definitions checked against the step catalog, versions, diffs, rollbacks, runs, schedules. */
export class JobService {
  constructor(private readonly deps: JobServiceDeps) {}

  /** Parses and checks a job definition; throws a 400 naming every problem. */
  validate(
    body: unknown,
    options: { jobId?: string; allowMissingSteps?: boolean; what?: string } = {},
  ): JobDefinition {
    const what = options.what ?? 'job';
    const parsed = jobDefinitionSchema.safeParse(body);
    if (!parsed.success) {
      throw new InputError(
        `Invalid ${what}: ${parsed.error.issues.map(i => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`).join('; ')}`,
      );
    }
    const definition = parsed.data;
    const { issues, missingSteps } = validateJobDefinition(
      definition,
      this.deps.catalog.infoLookup(),
      {
        jobId: options.jobId,
      },
    );
    if (definition.schedule) {
      try {
        validateTimezone(definition.schedule.timezone);
        nextCronTime(definition.schedule.cron, definition.schedule.timezone, new Date());
      } catch (error) {
        issues.push({
          path: 'schedule',
          message: (error as Error).message.replace(/^Invalid job: /, ''),
        });
      }
    }
    definition.triggers.forEach((t, i) => {
      if (!this.deps.eventTopics.includes(t.event)) {
        issues.push({
          path: `triggers.${i}.event`,
          message: `unknown event topic '${t.event}' (known: ${this.deps.eventTopics.join(', ')})`,
        });
      }
    });
    definition.notifications.forEach((n, i) => {
      if (n.channel === 'webhook') {
        try {
          this.deps.http.check(n.to, 'to');
        } catch (error) {
          issues.push({
            path: `notifications.${i}.to`,
            message: (error as Error).message.replace(/^to: /, ''),
          });
        }
      } else if (n.to !== 'owner' && !/^user:[^/]+\/.+$/.test(n.to)) {
        issues.push({
          path: `notifications.${i}.to`,
          message: `must be 'owner' or a user entity ref such as user:default/alice`,
        });
      }
    });
    definition.tasks.forEach((t, i) => {
      const at = `tasks.${i}.input`;
      if (t.step === 'core.http' && literal(t.input.url)) {
        try {
          this.deps.http.check(t.input.url, 'url');
        } catch (error) {
          issues.push({
            path: `${at}.url`,
            message: (error as Error).message.replace(/^url: /, ''),
          });
        }
      }
      if (t.step === 'core.notify' && literal(t.input.webhook)) {
        try {
          this.deps.http.check(t.input.webhook, 'webhook');
        } catch (error) {
          issues.push({
            path: `${at}.webhook`,
            message: (error as Error).message.replace(/^webhook: /, ''),
          });
        }
      }
      if (
        t.step === 'core.waitForEvent' &&
        literal(t.input.topic) &&
        !this.deps.eventTopics.includes(t.input.topic)
      ) {
        issues.push({ path: `${at}.topic`, message: `unknown event topic '${t.input.topic}'` });
      }
    });
    if (issues.length) {
      throw new InputError(
        `Invalid ${what}: ${issues.map(i => `${i.path}: ${i.message}`).join('; ')}`,
      );
    }
    if (missingSteps.length && !options.allowMissingSteps) {
      throw new InputError(
        `Invalid ${what}: step type(s) not registered here: ${missingSteps.join(', ')} (is their group switched off or not installed?)`,
      );
    }
    return definition;
  }

  private async checkReferencedJobs(definition: JobDefinition) {
    for (const [i, t] of definition.tasks.entries()) {
      if (
        t.step === 'core.runJob' &&
        literal(t.input.jobId) &&
        !(await this.deps.jobs.get(t.input.jobId))
      ) {
        throw new InputError(
          `Invalid job: tasks.${i}.input.jobId: there is no job '${t.input.jobId}'`,
        );
      }
    }
  }

  private nextFire(definition: JobDefinition): number | null {
    const { schedule } = definition;
    if (!schedule || schedule.paused) return null;
    return nextCronTime(schedule.cron, schedule.timezone, new Date()).getTime();
  }

  async create(
    body: unknown,
    options: { workspace: string; by: string; note?: string },
  ): Promise<Job> {
    const definition = this.validate(body);
    await this.checkReferencedJobs(definition);
    if (!(await this.deps.workspaces.exists(options.workspace))) {
      throw new InputError(`Invalid job: workspace: '${options.workspace}' does not exist`);
    }
    const job = await this.deps.jobs.create({
      workspace: options.workspace,
      definition,
      by: options.by,
      note: options.note ?? 'Created',
      nextFireAt: this.nextFire(definition),
    });
    return toJobView(job);
  }

  async find(id: string): Promise<JobRecord | undefined> {
    return this.deps.jobs.get(id);
  }

  async record(id: string): Promise<JobRecord> {
    const job = await this.deps.jobs.get(id);
    if (!job) throw new NotFoundError(`No job '${id}'`);
    return job;
  }

  async get(id: string): Promise<Job> {
    return toJobView(await this.record(id));
  }

  async update(id: string, body: unknown, options: { by: string; note?: string }): Promise<Job> {
    await this.record(id);
    const definition = this.validate(body, { jobId: id });
    await this.checkReferencedJobs(definition);
    const job = await this.deps.jobs.update(id, {
      definition,
      by: options.by,
      note: options.note ?? 'Edited',
      nextFireAt: this.nextFire(definition),
    });
    return toJobView(job);
  }

  async list(filter: {
    workspace?: string;
    q?: string;
    tag?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: JobListItem[]; total: number }> {
    const page = await this.deps.jobs.list(filter);
    const recent = await this.deps.runs.read.recentRuns(
      page.items.map(j => j.id),
      20,
    );
    return {
      total: page.total,
      items: page.items.map(job => {
        const runs = recent.get(job.id) ?? [];
        const finished = runs.filter(r => r.status === 'TERMINATED' && r.result !== 'SKIPPED');
        const succeeded = finished.filter(
          r => r.result === 'SUCCESS' || r.result === 'SUCCESS_WITH_FAILURES',
        );
        return {
          ...toJobView(job),
          recentRuns: runs.map(toRunSummary),
          successRate: finished.length ? succeeded.length / finished.length : null,
        };
      }),
    };
  }

  async delete(id: string): Promise<JobRecord> {
    const job = await this.record(id);
    const active = await this.deps.runs.read.countRuns(id, ['QUEUED', 'PENDING', 'RUNNING']);
    if (active > 0) {
      throw new ConflictError(
        `Job '${job.name}' has ${active} active run(s); cancel them before deleting it`,
      );
    }
    await this.deps.runs.read.deleteRunsOfJob(id);
    await this.deps.jobs.delete(id);
    return job;
  }

  async versions(id: string) {
    await this.record(id);
    return this.deps.jobs.versions(id);
  }

  async version(id: string, version: number) {
    const found = await this.deps.jobs.version(id, version);
    if (!found) throw new NotFoundError(`Job '${id}' has no version ${version}`);
    return found;
  }

  async diff(id: string, from: number, to: number): Promise<JobVersionDiff> {
    const [a, b] = [await this.version(id, from), await this.version(id, to)];
    const before = new Map(a.definition.tasks.map(t => [t.key, t]));
    const after = new Map(b.definition.tasks.map(t => [t.key, t]));
    const { tasks: _a, ...settingsBefore } = a.definition;
    const { tasks: _b, ...settingsAfter } = b.definition;
    return {
      jobId: id,
      from,
      to,
      tasksAdded: [...after.keys()].filter(k => !before.has(k)),
      tasksRemoved: [...before.keys()].filter(k => !after.has(k)),
      tasksChanged: [...after.keys()]
        .filter(k => before.has(k))
        .map(key => ({ key, changes: diffValues(before.get(key), after.get(key), '') }))
        .filter(c => c.changes.length > 0),
      settingsChanged: diffValues(settingsBefore, settingsAfter, ''),
    };
  }

  /** Saves an old version's definition as the newest version. */
  async rollback(id: string, version: number, by: string): Promise<Job> {
    const old = await this.version(id, version);
    return this.update(id, old.definition, { by, note: `Rolled back to version ${version}` });
  }

  async run(
    id: string,
    options: {
      parameters?: Record<string, string>;
      triggerType: RunTriggerType;
      triggeredBy: string;
      dedupeKey?: string;
    },
  ): Promise<RunRow> {
    const job = await this.record(id);
    return this.deps.engine.startRun(job, options);
  }

  async runView(runId: string): Promise<Run> {
    const read = this.deps.runs.read;
    const run = await read.run(runId);
    if (!run) throw new NotFoundError(`No run '${runId}'`);
    const def = await this.deps.engine.definition(run.jobId, run.jobVersion);
    const [tasks, attempts, repairs] = await Promise.all([
      read.tasks(runId, { all: true }),
      read.attempts(runId),
      read.repairs(runId),
    ]);
    return toRunView(run, def, tasks, attempts, repairs);
  }

  async findRun(runId: string): Promise<RunRow | undefined> {
    return this.deps.runs.read.run(runId);
  }

  /** Fires the schedules that are due, once each across replicas (dedupe key per fire time). */
  async scheduleTick(now = Date.now()): Promise<number> {
    let fired = 0;
    for (const job of await this.deps.jobs.dueJobs(now, 100)) {
      const fireAt = job.nextFireAt!;
      const schedule = job.definition.schedule;
      const next =
        schedule && !schedule.paused
          ? nextCronTime(
              schedule.cron,
              schedule.timezone,
              new Date(Math.max(now, fireAt)),
            ).getTime()
          : null;
      if (!(await this.deps.jobs.advanceSchedule(job.id, fireAt, next))) continue;
      try {
        await this.deps.engine.startRun(job, {
          triggerType: 'schedule',
          triggeredBy: `schedule ${schedule?.cron ?? ''} (${schedule?.timezone ?? 'UTC'})`,
          dedupeKey: `schedule:${job.id}:${fireAt}`,
        });
        fired++;
      } catch (error) {
        this.deps.logger.warn(
          `Scheduled run of job ${job.id} failed to start: ${(error as Error).message}`,
        );
      }
    }
    return fired;
  }

  /** Starts a job an event triggered, passing the payload's scalar fields as matching parameters. */
  async startTriggered(job: JobRecord, topic: string, payload: unknown): Promise<void> {
    const parameters: Record<string, string> = {};
    if (payload && typeof payload === 'object') {
      for (const p of job.definition.parameters) {
        const value = (payload as Record<string, unknown>)[p.name];
        if (['string', 'number', 'boolean'].includes(typeof value))
          parameters[p.name] = String(value);
      }
    }
    const digest = crypto
      .createHash('sha256')
      .update(`${topic}\n${stable(payload)}`)
      .digest('hex')
      .slice(0, 32);
    try {
      await this.deps.engine.startRun(job, {
        parameters,
        triggerType: 'event',
        triggeredBy: `event ${topic}`,
        dedupeKey: `event:${job.id}:${digest}`,
      });
    } catch (error) {
      this.deps.logger.warn(
        `Run of job ${job.id} triggered by ${topic} failed to start: ${(error as Error).message}`,
      );
    }
  }
}
