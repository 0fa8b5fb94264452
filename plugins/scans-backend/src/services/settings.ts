import type { Config } from '@backstage/config';

/** Operational knobs of scans, from `racine.scans.*`. */
export interface ScanSettings {
  /** Scan tasks working on one data source at once, across every worker process. */
  maxConcurrencyPerSource: number;
  /** A worker that stops renewing its data source lease loses it after this long. */
  leaseTtlMs: number;
  /** Attempts per table (the first plus retries after transient errors). */
  tableAttempts: number;
  /** Attempts of the planning (discovery) step. */
  planAttempts: number;
  /** Retry after a transient error n waits min(retryBaseDelayMs × 2^(n-1), retryMaxDelayMs). */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** How long a task waits before trying again when its data source has no free slot. */
  busyRetryDelayMs: number;
  /** How often a working task checks whether its run was canceled (by any replica). */
  cancelCheckMs: number;
  /** How long an unused connector session stays open for the next task. */
  sessionIdleMs: number;
  /** How often the schedule/recovery task runs (global: one replica at a time). */
  schedulerFrequencySeconds: number;
  /** A run untouched this long is looked at by the recovery task. */
  stalledAfterMs: number;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = {
  maxConcurrencyPerSource: 4,
  leaseTtlMs: 30_000,
  tableAttempts: 3,
  planAttempts: 3,
  retryBaseDelayMs: 2_000,
  retryMaxDelayMs: 60_000,
  busyRetryDelayMs: 1_000,
  cancelCheckMs: 1_000,
  sessionIdleMs: 30_000,
  schedulerFrequencySeconds: 15,
  stalledAfterMs: 120_000,
};

function positive(config: Config, key: string, fallback: number, integer = true): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!(value > 0) || (integer && !Number.isInteger(value))) {
    throw new Error(`${key} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
  }
  return value;
}

export function readScanSettings(config: Config): ScanSettings {
  const d = DEFAULT_SCAN_SETTINGS;
  const p = 'racine.scans';
  return {
    maxConcurrencyPerSource: positive(
      config,
      `${p}.maxConcurrencyPerSource`,
      d.maxConcurrencyPerSource,
    ),
    leaseTtlMs: positive(config, `${p}.leaseTtlSeconds`, d.leaseTtlMs / 1000, false) * 1000,
    tableAttempts: positive(config, `${p}.tableAttempts`, d.tableAttempts),
    planAttempts: positive(config, `${p}.planAttempts`, d.planAttempts),
    retryBaseDelayMs: positive(config, `${p}.retryBaseDelayMs`, d.retryBaseDelayMs),
    retryMaxDelayMs: positive(config, `${p}.retryMaxDelayMs`, d.retryMaxDelayMs),
    busyRetryDelayMs: positive(config, `${p}.busyRetryDelayMs`, d.busyRetryDelayMs),
    cancelCheckMs: positive(config, `${p}.cancelCheckMs`, d.cancelCheckMs),
    sessionIdleMs:
      positive(config, `${p}.sessionIdleSeconds`, d.sessionIdleMs / 1000, false) * 1000,
    schedulerFrequencySeconds: positive(
      config,
      `${p}.schedulerFrequencySeconds`,
      d.schedulerFrequencySeconds,
    ),
    stalledAfterMs:
      positive(config, `${p}.stalledAfterSeconds`, d.stalledAfterMs / 1000, false) * 1000,
  };
}
