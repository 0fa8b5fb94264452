import type {
  LineageEdge,
  LineageEdgeKind,
  LineageGraphResponse,
  LineageNode,
} from '@racine/plugin-data-catalog-common';

/** What the graph has loaded so far: the first answer plus every lazy expansion. */
export interface LoadedLineage {
  nodes: Map<string, LineageNode>;
  edges: Map<string, LineageEdge>;
  /** Refs whose own neighbourhood was fetched (expanded). */
  expanded: Set<string>;
}

export function emptyLineage(): LoadedLineage {
  return { nodes: new Map(), edges: new Map(), expanded: new Set() };
}

/** Merges one answer of `GET /lineage` into what is loaded (a new object, for React state). */
export function mergeLineage(
  loaded: LoadedLineage,
  answer: LineageGraphResponse,
  expandedRef?: string,
): LoadedLineage {
  const nodes = new Map(loaded.nodes);
  for (const node of answer.nodes) if (!nodes.has(node.ref)) nodes.set(node.ref, node);
  const edges = new Map(loaded.edges);
  for (const edge of answer.edges) edges.set(edge.id, edge);
  const expanded = new Set(loaded.expanded);
  if (expandedRef) expanded.add(expandedRef);
  return { nodes, edges, expanded };
}

export interface LayoutOptions {
  focusRef: string;
  /** Show columns inside their tables, and column edges between them. */
  columns: boolean;
  /** Case-insensitive text a node's qualified name must contain (the focus always shows). */
  filter: string;
  kinds: Set<LineageEdgeKind>;
  /** Nodes shown per layer before the rest collapse into one "more" node. */
  layerLimit: number;
  /** Layers the user opened in full. */
  openLayers: Set<number>;
}

export interface LaidOutNode {
  id: string;
  kind: 'asset' | 'more';
  x: number;
  y: number;
  layer: number;
  node?: LineageNode;
  /** For tables in column mode: their columns that take part in column lineage. */
  columns: LineageNode[];
  /** For a "more" node: how many nodes it stands for. */
  hidden?: number;
  focus: boolean;
  expanded: boolean;
}

export interface LaidOutEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string;
  targetHandle?: string;
  edge?: LineageEdge;
  /** Edges into or out of a collapsed layer are merged into one. */
  merged: boolean;
}

export interface LineageLayout {
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  /** Nodes the filter hides. */
  filteredOut: number;
  /** Nodes folded into "more" nodes. */
  collapsed: number;
}

export const LAYER_WIDTH = 320;
export const ROW_HEIGHT = 64;
export const COLUMN_ROW_HEIGHT = 22;

/** Signed hops from the focus: downstream positive, upstream negative (shortest path wins). */
export function layersOf(
  focusRef: string,
  tables: string[],
  edges: { from: string; to: string }[],
  fallback: (ref: string) => number,
): Map<string, number> {
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const e of edges) {
    forward.set(e.from, [...(forward.get(e.from) ?? []), e.to]);
    backward.set(e.to, [...(backward.get(e.to) ?? []), e.from]);
  }
  const bfs = (next: Map<string, string[]>) => {
    const distance = new Map<string, number>([[focusRef, 0]]);
    const queue = [focusRef];
    while (queue.length) {
      const at = queue.shift()!;
      for (const to of next.get(at) ?? []) {
        if (distance.has(to)) continue;
        distance.set(to, distance.get(at)! + 1);
        queue.push(to);
      }
    }
    return distance;
  };
  const down = bfs(forward);
  const up = bfs(backward);
  const layers = new Map<string, number>();
  for (const ref of tables) {
    const d = down.get(ref);
    const u = up.get(ref);
    if (d !== undefined && (u === undefined || d <= u)) layers.set(ref, d);
    else if (u !== undefined) layers.set(ref, -u);
    else layers.set(ref, fallback(ref));
  }
  return layers;
}

/**
 * Positions the loaded lineage in layers left (upstream) to right (downstream) of the focus.
 * Large layers collapse into a "more" node so a 1,000-node neighbourhood stays readable; the
 * filter and the edge kinds narrow what shows.
 */
