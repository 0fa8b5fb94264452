import {
  Box,
  Button,
  Checkbox,
  Chip,
  FormControlLabel,
  LinearProgress,
  Link,
  makeStyles,
  MenuItem,
  Paper,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import { useAsyncResource, useMe } from '@racine/kernel-react';
import {
  assetPagePath,
  lineageEdgeKinds,
  type LineageDirection,
  type LineageEdge,
  type LineageEdgeKind,
} from '@racine/plugin-data-catalog-common';
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Edge,
  type Node,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useLineageClient } from './lineageClient';
import { emptyLineage, layoutLineage, mergeLineage, type LoadedLineage } from './lineageLayout';
import { lineageNodeTypes } from './LineageNodes';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  body: { display: 'flex', gap: theme.spacing(2), alignItems: 'stretch' },
  canvas: { flex: 1, height: 560, border: `1px solid ${theme.palette.divider}`, borderRadius: 4 },
  side: { width: 320, padding: theme.spacing(1.5), overflow: 'auto', maxHeight: 560 },
  mono: { fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' },
  kinds: { display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
}));

const kindTitles: Record<LineageEdgeKind, string> = {
  view: 'Views',
  openlineage: 'OpenLineage',
  dbt: 'dbt',
  manual: 'Manual',
  foreign_key: 'Foreign keys',
};

const kindColors: Record<LineageEdgeKind, string> = {
  view: '#8e24aa',
  openlineage: '#1e88e5',
  dbt: '#f4511e',
  manual: '#6d4c41',
  foreign_key: '#9e9e9e',
};

type Selection = { type: 'node'; ref: string } | { type: 'edge'; edge: LineageEdge } | undefined;

/**
 * The Lineage tab of an asset page: the graph around the asset (upstream left, downstream
 * right), expanded lazily by double-clicking a node, wide layers collapsed, filterable by name
 * and edge kind, with columns on demand; plus impact analysis and label propagation controls.
 */
export function LineageTab(props: { assetRef: string }) {
  return (
    <ReactFlowProvider>
      <LineageView assetRef={props.assetRef} />
    </ReactFlowProvider>
  );
}

