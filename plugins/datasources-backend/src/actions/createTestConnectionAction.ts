import { createAction } from '@racine/kernel-node';
import { dataSourceRef, datasourceMonitorPermission } from '@racine/plugin-datasources-common';
import { z } from 'zod';
import type { DataSourceService } from '../services/DataSourceService';

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  serverVersion: z.string().nullable(),
  error: z.string().optional(),
  errorCode: z.string().optional(),
});

/** Tests a saved data source's connection and records the result in its health history. */
export function createTestConnectionAction(service: DataSourceService) {
  return createAction({
    id: 'datasources.testConnection',
    title: 'Test data source connection',
    description:
      "Connects to a data source with its stored credentials and reports the latency and server version, or the driver's error.",
    input: z.object({
      dataSourceId: z.string().min(1).describe('Id of the data source to test'),
    }),
    output: connectionTestResultSchema,
    permission: datasourceMonitorPermission,
    resourceRef: input => dataSourceRef(input.dataSourceId),
    summarize: input => `Tested the connection of data source ${input.dataSourceId}`,
    async handler({ input }) {
      return service.testSaved(input.dataSourceId, 'manual');
    },
  });
}
