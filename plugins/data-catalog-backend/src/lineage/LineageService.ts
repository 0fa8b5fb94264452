import crypto from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import {
  assetRef,
  columnRef,
  parseAssetRef,
  tableAssetType,
  tableRef,
  type AssetType,
  type DbtImportResponse,
  type ImpactAnalysisResponse,
  type LineageDirection,
  type LineageEdge,
  type LineageEdgeKind,
  type LineageGraphResponse,
  type LineageNode,
  type OpenLineageIngestResponse,
  type TableBatch,
  type TableTechnicalMetadata,
} from '@racine/plugin-data-catalog-common';
import type { Knex } from 'knex';
import type { CatalogStore, StoredAsset } from '../database/CatalogStore';
import { OPENLINEAGE_RUNS_TABLE } from '../database/migrations';
import { stableStringify, type IngestedAsset } from '../services/assetModel';
import { DBT_RELATION_TYPES, dbtDialect, dbtRelation, type DbtManifest } from './dbtManifest';
import {
  DATA_FLOW_KINDS,
  type LineageEdgeInput,
  type LineageStore,
  type StoredLineageEdge,
} from './LineageStore';
import {
  datasetColumnRef,
  datasetRef,
  datasetUri,
  type OpenLineageDataset,
  type OpenLineageRunEvent,
} from './openLineage';
import {
  isDatabaseNamespace,
  matchDataset,
  type DataSourceEndpointDirectory,
} from './datasetMatching';
import { guessDialect, viewLineage, type SourceTable, type SqlDialect } from './viewLineage';

/** Nodes one graph answer holds at most; the UI expands further lazily. */
export const MAX_GRAPH_NODES = 5000;
const MAX_IMPACT_DEPTH = 50;

export interface GraphQuery {
  ref: string;
  direction: LineageDirection;
  depth: number;
  kinds: LineageEdgeKind[];
  /** For a table: also its columns and the column edges between the tables of the graph. */
  includeColumns: boolean;
  limit?: number;
}

export interface LineageChangeListener {
  (): Promise<void>;
}

function digest(value: unknown): string {
  return crypto.createHash('sha256').update(stableStringify(value)).digest('hex');
}

const NO_LABELS_HASH = digest([]);

function ingestedAsset(
  fields: Omit<IngestedAsset, 'path' | 'contentHash' | 'labelsHash' | 'labels'>,
): IngestedAsset {
  return {
    ...fields,
    labels: [],
    path: fields.ref.slice(fields.ref.indexOf('/') + 1),
    contentHash: digest(fields),
    labelsHash: NO_LABELS_HASH,
  };
}

/** A readable name for a ref the catalog does not hold (yet). */
function nameFromRef(ref: string): { type: AssetType; name: string; qualifiedName: string } {
  const { type, segments } = parseAssetRef(ref);
  const tail = type === 'column' ? 3 : type === 'table' || type === 'view' ? 2 : 1;
  // OpenLineage datasets have two segments (namespace, name): the name is the qualified name.
  const qualified =
    segments.length <= tail ? segments.slice(1) : segments.slice(segments.length - tail);
  return {
    type,
    name: segments[segments.length - 1] ?? ref,
    qualifiedName: qualified.join('.') || segments.join('.'),
  };
}

/**
 * Lineage between catalog assets: derived from view definitions and foreign keys at ingest,
 * from OpenLineage run events and from dbt manifests; walked with recursive queries.
 */
export class LineageService {
  private readonly listeners: LineageChangeListener[] = [];

  constructor(
    private readonly deps: {
      knex: Knex;
      store: LineageStore;
      catalog: CatalogStore;
      logger: LoggerService;
      /** Registered data sources, so OpenLineage datasets of scanned tables are those tables. */
      dataSources?: DataSourceEndpointDirectory;
      now?: () => Date;
    },
  ) {}

