import { makeStyles, Tooltip, Typography } from '@material-ui/core';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import type { LineageNode } from '@racine/plugin-data-catalog-common';
import { COLUMN_ROW_HEIGHT } from './lineageLayout';

export interface AssetNodeData extends Record<string, unknown> {
  node: LineageNode;
  columns: LineageNode[];
  focus: boolean;
  expanded: boolean;
}

export interface MoreNodeData extends Record<string, unknown> {
  hidden: number;
  layer: number;
}

export type AssetFlowNode = Node<AssetNodeData, 'asset'>;
export type MoreFlowNode = Node<MoreNodeData, 'more'>;

export const NODE_WIDTH = 240;

const typeColors: Record<string, string> = {
  table: '#1e88e5',
  view: '#8e24aa',
  column: '#00897b',
};

const useStyles = makeStyles(theme => ({
  node: {
    width: NODE_WIDTH,
    borderRadius: 8,
    background: theme.palette.background.paper,
    border: `1px solid ${theme.palette.divider}`,
    borderLeft: '6px solid #9e9e9e',
    boxShadow: theme.shadows[1],
    fontSize: 12,
    cursor: 'pointer',
  },
  header: { padding: theme.spacing(0.75, 1) },
  focus: { boxShadow: `0 0 0 2px ${theme.palette.primary.main}` },
  outside: { borderStyle: 'dashed', opacity: 0.85 },
  name: { fontWeight: 700, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  meta: {
    color: theme.palette.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  column: {
    position: 'relative',
    height: COLUMN_ROW_HEIGHT,
    lineHeight: `${COLUMN_ROW_HEIGHT}px`,
    padding: theme.spacing(0, 1),
    borderTop: `1px solid ${theme.palette.divider}`,
    fontFamily: 'monospace',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  more: {
    width: NODE_WIDTH,
    padding: theme.spacing(1),
    borderRadius: 8,
    border: `1px dashed ${theme.palette.text.secondary}`,
    background: theme.palette.background.default,
    textAlign: 'center',
    cursor: 'pointer',
    fontSize: 12,
  },
}));

/** A table, view, dataset or column of the graph; in column mode a table lists its columns. */
export function AssetNodeView(props: NodeProps<AssetFlowNode>) {
  const classes = useStyles();
  const { node, columns, focus, expanded } = props.data;
  const color = typeColors[node.type] ?? '#9e9e9e';
  return (
    <div
      className={`${classes.node} ${focus ? classes.focus : ''} ${node.inCatalog ? '' : classes.outside}`}
      style={{ borderLeftColor: color }}
      data-testid="lineage-node"
      data-ref={node.ref}
      data-type={node.type}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className={classes.header}>
        <Tooltip
          title={node.inCatalog ? node.qualifiedName : `${node.qualifiedName} (not in the catalog)`}
        >
          <Typography variant="body2" className={classes.name}>
            {node.name}
          </Typography>
        </Tooltip>
        <div className={classes.meta}>
          {node.type} · {node.qualifiedName}
          {expanded ? '' : node.depth !== 0 ? ' · double-click to expand' : ''}
        </div>
      </div>
      {columns.map(column => (
        <div key={column.ref} className={classes.column} data-testid="lineage-column">
          <Handle
            id={`in:${column.ref}`}
            type="target"
            position={Position.Left}
            isConnectable={false}
            style={{ top: COLUMN_ROW_HEIGHT / 2 }}
          />
          {column.name}
          <Handle
            id={`out:${column.ref}`}
            type="source"
            position={Position.Right}
            isConnectable={false}
            style={{ top: COLUMN_ROW_HEIGHT / 2 }}
          />
        </div>
      ))}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

/** Stands for the nodes of a layer beyond the first ones; a click shows them all. */
export function MoreNodeView(props: NodeProps<MoreFlowNode>) {
  const classes = useStyles();
  return (
    <div className={classes.more} data-testid="lineage-more" data-layer={props.data.layer}>
      <Handle type="target" position={Position.Left} isConnectable={false} />+ {props.data.hidden}{' '}
      more — click to show
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

export const lineageNodeTypes = { asset: AssetNodeView, more: MoreNodeView };