export function layoutLineage(loaded: LoadedLineage, options: LayoutOptions): LineageLayout {
  const all = [...loaded.nodes.values()];
  const focusIsColumn = loaded.nodes.get(options.focusRef)?.type === 'column';
  const edges = [...loaded.edges.values()].filter(e => options.kinds.has(e.kind));
  // A column focus draws columns as nodes; a table focus draws tables (with columns inside).
  const level = focusIsColumn ? 'column' : 'table';
  const boxes = all.filter(n => (focusIsColumn ? n.type === 'column' : n.type !== 'column'));
  const boxEdges = edges.filter(e => e.level === level);
  const text = options.filter.trim().toLowerCase();
  const visible = boxes.filter(
    n =>
      n.ref === options.focusRef ||
      !text ||
      n.qualifiedName.toLowerCase().includes(text) ||
      n.name.toLowerCase().includes(text),
  );
  const filteredOut = boxes.length - visible.length;
  const layers = layersOf(
    options.focusRef,
    visible.map(n => n.ref),
    boxEdges,
    ref => loaded.nodes.get(ref)?.depth ?? 0,
  );

  const columnsOf = new Map<string, LineageNode[]>();
  const columnEdges =
    options.columns && !focusIsColumn ? edges.filter(e => e.level === 'column') : [];
  if (columnEdges.length > 0) {
    const used = new Set(columnEdges.flatMap(e => [e.from, e.to]));
    for (const n of all) {
      if (n.type !== 'column' || !n.parentRef || !used.has(n.ref)) continue;
      columnsOf.set(n.parentRef, [...(columnsOf.get(n.parentRef) ?? []), n]);
    }
    for (const list of columnsOf.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  const byLayer = new Map<number, LineageNode[]>();
  for (const n of visible) {
    const layer = layers.get(n.ref) ?? 0;
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), n]);
  }
  const placed = new Map<string, string>();
  const laidOut: LaidOutNode[] = [];
  let collapsed = 0;
  for (const [layer, members] of [...byLayer.entries()].sort(([a], [b]) => a - b)) {
    members.sort((a, b) =>
      a.ref === options.focusRef
        ? -1
        : b.ref === options.focusRef
          ? 1
          : a.qualifiedName.localeCompare(b.qualifiedName),
    );
    const open = options.openLayers.has(layer) || members.length <= options.layerLimit;
    const shown = open ? members : members.slice(0, options.layerLimit);
    let y = 0;
    for (const n of shown) {
      const columns = columnsOf.get(n.ref) ?? [];
      laidOut.push({
        id: n.ref,
        kind: 'asset',
        x: layer * LAYER_WIDTH,
        y,
        layer,
        node: n,
        columns,
        focus: n.ref === options.focusRef,
        expanded: loaded.expanded.has(n.ref),
      });
      placed.set(n.ref, n.ref);
      y += ROW_HEIGHT + columns.length * COLUMN_ROW_HEIGHT;
    }
    if (!open) {
      const moreId = `more:${layer}`;
      const hidden = members.length - shown.length;
      collapsed += hidden;
      laidOut.push({
        id: moreId,
        kind: 'more',
        x: layer * LAYER_WIDTH,
        y,
        layer,
        columns: [],
        hidden,
        focus: false,
        expanded: false,
      });
      for (const n of members.slice(options.layerLimit)) placed.set(n.ref, moreId);
    }
  }

  const parentBox = (ref: string) => {
    const node = loaded.nodes.get(ref);
    return node?.type === 'column' && !focusIsColumn ? (node.parentRef ?? undefined) : ref;
  };
  // Tables linked column by column need no table edge on top.
  const linkedByColumns = new Set(
    columnEdges.map(e => `${parentBox(e.from)}\u0000${parentBox(e.to)}`),
  );
  const out: LaidOutEdge[] = [];
  const mergedSeen = new Set<string>();
  for (const e of [...boxEdges, ...columnEdges]) {
    const fromBox = parentBox(e.from);
    const toBox = parentBox(e.to);
    if (e.level === 'table' && linkedByColumns.has(`${fromBox}\u0000${toBox}`)) continue;
    const source = fromBox ? placed.get(fromBox) : undefined;
    const target = toBox ? placed.get(toBox) : undefined;
    if (!source || !target || source === target) continue;
    const isColumnEdge = e.level === 'column' && !focusIsColumn;
    const merged = source !== fromBox || target !== toBox;
    if (merged) {
      const key = `${source}\u0000${target}`;
      if (mergedSeen.has(key)) continue;
      mergedSeen.add(key);
      out.push({ id: `merged:${key}`, source, target, merged: true });
      continue;
    }
    out.push({
      id: e.id,
      source,
      target,
      sourceHandle: isColumnEdge ? `out:${e.from}` : undefined,
      targetHandle: isColumnEdge ? `in:${e.to}` : undefined,
      edge: e,
      merged: false,
    });
  }
  return { nodes: laidOut, edges: out, filteredOut, collapsed };
}
