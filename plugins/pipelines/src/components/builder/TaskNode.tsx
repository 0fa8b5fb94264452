import { makeStyles, Tooltip, Typography } from '@material-ui/core';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { label, stateColors } from '../shared';

export interface TaskNodeData extends Record<string, unknown> {
  taskKey: string;
  step: string;
  title: string;
  pluginId: string;
  /** In a run: the task's state or result. */
  state?: string;
  /** In the builder: validation problems of the task. */
  issues?: string[];
  detail?: string;
}

export type TaskFlowNode = Node<TaskNodeData, 'task'>;

const useStyles = makeStyles(theme => ({
  node: {
    width: 210,
    padding: theme.spacing(1, 1.25),
    borderRadius: 8,
    background: theme.palette.background.paper,
    border: `1px solid ${theme.palette.divider}`,
    borderLeft: '6px solid #9e9e9e',
    boxShadow: theme.shadows[1],
    fontSize: 12,
  },
  selected: { boxShadow: `0 0 0 2px ${theme.palette.primary.main}` },
  invalid: { borderColor: theme.palette.error.main },
  header: { display: 'flex', alignItems: 'center', gap: 4, justifyContent: 'space-between' },
  key: {
    fontWeight: 700,
    fontSize: 13,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  step: {
    color: theme.palette.text.secondary,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  state: { marginTop: 4, fontWeight: 600 },
  stateName: { textTransform: 'capitalize' },
  error: { color: theme.palette.error.main, fontSize: 16 },
  handle: { width: 10, height: 10 },
}));

/** A task in the DAG builder and in the live run view. */
export function TaskNode(props: NodeProps<TaskFlowNode>) {
  const classes = useStyles();
  const { data, selected } = props;
  const color = data.state
    ? (stateColors[data.state] ?? '#9e9e9e')
    : data.issues?.length
      ? '#c62828'
      : '#1976d2';
  return (
    <div
      className={`${classes.node} ${selected ? classes.selected : ''} ${data.issues?.length ? classes.invalid : ''}`}
      style={{ borderLeftColor: color }}
      data-testid="task-node"
      data-key={data.taskKey}
      data-state={data.state ?? ''}
      data-invalid={data.issues?.length ? 'true' : 'false'}
    >
      <Handle
        type="target"
        position={Position.Left}
        className={classes.handle}
        data-testid={`handle-in-${data.taskKey}`}
      />
      <div className={classes.header}>
        <span className={classes.key}>{data.taskKey}</span>
        {data.issues?.length ? (
          <Tooltip title={data.issues.join('; ')}>
            <ErrorOutlineIcon className={classes.error} />
          </Tooltip>
        ) : null}
      </div>
      <div className={classes.step} title={data.step}>
        {data.title} · {data.pluginId}
      </div>
      {data.state && (
        <Typography variant="caption" component="div" className={classes.state} style={{ color }}>
          <span className={classes.stateName}>{label(data.state)}</span>
          {data.detail ? ` · ${data.detail}` : ''}
        </Typography>
      )}
      <Handle
        type="source"
        position={Position.Right}
        className={classes.handle}
        data-testid={`handle-out-${data.taskKey}`}
      />
    </div>
  );
}

export const nodeTypes = { task: TaskNode };
