import crypto from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  DEFAULT_WORKSPACE,
  eventTopics,
  type DataSourceDeletedEventPayload,
} from '@racine/kernel-common';
import type { SecretBox } from '@racine/kernel-node';
import {
  dataSourceRef,
  type ConnectionTestResult,
  type ConnectorInfo,
  type DataSource,
  type DataSourceConnection,
  type DataSourceHealth,
  type DataSourceList,
  type HealthCheck,
  type HealthCheckTrigger,
} from '@racine/plugin-datasources-common';
import {
  REDACTED,
  type AnyConnector,
  type ConnectOptions,
  type ConnectorRegistry,
} from '@racine/plugin-datasources-node';
import type { DataSourceStore, StoredDataSource } from '../database/DataSourceStore';
import type { ConfigPolicy } from './configPolicy';

/** How many checks of each source the health history keeps. */
export const HEALTH_HISTORY_SIZE = 200;

/** Connection tests must answer quickly, whatever the driver's defaults. */
const TEST_OPTIONS: ConnectOptions = {
  connectTimeoutMs: 10_000,
  statementTimeoutMs: 15_000,
  maxConnections: 1,
};

export interface NewDataSource {
  name: string;
  type: string;
  config: Record<string, unknown>;
  description?: string;
  environment?: string;
  owner?: string;
  tags?: string[];
  workspace?: string;
}

export interface DataSourceChanges {
  name?: string;
  type?: string;
  config?: Record<string, unknown>;
  description?: string;
  environment?: string;
  owner?: string;
  tags?: string[];
}

export interface ListOptions {
  workspace?: string;
  type?: string;
  environment?: string;
  q?: string;
  limit: number;
  cursor?: string;
}

type Secrets = Record<string, unknown>;

/**
 * Data sources: configuration checked against each connector's schema, credentials (the
 * connector's secret fields) sealed with AES-256-GCM and never handed out except to the
 * service-only connection route, connection tests and their history.
 *
 * Authorization is the caller's job (router, actions); this class only enforces data rules.
 */
export class DataSourceService {
  constructor(
    private readonly deps: {
      store: DataSourceStore;
      connectors: ConnectorRegistry;
      secretBox: SecretBox;
      workspaces: { exists(name: string): Promise<boolean> };
      /** Announces deletions (`datasource.deleted`): the catalog marks the source's assets deleted. */
      events: Pick<EventsService, 'publish'>;
      logger: LoggerService;
      configPolicies?: ConfigPolicy[];
    },
  ) {}

  connectors(): ConnectorInfo[] {
    return this.deps.connectors.describe();
  }

  async create(input: NewDataSource, actor: string): Promise<DataSource> {
    const stored = this.newRecord(input, actor);
    if (!(await this.deps.workspaces.exists(stored.workspace))) {
      throw new InputError(
        `Invalid input: workspace: workspace '${stored.workspace}' does not exist`,
      );
    }
    if (!(await this.deps.store.insert(stored))) {
      throw new ConflictError(
        `A data source named '${stored.name}' already exists in workspace '${stored.workspace}'`,
      );
    }
    return this.toApi(stored, null);
  }

  /**
   * Registers a source once per Racine installation: `markerKey` remembers that it was done,
   * so neither a second replica nor a restart after a user deleted it registers it again.
   * True when this call registered it.
   */
  async createOnce(markerKey: string, input: NewDataSource, actor: string): Promise<boolean> {
    return this.deps.store.insertOnce(markerKey, this.newRecord(input, actor));
  }

  private newRecord(input: NewDataSource, actor: string): StoredDataSource {
    const connector = this.requireConnector(input.type);
    const { config, secrets } = this.validateConfig(connector, input.config, {});
    const now = new Date().toISOString();
    return {
      id: crypto.randomUUID(),
      workspace: input.workspace ?? DEFAULT_WORKSPACE,
      name: input.name,
      type: connector.type,
      description: input.description ?? '',
      environment: input.environment ?? '',
      owner: input.owner ?? '',
      tags: [...new Set(input.tags ?? [])],
      config,
      ...this.seal(secrets),
      createdAt: now,
      createdBy: actor,
      updatedAt: now,
      updatedBy: actor,
    };
  }