function LineageView(props: { assetRef: string }) {
  const classes = useStyles();
  const client = useLineageClient();
  const me = useMe();
  const canEdit = me.value?.permissions.includes('catalog.lineage') ?? false;
  const [direction, setDirection] = useState<LineageDirection>('both');
  const [depth, setDepth] = useState(2);
  const [columns, setColumns] = useState(false);
  const [filter, setFilter] = useState('');
  const [kinds, setKinds] = useState<Set<LineageEdgeKind>>(
    new Set(['view', 'openlineage', 'dbt', 'manual']),
  );
  const [openLayers, setOpenLayers] = useState<Set<number>>(new Set());
  const [loaded, setLoaded] = useState<LoadedLineage>(emptyLineage());
  const [selection, setSelection] = useState<Selection>();
  const [expanding, setExpanding] = useState<string>();
  const [message, setMessage] = useState<string>();
  const includeForeignKeys = kinds.has('foreign_key');

  const first = useAsyncResource(
    signal =>
      client.graph({ ref: props.assetRef, direction, depth, columns, includeForeignKeys }, signal),
    [client, props.assetRef, direction, depth, columns, includeForeignKeys],
  );
  useEffect(() => {
    if (first.value) {
      setLoaded(mergeLineage(emptyLineage(), first.value, props.assetRef));
      setOpenLayers(new Set());
    }
  }, [first.value, props.assetRef]);

  const expand = useCallback(
    async (ref: string) => {
      if (loaded.expanded.has(ref) || ref.startsWith('more:')) return;
      setExpanding(ref);
      try {
        const answer = await client.graph({
          ref,
          direction,
          depth: 1,
          columns,
          includeForeignKeys,
        });
        setLoaded(current => mergeLineage(current, answer, ref));
      } catch (error) {
        setMessage(`Could not expand: ${(error as Error).message}`);
      } finally {
        setExpanding(undefined);
      }
    },
    [client, columns, direction, includeForeignKeys, loaded.expanded],
  );

  const layout = useMemo(
    () =>
      layoutLineage(loaded, {
        focusRef: props.assetRef,
        columns,
        filter,
        kinds,
        layerLimit: 25,
        openLayers,
      }),
    [loaded, props.assetRef, columns, filter, kinds, openLayers],
  );
  const nodes: Node[] = useMemo(
    () =>
      layout.nodes.map(n =>
        n.kind === 'more'
          ? {
              id: n.id,
              type: 'more',
              position: { x: n.x, y: n.y },
              data: { hidden: n.hidden ?? 0, layer: n.layer },
            }
          : {
              id: n.id,
              type: 'asset',
              position: { x: n.x, y: n.y },
              data: { node: n.node!, columns: n.columns, focus: n.focus, expanded: n.expanded },
            },
      ),
    [layout],
  );
  const edges: Edge[] = useMemo(
    () =>
      layout.edges.map(e => ({
        id: e.id,
        source: e.source,
        target: e.target,
        sourceHandle: e.sourceHandle ?? null,
        targetHandle: e.targetHandle ?? null,
        animated: false,
        style: {
          stroke: e.edge ? kindColors[e.edge.kind] : '#9e9e9e',
          strokeDasharray:
            e.merged || e.edge?.kind === 'foreign_key' || e.edge?.propagationBlocked
              ? '4 4'
              : undefined,
        },
        data: { edge: e.edge },
      })),
    [layout],
  );

  // Keep the whole graph in view when nodes come or go (expansion, columns, filter).
  const flow = useReactFlow();
  const shape = `${nodes.length}:${layout.nodes.reduce((sum, n) => sum + n.columns.length, 0)}`;
  useEffect(() => {
    const frame = requestAnimationFrame(() => void flow.fitView({ padding: 0.15 }));
    return () => cancelAnimationFrame(frame);
  }, [flow, shape]);

  const toggleKind = (kind: LineageEdgeKind) =>
    setKinds(current => {
      const next = new Set(current);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });

  const selectedNode = selection?.type === 'node' ? loaded.nodes.get(selection.ref) : undefined;
  const selectedEdge = selection?.type === 'edge' ? selection.edge : undefined;

  const setBlocked = async (edge: LineageEdge, blocked: boolean) => {
    try {
      const updated = await client.setPropagationBlocked(edge.id, blocked);
      setLoaded(current => {
        const next = new Map(current.edges);
        next.set(updated.id, updated);
        return { ...current, edges: next };
      });
      setSelection({ type: 'edge', edge: updated });
      setMessage(
        blocked
          ? 'Labels no longer propagate along this edge.'
          : 'Labels propagate along this edge again.',
      );
    } catch (error) {
      setMessage(`Could not change propagation: ${(error as Error).message}`);
    }
  };

  const removeEdge = async (edge: LineageEdge) => {
    try {
      await client.removeEdge(edge.id);
      setLoaded(current => {
        const next = new Map(current.edges);
        next.delete(edge.id);
        return { ...current, edges: next };
      });
      setSelection(undefined);
      setMessage('The lineage edge was removed.');
    } catch (error) {
      setMessage(`Could not remove the edge: ${(error as Error).message}`);
    }
  };

  return (
    <Box data-testid="lineage-tab">
      <Box className={classes.toolbar}>
        <TextField
          select
          size="small"
          label="Direction"
          value={direction}
          onChange={event => setDirection(event.target.value as LineageDirection)}
          inputProps={{ 'data-testid': 'lineage-direction' }}
        >
          <MenuItem value="both">Upstream and downstream</MenuItem>
          <MenuItem value="upstream">Upstream</MenuItem>
          <MenuItem value="downstream">Downstream</MenuItem>
        </TextField>
        <TextField
          select
          size="small"
          label="Depth"
          value={depth}
          onChange={event => setDepth(Number(event.target.value))}
        >
          {[1, 2, 3, 5, 10].map(d => (
            <MenuItem key={d} value={d}>
              {d} hop{d > 1 ? 's' : ''}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          label="Filter by name"
          value={filter}
          onChange={event => setFilter(event.target.value)}
          inputProps={{ 'data-testid': 'lineage-filter' }}
        />
        <FormControlLabel
          control={
            <Switch
              size="small"
              checked={columns}
              onChange={event => setColumns(event.target.checked)}
              inputProps={{ 'aria-label': 'Column-level lineage' }}
              data-testid="lineage-columns-toggle"
            />
          }
          label={<Typography variant="body2">Columns</Typography>}
        />
        <Box className={classes.kinds}>
          {lineageEdgeKinds.map(kind => (
            <FormControlLabel
              key={kind}
              control={
                <Checkbox
                  size="small"
                  checked={kinds.has(kind)}
                  onChange={() => toggleKind(kind)}
                  style={{ color: kindColors[kind] }}
                />
              }
              label={<Typography variant="body2">{kindTitles[kind]}</Typography>}
            />
          ))}
        </Box>
      </Box>
      {(first.loading || expanding) && <LinearProgress />}
      {first.error && (
        <Typography color="error" variant="body2" role="alert">
          Could not load the lineage: {first.error.message}
        </Typography>
      )}
      {message && (
        <Typography variant="body2" color="textSecondary" data-testid="lineage-message">
          {message}
        </Typography>
      )}
      <Typography
        variant="caption"
        color="textSecondary"
        display="block"
        data-testid="lineage-summary"
      >
        {layout.nodes.filter(n => n.kind === 'asset').length} node(s) shown
        {layout.collapsed > 0 ? `, ${layout.collapsed} folded into “more” nodes` : ''}
        {layout.filteredOut > 0 ? `, ${layout.filteredOut} hidden by the filter` : ''}
        {first.value?.truncated ? ' — the graph was cut at 2,000 nodes: lower the depth' : ''}
      </Typography>
      <Box className={classes.body}>
        <div className={classes.canvas} data-testid="lineage-graph">
          {first.value && loaded.nodes.size <= 1 && loaded.edges.size === 0 ? (
            <Box p={2}>
              <Typography variant="body2" color="textSecondary" data-testid="lineage-empty">
                No lineage is known for this asset yet. It comes from view definitions found by
                scans, OpenLineage events and dbt manifests.
              </Typography>
            </Box>
          ) : (
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={lineageNodeTypes}
              nodesConnectable={false}
              nodesDraggable
              onlyRenderVisibleElements
              minZoom={0.05}
              fitView
              onNodeClick={(_event, node) => {
                if (node.type === 'more') {
                  const layer = Number(node.id.slice('more:'.length));
                  setOpenLayers(current => new Set([...current, layer]));
                } else setSelection({ type: 'node', ref: node.id });
              }}
              onNodeDoubleClick={(_event, node) => void expand(node.id)}
              onEdgeClick={(_event, edge) => {
                const data = edge.data as { edge?: LineageEdge } | undefined;
                if (data?.edge) setSelection({ type: 'edge', edge: data.edge });
              }}
              onPaneClick={() => setSelection(undefined)}
            >
              <Background />
              <Controls showInteractive={false} />
              {nodes.length > 30 && <MiniMap pannable zoomable />}
            </ReactFlow>
          )}
        </div>
        <Paper variant="outlined" className={classes.side} data-testid="lineage-details">
          {selectedNode && (
            <>
              <Typography variant="subtitle2">{selectedNode.name}</Typography>
              <Typography className={classes.mono}>{selectedNode.qualifiedName}</Typography>
              <Box my={1} display="flex" style={{ gap: 4 }}>
                <Chip size="small" label={selectedNode.type} />
                {!selectedNode.inCatalog && (
                  <Chip size="small" variant="outlined" label="Not in the catalog" />
                )}
              </Box>
              <Typography variant="body2">
                Owners: {selectedNode.owners.length > 0 ? selectedNode.owners.join(', ') : 'nobody'}
              </Typography>
              <Box mt={1} display="flex" style={{ gap: 8 }}>
                {selectedNode.inCatalog && (
                  <Button
                    size="small"
                    variant="outlined"
                    component={RouterLink}
                    to={assetPagePath(selectedNode.ref)}
                  >
                    Open
                  </Button>
                )}
                <Button
                  size="small"
                  variant="outlined"
                  disabled={loaded.expanded.has(selectedNode.ref)}
                  onClick={() => void expand(selectedNode.ref)}
                  data-testid="lineage-expand"
                >
                  Expand
                </Button>
              </Box>
            </>
          )}
          {selectedEdge && (
            <EdgeDetails
              edge={selectedEdge}
              canEdit={canEdit}
              onBlock={setBlocked}
              onRemove={removeEdge}
            />
          )}
          {!selection && <FocusDetails assetRef={props.assetRef} />}
        </Paper>
      </Box>
    </Box>
  );
}

function EdgeDetails(props: {
  edge: LineageEdge;
  canEdit: boolean;
  onBlock: (edge: LineageEdge, blocked: boolean) => void;
  onRemove: (edge: LineageEdge) => void;
}) {
  const classes = useStyles();
  const { edge } = props;
  return (
    <Box data-testid="lineage-edge-details">
      <Typography variant="subtitle2">
        {kindTitles[edge.kind]} · {edge.level} edge
      </Typography>
      <Typography variant="caption" color="textSecondary">
        From
      </Typography>
      <Typography className={classes.mono}>{edge.from}</Typography>
      <Typography variant="caption" color="textSecondary">
        To
      </Typography>
      <Typography className={classes.mono}>{edge.to}</Typography>
      {edge.level === 'column' && edge.kind !== 'foreign_key' && (
        <FormControlLabel
          control={
            <Switch
              size="small"
              checked={!edge.propagationBlocked}
              disabled={!props.canEdit}
              onChange={event => props.onBlock(edge, !event.target.checked)}
              data-testid="lineage-propagation-toggle"
            />
          }
          label={<Typography variant="body2">Labels propagate along this edge</Typography>}
        />
      )}
      {edge.kind === 'manual' && props.canEdit && (
        <Box mt={1}>
          <Button
            size="small"
            variant="outlined"
            onClick={() => props.onRemove(edge)}
            data-testid="lineage-remove-edge"
          >
            Remove this edge
          </Button>
        </Box>
      )}
    </Box>
  );
}

/** Impact analysis and propagated labels of the asset the tab belongs to. */
function FocusDetails(props: { assetRef: string }) {
  const classes = useStyles();
  const client = useLineageClient();
  const impact = useAsyncResource(
    signal => client.impact(props.assetRef, signal),
    [client, props.assetRef],
  );
  const labels = useAsyncResource(
    signal => client.propagatedLabels(props.assetRef, signal),
    [client, props.assetRef],
  );
  return (
    <Box data-testid="lineage-impact">
      <Typography variant="subtitle2">Impact analysis</Typography>
      {impact.value && (
        <>
          <Typography variant="body2">
            {impact.value.assets.length} downstream asset(s)
            {impact.value.unowned.length > 0
              ? `, ${impact.value.unowned.length} without owner`
              : ''}
          </Typography>
          {impact.value.owners.length > 0 && (
            <>
              <Typography variant="caption" color="textSecondary">
                Owners to notify
              </Typography>
              <ul className={classes.list}>
                {impact.value.owners.map(o => (
                  <li key={o.owner}>
                    <Typography variant="body2">
                      {o.owner} ({o.refs.length})
                    </Typography>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <Box mt={2}>
        <Typography variant="subtitle2">Labels received through lineage</Typography>
        {labels.value?.items.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            None.
          </Typography>
        )}
        {labels.value?.items.map(label => (
          <Box
            key={`${label.assetRef}:${label.classifierId}`}
            mt={1}
            data-testid="propagated-label"
          >
            <Typography variant="body2">
              <b>{label.classifierId}</b> on{' '}
              <Link component={RouterLink} to={assetPagePath(label.assetRef)}>
                {label.assetRef.split('.').pop()}
              </Link>
            </Typography>
            <Typography variant="caption" color="textSecondary">
              from {label.path.length - 1} hop(s) upstream:{' '}
              <Link component={RouterLink} to={assetPagePath(label.sourceRef)}>
                {label.sourceRef.split('/').pop()}
              </Link>
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
