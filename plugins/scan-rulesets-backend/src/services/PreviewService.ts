import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  builtinConnectors,
  ConnectorRegistry,
  describeError,
  type ConnectorSession,
  type Discovery,
} from '@racine/plugin-datasources-node';
import {
  compileRuleSetFilters,
  planRuleSetTables,
  SYSTEM_SCHEMAS,
  type RuleSet,
  type RuleSetDefinition,
  type RuleSetPreview,
} from '@racine/plugin-scan-rulesets-common';
import { ZodError } from 'zod';
import type { ConnectionResolver } from './ConnectionResolver';
import type { RuleSetService } from './RuleSetService';

/** Discovery reads catalogs only, but a huge one may be slow: bound each statement. */
const STATEMENT_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 10_000;

export interface PreviewRequest {
  ruleSetId: string;
  /** A stored version to preview; the current one when absent. */
  version?: number;
  /** An unsaved definition to preview instead of a stored version (the editor's live preview). */
  definition?: RuleSetDefinition;
  dataSourceId: string;
  credentials: BackstageCredentials;
}

export interface DefinitionPreviewRequest {
  ruleSetId: string;
  version: number | null;
  definition: RuleSetDefinition;
  dataSourceId: string;
  credentials: BackstageCredentials;
}

/**
 * The dry run of a scan: discovers the data source through its connector, then applies the
 * rule set's filters and table limit exactly as a scan does. Nothing is sampled or profiled.
 */
export class PreviewService {
  private readonly connectors: ConnectorRegistry;

  constructor(
    private readonly ruleSets: RuleSetService,
    private readonly resolver: ConnectionResolver,
    connectors?: ConnectorRegistry,
  ) {
    this.connectors = connectors ?? new ConnectorRegistry(builtinConnectors());
  }

  /** Previews a rule set (current version, another version, or an unsaved definition). */
  async preview(request: PreviewRequest): Promise<{ ruleSet: RuleSet; preview: RuleSetPreview }> {
    const ruleSet = await this.ruleSets.get(request.ruleSetId);
    let version: number | null = null;
    let definition = request.definition;
    if (!definition) {
      version = request.version ?? ruleSet.version;
      definition =
        version === ruleSet.version
          ? ruleSet.definition
          : (await this.ruleSets.version(ruleSet.id, version)).definition;
    }
    const preview = await this.previewDefinition({ ...request, version, definition });
    return { ruleSet, preview };
  }

  async previewDefinition(request: DefinitionPreviewRequest): Promise<RuleSetPreview> {
    const filters = compileRuleSetFilters(request.definition);
    const connection = await this.resolver.resolve(request.dataSourceId, request.credentials);
    if (!this.connectors.has(connection.type)) {
      throw new InputError(
        `Data source '${connection.name}' is of type '${connection.type}', which has no connector here`,
      );
    }

    let session: ConnectorSession;
    try {
      session = await this.connectors.connect(connection.type, connection.config, {
        statementTimeoutMs: STATEMENT_TIMEOUT_MS,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        maxConnections: 2,
      });
    } catch (error) {
      if (error instanceof ZodError) {
        throw new InputError(`Data source '${connection.name}' has an invalid configuration`);
      }
      throw new ServiceUnavailableError(
        `Cannot connect to data source '${connection.name}': ${describeError(error).message}`,
      );
    }
    let discovery: Discovery;
    try {
      // Everything is discovered, so the preview can say what the filters leave out; engine
      // schemas only when the rule set asks for one of them.
      discovery = await session.discover({
        includeSystemSchemas: SYSTEM_SCHEMAS.some(schema => filters.includesSchema(schema)),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `Cannot read the structure of data source '${connection.name}': ${describeError(error).message}`,
      );
    } finally {
      await session.close();
    }

    const allTables = discovery.schemas.flatMap(s => s.tables);
    const plan = planRuleSetTables(filters, allTables);
    return {
      ruleSetId: request.ruleSetId,
      ruleSetVersion: request.version,
      dataSource: { id: connection.id, name: connection.name, type: connection.type },
      serverVersion: discovery.serverVersion,
      discoveredAt: discovery.discoveredAt,
      tables: plan.tables.map(({ table, columns, columnsExcluded }) => ({
        schema: table.schema,
        name: table.name,
        kind: table.kind,
        rowEstimate: table.rowEstimate,
        columns: columns.map(c => ({
          name: c.name,
          dataType: c.dataType,
          typeCategory: c.typeCategory,
        })),
        columnsExcluded,
      })),
      counts: {
        schemasDiscovered: discovery.schemas.length,
        schemasIncluded: discovery.schemas.filter(s => filters.includesSchema(s.name)).length,
        tablesDiscovered: allTables.length,
        tablesMatched: plan.matched,
        tablesIncluded: plan.tables.length,
        columnsDiscovered: allTables.reduce((sum, t) => sum + t.columns.length, 0),
        columnsIncluded: plan.tables.reduce((sum, t) => sum + t.columns.length, 0),
      },
      truncated: plan.truncated,
    };
  }
}
