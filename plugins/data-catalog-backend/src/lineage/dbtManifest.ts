import { z } from 'zod';
import type { SqlDialect } from './viewLineage';

/**
 * The parts of a dbt `manifest.json` (schema v7 to v12) lineage needs: models, seeds,
 * snapshots and sources, where they live, their columns, what they depend on and their
 * compiled SQL. Everything else in the manifest is accepted and ignored.
 */
const columnSchema = z
  .object({
    name: z.string().min(1).max(1000),
    description: z.string().max(100000).nullish(),
    data_type: z.string().max(1000).nullish(),
  })
  .passthrough();

const relationFields = {
  unique_id: z.string().min(1).max(2000),
  resource_type: z.string().max(64),
  name: z.string().min(1).max(1000),
  database: z.string().max(1000).nullish(),
  schema: z.string().min(1).max(1000),
  columns: z.record(z.string(), columnSchema).default({}),
};

const nodeSchema = z
  .object({
    ...relationFields,
    alias: z.string().max(1000).nullish(),
    config: z
      .object({ materialized: z.string().max(64).nullish() })
      .passthrough()
      .nullish(),
    depends_on: z
      .object({ nodes: z.array(z.string().max(2000)).max(10000).default([]) })
      .passthrough()
      .nullish(),
    /** dbt ≥ 1.3; `compiled_sql` before. */
    compiled_code: z.string().max(2_000_000).nullish(),
    compiled_sql: z.string().max(2_000_000).nullish(),
  })
  .passthrough();

const sourceSchema = z
  .object({
    ...relationFields,
    identifier: z.string().max(1000).nullish(),
    source_name: z.string().max(1000).nullish(),
  })
  .passthrough();

export const dbtManifestSchema = z
  .object({
    metadata: z
      .object({
        dbt_schema_version: z.string().max(500).optional(),
        project_name: z.string().max(1000).nullish(),
        adapter_type: z.string().max(64).nullish(),
      })
      .passthrough(),
    nodes: z.record(z.string(), nodeSchema).default({}),
    sources: z.record(z.string(), sourceSchema).default({}),
  })
  .passthrough();

export type DbtManifest = z.infer<typeof dbtManifestSchema>;
export type DbtNode = z.infer<typeof nodeSchema>;
export type DbtSource = z.infer<typeof sourceSchema>;

/** Resource types that are relations in the warehouse (tests, operations and macros are not). */
export const DBT_RELATION_TYPES = ['model', 'seed', 'snapshot', 'source'];

export function dbtDialect(adapterType: string | null | undefined): SqlDialect {
  switch ((adapterType ?? '').toLowerCase()) {
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'sqlite':
      return 'sqlite';
    default:
      return 'postgresql';
  }
}

/** The relation a dbt node or source builds (or reads): database, schema, table name. */
export function dbtRelation(entry: DbtNode | DbtSource): {
  database: string;
  schema: string;
  table: string;
  view: boolean;
} {
  const table =
    ('identifier' in entry && entry.identifier) || ('alias' in entry && entry.alias) || entry.name;
  const materialized = (entry as DbtNode).config?.materialized ?? null;
  return {
    database: entry.database ?? '',
    schema: entry.schema,
    table: String(table),
    view: materialized === 'view' || materialized === 'materialized_view',
  };
}