  private now(): string {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  /** Called after lineage changed (label propagation re-evaluates). */
  onChange(listener: LineageChangeListener) {
    this.listeners.push(listener);
  }

  private async changed() {
    for (const listener of this.listeners) await listener();
  }

  // ---- Scanned tables and views ------------------------------------------------------------

  /** The ref of a scanned table or view (whichever the catalog holds) and its known columns. */
  private async relation(
    dataSourceId: string,
    database: string,
    source: SourceTable,
    options: { columns: boolean } = { columns: true },
  ): Promise<{ ref: string; columns: string[] } | undefined> {
    const names = [...new Set([source.table, source.table.toLowerCase()])];
    const schemas = [...new Set([source.schema, source.schema.toLowerCase()])];
    const candidates = schemas.flatMap(schema =>
      names.flatMap(table => [
        tableRef(dataSourceId, database, schema, table, 'table'),
        tableRef(dataSourceId, database, schema, table, 'view'),
      ]),
    );
    const found = (await this.deps.catalog.getAssets(candidates))
      .filter(a => a.status === 'active')
      .sort((a, b) => candidates.indexOf(a.ref) - candidates.indexOf(b.ref));
    const asset = found[0];
    if (!asset) return undefined;
    if (!options.columns) return { ref: asset.ref, columns: [] };
    const columns = await this.deps.catalog.listChildren(asset.ref, {
      status: 'active',
      limit: 5000,
    });
    const ordered = columns.items
      .filter(c => c.type === 'column')
      .sort(
        (a, b) =>
          Number((a.technical as { ordinal?: number }).ordinal ?? 0) -
          Number((b.technical as { ordinal?: number }).ordinal ?? 0),
      );
    return { ref: asset.ref, columns: ordered.map(c => c.name) };
  }

  /** Edges from a view's SQL; an unparseable definition yields none (and a warning). */
  private async viewEdges(input: {
    dataSourceId: string;
    database: string;
    schema: string;
    viewRef: string;
    sql: string;
    viewColumns: string[];
    dialect?: SqlDialect;
    kind: LineageEdgeKind;
    /** Relations other than scanned catalog assets (dbt nodes) and their columns. */
    resolve?: (source: SourceTable) => { ref: string; columns: string[] } | undefined;
  }): Promise<LineageEdgeInput[]> {
    const known = new Map<string, { ref: string; columns: string[] }>();
    const keyOf = (t: SourceTable) => `${t.schema}\u0000${t.table}`;
    const dialects: SqlDialect[] = input.dialect
      ? [input.dialect]
      : [...new Set([guessDialect(input.sql), 'postgresql', 'mysql', 'sqlite'] as SqlDialect[])];
    // First pass without columns to learn which tables the view reads.
    let tables: SourceTable[] | undefined;
    let dialect: SqlDialect = dialects[0];
    let lastError: unknown;
    for (const candidate of dialects) {
      try {
        tables = viewLineage(input.sql, {
          dialect: candidate,
          defaultSchema: input.schema,
          columnsOf: () => undefined,
        }).tables;
        dialect = candidate;
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (!tables) {
      this.deps.logger.warn(
        `Could not parse the definition of ${input.viewRef}: ${String(lastError)}`,
      );
      return [];
    }
    for (const table of tables) {
      const resolved =
        input.resolve?.(table) ?? (await this.relation(input.dataSourceId, input.database, table));
      known.set(
        keyOf(table),
        resolved ?? {
          ref: tableRef(input.dataSourceId, input.database, table.schema, table.table),
          columns: [],
        },
      );
    }
    const lineage = viewLineage(input.sql, {
      dialect,
      defaultSchema: input.schema,
      columnsOf: t => {
        const columns = known.get(keyOf(t))?.columns;
        return columns && columns.length > 0 ? columns : undefined;
      },
      viewColumns: input.viewColumns,
    });
    const refOf = (t: SourceTable) =>
      known.get(keyOf(t))?.ref ?? tableRef(input.dataSourceId, input.database, t.schema, t.table);
    const edges: LineageEdgeInput[] = [];
    for (const table of lineage.tables) {
      const from = refOf(table);
      edges.push({ from, to: input.viewRef, kind: input.kind, level: 'table' });
    }
    const viewPath = parseAssetRef(input.viewRef).segments;
    for (const column of lineage.columns) {
      const to = assetRef('column', [...viewPath, column.name]);
      for (const source of column.sources) {
        const parent = refOf(source);
        const from = assetRef('column', [...parseAssetRef(parent).segments, source.column]);
        edges.push({
          from,
          to,
          kind: input.kind,
          level: 'column',
          fromParent: parent,
          toParent: input.viewRef,
        });
      }
    }
    return edges;
  }

  /**
   * Re-derives what one ingested table batch says about lineage: a view's definition (view
   * edges) and foreign keys (relations). Idempotent: the same batch yields the same edges.
   */
  async deriveFromBatches(batches: TableBatch[]): Promise<void> {
    const refOf = (b: TableBatch) =>
      tableRef(b.dataSourceId, b.database, b.schema, b.table.name, tableAssetType(b.table.kind));
    const refs = batches.map(refOf);
    // Two queries for the whole request, so plain tables (most of a scan) cost nothing more.
    const context = {
      hadForeignKeys: await this.deps.store.existingOrigins(refs.map(r => `fk:${r}`)),
      dependents: await this.deps.store.targetsOf(refs, 'table', ['view']),
    };
    let changes = 0;
    for (const batch of batches)
      changes += await this.deriveFromBatch(batch, refOf(batch), context);
    if (changes > 0) await this.changed();
  }

  private async deriveFromBatch(
    batch: TableBatch,
    ownRef: string,
    context: { hadForeignKeys: Set<string>; dependents: Map<string, string[]> },
  ): Promise<number> {
    const { dataSourceId, database, schema, table } = batch;
    const type = tableAssetType(table.kind);
    const now = this.now();
    let changes = 0;
    const dependents = context.dependents.get(ownRef) ?? [];

    const fkEdges: LineageEdgeInput[] = [];
    for (const fk of table.foreignKeys) {
      const target =
        (
          await this.relation(
            dataSourceId,
            database,
            { schema: fk.referencedSchema, table: fk.referencedTable },
            { columns: false },
          )
        )?.ref ?? tableRef(dataSourceId, database, fk.referencedSchema, fk.referencedTable);
      fkEdges.push({ from: ownRef, to: target, kind: 'foreign_key', level: 'table' });
      fk.columns.forEach((column, i) => {
        const referenced = fk.referencedColumns[i];
        if (referenced === undefined) return;
        fkEdges.push({
          from: columnRef(dataSourceId, database, schema, table.name, column),
          to: assetRef('column', [...parseAssetRef(target).segments, referenced]),
          kind: 'foreign_key',
          level: 'column',
          fromParent: ownRef,
          toParent: target,
          ...(fk.name ? { details: { constraint: fk.name } } : {}),
        });
      });
    }
    if (fkEdges.length > 0 || context.hadForeignKeys.has(`fk:${ownRef}`)) {
      const fk = await this.deps.store.replaceEdges(`fk:${ownRef}`, fkEdges, now);
      changes += fk.added + fk.removed;
    }

    // A view's ref differs from a table's of the same name: a table has no view edges to clear.
    if (type !== 'view') {
      return changes + (await this.rederiveStarViews(dependents));
    }
    const viewEdges = table.viewSql
      ? await this.viewEdges({
          dataSourceId,
          database,
          schema,
          viewRef: ownRef,
          sql: table.viewSql,
          viewColumns: [...batch.columns].sort((a, b) => a.ordinal - b.ordinal).map(c => c.name),
          kind: 'view',
        })
      : [];
    const view = await this.deps.store.replaceEdges(`view:${ownRef}`, viewEdges, now);
    // Views reading this one with SELECT * depend on its columns too.
    return changes + view.added + view.removed + (await this.rederiveStarViews(dependents));
  }

  /**
   * Views reading `SELECT *` from a table that was (re)ingested: their column edges depend
   * on the table's columns, so they are derived again from their stored definition.
   */
  private async rederiveStarViews(dependents: string[]): Promise<number> {
    if (dependents.length === 0) return 0;
    const views = (await this.deps.catalog.getAssets(dependents)).filter(
      a => a.type === 'view' && a.status === 'active',
    );
    let changes = 0;
    for (const view of views) {
      const technical = view.technical as Partial<TableTechnicalMetadata>;
      if (!technical.viewSql || !technical.viewSql.includes('*')) continue;
      const { segments } = parseAssetRef(view.ref);
      const [dataSourceId, database, schema] = segments;
      const columns = await this.deps.catalog.listChildren(view.ref, {
        status: 'active',
        limit: 5000,
      });
      const edges = await this.viewEdges({
        dataSourceId,
        database,
        schema,
        viewRef: view.ref,
        sql: technical.viewSql,
        viewColumns: columns.items
          .sort(
            (a, b) =>
              Number((a.technical as { ordinal?: number }).ordinal ?? 0) -
              Number((b.technical as { ordinal?: number }).ordinal ?? 0),
          )
          .map(c => c.name),
        kind: 'view',
      });
      const result = await this.deps.store.replaceEdges(`view:${view.ref}`, edges, this.now());
      changes += result.added + result.removed;
    }
    return changes;
  }

  // ---- OpenLineage ------------------------------------------------------------------------

  private datasetAssets(
    dataset: { namespace: string; name: string },
    fields: { name: string; type?: string; description?: string }[],
    documentation: string | null,
  ): IngestedAsset[] {
    const { namespace, name } = dataset;
    const common = { dataSourceId: namespace, workspace: DEFAULT_WORKSPACE, profile: null };
    const sourceRef = assetRef('datasource', [namespace]);
    const ownRef = datasetRef(namespace, name);
    const technical: TableTechnicalMetadata & Record<string, unknown> = {
      kind: 'table',
      comment: documentation,
      rowCount: null,
      viewSql: null,
      primaryKey: [],
      foreignKeys: [],
      partitionOf: null,
      partitionParentRef: null,
      fingerprint: null,
      columnCount: fields.length,
      source: 'openlineage',
      namespace,
      uri: datasetUri(namespace, name),
    };
    return [
      ingestedAsset({
        ...common,
        ref: sourceRef,
        type: 'datasource',
        name: namespace,
        qualifiedName: namespace,
        parentRef: null,
        technical: { source: 'openlineage' },
      }),
      ingestedAsset({
        ...common,
        ref: ownRef,
        type: 'table',
        name,
        qualifiedName: name,
        parentRef: sourceRef,
        technical,
      }),
      ...fields.map((field, index) =>
        ingestedAsset({
          ...common,
          ref: datasetColumnRef(namespace, name, field.name),
          type: 'column',
          name: field.name,
          qualifiedName: `${name}.${field.name}`,
          parentRef: ownRef,
          technical: {
            // From 1, as databases number the columns scans read.
            ordinal: index + 1,
            dataType: field.type ?? '',
            nullable: true,
            default: null,
            comment: field.description ?? null,
            isPrimaryKey: false,
            foreignKey: null,
          },
        }),
      ),
    ];
  }

  /**
   * One OpenLineage run event: its datasets become catalog assets (found by search and
   * lists like scanned tables), and everything the run read feeds everything it wrote.
   * The events of one run accumulate; a COMPLETE event makes the run's lineage the job's.
   */
  async ingestOpenLineage(event: OpenLineageRunEvent): Promise<OpenLineageIngestResponse> {
    const eventTime = new Date(Date.parse(event.eventTime)).toISOString();
    const now = this.now();
    const datasets = [...event.inputs, ...event.outputs];
    const keyOf = (d: { namespace: string; name: string }) => `${d.namespace}\u0000${d.name}`;
    // A dataset that is a scanned table (its namespace is the address of a registered data
    // source, the naming spec's) is that table: its lineage joins the scanned assets.
    const scanned = new Map<string, { ref: string; columnRef: (field: string) => string }>();
    const endpoints =
      this.deps.dataSources && datasets.some(d => isDatabaseNamespace(d.namespace))
        ? await this.deps.dataSources.list()
        : [];
    if (endpoints.length > 0) {
      for (const dataset of datasets) {
        const match = matchDataset(endpoints, dataset);
        if (!match || scanned.has(keyOf(dataset))) continue;
        const found = await this.relation(
          match.dataSourceId,
          match.database,
          { schema: match.schema, table: match.table },
          { columns: false },
        );
        if (!found) continue;
        const { segments } = parseAssetRef(found.ref);
        scanned.set(keyOf(dataset), {
          ref: found.ref,
          columnRef: field =>
            columnRef(segments[0]!, segments[1]!, segments[2]!, segments[3]!, field),
        });
      }
    }
    const refOf = (d: { namespace: string; name: string }) =>
      scanned.get(keyOf(d))?.ref ?? datasetRef(d.namespace, d.name);
    const columnRefOf = (d: { namespace: string; name: string }, field: string) =>
      scanned.get(keyOf(d))?.columnRef(field) ?? datasetColumnRef(d.namespace, d.name, field);
    // A namespace is the data source asset of its datasets: it may not take over a scanned one.
    const namespaces = [
      ...new Set(datasets.filter(d => !scanned.has(keyOf(d))).map(d => d.namespace)),
    ];
    const taken = (
      await this.deps.catalog.getAssets(namespaces.map(ns => assetRef('datasource', [ns])))
    ).find(a => (a.technical as { source?: string }).source !== 'openlineage');
    if (taken) {
      throw new ConflictError(
        `Dataset namespace "${taken.dataSourceId}" is the id of a scanned data source of the catalog`,
      );
    }

    // Columns each dataset is known to have: its schema facet, else the column lineage facets.
    const fields = new Map<
      string,
      Map<string, { name: string; type?: string; description?: string }>
    >();
    const docs = new Map<string, string | null>();
    const fieldsOf = (d: { namespace: string; name: string }) => {
      const k = keyOf(d);
      if (!fields.has(k)) fields.set(k, new Map());
      return fields.get(k)!;
    };
    const columnEdges: LineageEdgeInput[] = [];
    for (const dataset of datasets as OpenLineageDataset[]) {
      const own = fieldsOf(dataset);
      for (const field of dataset.facets?.schema?.fields ?? []) own.set(field.name, field);
      docs.set(keyOf(dataset), dataset.facets?.documentation?.description ?? null);
    }
    for (const output of event.outputs as OpenLineageDataset[]) {
      const lineage = output.facets?.columnLineage?.fields ?? {};
      for (const [field, { inputFields }] of Object.entries(lineage)) {
        if (!fieldsOf(output).has(field)) fieldsOf(output).set(field, { name: field });
        for (const input of inputFields) {
          const isInput = event.inputs.some(i => keyOf(i) === keyOf(input));
          if (isInput && !fieldsOf(input).has(input.field)) {
            fieldsOf(input).set(input.field, { name: input.field });
          }
          columnEdges.push({
            from: columnRefOf(input, input.field),
            to: columnRefOf(output, field),
            kind: 'openlineage',
            level: 'column',
            fromParent: refOf(input),
            toParent: refOf(output),
            details: {
              transformations: (input.transformations ?? []).map(t => ({
                type: t.type,
                subtype: t.subtype,
                masking: t.masking,
              })),
            },
          });
        }
      }
    }

    const refs: string[] = [];
    const seen = new Set<string>();
    for (const dataset of datasets) {
      if (seen.has(keyOf(dataset))) continue;
      seen.add(keyOf(dataset));
      const ref = refOf(dataset);
      refs.push(ref);
      // A scanned table keeps what its scans found; the event only adds lineage to it.
      if (scanned.has(keyOf(dataset))) continue;
      let columns = [...fieldsOf(dataset).values()];
      if (columns.length === 0) {
        // No schema this time: keep the columns earlier events reported.
        const existing = await this.deps.catalog.listChildren(ref, {
          status: 'active',
          limit: 5000,
        });
        columns = existing.items
          .sort(
            (a, b) =>
              Number((a.technical as { ordinal?: number }).ordinal ?? 0) -
              Number((b.technical as { ordinal?: number }).ordinal ?? 0),
          )
          .map(c => ({
            name: c.name,
            type: String((c.technical as { dataType?: string }).dataType ?? '') || undefined,
            description: (c.technical as { comment?: string | null }).comment ?? undefined,
          }));
      }
      await this.deps.catalog.applyTableBatch({
        assets: this.datasetAssets(dataset, columns, docs.get(keyOf(dataset)) ?? null),
        tableRef: ref,
        runId: event.run.runId,
        scannedAt: eventTime,
        now,
      });
    }

    // What the run reported so far, across its events.
    const job = `${event.job.namespace}/${event.job.name}`;
    const previous: { inputs: string; outputs: string; column_edges: string } | undefined =
      await this.deps.knex(OPENLINEAGE_RUNS_TABLE).where('run_id', event.run.runId).first();
    const merge = (before: string | undefined, added: string[]) =>
      [...new Set([...(before ? (JSON.parse(before) as string[]) : []), ...added])].sort();
    const inputs = merge(previous?.inputs, event.inputs.map(refOf));
    const outputs = merge(previous?.outputs, event.outputs.map(refOf));
    const allColumnEdges = [
      ...(previous ? (JSON.parse(previous.column_edges) as LineageEdgeInput[]) : []),
      ...columnEdges,
    ];
    // A finished run's lineage is now the job's: its accumulated record is no longer needed.
    const finished = ['COMPLETE', 'FAIL', 'ABORT'].includes(event.eventType ?? '');
    if (finished) {
      await this.deps.knex(OPENLINEAGE_RUNS_TABLE).delete().where('run_id', event.run.runId);
    } else {
      await this.deps
        .knex(OPENLINEAGE_RUNS_TABLE)
        .insert({
          run_id: event.run.runId,
          job,
          inputs: JSON.stringify(inputs),
          outputs: JSON.stringify(outputs),
          column_edges: JSON.stringify(allColumnEdges),
          updated_at: now,
        })
        .onConflict('run_id')
        .merge(['inputs', 'outputs', 'column_edges', 'updated_at']);
    }

    const tableEdges: LineageEdgeInput[] = inputs.flatMap(from =>
      outputs.map(to => ({
        from,
        to,
        kind: 'openlineage' as const,
        level: 'table' as const,
        details: { job },
      })),
    );
    const edges = [...tableEdges, ...allColumnEdges];
    const origin = `openlineage:${job}`;
    const result =
      event.eventType === 'COMPLETE'
        ? await this.deps.store.replaceEdges(origin, edges, now)
        : { ...(await this.deps.store.addEdges(origin, edges, now)), removed: 0 };
    if (result.added + result.removed > 0) await this.changed();
    return {
      datasets: refs,
      edges: tableEdges.length,
      columnEdges: new Set(allColumnEdges.map(e => `${e.from}\u0000${e.to}`)).size,
    };
  }

  // ---- dbt ---------------------------------------------------------------------------------

  /**
   * A dbt manifest: models, seeds and snapshots depend on each other and on sources (table
   * edges); compiled SQL gives column edges. Nodes map to the catalog assets of
   * `dataSourceId` (the warehouse dbt builds into); the manifest replaces the project's edges.
   */
  async importDbt(dataSourceId: string, manifest: DbtManifest): Promise<DbtImportResponse> {
    const now = this.now();
    const entries = new Map<
      string,
      {
        ref: string;
        columns: string[];
        inCatalog: boolean;
        relation: ReturnType<typeof dbtRelation>;
      }
    >();
    const all = [...Object.values(manifest.nodes), ...Object.values(manifest.sources)].filter(n =>
      DBT_RELATION_TYPES.includes(n.resource_type),
    );
    for (const entry of all) {
      const relation = dbtRelation(entry);
      const found = await this.relation(dataSourceId, relation.database, {
        schema: relation.schema,
        table: relation.table,
      });
      const manifestColumns = Object.values(entry.columns).map(c => c.name);
      entries.set(entry.unique_id, {
        ref:
          found?.ref ??
          tableRef(
            dataSourceId,
            relation.database,
            relation.schema,
            relation.table,
            relation.view ? 'view' : 'table',
          ),
        columns: found && found.columns.length > 0 ? found.columns : manifestColumns,
        inCatalog: Boolean(found),
        relation,
      });
    }
    const byRelation = new Map<string, { ref: string; columns: string[] }>();
    for (const e of entries.values()) {
      byRelation.set(`${e.relation.schema}\u0000${e.relation.table}`.toLowerCase(), e);
    }
    const dialect = dbtDialect(manifest.metadata.adapter_type);
    const edges: LineageEdgeInput[] = [];
    for (const node of Object.values(manifest.nodes)) {
      const own = entries.get(node.unique_id);
      if (!own) continue;
      for (const upstream of node.depends_on?.nodes ?? []) {
        const from = entries.get(upstream);
        if (from) edges.push({ from: from.ref, to: own.ref, kind: 'dbt', level: 'table' });
      }
      const sql = node.compiled_code ?? node.compiled_sql;
      if (!sql) continue;
      const columnEdges = await this.viewEdges({
        dataSourceId,
        database: own.relation.database,
        schema: own.relation.schema,
        viewRef: own.ref,
        sql,
        viewColumns: own.columns,
        dialect,
        kind: 'dbt',
        resolve: t => byRelation.get(`${t.schema}\u0000${t.table}`.toLowerCase()),
      });
      edges.push(...columnEdges.filter(e => e.level === 'column'));
    }
    const project = manifest.metadata.project_name ?? 'dbt';
    const result = await this.deps.store.replaceEdges(`dbt:${dataSourceId}:${project}`, edges, now);
    if (result.added + result.removed > 0) await this.changed();
    return {
      nodes: entries.size,
      matched: [...entries.values()].filter(e => e.inCatalog).length,
      edges: edges.filter(e => e.level === 'table').length,
      columnEdges: edges.filter(e => e.level === 'column').length,
    };
  }

  // ---- Reads -------------------------------------------------------------------------------

  private async nodesOf(depths: Map<string, number>): Promise<LineageNode[]> {
    const assets = new Map(
      (await this.deps.catalog.getAssets([...depths.keys()])).map(a => [a.ref, a] as const),
    );
    return [...depths.entries()].map(([ref, depth]) => {
      const asset = assets.get(ref);
      if (asset) return this.node(asset, depth);
      const named = nameFromRef(ref);
      return {
        ref,
        type: named.type,
        name: named.name,
        qualifiedName: named.qualifiedName,
        parentRef: null,
        depth,
        inCatalog: false,
        status: null,
        owner: null,
        owners: [],
        dataSourceId: null,
      };
    });
  }

  private node(asset: StoredAsset, depth: number): LineageNode {
    return {
      ref: asset.ref,
      type: asset.type,
      name: asset.name,
      qualifiedName: asset.qualifiedName,
      parentRef: asset.type === 'column' ? asset.parentRef : null,
      depth,
      inCatalog: true,
      status: asset.status,
      owner: asset.owners[0] ?? asset.owner,
      owners: asset.owners.length > 0 ? asset.owners : asset.owner ? [asset.owner] : [],
      dataSourceId: asset.dataSourceId,
    };
  }

  private async walk(query: GraphQuery, level: 'table' | 'column', limit: number) {
    const directions: ('upstream' | 'downstream')[] =
      query.direction === 'both' ? ['upstream', 'downstream'] : [query.direction];
    const depths = new Map<string, number>();
    let truncated = false;
    for (const direction of directions) {
      const walked = await this.deps.store.walk({
        ref: query.ref,
        direction,
        depth: query.depth,
        level,
        kinds: query.kinds,
        limit,
      });
      truncated ||= walked.truncated;
      for (const [ref, depth] of walked.refs) {
        const signed = direction === 'upstream' ? -depth : depth;
        const before = depths.get(ref);
        if (before === undefined || Math.abs(signed) < Math.abs(before)) depths.set(ref, signed);
      }
    }
    return { depths, truncated };
  }

  /** The lineage graph around an asset. Upstream nodes have negative depths. */
  async graph(query: GraphQuery): Promise<LineageGraphResponse> {
    const { type } = parseAssetRef(query.ref);
    if (type !== 'table' && type !== 'view' && type !== 'column') {
      throw new InputError('Invalid query: ref: lineage is kept for tables, views and columns');
    }
    const level = type === 'column' ? 'column' : 'table';
    const limit = Math.min(query.limit ?? MAX_GRAPH_NODES, MAX_GRAPH_NODES);
    const { depths, truncated } = await this.walk(query, level, limit);
    const edges: StoredLineageEdge[] = await this.deps.store.edgesAmong(
      [...depths.keys()],
      level,
      query.kinds,
    );
    if (query.includeColumns && level === 'table') {
      const columnEdges = await this.deps.store.columnEdgesOfTables(
        [...depths.keys()],
        query.kinds,
      );
      for (const edge of columnEdges) {
        for (const [ref, parent] of [
          [edge.from, edge.fromParent],
          [edge.to, edge.toParent],
        ] as const) {
          if (!depths.has(ref)) depths.set(ref, depths.get(parent ?? '') ?? 0);
        }
      }
      edges.push(...columnEdges);
    }
    const nodes = await this.nodesOf(depths);
    // Columns outside the catalog still belong to the table their edge names.
    const parentOf = new Map<string, string>();
    for (const e of edges) {
      if (e.fromParent) parentOf.set(e.from, e.fromParent);
      if (e.toParent) parentOf.set(e.to, e.toParent);
    }
    return {
      ref: query.ref,
      direction: query.direction,
      depth: query.depth,
      nodes: nodes.map(n => ({ ...n, parentRef: n.parentRef ?? parentOf.get(n.ref) ?? null })),
      edges: edges.map(publicEdge),
      truncated,
    };
  }

  /** Everything downstream of an asset, and the owners of it to notify. */
  async impact(ref: string): Promise<ImpactAnalysisResponse> {
    const graph = await this.graph({
      ref,
      direction: 'downstream',
      depth: MAX_IMPACT_DEPTH,
      kinds: DATA_FLOW_KINDS,
      includeColumns: false,
    });
    const downstream = graph.nodes
      .filter(n => n.ref !== ref)
      .sort((a, b) => a.depth - b.depth || (a.qualifiedName < b.qualifiedName ? -1 : 1));
    // A column without an owner is its table's responsibility.
    const parents = new Map(
      (
        await this.deps.catalog.getAssets(
          downstream
            .filter(n => n.type === 'column' && n.owners.length === 0 && n.parentRef)
            .map(n => n.parentRef!),
        )
      ).map(a => [a.ref, a.owners.length > 0 ? a.owners : a.owner ? [a.owner] : []] as const),
    );
    const assets = downstream.map(n => {
      const owners =
        n.owners.length > 0 ? n.owners : n.parentRef ? (parents.get(n.parentRef) ?? []) : [];
      return {
        ref: n.ref,
        type: n.type,
        qualifiedName: n.qualifiedName,
        depth: n.depth,
        owner: owners[0] ?? null,
        owners,
      };
    });
    const owners = new Map<string, string[]>();
    const unowned: string[] = [];
    for (const asset of assets) {
      if (asset.owners.length === 0) unowned.push(asset.ref);
      for (const owner of asset.owners)
        owners.set(owner, [...(owners.get(owner) ?? []), asset.ref]);
    }
    return {
      ref,
      assets,
      owners: [...owners.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([owner, refs]) => ({ owner, refs })),
      unowned,
    };
  }

  // ---- Manual lineage ----------------------------------------------------------------------

  /**
   * An edge a person declares between two catalog assets: two tables or views (table
   * level) or two columns (column level). Adding it again changes nothing.
   */
  async addManualEdge(from: string, to: string): Promise<StoredLineageEdge> {
    if (from === to) throw new InputError('Invalid body: from and to must differ');
    const assets = new Map((await this.deps.catalog.getAssets([from, to])).map(a => [a.ref, a]));
    for (const [field, ref] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (!assets.has(ref))
        throw new InputError(`Invalid body: ${field}: ${ref} is not in the catalog`);
    }
    const source = assets.get(from)!;
    const target = assets.get(to)!;
    const isColumn = (a: StoredAsset) => a.type === 'column';
    const isTable = (a: StoredAsset) => a.type === 'table' || a.type === 'view';
    let edge: LineageEdgeInput;
    if (isColumn(source) && isColumn(target)) {
      edge = {
        from,
        to,
        kind: 'manual',
        level: 'column',
        fromParent: source.parentRef,
        toParent: target.parentRef,
      };
    } else if (isTable(source) && isTable(target)) {
      edge = { from, to, kind: 'manual', level: 'table' };
    } else {
      throw new InputError('Invalid body: lineage joins two tables or views, or two columns');
    }
    const { added } = await this.deps.store.addEdges('manual', [edge], this.now());
    const [stored] = (await this.deps.store.edgesAmong([from, to], edge.level, ['manual'])).filter(
      e => e.from === from && e.to === to && e.origin === 'manual',
    );
    if (added > 0) await this.changed();
    return stored!;
  }

  /** Removes an edge a person declared; derived edges follow their source instead. */
  async removeManualEdge(id: string): Promise<StoredLineageEdge> {
    const edge = await this.deps.store.getEdge(id);
    if (!edge) throw new NotFoundError(`Lineage edge ${id} does not exist`);
    if (edge.origin !== 'manual') {
      throw new ConflictError(
        `Lineage edge ${id} is derived (${edge.kind}); change its source instead`,
      );
    }
    await this.deps.store.deleteEdge(id);
    await this.changed();
    return edge;
  }

  async setPropagationBlocked(id: string, blocked: boolean): Promise<StoredLineageEdge> {
    const before = await this.deps.store.getEdge(id);
    if (!before) throw new NotFoundError(`Lineage edge ${id} does not exist`);
    const edge = await this.deps.store.setPropagationBlocked(id, blocked, this.now());
    if (before.propagationBlocked !== blocked) await this.changed();
    return edge!;
  }

  async getEdge(id: string): Promise<StoredLineageEdge | undefined> {
    return this.deps.store.getEdge(id);
  }
}

export function publicEdge(edge: StoredLineageEdge): LineageEdge & { origin: string } {
  return {
    id: edge.id,
    from: edge.from,
    to: edge.to,
    kind: edge.kind,
    level: edge.level,
    propagationBlocked: edge.propagationBlocked,
    origin: edge.origin,
  };
}
