import type { RacineTestServer } from '@racine/backend/testing';
import type { ScanRun } from '@racine/plugin-scans-common';
import { expect } from 'vitest';
import type { PostgresSource } from './sources';

/** Helpers of the API tests: they go through real HTTP with real auth. */
export interface Asset {
  ref: string;
  type: string;
  name: string;
  qualifiedName: string;
  status: string;
  labels: { classifierId: string; confidence: number; status: string }[];
}

export async function waitForRun(
  server: RacineTestServer,
  id: string,
  done: (run: ScanRun) => boolean = run => ['succeeded', 'failed', 'canceled'].includes(run.status),
  timeoutMs = 60_000,
): Promise<ScanRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await server.request(`/api/scans/runs/${id}`);
    expect(res.status).toBe(200);
    const run = (await res.json()) as ScanRun;
    if (done(run)) return run;
    if (Date.now() > deadline)
      throw new Error(`Run ${id} did not get there in time: ${JSON.stringify(run)}`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

export async function createDataSource(
  server: RacineTestServer,
  source: PostgresSource,
  name: string,
): Promise<string> {
  const res = await server.request('/api/datasources', {
    method: 'POST',
    json: { name, type: 'postgres', config: { ...source.config, ssl: 'disable' } },
  });
  expect(res.status).toBe(201);
  return (await res.json()).id;
}

export async function catalogAssets(
  server: RacineTestServer,
  dataSourceId: string,
  type = 'table,view',
): Promise<Asset[]> {
  const res = await server.request(
    `/api/data-catalog/assets?dataSourceId=${encodeURIComponent(dataSourceId)}&type=${type}&status=all&limit=500`,
  );
  expect(res.status).toBe(200);
  return (await res.json()).items;
}
