/**
 * Lineage between catalog assets, as served by `/api/data-catalog/lineage`. Field names are
 * public API: add fields, never rename them.
 */

/**
 * Where an edge comes from: a parsed view definition, an OpenLineage run event, a dbt
 * manifest, a person; `foreign_key` is a relation between tables, not data flow, and is only
 * returned when asked for.
 */
export const lineageEdgeKinds = ['view', 'openlineage', 'dbt', 'manual', 'foreign_key'] as const;
export type LineageEdgeKind = (typeof lineageEdgeKinds)[number];

/** Edges between tables (or views, datasets) and edges between their columns. */
export type LineageLevel = 'table' | 'column';

export const lineageDirections = ['upstream', 'downstream', 'both'] as const;
export type LineageDirection = (typeof lineageDirections)[number];

export interface LineageNode {
  ref: string;
  type: string;
  qualifiedName: string;
  name: string;
  /** Ref of the table a column belongs to; null otherwise. */
  parentRef: string | null;
  /** Hops from the asked ref (0 for the asked ref itself). */
  depth: number;
  /** False when the edge names an asset the catalog does not hold (yet). */
  inCatalog: boolean;
  status: string | null;
  /** The first of `owners`. */
  owner: string | null;
  owners: string[];
  dataSourceId: string | null;
}

export interface LineageEdge {
  id: string;
  from: string;
  to: string;
  kind: LineageEdgeKind;
  level: LineageLevel;
  /** Labels do not flow along this edge (set per edge by people with catalog.lineage). */
  propagationBlocked: boolean;
}

export interface LineageGraphResponse {
  ref: string;
  direction: LineageDirection;
  depth: number;
  nodes: LineageNode[];
  edges: LineageEdge[];
  /** True when the walk stopped at the node limit before reaching `depth`. */
  truncated: boolean;
}

export interface ImpactedAsset {
  ref: string;
  type: string;
  qualifiedName: string;
  depth: number;
  /** The first of `owners`. */
  owner: string | null;
  /** Its owners, or its table's for a column nobody owns. */
  owners: string[];
}

export interface ImpactAnalysisResponse {
  ref: string;
  /** Everything downstream of `ref` (tables, views, datasets and columns), nearest first. */
  assets: ImpactedAsset[];
  /** Whom to notify: each owner with the downstream assets they own. */
  owners: { owner: string; refs: string[] }[];
  /** Downstream assets nobody owns. */
  unowned: string[];
}

/** A label that flowed along column-level lineage, with the path it took. */
export interface PropagatedLabel {
  assetRef: string;
  classifierId: string;
  confidence: number;
  /** The column whose approved or manual label was propagated. */
  sourceRef: string;
  /** Refs from the source column to `assetRef`, both included. */
  path: string[];
  updatedAt: string;
}

export interface PropagatedLabelsResponse {
  items: PropagatedLabel[];
}

export interface OpenLineageIngestResponse {
  /** Datasets of the event now in the catalog. */
  datasets: string[];
  edges: number;
  columnEdges: number;
}

export interface DbtImportResponse {
  nodes: number;
  /** dbt nodes whose table is a catalog asset. */
  matched: number;
  edges: number;
  columnEdges: number;
}

export type UpdateLineageEdgeResponse = LineageEdge;
