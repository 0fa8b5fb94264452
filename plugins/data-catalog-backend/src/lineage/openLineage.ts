import { assetRef } from '@racine/plugin-data-catalog-common';
import { z } from 'zod';

/**
 * OpenLineage 2-0-x run events (https://openlineage.io/spec/2-0-2/OpenLineage.json), the
 * parts the catalog uses: the job, the run, its input and output datasets, their `schema`,
 * `documentation` and `columnLineage` facets. Unknown facets are accepted and ignored.
 */
const transformationSchema = z
  .object({
    type: z.string().max(64).optional(),
    subtype: z.string().max(64).optional(),
    description: z.string().max(4000).optional(),
    masking: z.boolean().optional(),
  })
  .passthrough();

const inputFieldSchema = z
  .object({
    namespace: z.string().min(1).max(255),
    name: z.string().min(1).max(1000),
    field: z.string().min(1).max(1000),
    transformations: z.array(transformationSchema).max(50).optional(),
  })
  .passthrough();

const datasetFacetsSchema = z
  .object({
    schema: z
      .object({
        fields: z
          .array(
            z
              .object({
                name: z.string().min(1).max(1000),
                type: z.string().max(1000).optional(),
                description: z.string().max(10000).optional(),
              })
              .passthrough(),
          )
          .max(5000)
          .default([]),
      })
      .passthrough()
      .optional(),
    documentation: z
      .object({ description: z.string().max(100000) })
      .passthrough()
      .optional(),
    columnLineage: z
      .object({
        fields: z
          .record(
            z.string().min(1).max(1000),
            z.object({ inputFields: z.array(inputFieldSchema).max(1000) }).passthrough(),
          )
          .default({}),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

const datasetSchema = z
  .object({
    namespace: z.string().min(1).max(255),
    name: z.string().min(1).max(1000),
    facets: datasetFacetsSchema.optional(),
  })
  .passthrough();

export const openLineageRunEventSchema = z
  .object({
    eventType: z.enum(['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER']).optional(),
    eventTime: z.string().refine(v => !Number.isNaN(Date.parse(v)), 'must be an ISO-8601 time'),
    run: z.object({ runId: z.string().min(1).max(255) }).passthrough(),
    job: z
      .object({ namespace: z.string().min(1).max(255), name: z.string().min(1).max(1000) })
      .passthrough(),
    inputs: z.array(datasetSchema).max(1000).default([]),
    outputs: z.array(datasetSchema).max(1000).default([]),
    producer: z.string().min(1).max(2000),
    schemaURL: z.string().max(2000).optional(),
  })
  .passthrough();

export type OpenLineageRunEvent = z.infer<typeof openLineageRunEventSchema>;
export type OpenLineageDataset = z.infer<typeof datasetSchema>;

/**
 * A dataset is the catalog asset `table/<namespace>.<name>` under the data source asset
 * `datasource/<namespace>`; its qualified name is the dataset name (the spec's unique name
 * within its namespace, e.g. `workshop.public.taxes`), and `namespace/name` is its URI.
 */
export function datasetRef(namespace: string, name: string): string {
  return assetRef('table', [namespace, name]);
}

export function datasetColumnRef(namespace: string, name: string, field: string): string {
  return assetRef('column', [namespace, name, field]);
}

export function datasetUri(namespace: string, name: string): string {
  return `${namespace.replace(/\/+$/, '')}/${name}`;
}
