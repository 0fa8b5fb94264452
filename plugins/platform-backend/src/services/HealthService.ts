import type { RootInstanceMetadataService } from '@backstage/backend-plugin-api';
import type { KernelDatabase, TaskQueue } from '@racine/kernel-node';

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  database: { ok: boolean; client: string; latencyMs: number; error?: string };
  queue: {
    ok: boolean;
    driver: string;
    pending: number;
    running: number;
    failed: number;
    error?: string;
  };
  plugins: { id: string; enabled: boolean }[];
}

/** Live health of this backend process: database round trip, queue depth, plugins loaded. */
export class HealthService {
  constructor(
    private readonly deps: {
      db: KernelDatabase;
      queue: TaskQueue;
      instance: RootInstanceMetadataService;
      version: string;
    },
  ) {}

  async report(): Promise<HealthReport> {
    const started = performance.now();
    let database: HealthReport['database'];
    try {
      await this.deps.db.knex.raw('select 1');
      database = {
        ok: true,
        client: this.deps.db.client,
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
      };
    } catch (error) {
      database = { ok: false, client: this.deps.db.client, latencyMs: -1, error: String(error) };
    }
    let queue: HealthReport['queue'];
    try {
      queue = { ok: true, driver: this.deps.queue.driver, ...(await this.deps.queue.stats()) };
    } catch (error) {
      queue = {
        ok: false,
        driver: this.deps.queue.driver,
        pending: 0,
        running: 0,
        failed: 0,
        error: String(error),
      };
    }
    const installed = await this.deps.instance.getInstalledPlugins();
    return {
      status: database.ok && queue.ok ? 'ok' : 'degraded',
      version: this.deps.version,
      uptimeSeconds: Math.round(process.uptime()),
      database,
      queue,
      plugins: installed
        .map(p => ({ id: p.pluginId, enabled: true }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    };
  }
}
