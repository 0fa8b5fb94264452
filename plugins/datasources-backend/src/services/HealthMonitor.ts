import type { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { isError } from '@backstage/errors';
import type { DataSourceService } from './DataSourceService';

export interface HealthCheckSettings {
  enabled: boolean;
  intervalSeconds: number;
  /** Sources tested at once by one run. */
  concurrency: number;
}

/** `racine.datasources.healthCheck.{enabled, interval (seconds), concurrency}`. */
export function readHealthCheckSettings(config: Config): HealthCheckSettings {
  const intervalSeconds =
    config.getOptionalNumber('racine.datasources.healthCheck.interval') ?? 300;
  const concurrency = config.getOptionalNumber('racine.datasources.healthCheck.concurrency') ?? 4;
  if (!(intervalSeconds > 0)) {
    throw new Error('racine.datasources.healthCheck.interval must be a positive number of seconds');
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error('racine.datasources.healthCheck.concurrency must be a positive integer');
  }
  return {
    enabled: config.getOptionalBoolean('racine.datasources.healthCheck.enabled') ?? true,
    intervalSeconds,
    concurrency,
  };
}

export interface HealthRunSummary {
  checked: number;
  failing: number;
}

/** Periodic connection checks of every data source, recorded in each source's health history. */
export class HealthMonitor {
  constructor(
    private readonly deps: {
      service: DataSourceService;
      logger: LoggerService;
      settings: HealthCheckSettings;
    },
  ) {}

  /** Tests every source, a few at a time. One source failing never stops the others. */
  async checkAll(): Promise<HealthRunSummary> {
    const ids = await this.deps.service.allIds();
    let next = 0;
    let failing = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        try {
          const result = await this.deps.service.testSaved(id, 'schedule');
          if (!result.ok) failing++;
        } catch (error) {
          // The source may have been deleted meanwhile; log the id only, never its config.
          failing++;
          this.deps.logger.warn(
            `Health check of data source ${id} could not run: ${isError(error) ? error.message : String(error)}`,
          );
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.deps.settings.concurrency, ids.length) }, worker),
    );
    return { checked: ids.length, failing };
  }

  /**
   * Schedules `checkAll` with Backstage's scheduler. Global scope: whatever the number of
   * replicas, one of them runs each round (the scheduler coordinates through the database).
   */
  async schedule(scheduler: SchedulerService): Promise<void> {
    const { settings, logger } = this.deps;
    if (!settings.enabled) {
      logger.info(
        'Data source health checks are off (racine.datasources.healthCheck.enabled: false)',
      );
      return;
    }
    await scheduler.scheduleTask({
      id: 'datasources-health-check',
      scope: 'global',
      frequency: { seconds: settings.intervalSeconds },
      // Every source has a 10 s connect timeout; leave room for many of them.
      timeout: { minutes: 30 },
      initialDelay: { seconds: Math.min(settings.intervalSeconds, 30) },
      fn: async () => {
        const { checked, failing } = await this.checkAll();
        if (checked > 0) logger.info(`Checked ${checked} data source(s); ${failing} failing`);
      },
    });
  }
}
