import type { HealthCheck, HealthCheckTrigger } from '@racine/plugin-datasources-common';
import type { Knex } from 'knex';
import { DATA_SOURCES_TABLE, HEALTH_CHECKS_TABLE, MARKERS_TABLE } from './migrations';

/** A data source as stored: configuration without secrets, secrets sealed. */
export interface StoredDataSource {
  id: string;
  workspace: string;
  name: string;
  type: string;
  description: string;
  environment: string;
  owner: string;
  tags: string[];
  /** Connector configuration without its secret fields. */
  config: Record<string, unknown>;
  /** The secret fields as one sealed JSON object (`SecretBox.sealJson`), or null. */
  sealedSecrets: string | null;
  /** Names of the fields inside `sealedSecrets`. */
  secretFields: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export type DataSourcePatch = Partial<
  Pick<
    StoredDataSource,
    | 'name'
    | 'description'
    | 'environment'
    | 'owner'
    | 'tags'
    | 'config'
    | 'sealedSecrets'
    | 'secretFields'
  >
> &
  Pick<StoredDataSource, 'updatedAt' | 'updatedBy'>;

export interface DataSourceFilter {
  workspace?: string;
  type?: string;
  environment?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

export interface DataSourcePage {
  items: StoredDataSource[];
  totalCount: number;
  nextCursor?: string;
}

export interface NewHealthCheck {
  ok: boolean;
  latencyMs: number;
  serverVersion: string | null;
  error?: string;
  errorCode?: string;
  trigger: HealthCheckTrigger;
  checkedAt: string;
}

export type UpdateOutcome = 'updated' | 'missing' | 'conflict';

/** Persistence of data sources and their health history. */
export interface DataSourceStore {
  /** Inserts unless the workspace already has a source of that name; false then. */
  insert(source: StoredDataSource): Promise<boolean>;
  /**
   * Claims `markerKey` and inserts `source` in one transaction; does neither when the marker
   * was claimed before (by this or another replica). True when this call inserted.
   */
  insertOnce(markerKey: string, source: StoredDataSource): Promise<boolean>;
  update(id: string, patch: DataSourcePatch): Promise<UpdateOutcome>;
  get(id: string): Promise<StoredDataSource | undefined>;
  list(filter: DataSourceFilter): Promise<DataSourcePage>;
  /** Every id, for the periodic health check. */
  listIds(): Promise<string[]>;
  /** Deletes the source and its health history; false when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Appends a check and drops all but the newest `keep` checks of that source. */
  addHealthCheck(dataSourceId: string, check: NewHealthCheck, keep: number): Promise<void>;
  /** The newest check of each of the given sources that has one. */
  latestHealth(dataSourceIds: string[]): Promise<Map<string, HealthCheck>>;
  /** Newest first. */
  healthHistory(dataSourceId: string, limit: number): Promise<HealthCheck[]>;
}

type SourceRow = {
  id: string;
  workspace: string;
  name: string;
  type: string;
  description: string;
  environment: string;
  owner: string;
  tags: string;
  config: string;
  secrets: string | null;
  secret_fields: string;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
};

type HealthRow = {
  id: number;
  datasource_id: string;
  checked_at: string;
  ok: boolean | number;
  latency_ms: number | string;
  server_version: string | null;
  error: string | null;
  error_code: string | null;
  triggered_by: string;
};

function toRow(source: StoredDataSource): SourceRow {
  return {
    id: source.id,
    workspace: source.workspace,
    name: source.name,
    type: source.type,
    description: source.description,
    environment: source.environment,
    owner: source.owner,
    tags: JSON.stringify(source.tags),
    config: JSON.stringify(source.config),
    secrets: source.sealedSecrets,
    secret_fields: JSON.stringify(source.secretFields),
    created_at: source.createdAt,
    created_by: source.createdBy,
    updated_at: source.updatedAt,
    updated_by: source.updatedBy,
  };
}

function fromRow(row: SourceRow): StoredDataSource {
  return {
    id: row.id,
    workspace: row.workspace,
    name: row.name,
    type: row.type,
    description: row.description,
    environment: row.environment,
    owner: row.owner,
    tags: JSON.parse(row.tags) as string[],
    config: JSON.parse(row.config) as Record<string, unknown>,
    sealedSecrets: row.secrets,
    secretFields: JSON.parse(row.secret_fields) as string[],
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function fromHealthRow(row: HealthRow): HealthCheck {
  return {
    checkedAt: row.checked_at,
    ok: Boolean(row.ok),
    latencyMs: Number(row.latency_ms),
    serverVersion: row.server_version,
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.error_code === null ? {} : { errorCode: row.error_code }),
    trigger: row.triggered_by as HealthCheckTrigger,
  };
}

/** A unique-constraint violation on either engine. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** `like` pattern matching `text` anywhere, with the wildcards in `text` escaped. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] | undefined {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every(v => typeof v === 'string')) {
      return [value[0], value[1]];
    }
  } catch {
    // fall through: an unreadable cursor is reported by the caller
  }
  return undefined;
}

export class InvalidCursorError extends Error {}

export class KnexDataSourceStore implements DataSourceStore {
  constructor(private readonly knex: Knex) {}

  async insert(source: StoredDataSource): Promise<boolean> {
    return this.insertWith(this.knex, source);
  }

  private async insertWith(
    knex: Knex | Knex.Transaction,
    source: StoredDataSource,
  ): Promise<boolean> {
    // Insert-if-absent in one statement, so two callers racing on a name cannot both win.
    const inserted = await knex(DATA_SOURCES_TABLE)
      .insert(toRow(source))
      .onConflict(['workspace', 'name'])
      .ignore()
      .returning('id');
    return inserted.length > 0;
  }

  async insertOnce(markerKey: string, source: StoredDataSource): Promise<boolean> {
    return this.knex.transaction(async tx => {
      const claimed = await tx(MARKERS_TABLE)
        .insert({ key: markerKey, created_at: source.createdAt })
        .onConflict('key')
        .ignore()
        .returning('key');
      if (claimed.length === 0) return false;
      return this.insertWith(tx, source);
    });
  }

  async update(id: string, patch: DataSourcePatch): Promise<UpdateOutcome> {
    const changes: Partial<SourceRow> = {
      updated_at: patch.updatedAt,
      updated_by: patch.updatedBy,
    };
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.environment !== undefined) changes.environment = patch.environment;
    if (patch.owner !== undefined) changes.owner = patch.owner;
    if (patch.tags !== undefined) changes.tags = JSON.stringify(patch.tags);
    if (patch.config !== undefined) changes.config = JSON.stringify(patch.config);
    if (patch.sealedSecrets !== undefined) changes.secrets = patch.sealedSecrets;
    if (patch.secretFields !== undefined)
      changes.secret_fields = JSON.stringify(patch.secretFields);
    try {
      const count = await this.knex(DATA_SOURCES_TABLE).where({ id }).update(changes);
      return count > 0 ? 'updated' : 'missing';
    } catch (error) {
      if (isUniqueViolation(error)) return 'conflict';
      throw error;
    }
  }

  async get(id: string): Promise<StoredDataSource | undefined> {
    const row = (await this.knex<SourceRow>(DATA_SOURCES_TABLE).where({ id }).first()) as
      SourceRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  async list(filter: DataSourceFilter): Promise<DataSourcePage> {
    const base = this.knex<SourceRow>(DATA_SOURCES_TABLE).where(builder => {
      if (filter.workspace) builder.where('workspace', filter.workspace);
      if (filter.type) builder.where('type', filter.type);
      if (filter.environment) builder.where('environment', filter.environment.toLowerCase());
      if (filter.q) {
        const pattern = containsPattern(filter.q);
        builder.where(q =>
          q
            .whereRaw(`lower(name) like ? escape '\\'`, [pattern])
            .orWhereRaw(`lower(description) like ? escape '\\'`, [pattern])
            .orWhereRaw(`lower(type) like ? escape '\\'`, [pattern])
            .orWhereRaw(`lower(environment) like ? escape '\\'`, [pattern])
            .orWhereRaw(`lower(owner) like ? escape '\\'`, [pattern])
            .orWhereRaw(`lower(tags) like ? escape '\\'`, [pattern]),
        );
      }
    });
    const [{ count }] = (await base.clone().count({ count: '*' })) as { count: number | string }[];
    const page = base.clone();
    if (filter.cursor) {
      const after = decodeCursor(filter.cursor);
      if (!after) throw new InvalidCursorError('cursor: not a cursor returned by this API');
      const [name, id] = after;
      page.where(q =>
        q.where('name', '>', name).orWhere(q2 => q2.where('name', name).andWhere('id', '>', id)),
      );
    }
    const rows = (await page
      .orderBy([{ column: 'name' }, { column: 'id' }])
      .limit(filter.limit + 1)) as SourceRow[];
    const items = rows.slice(0, filter.limit).map(fromRow);
    const last = items[items.length - 1];
    return {
      items,
      totalCount: Number(count),
      ...(rows.length > filter.limit && last
        ? { nextCursor: encodeCursor(last.name, last.id) }
        : {}),
    };
  }

  async listIds(): Promise<string[]> {
    const rows = (await this.knex(DATA_SOURCES_TABLE).select('id').orderBy('id')) as {
      id: string;
    }[];
    return rows.map(r => r.id);
  }

  async delete(id: string): Promise<boolean> {
    return this.knex.transaction(async tx => {
      // SQLite does not enforce foreign keys unless asked, so the history goes explicitly.
      await tx(HEALTH_CHECKS_TABLE).where({ datasource_id: id }).delete();
      const count = await tx(DATA_SOURCES_TABLE).where({ id }).delete();
      return count > 0;
    });
  }

  async addHealthCheck(dataSourceId: string, check: NewHealthCheck, keep: number): Promise<void> {
    await this.knex.transaction(async tx => {
      const exists = await tx(DATA_SOURCES_TABLE).where({ id: dataSourceId }).first('id');
      // The source may have been deleted while its check ran.
      if (!exists) return;
      await tx(HEALTH_CHECKS_TABLE).insert({
        datasource_id: dataSourceId,
        checked_at: check.checkedAt,
        ok: check.ok,
        latency_ms: check.latencyMs,
        server_version: check.serverVersion,
        error: check.error ?? null,
        error_code: check.errorCode ?? null,
        triggered_by: check.trigger,
      });
      const boundary = (await tx(HEALTH_CHECKS_TABLE)
        .where({ datasource_id: dataSourceId })
        .orderBy('id', 'desc')
        .offset(keep - 1)
        .first('id')) as { id: number } | undefined;
      if (boundary) {
        await tx(HEALTH_CHECKS_TABLE)
          .where({ datasource_id: dataSourceId })
          .andWhere('id', '<', boundary.id)
          .delete();
      }
    });
  }

  async latestHealth(dataSourceIds: string[]): Promise<Map<string, HealthCheck>> {
    const latest = new Map<string, HealthCheck>();
    if (dataSourceIds.length === 0) return latest;
    const rows = (await this.knex<HealthRow>(HEALTH_CHECKS_TABLE).whereIn(
      'id',
      this.knex(HEALTH_CHECKS_TABLE)
        .max('id')
        .whereIn('datasource_id', dataSourceIds)
        .groupBy('datasource_id'),
    )) as HealthRow[];
    for (const row of rows) latest.set(row.datasource_id, fromHealthRow(row));
    return latest;
  }

  async healthHistory(dataSourceId: string, limit: number): Promise<HealthCheck[]> {
    const rows = (await this.knex<HealthRow>(HEALTH_CHECKS_TABLE)
      .where({ datasource_id: dataSourceId })
      .orderBy('id', 'desc')
      .limit(limit)) as HealthRow[];
    return rows.map(fromHealthRow);
  }
}
