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
import AccountCircleIcon from '@material-ui/icons/AccountCircle';
import GroupIcon from '@material-ui/icons/Group';
import PersonIcon from '@material-ui/icons/Person';
import WarningIcon from '@material-ui/icons/Warning';
import { useAsyncResource, useMe } from '@racine/kernel-react';
import {
  assetPagePath,
  lineageEdgeKinds,
  type ImpactAnalysisResponse,
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
import { AssetIcon } from '../AssetIcon';
import { formatCount, typeTitles } from '../format';
import {
  filterImpactRows,
  impactOwners,
  impactReach,
  impactRows,
  type ImpactOwner,
} from './impact';
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
  side: { width: 340, padding: theme.spacing(1.5), overflow: 'auto', maxHeight: 560 },
  mono: { fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' },
  kinds: { display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' },
  gap: { marginTop: theme.spacing(1.5) },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5), minWidth: 0 },
  unowned: { color: theme.palette.warning.dark, borderColor: theme.palette.warning.main },
  impactList: { listStyle: 'none', margin: theme.spacing(0.5, 0, 0), padding: 0 },
  impactRow: {
    padding: theme.spacing(0.75, 0),
    borderTop: `1px solid ${theme.palette.divider}`,
    '&:first-child': { borderTop: 'none' },
  },
  impactName: { display: 'flex', alignItems: 'center', gap: theme.spacing(0.75), minWidth: 0 },
  impactIcon: { fontSize: 16, color: theme.palette.text.secondary, flexShrink: 0 },
  impactLink: { fontWeight: 600, fontSize: 14, wordBreak: 'break-all' },
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
    <Box>
      <Box data-testid="lineage-impact">
        <Typography variant="subtitle2">Impact analysis</Typography>
        {impact.loading && !impact.value && (
          <Typography variant="body2" color="textSecondary">
            Finding everything downstream…
          </Typography>
        )}
        {impact.error && (
          <Typography variant="body2" color="error" role="alert">
            Could not analyse the impact: {impact.error.message}
          </Typography>
        )}
        {impact.value && <ImpactDetails key={impact.value.ref} impact={impact.value} />}
      </Box>
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

/** How many impacted assets are listed before "Show all". */
const IMPACT_PAGE = 50;

function OwnerIcon(props: { kind: ImpactOwner['kind'] }) {
  if (props.kind === 'group') return <GroupIcon />;
  if (props.kind === 'user') return <PersonIcon />;
  return <AccountCircleIcon />;
}

/**
 * Everything downstream of the asset (all hops, not only those drawn), the owners to notify
 * with how many impacted assets each owns, and the assets nobody owns. Clicking an owner (or
 * "Without owner") narrows the list to their assets; the filter box matches names, qualified
 * names, types and owners.
 */
function ImpactDetails(props: { impact: ImpactAnalysisResponse }) {
  const classes = useStyles();
  const rows = useMemo(() => impactRows(props.impact), [props.impact]);
  const owners = useMemo(() => impactOwners(props.impact), [props.impact]);
  const [text, setText] = useState('');
  const [owner, setOwner] = useState<string>();
  const [unownedOnly, setUnownedOnly] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const shown = useMemo(
    () => filterImpactRows(rows, { text, owner, unownedOnly }),
    [rows, text, owner, unownedOnly],
  );
  const visible = showAll ? shown : shown.slice(0, IMPACT_PAGE);
  const unowned = props.impact.unowned.length;
  const reach = impactReach(rows);

  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary" data-testid="lineage-impact-summary">
        0 downstream asset(s): a change to this asset affects no other asset.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" data-testid="lineage-impact-summary">
        {formatCount(rows.length)} downstream asset(s) within {reach} hop{reach > 1 ? 's' : ''}
        {', '}
        {formatCount(owners.length)} owner(s) to notify
        {unowned > 0 ? `, ${formatCount(unowned)} without owner` : ''}
      </Typography>

      <Typography variant="caption" color="textSecondary" display="block" className={classes.gap}>
        Owners to notify
      </Typography>
      <Box className={classes.chips} data-testid="lineage-impact-owners">
        {owners.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            Nobody owns the impacted assets.
          </Typography>
        )}
        {owners.map(o => (
          <Chip
            key={o.owner}
            size="small"
            icon={<OwnerIcon kind={o.kind} />}
            label={`${o.owner} · ${formatCount(o.count)}`}
            title={`${o.kind === 'group' ? 'Group' : o.kind === 'user' ? 'User' : 'Owner'} ${
              o.name
            } owns ${o.count} impacted asset(s); click to list them`}
            color={owner === o.owner ? 'primary' : 'default'}
            variant={owner === o.owner ? 'default' : 'outlined'}
            clickable
            onClick={() => {
              setOwner(current => (current === o.owner ? undefined : o.owner));
              setUnownedOnly(false);
            }}
            data-testid="lineage-impact-owner"
            data-owner={o.owner}
          />
        ))}
        {unowned > 0 && (
          <Chip
            size="small"
            icon={<WarningIcon />}
            label={`Without owner · ${formatCount(unowned)}`}
            title="Impacted assets nobody owns: nobody will be told; click to list them"
            className={unownedOnly ? undefined : classes.unowned}
            color={unownedOnly ? 'secondary' : 'default'}
            variant={unownedOnly ? 'default' : 'outlined'}
            clickable
            onClick={() => {
              setUnownedOnly(current => !current);
              setOwner(undefined);
            }}
            data-testid="lineage-impact-unowned"
          />
        )}
      </Box>

      <Typography variant="caption" color="textSecondary" display="block" className={classes.gap}>
        Impacted assets
      </Typography>
      {rows.length > 5 && (
        <TextField
          size="small"
          fullWidth
          margin="dense"
          placeholder="Filter by name, type or owner"
          value={text}
          onChange={event => setText(event.target.value)}
          inputProps={{
            'aria-label': 'Filter impacted assets',
            'data-testid': 'lineage-impact-filter',
          }}
        />
      )}
      {(owner || unownedOnly || text) && (
        <Typography variant="caption" color="textSecondary" display="block">
          {formatCount(shown.length)} of {formatCount(rows.length)} match
          {owner ? ` (owned by ${owner})` : ''}
          {unownedOnly ? ' (without owner)' : ''}
        </Typography>
      )}
      <ul className={classes.impactList} data-testid="lineage-impact-assets">
        {visible.map(row => (
          <li
            key={row.ref}
            className={classes.impactRow}
            data-testid="lineage-impact-asset"
            data-ref={row.ref}
          >
            <Box className={classes.impactName}>
              {row.assetType && <AssetIcon type={row.assetType} className={classes.impactIcon} />}
              <Link
                component={RouterLink}
                to={assetPagePath(row.ref)}
                className={classes.impactLink}
                title={row.qualifiedName}
              >
                {row.name}
              </Link>
            </Box>
            <Typography variant="caption" color="textSecondary" display="block">
              {row.assetType ? typeTitles[row.assetType] : row.type} · {row.depth} hop
              {row.depth > 1 ? 's' : ''}
              {row.qualifiedName !== row.name ? ` · ${row.qualifiedName}` : ''}
            </Typography>
            <Box className={classes.chips}>
              {row.owners.length === 0 ? (
                <Chip
                  size="small"
                  variant="outlined"
                  icon={<WarningIcon />}
                  label="No owner"
                  className={classes.unowned}
                />
              ) : (
                row.owners.map(o => <Chip key={o} size="small" variant="outlined" label={o} />)
              )}
            </Box>
          </li>
        ))}
      </ul>
      {shown.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No impacted asset matches.
        </Typography>
      )}
      {shown.length > IMPACT_PAGE && (
        <Box display="flex" alignItems="center" justifyContent="space-between">
          <Typography variant="caption" color="textSecondary">
            {showAll
              ? `All ${formatCount(shown.length)} shown`
              : `First ${IMPACT_PAGE} of ${formatCount(shown.length)} shown`}
          </Typography>
          <Button
            size="small"
            color="primary"
            onClick={() => setShowAll(current => !current)}
            data-testid="lineage-impact-show-all"
          >
            {showAll ? `Show the first ${IMPACT_PAGE}` : `Show all ${formatCount(shown.length)}`}
          </Button>
        </Box>
      )}
    </>
  );
}
