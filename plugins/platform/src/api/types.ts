/** `GET /api/platform/health`. */
export interface PlatformHealth {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  database: { ok: boolean; client: string; latencyMs: number };
  queue: { ok: boolean; driver: string; pending: number; running: number; failed: number };
  /** `title` is optional: the backend may only know a plugin's id. */
  plugins: Array<{ id: string; title?: string; enabled: boolean }>;
}
