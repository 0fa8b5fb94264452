/**
 * Run events from the OpenLineage specification's own examples
 * (https://openlineage.io/docs/spec/examples, spec 2-0-x), with the typos of the published
 * page (missing commas) fixed so they are valid JSON.
 */

/** "START event with single input". */
export const startWithSingleInput = {
  eventType: 'START',
  eventTime: '2020-12-28T19:52:00.001+10:00',
  run: { runId: 'd46e465b-d358-4d32-83d4-df660ff614dd' },
  job: { namespace: 'workshop', name: 'process_taxes' },
  inputs: [{ namespace: 'postgres://workshop-db:None', name: 'workshop.public.taxes' }],
  producer: 'https://github.com/OpenLineage/OpenLineage/blob/v1-0-0/client',
};

/** "COMPLETE event with single output" (the same run). */
export const completeWithSingleOutput = {
  eventType: 'COMPLETE',
  eventTime: '2020-12-28T20:52:00.001+10:00',
  run: { runId: 'd46e465b-d358-4d32-83d4-df660ff614dd' },
  job: { namespace: 'workshop', name: 'process_taxes' },
  outputs: [{ namespace: 'postgres://workshop-db:None', name: 'workshop.public.unpaid_taxes' }],
  producer: 'https://github.com/OpenLineage/OpenLineage/blob/v1-0-0/client',
};

/** "COMPLETE event with Facets (dataset)": the output's data source and schema facets. */
export const completeWithDatasetFacets = {
  eventType: 'COMPLETE',
  eventTime: '2020-12-28T20:52:00.001+10:00',
  run: { runId: 'd46e465b-d358-4d32-83d4-df660ff614dd' },
  job: { namespace: 'workshop', name: 'process_taxes' },
  outputs: [
    {
      namespace: 'postgres://workshop-db:None',
      name: 'workshop.public.unpaid_taxes',
      facets: {
        dataSource: {
          _producer: 'https://github.com/OpenLineage/OpenLineage/tree/0.10.0/integration/airflow',
          _schemaURL:
            'https://raw.githubusercontent.com/OpenLineage/OpenLineage/main/spec/OpenLineage.json#/definitions/DataSourceDatasetFacet',
          name: 'postgres://workshop-db:None',
          uri: 'workshop-db',
        },
        schema: {
          _producer: 'https://github.com/OpenLineage/OpenLineage/tree/0.10.0/integration/airflow',
          _schemaURL:
            'https://raw.githubusercontent.com/OpenLineage/OpenLineage/main/spec/OpenLineage.json#/definitions/SchemaDatasetFacet',
          fields: [
            { name: 'id', type: 'SERIAL PRIMARY KEY' },
            { name: 'tax_dt', type: 'TIMESTAMP NOT NULL' },
            { name: 'tax_item_id', type: 'INTEGER REFERENCES tax_itemsid' },
            { name: 'amount', type: 'INTEGER NOT NULL' },
            { name: 'ref_id', type: 'INTEGER REFERENCES refid' },
            { name: 'comment', type: 'TEXT' },
          ],
        },
      },
    },
  ],
  producer: 'https://github.com/OpenLineage/OpenLineage/blob/v1-0-0/client',
};

const producer = 'https://some.producer.com/version/1.0';
const schemaFacet = (fields: string[]) => ({
  _producer: producer,
  _schemaURL: 'https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json',
  fields: fields.map(name => ({ name, type: 'string' })),
});
const temporary = {
  _producer: producer,
  _schemaURL: 'https://openlineage.io/spec/facets/1-0-0/DatasetTypeDatasetFacet.json',
  datasetType: 'JOB_OUTPUT',
  subType: 'TEMPORARY',
};
const identity = (namespace: string, name: string, field: string) => ({
  namespace,
  name,
  field,
  transformations: [{ type: 'DIRECT', subtype: 'IDENTITY', description: '', masking: false }],
});

/**
 * "Job-to-Job lineage - ETL Job with several tasks", COMPLETE event of the `Load task`:
 * the column-lineage facet maps each output column to an input column.
 */
export const loadTaskWithColumnLineage = {
  eventTime: '2025-10-24T15:08:00.001+10:00',
  eventType: 'COMPLETE',
  producer: 'https://github.com/OpenLineage/OpenLineage/blob/v1-0-0/client',
  job: {
    namespace: '<job_namespace>',
    name: '<job_name>.Load task',
    facets: {
      jobType: {
        processingType: 'BATCH',
        integration: 'example',
        jobType: 'ingest_data',
        _producer: 'https://github.com/OpenLineage/OpenLineage/blob/v1-0-0/client',
        _schemaURL: 'https://openlineage.io/spec/facets/2-0-2/JobTypeJobFacet.json',
      },
      documentation: {
        _producer: producer,
        _schemaURL:
          'https://github.com/OpenLineage/OpenLineage/blob/main/spec/facets/DocumentationJobFacet.json',
        description: 'Ingest data from Data Source.',
        contentType: 'text/markdown',
      },
    },
  },
  run: {
    runId: '0195f1a6-8c2e-7c3d-9a51-3a8f5e1b2c4d',
    facets: {
      parent: {
        job: { namespace: '<job_namespace>', name: '<job_name>' },
        run: { runId: '0195f1a6-8c2e-7c3d-9a51-000000000001' },
      },
    },
  },
  inputs: [
    {
      namespace: 'test://example1.com:443/myDir',
      name: 'Dataset1',
      facets: { schema: schemaFacet(['ColumnA', 'ColumnB']) },
    },
  ],
  outputs: [
    {
      namespace: 'inmemory://',
      name: 'Dataset3.Load task',
      facets: {
        datasetType: temporary,
        schema: schemaFacet(['_0', '_1']),
        columnLineage: {
          _producer: producer,
          _schemaURL: 'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json',
          fields: {
            _0: { inputFields: [identity('test://example1.com:443/myDir', 'Dataset1', 'ColumnA')] },
            _1: { inputFields: [identity('test://example1.com:443/myDir', 'Dataset1', 'ColumnB')] },
          },
        },
      },
    },
  ],
};