  async update(id: string, changes: DataSourceChanges, actor: string): Promise<DataSource> {
    const current = await this.requireStored(id);
    if (changes.type !== undefined && changes.type !== current.type) {
      throw new InputError(
        `Invalid input: type: a data source cannot change its type (${current.type}); register a new one instead`,
      );
    }
    let configChanges = {};
    if (changes.config !== undefined) {
      const connector = this.requireConnector(current.type);
      const { config, secrets } = this.validateConfig(
        connector,
        changes.config,
        this.open(current),
      );
      configChanges = { config, ...this.seal(secrets) };
    }
    const outcome = await this.deps.store.update(id, {
      name: changes.name,
      description: changes.description,
      environment: changes.environment,
      owner: changes.owner,
      tags: changes.tags ? [...new Set(changes.tags)] : undefined,
      ...configChanges,
      updatedAt: new Date().toISOString(),
      updatedBy: actor,
    });
    if (outcome === 'missing') throw new NotFoundError(`No data source '${id}'`);
    if (outcome === 'conflict') {
      throw new ConflictError(
        `A data source named '${changes.name}' already exists in workspace '${current.workspace}'`,
      );
    }
    return this.get(id);
  }

  /** Deletes the source and its health history, then announces it on `datasource.deleted`. */
  async delete(id: string, actor: string): Promise<StoredDataSource> {
    const current = await this.requireStored(id);
    if (!(await this.deps.store.delete(id))) throw new NotFoundError(`No data source '${id}'`);
    const eventPayload: DataSourceDeletedEventPayload = {
      dataSourceId: current.id,
      name: current.name,
      workspace: current.workspace,
      deletedBy: actor,
    };
    try {
      await this.deps.events.publish({ topic: eventTopics.dataSourceDeleted, eventPayload });
    } catch (error) {
      // The deletion is committed; a lost notification must not fail it.
      this.deps.logger.warn(
        `Could not publish ${eventTopics.dataSourceDeleted} for data source ${id}: ${String(error)}`,
      );
    }
    return current;
  }

  async get(id: string): Promise<DataSource> {
    const stored = await this.requireStored(id);
    const latest = await this.deps.store.latestHealth([id]);
    return this.toApi(stored, latest.get(id) ?? null);
  }

  /** The stored record (no secrets opened), e.g. to name it in an audit record. */
  async find(id: string): Promise<StoredDataSource | undefined> {
    return this.deps.store.get(id);
  }

