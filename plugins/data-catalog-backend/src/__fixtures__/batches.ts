import {
  tableBatchSchema,
  type TableBatch,
  type TableBatchInput,
} from '@racine/plugin-data-catalog-common';

type ColumnInput = TableBatchInput['columns'][number];

export function column(
  name: string,
  ordinal: number,
  extra: Partial<ColumnInput> = {},
): ColumnInput {
  return { name, ordinal, dataType: 'text', nullable: true, ...extra };
}

export function emailLabel(confidence = 0.92) {
  return {
    classifierId: 'pii.email',
    confidence,
    evidence: {
      signals: [
        {
          kind: 'value-pattern',
          description: '48 of 50 sampled values look like e-mail addresses',
          weight: 0.8,
        },
        { kind: 'column-name', description: 'column name contains "email"', weight: 0.2 },
      ],
      maskedExamples: ['j***@example.com', 'a***@example.org'],
      matchRatio: 0.96,
      sampleSize: 50,
    },
  };
}

export function label(classifierId: string, confidence: number) {
  return {
    classifierId,
    confidence,
    evidence: {
      signals: [{ kind: 'value-pattern', description: `${classifierId} matched` }],
      maskedExamples: ['***'],
    },
  };
}

/** A batch as the scans plugin publishes it, defaults filled in by the contract schema. */
export function tableBatch(
  overrides: Partial<Omit<TableBatchInput, 'table'>> & {
    table?: Partial<TableBatchInput['table']>;
  } = {},
): TableBatch {
  const { table, ...rest } = overrides;
  return tableBatchSchema.parse({
    dataSourceId: 'ds-1',
    dataSourceName: 'CRM production',
    runId: 'run-1',
    scannedAt: '2026-01-10T10:00:00.000Z',
    database: 'crm',
    schema: 'public',
    columns: [
      column('id', 1, { dataType: 'integer', nullable: false, isPrimaryKey: true }),
      column('email', 2, {
        dataType: 'varchar(255)',
        labels: [emailLabel()],
        profile: { rowCount: 50, nullCount: 2, distinctCount: 48, maxLength: 31 },
      }),
      column('company_id', 3, { dataType: 'integer' }),
    ],
    ...rest,
    table: {
      name: 'customers',
      kind: 'table',
      rowCount: 50,
      primaryKey: ['id'],
      foreignKeys: [
        {
          name: 'customers_company_fk',
          columns: ['company_id'],
          referencedSchema: 'public',
          referencedTable: 'companies',
          referencedColumns: ['id'],
        },
      ],
      ...table,
    },
  });
}
