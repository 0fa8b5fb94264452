import { z } from 'zod';

/**
 * HTTP contracts of `/api/datasources`, shared by the backend (which serves them), the
 * frontend and other groups (which read them). Field names are public API.
 */

/** The types of the connectors that ship with Racine; third-party connectors add others. */
export const BUILTIN_CONNECTOR_TYPES = ['postgres', 'mysql', 'sqlite'] as const;

export const dataSourceNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters');

export const connectorTypeSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_.-]*$/, 'must be a connector type such as postgres, mysql or sqlite');

export const environmentSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/,
    'must be 1-63 letters, digits, dots, dashes or underscores',
  )
  .transform(value => value.toLowerCase());

export const tagSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$/,
    'tags are 1-63 letters, digits, dots, colons, dashes or underscores',
  )
  .transform(value => value.toLowerCase());

/** A connector's configuration; checked against the connector's own schema by the backend. */
export const connectorConfigSchema = z.record(z.string(), z.unknown());

/** `POST /api/datasources` */
export const createDataSourceRequestSchema = z.object({
  name: dataSourceNameSchema,
  type: connectorTypeSchema,
  config: connectorConfigSchema,
  description: z.string().max(4000).optional(),
  environment: environmentSchema.optional(),
  owner: z.string().trim().max(255).optional(),
  tags: z.array(tagSchema).max(50).optional(),
  workspace: z.string().optional(),
});
export type CreateDataSourceRequest = z.input<typeof createDataSourceRequestSchema>;

/**
 * `PUT /api/datasources/:id`: fields left out keep their value. Secret fields left out of
 * `config` keep the stored secret (the API never returns them, so a form cannot send them back).
 */
export const updateDataSourceRequestSchema = z.object({
  name: dataSourceNameSchema.optional(),
  type: connectorTypeSchema.optional(),
  config: connectorConfigSchema.optional(),
  description: z.string().max(4000).optional(),
  environment: environmentSchema.optional(),
  owner: z.string().trim().max(255).optional(),
  tags: z.array(tagSchema).max(50).optional(),
});
export type UpdateDataSourceRequest = z.input<typeof updateDataSourceRequestSchema>;

/** `POST /api/datasources/test`: tests a configuration that is not saved (yet). */
export const testConfigRequestSchema = z.object({
  type: connectorTypeSchema,
  config: connectorConfigSchema,
  /** When editing a saved source: its stored secrets fill the secret fields left out of `config`. */
  dataSourceId: z.string().optional(),
});
export type TestConfigRequest = z.input<typeof testConfigRequestSchema>;

export const listDataSourcesQuerySchema = z.object({
  workspace: z.string().optional(),
  type: z.string().optional(),
  environment: z.string().optional(),
  /** Case-insensitive substring of the name, description, type, environment, owner or a tag. */
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().optional(),
});
export type ListDataSourcesQuery = z.input<typeof listDataSourcesQuerySchema>;

export interface ConnectionTestResult {
  ok: boolean;
  latencyMs: number;
  /** Version the server reported; `null` when the test failed. */
  serverVersion: string | null;
  /** The driver's own message when the test failed. */
  error?: string;
  errorCode?: string;
}

export interface HealthCheck {
  checkedAt: string;
  ok: boolean;
  latencyMs: number;
  serverVersion: string | null;
  error?: string;
  /** `schedule` (the periodic check) or `manual` (a user, a workflow or another plugin asked). */
  trigger: HealthCheckTrigger;
}
export type HealthCheckTrigger = 'schedule' | 'manual';

export interface DataSource {
  id: string;
  /** `racine:datasources:datasource/<id>` */
  ref: string;
  name: string;
  type: string;
  description: string;
  /** The connector configuration without its secret fields. */
  config: Record<string, unknown>;
  /** Names of the secret fields that hold a stored value; the values are never returned. */
  secretFields: string[];
  environment: string;
  owner: string;
  tags: string[];
  workspace: string;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  /** The latest connection check; `null` until the first one. */
  health: HealthCheck | null;
}

export interface DataSourceList {
  items: DataSource[];
  totalCount: number;
  nextCursor?: string;
}

export interface DataSourceHealth {
  current: HealthCheck | null;
  /** Newest first; the last 200 checks are kept. */
  history: HealthCheck[];
}

/** `GET /api/datasources/:id/connection` (service principals only). */
export interface DataSourceConnection {
  id: string;
  name: string;
  type: string;
  workspace: string;
  environment: string;
  owner: string;
  /** The full connector configuration, decrypted secrets included. */
  config: Record<string, unknown>;
}

/** `GET /api/datasources/connectors` */
export interface ConnectorInfo {
  type: string;
  title: string;
  description: string;
  /** JSON Schema (draft 2020-12) of the configuration, for rendering a form. */
  configSchema: Record<string, unknown>;
  secretFields: string[];
}