  async list(options: ListOptions): Promise<DataSourceList> {
    const page = await this.deps.store.list(options);
    const latest = await this.deps.store.latestHealth(page.items.map(s => s.id));
    return {
      items: page.items.map(s => this.toApi(s, latest.get(s.id) ?? null)),
      totalCount: page.totalCount,
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  /** The full configuration, decrypted secrets included: for trusted services only. */
  async connection(id: string): Promise<DataSourceConnection> {
    const stored = await this.requireStored(id);
    return {
      id: stored.id,
      name: stored.name,
      type: stored.type,
      workspace: stored.workspace,
      environment: stored.environment,
      owner: stored.owner,
      config: { ...stored.config, ...this.open(stored) },
    };
  }

  /** Tests a saved source and records the result in its health history. */
  async testSaved(id: string, trigger: HealthCheckTrigger): Promise<ConnectionTestResult> {
    const stored = await this.requireStored(id);
    const secrets = this.open(stored);
    let result: ConnectionTestResult;
    if (!this.deps.connectors.has(stored.type)) {
      result = {
        ok: false,
        latencyMs: 0,
        serverVersion: null,
        error: `No connector of type '${stored.type}' is installed on this Racine backend`,
        errorCode: 'UNKNOWN_CONNECTOR',
      };
    } else {
      result = this.toResult(
        await this.deps.connectors.testConnection(
          stored.type,
          { ...stored.config, ...secrets },
          TEST_OPTIONS,
        ),
        secrets,
      );
    }
    await this.deps.store.addHealthCheck(
      id,
      { ...result, trigger, checkedAt: new Date().toISOString() },
      HEALTH_HISTORY_SIZE,
    );
    return result;
  }

  /**
   * Tests a configuration that is not saved, e.g. from the "Add data source" form. With
   * `dataSourceId`, that source's stored secrets fill the secret fields left out.
   */
  async testConfig(
    type: string,
    rawConfig: Record<string, unknown>,
    dataSourceId?: string,
  ): Promise<ConnectionTestResult> {
    const connector = this.requireConnector(type);
    let stored: Secrets = {};
    if (dataSourceId !== undefined) {
      const current = await this.requireStored(dataSourceId);
      if (current.type !== type) {
        throw new InputError(
          `Invalid input: type: data source '${dataSourceId}' is of type ${current.type}`,
        );
      }
      stored = this.open(current);
    }
    const { config, secrets } = this.validateConfig(connector, rawConfig, stored);
    const result = await connector.testConnection({ ...config, ...secrets }, TEST_OPTIONS);
    return this.toResult(result, secrets);
  }

  async health(id: string, limit = HEALTH_HISTORY_SIZE): Promise<DataSourceHealth> {
    await this.requireStored(id);
    const history = await this.deps.store.healthHistory(id, limit);
    return { current: history[0] ?? null, history };
  }

  async allIds(): Promise<string[]> {
    return this.deps.store.listIds();
  }

  private requireConnector(type: string): AnyConnector {
    const connector = this.deps.connectors.get(type);
    if (!connector) {
      const known = this.deps.connectors
        .list()
        .map(c => c.type)
        .join(', ');
      throw new InputError(
        `Invalid input: type: unknown connector type '${type}' (installed: ${known})`,
      );
    }
    return connector;
  }

  private async requireStored(id: string): Promise<StoredDataSource> {
    const stored = await this.deps.store.get(id);
    if (!stored) throw new NotFoundError(`No data source '${id}'`);
    return stored;
  }

  /**
   * Checks `raw` against the connector's schema and splits it into the plain configuration
   * and the secret fields. A secret field left out keeps its `stored` value; `null` clears it.
   */
  private validateConfig(
    connector: AnyConnector,
    raw: Record<string, unknown>,
    stored: Secrets,
  ): { config: Record<string, unknown>; secrets: Secrets } {
    const merged: Record<string, unknown> = { ...raw };
    for (const field of connector.secretFields) {
      if (merged[field] === undefined && stored[field] !== undefined) merged[field] = stored[field];
      else if (merged[field] === null) delete merged[field];
    }
    const parsed = connector.configSchema.safeParse(merged);
    if (!parsed.success) {
      const details = parsed.error.issues
        .map(issue => `${['config', ...issue.path.map(String)].join('.')}: ${issue.message}`)
        .join('; ');
      throw new InputError(`Invalid config: ${details}`);
    }
    const config: Record<string, unknown> = { ...parsed.data };
    for (const policy of this.deps.configPolicies ?? []) policy(connector.type, config);
    const secrets: Secrets = {};
    for (const field of connector.secretFields) {
      if (config[field] !== undefined) secrets[field] = config[field];
      delete config[field];
    }
    return { config, secrets };
  }

  private seal(secrets: Secrets): { sealedSecrets: string | null; secretFields: string[] } {
    const fields = Object.keys(secrets);
    return {
      sealedSecrets: fields.length > 0 ? this.deps.secretBox.sealJson(secrets) : null,
      secretFields: fields,
    };
  }

  private open(stored: StoredDataSource): Secrets {
    return stored.sealedSecrets ? this.deps.secretBox.openJson<Secrets>(stored.sealedSecrets) : {};
  }

  /** The API shape of a test result; any secret the driver echoed is blanked out. */
  private toResult(
    result: Awaited<ReturnType<AnyConnector['testConnection']>>,
    secrets: Secrets,
  ): ConnectionTestResult {
    if (result.ok)
      return { ok: true, latencyMs: result.latencyMs, serverVersion: result.serverVersion };
    let error = result.error;
    for (const value of Object.values(secrets)) {
      if (typeof value === 'string' && value.length >= 3) error = error.split(value).join(REDACTED);
    }
    return {
      ok: false,
      latencyMs: result.latencyMs,
      serverVersion: null,
      error,
      ...(result.errorCode === undefined ? {} : { errorCode: result.errorCode }),
    };
  }

  private toApi(stored: StoredDataSource, health: HealthCheck | null): DataSource {
    return {
      id: stored.id,
      ref: dataSourceRef(stored.id),
      name: stored.name,
      type: stored.type,
      description: stored.description,
      config: stored.config,
      secretFields: stored.secretFields,
      environment: stored.environment,
      owner: stored.owner,
      tags: stored.tags,
      workspace: stored.workspace,
      createdAt: stored.createdAt,
      createdBy: stored.createdBy,
      updatedAt: stored.updatedAt,
      updatedBy: stored.updatedBy,
      health,
    };
  }
}
