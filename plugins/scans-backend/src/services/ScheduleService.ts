import crypto from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { AuditService } from '@racine/kernel-node';
import {
  DEFAULT_RULE_SET_ID,
  scanScheduleRef,
  type ScanSchedule,
} from '@racine/plugin-scans-common';
import type { ScheduleRecord, ScanStore } from '../database/ScanStore';
import { nextCronTime } from './cron';
import { errorText } from './errors';
import type { Caller, ScanService } from './ScanService';
import { toScheduleView } from './views';

/** The identity scheduled runs are started and audited as. */
export const SCHEDULER_ACTOR = 'plugin:scans';

export interface ScheduleInput {
  name?: string;
  dataSourceId: string;
  ruleSetId?: string;
  cron: string;
  timezone: string;
  paused: boolean;
}

export type SchedulePatch = Partial<ScheduleInput>;

/**
 * Cron schedules of scans. `tick` is called by a Backstage scheduler task with global scope
 * (one replica at a time); each due schedule is also advanced with a conditional UPDATE, so a
 * schedule fires once per due time even if two ticks overlapped.
 */
export class ScheduleService {
  constructor(
    private readonly deps: {
      store: ScanStore;
      scans: ScanService;
      audit: AuditService;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now() {
    return this.deps.now?.() ?? new Date();
  }

  async list(filter: { dataSourceId?: string }): Promise<ScanSchedule[]> {
    return (await this.deps.store.listSchedules(filter)).map(toScheduleView);
  }

  async get(id: string): Promise<ScanSchedule> {
    return toScheduleView(await this.require(id));
  }

  private async require(id: string): Promise<ScheduleRecord> {
    const schedule = await this.deps.store.getSchedule(id);
    if (!schedule) throw new NotFoundError(`Scan schedule '${id}' not found`);
    return schedule;
  }

  async create(input: ScheduleInput, caller: Caller): Promise<ScanSchedule> {
    const now = this.now();
    const upcoming = nextCronTime(input.cron, input.timezone, now).toISOString(); // also validates
    const nextRunAt = input.paused ? null : upcoming;
    const ruleSetId = input.ruleSetId ?? DEFAULT_RULE_SET_ID;
    const { connection, ruleSet } = await this.deps.scans.resolveTargets(
      input.dataSourceId,
      ruleSetId,
    );
    const record: ScheduleRecord = {
      id: crypto.randomUUID(),
      name: input.name ?? `${connection.name} · ${ruleSet.name}`,
      dataSourceId: connection.id,
      ruleSetId: ruleSet.id,
      cron: input.cron,
      timezone: input.timezone,
      paused: input.paused,
      workspace: connection.workspace,
      nextRunAt,
      lastRunAt: null,
      lastRunId: null,
      createdBy: caller.actor,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.deps.store.insertSchedule(record);
    await this.deps.audit.record({
      ...caller,
      workspace: record.workspace,
      verb: 'scan.schedule.create',
      resource: scanScheduleRef(record.id),
      summary: `Scheduled scans of '${connection.name}' (${input.cron}, ${input.timezone})${input.paused ? ', paused' : ''}`,
    });
    return toScheduleView(record);
  }

  async update(id: string, patch: SchedulePatch, caller: Caller): Promise<ScanSchedule> {
    const current = await this.require(id);
    const now = this.now();
    const next: ScheduleRecord = {
      ...current,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      updatedAt: now.toISOString(),
    };
    if (patch.dataSourceId !== undefined || patch.ruleSetId !== undefined) {
      const { connection, ruleSet } = await this.deps.scans.resolveTargets(
        next.dataSourceId,
        next.ruleSetId,
      );
      next.dataSourceId = connection.id;
      next.ruleSetId = ruleSet.id;
      next.workspace = connection.workspace;
    }
    const timing =
      patch.cron !== undefined || patch.timezone !== undefined || patch.paused !== undefined;
    if (timing) {
      // Resuming (or re-timing) counts from now: runs missed while paused are not caught up.
      const upcoming = nextCronTime(next.cron, next.timezone, now).toISOString();
      next.nextRunAt = next.paused ? null : upcoming;
    }
    await this.deps.store.updateSchedule(id, {
      name: next.name,
      dataSourceId: next.dataSourceId,
      ruleSetId: next.ruleSetId,
      cron: next.cron,
      timezone: next.timezone,
      paused: next.paused,
      workspace: next.workspace,
      nextRunAt: next.nextRunAt,
      updatedAt: next.updatedAt,
    });
    const what =
      patch.paused === true && !current.paused
        ? 'Paused'
        : patch.paused === false && current.paused
          ? 'Resumed'
          : 'Updated';
    await this.deps.audit.record({
      ...caller,
      workspace: next.workspace,
      verb: 'scan.schedule.update',
      resource: scanScheduleRef(id),
      summary: `${what} scan schedule '${next.name}'`,
      details: {
        changed: Object.keys(patch).filter(k => patch[k as keyof SchedulePatch] !== undefined),
      },
    });
    return this.get(id);
  }

  async delete(id: string, caller: Caller): Promise<void> {
    const current = await this.require(id);
    await this.deps.store.deleteSchedule(id);
    await this.deps.audit.record({
      ...caller,
      workspace: current.workspace,
      verb: 'scan.schedule.delete',
      resource: scanScheduleRef(id),
      summary: `Deleted scan schedule '${current.name}'`,
    });
  }

  /** Starts every due schedule once and moves it to its next time. Returns the run ids. */
  async tick(): Promise<string[]> {
    const now = this.now();
    const started: string[] = [];
    for (const schedule of await this.deps.store.listDueSchedules(now.toISOString(), 100)) {
      let nextRunAt: string | null;
      try {
        nextRunAt = nextCronTime(schedule.cron, schedule.timezone, now).toISOString();
      } catch (error) {
        this.deps.logger.warn(
          `Scan schedule ${schedule.id} has an invalid cron: ${errorText(error)}`,
        );
        nextRunAt = null;
      }
      const claimed = await this.deps.store.advanceSchedule(schedule.id, schedule.nextRunAt!, {
        nextRunAt,
        lastRunAt: now.toISOString(),
        now: now.toISOString(),
      });
      if (!claimed) continue;
      try {
        const run = await this.deps.scans.startRun(
          { dataSourceId: schedule.dataSourceId, ruleSetId: schedule.ruleSetId },
          { actor: SCHEDULER_ACTOR },
          { trigger: 'schedule', scheduleId: schedule.id },
        );
        await this.deps.store.setScheduleLastRun(schedule.id, run.id);
        started.push(run.id);
      } catch (error) {
        this.deps.logger.warn(`Scheduled scan ${schedule.id} could not start: ${errorText(error)}`);
      }
    }
    return started;
  }
}
