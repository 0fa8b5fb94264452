import {
  Box,
  Button,
  Checkbox,
  FormControlLabel,
  LinearProgress,
  Link,
  makeStyles,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import BuildIcon from '@material-ui/icons/Build';
import CancelIcon from '@material-ui/icons/Cancel';
import CheckIcon from '@material-ui/icons/Check';
import CloseIcon from '@material-ui/icons/Close';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { Run, RunLogLine, StepCatalogEntry, TaskRun } from '@racine/plugin-pipelines-common';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  type Edge,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { usePipelinesClient } from '../api/PipelinesClient';
import { layout } from './builder/model';
import { nodeTypes, type TaskFlowNode } from './builder/TaskNode';
import { RunDialog } from './RunDialog';
import {
  displayState,
  formatDuration,
  formatTime,
  label,
  StateChip,
  stateColors,
  usePipelineAbilities,
  useSharedStyles,
} from './shared';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
    minHeight: 48,
  },
  summary: { flex: '1 1 auto', minWidth: 0 },
  grid: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 400px', gap: theme.spacing(1.5) },
  graph: { height: 420, position: 'relative' },
  panel: {
    padding: theme.spacing(1.5),
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    gap: theme.spacing(1),
    alignContent: 'start',
    maxHeight: 420,
    overflow: 'auto',
  },
  logs: {
    maxHeight: 260,
    overflow: 'auto',
    background: '#1e1e1e',
    color: '#ddd',
    padding: theme.spacing(1),
    fontFamily: 'monospace',
    fontSize: 12,
    borderRadius: 4,
  },
  logError: { color: '#ff8a80' },
  logWarn: { color: '#ffd180' },
  values: {
    fontFamily: 'monospace',
    fontSize: 12,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    margin: 0,
    maxHeight: 180,
    overflow: 'auto',
  },
  section: { marginTop: theme.spacing(1.5) },
  approval: {
    padding: theme.spacing(1.5),
    borderColor: theme.palette.warning.main,
    display: 'grid',
    gap: theme.spacing(1),
  },
}));

function Timeline(props: { run: Run; now: number; onSelect: (key: string) => void }) {
  const { run, now } = props;
  // From the run's creation: attempts wait in the queue before they start.
  const start = Date.parse(run.createdAt);
  const end = run.endedAt ? Date.parse(run.endedAt) : now;
  const span = Math.max(1, end - start);
  const width = 900;
  const rowHeight = 22;
  const labelWidth = 160;
  const x = (iso: string | null) =>
    labelWidth +
    ((Math.max(start, Math.min(end, iso ? Date.parse(iso) : end)) - start) / span) *
      (width - labelWidth - 10);
  const rows = run.tasks;
  return (
    <Box overflow="auto" data-testid="run-timeline">
      <svg
        width={width}
        height={rows.length * rowHeight + 24}
        role="img"
        aria-label="Timeline of the run's tasks"
      >
        {[0, 0.25, 0.5, 0.75, 1].map(f => (
          <g key={f}>
            <line
              x1={labelWidth + f * (width - labelWidth - 10)}
              x2={labelWidth + f * (width - labelWidth - 10)}
              y1={0}
              y2={rows.length * rowHeight}
              stroke="#e0e0e0"
            />
            <text
              x={labelWidth + f * (width - labelWidth - 10)}
              y={rows.length * rowHeight + 16}
              fontSize={10}
              textAnchor={f === 1 ? 'end' : f === 0 ? 'start' : 'middle'}
              fill="#757575"
            >
              {formatDuration(Math.round(f * span))}
            </text>
          </g>
        ))}
        {rows.map((task, i) => (
          <g key={task.key} onClick={() => props.onSelect(task.key)} style={{ cursor: 'pointer' }}>
            <text x={4} y={i * rowHeight + 15} fontSize={12} fill="#424242">
              {task.key}
            </text>
            {task.attempts.map(a => (
              <g key={a.attempt}>
                {a.queuedAt && a.startedAt && (
                  <rect
                    x={x(a.queuedAt)}
                    y={i * rowHeight + 8}
                    width={Math.max(1, x(a.startedAt) - x(a.queuedAt))}
                    height={6}
                    fill="#e0e0e0"
                  />
                )}
                {a.startedAt && (
                  <rect
                    x={x(a.startedAt)}
                    y={i * rowHeight + 4}
                    width={Math.max(2, x(a.endedAt) - x(a.startedAt))}
                    height={14}
                    rx={3}
                    fill={stateColors[a.state === 'RUNNING' ? 'RUNNING' : a.state] ?? '#9e9e9e'}
                  >
                    <title>
                      {task.key} attempt {a.attempt}: {label(a.state)} ·{' '}
                      {formatDuration(
                        a.durationMs ?? (a.startedAt ? end - Date.parse(a.startedAt) : null),
                      )}
                    </title>
                  </rect>
                )}
              </g>
            ))}
            {task.attempts.length === 0 && task.result && (
              <text
                x={labelWidth + 4}
                y={i * rowHeight + 15}
                fontSize={11}
                fill={stateColors[task.result] ?? '#757575'}
              >
                {label(task.result)}
              </text>
            )}
          </g>
        ))}
      </svg>
    </Box>
  );
}

function detailOf(task: TaskRun): string | undefined {
  if (task.waitingFor === 'approval') return 'awaiting approval';
  if (task.waitingFor === 'timer') return 'waiting';
  if (task.waitingFor === 'childRun') return 'child run';
  if (task.waitingFor === 'event') return 'awaiting event';
  if (task.iterations?.length)
    return `${task.iterations.filter(i => i.state === 'TERMINATED').length}/${task.iterations.length}`;
  if (task.attempts.length > 1) return `attempt ${task.attempts.length}`;
  return task.durationMs !== null ? formatDuration(task.durationMs) : undefined;
}

/** The live run view: the DAG coloured by state, per-task details and logs, a timeline, repair and cancel. */
export function RunPage() {
  return (
    <ReactFlowProvider>
      <RunView />
    </ReactFlowProvider>
  );
}

function RunView() {
  const classes = useStyles();
  const shared = useSharedStyles();
  const { jobId = '', runId = '' } = useParams();
  const client = usePipelinesClient();
  const abilities = usePipelineAbilities();
  const steps = useAsyncResource(signal => client.steps(signal), [client]);
  const [run, setRun] = useState<Run>();
  const [logs, setLogs] = useState<RunLogLine[]>([]);
  const [error, setError] = useState<string>();
  const [selectedKey, setSelectedKey] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [repairing, setRepairing] = useState<{ tasks?: string[] } | undefined>();
  const [withDependents, setWithDependents] = useState(true);
  const [comment, setComment] = useState('');

  // Live: the SSE stream sends the whole run on every change and each new log line.
  useEffect(() => {
    const controller = new AbortController();
    setLogs([]);
    client
      .getRun(runId, controller.signal)
      .then(setRun, e => !controller.signal.aborted && setError(errorMessage(e)));
    client
      .followRun(
        runId,
        event => {
          if (event.event === 'run') setRun(event.data);
          else if (event.event === 'log')
            setLogs(current =>
              current.some(l => l.id === event.data.id) ? current : [...current, event.data],
            );
        },
        controller.signal,
      )
      .then(() => client.getRun(runId, controller.signal).then(setRun))
      .catch(e => {
        if (!controller.signal.aborted) setError(errorMessage(e));
      });
    return () => controller.abort();
  }, [client, runId, generation]);

  useEffect(() => {
    if (run?.status === 'TERMINATED') return undefined;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [run?.status]);

  const stepById = useMemo(
    () => new Map((steps.value ?? []).map((s: StepCatalogEntry) => [s.id, s])),
    [steps.value],
  );
  // The graph of the job version the run uses.
  const runJobId = run?.jobId;
  const runVersion = run?.jobVersion;
  const definition = useAsyncResource(
    signal =>
      runJobId && runVersion
        ? client.version(runJobId, runVersion, signal).then(v => v.definition)
        : Promise.resolve(undefined),
    [client, runJobId, runVersion],
  );

  const graph = useMemo(() => {
    const tasks = definition.value?.tasks ?? [];
    const byKey = new Map((run?.tasks ?? []).map(t => [t.key, t]));
    const positions = layout(
      tasks.map(t => ({ id: t.key })),
      tasks.flatMap(t => t.dependsOn.map(d => ({ source: d.task, target: t.key }))),
    );
    const flowNodes: TaskFlowNode[] = tasks.map(t => {
      const state = byKey.get(t.key);
      const step = stepById.get(t.step);
      return {
        id: t.key,
        type: 'task',
        position: positions[t.key],
        selected: selectedKey === t.key,
        draggable: false,
        data: {
          taskKey: t.key,
          step: t.step,
          title: step?.title ?? t.step,
          pluginId: step ? (step.builtin ? 'core' : step.pluginId) : t.step.split('.')[0],
          state: state ? displayState(state.state, state.result) : 'BLOCKED',
          detail: state ? detailOf(state) : undefined,
        },
      };
    });
    const flowEdges: Edge[] = tasks.flatMap(t =>
      t.dependsOn.map(d => ({
        id: `${d.task}->${t.key}`,
        source: d.task,
        target: t.key,
        label:
          [d.outcome ? `if ${d.outcome}` : '', t.runIf !== 'ALL_SUCCESS' ? t.runIf : '']
            .filter(Boolean)
            .join(' · ') || undefined,
        markerEnd: { type: MarkerType.ArrowClosed },
        animated: byKey.get(t.key)?.state === 'RUNNING',
      })),
    );
    return { nodes: flowNodes, edges: flowEdges };
  }, [definition.value, run?.tasks, stepById, selectedKey]);

  const task = run?.tasks.find(t => t.key === selectedKey);
  const failed =
    run?.tasks.filter(t =>
      ['FAILED', 'TIMEDOUT', 'CANCELED', 'UPSTREAM_FAILED', 'UPSTREAM_CANCELED'].includes(
        t.result ?? '',
      ),
    ) ?? [];
  const shownLogs = selectedKey
    ? logs.filter(l => l.taskKey === selectedKey || l.taskKey?.startsWith(`${selectedKey}[`))
    : logs;

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
    } catch (actionError) {
      setError(errorMessage(actionError));
    }
  };

  return (
    <Box>
      <Box className={classes.header}>
        <Button
          startIcon={<ArrowBackIcon />}
          component={RouterLink}
          to={`/jobs/${encodeURIComponent(jobId)}`}
          style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
        >
          {run?.jobName ?? 'Job'}
        </Button>
        <Typography variant="h6" noWrap style={{ flexShrink: 0 }}>
          Run {runId.slice(0, 8)}
        </Typography>
        {run && <StateChip state={displayState(run.status, run.result)} testId="run-state" />}
        {run && (
          <Typography variant="body2" color="textSecondary" noWrap className={classes.summary}>
            v{run.jobVersion} · {run.trigger} by {run.triggeredBy} · runs as {run.runAs} ·{' '}
            {formatDuration(
              run.durationMs ?? (run.startedAt ? now - Date.parse(run.startedAt) : null),
            )}
          </Typography>
        )}
        {run && abilities.run && run.status !== 'TERMINATED' && (
          <Button
            variant="outlined"
            startIcon={<CancelIcon />}
            onClick={() => act(() => client.cancelRun(run.id))}
            data-testid="cancel-run"
          >
            Cancel run
          </Button>
        )}
        {run && abilities.run && run.status === 'TERMINATED' && failed.length > 0 && (
          <Button
            variant="contained"
            color="primary"
            startIcon={<BuildIcon />}
            onClick={() => setRepairing({})}
            style={{ whiteSpace: 'nowrap', flexShrink: 0 }}
            data-testid="repair-failed"
          >
            Repair run ({failed.length} failed)
          </Button>
        )}
      </Box>
      {run?.stateMessage && (
        <Typography variant="body2" color="textSecondary" paragraph>
          {run.stateMessage}
        </Typography>
      )}
      {error && (
        <Paper variant="outlined" className={shared.error} role="alert">
          <Typography variant="body2">{error}</Typography>
        </Paper>
      )}
      {!run && <LinearProgress />}
      {run && (
        <>
          <Box className={classes.grid}>
            <Paper variant="outlined" className={classes.graph} data-testid="run-graph">
              <ReactFlow
                nodes={graph.nodes}
                edges={graph.edges}
                nodeTypes={nodeTypes}
                nodesConnectable={false}
                nodesDraggable={false}
                onNodeClick={(_e, node) => setSelectedKey(node.id)}
                onPaneClick={() => setSelectedKey(undefined)}
                fitView
                fitViewOptions={{ maxZoom: 1 }}
                proOptions={{ hideAttribution: true }}
              >
                <Background gap={16} />
                <Controls showInteractive={false} />
              </ReactFlow>
            </Paper>
            <Paper variant="outlined" className={classes.panel} data-testid="task-panel">
              {!task && (
                <>
                  <Typography variant="subtitle1" style={{ fontWeight: 700 }}>
                    Run
                  </Typography>
                  <Typography variant="body2">Created {formatTime(run.createdAt)}</Typography>
                  <Typography variant="body2">Ended {formatTime(run.endedAt)}</Typography>
                  {Object.keys(run.parameters).length > 0 && (
                    <pre className={classes.values}>{JSON.stringify(run.parameters, null, 2)}</pre>
                  )}
                  {run.repairs.length > 0 && (
                    <>
                      <Typography variant="subtitle2">Repairs</Typography>
                      {run.repairs.map(r => (
                        <Typography key={r.id} variant="body2" data-testid="repair-entry">
                          #{r.number} by {r.createdBy} ({formatTime(r.createdAt)}):{' '}
                          {r.tasks.join(', ')}
                        </Typography>
                      ))}
                    </>
                  )}
                  <Typography variant="body2" color="textSecondary">
                    Select a task for its attempts, values and logs.
                  </Typography>
                </>
              )}
              {task && (
                <>
                  <Box display="flex" alignItems="center" gridGap={8}>
                    <Typography
                      variant="subtitle1"
                      style={{ fontWeight: 700, flex: 1 }}
                      data-testid="selected-task"
                    >
                      {task.key}
                    </Typography>
                    <StateChip state={displayState(task.state, task.result)} testId="task-state" />
                  </Box>
                  <Typography variant="body2" color="textSecondary">
                    {task.step} · {formatDuration(task.durationMs)}
                    {task.childRunId && (
                      <>
                        {' · '}
                        <Link
                          component={RouterLink}
                          to={`/jobs/${encodeURIComponent(jobId)}/runs/${encodeURIComponent(task.childRunId)}`}
                        >
                          child run
                        </Link>
                      </>
                    )}
                  </Typography>
                  {task.error && (
                    <Typography variant="body2" color="error" data-testid="task-error">
                      {task.error}
                    </Typography>
                  )}
                  {task.waitingFor === 'approval' && abilities.approve && (
                    <Paper
                      variant="outlined"
                      className={classes.approval}
                      data-testid="approval-box"
                    >
                      <Typography variant="body2">This task waits for an approval.</Typography>
                      <TextField
                        size="small"
                        variant="outlined"
                        label="Comment"
                        value={comment}
                        onChange={e => setComment(e.target.value)}
                      />
                      <Box display="flex" gridGap={8}>
                        <Button
                          variant="contained"
                          color="primary"
                          startIcon={<CheckIcon />}
                          data-testid="approve"
                          onClick={() =>
                            act(() =>
                              client.decideApproval(
                                run.id,
                                task.key,
                                'approve',
                                comment || undefined,
                              ),
                            )
                          }
                        >
                          Approve
                        </Button>
                        <Button
                          variant="outlined"
                          startIcon={<CloseIcon />}
                          data-testid="deny"
                          onClick={() =>
                            act(() =>
                              client.decideApproval(run.id, task.key, 'deny', comment || undefined),
                            )
                          }
                        >
                          Deny
                        </Button>
                      </Box>
                    </Paper>
                  )}
                  {abilities.run && run.status === 'TERMINATED' && (
                    <Box display="flex" alignItems="center" gridGap={8}>
                      <Button
                        size="small"
                        variant="outlined"
                        startIcon={<BuildIcon />}
                        data-testid="rerun-task"
                        onClick={() => setRepairing({ tasks: [task.key] })}
                      >
                        Rerun this task
                      </Button>
                      <FormControlLabel
                        control={
                          <Checkbox
                            size="small"
                            checked={withDependents}
                            onChange={e => setWithDependents(e.target.checked)}
                          />
                        }
                        label="and its dependents"
                      />
                    </Box>
                  )}
                  <Typography variant="subtitle2">Attempts</Typography>
                  <Table size="small" data-testid="attempts-table">
                    <TableHead>
                      <TableRow>
                        <TableCell>#</TableCell>
                        <TableCell>State</TableCell>
                        <TableCell>Duration</TableCell>
                        <TableCell>Worker</TableCell>
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {task.attempts.map(a => (
                        <TableRow key={a.attempt} title={a.error ?? ''}>
                          <TableCell>
                            {a.attempt}
                            {a.repairId ? ' (repair)' : ''}
                          </TableCell>
                          <TableCell>{label(a.state)}</TableCell>
                          <TableCell>{formatDuration(a.durationMs)}</TableCell>
                          <TableCell style={{ fontSize: 11 }}>{a.worker ?? '—'}</TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                  {task.values && (
                    <>
                      <Typography variant="subtitle2">Values</Typography>
                      <pre className={classes.values} data-testid="task-values">
                        {JSON.stringify(task.values, null, 2)}
                      </pre>
                    </>
                  )}
                  {task.iterations && task.iterations.length > 0 && (
                    <>
                      <Typography variant="subtitle2">Iterations</Typography>
                      {task.iterations.map(it => (
                        <Box key={it.key} display="flex" alignItems="center" gridGap={8}>
                          <Typography variant="body2" style={{ fontFamily: 'monospace', flex: 1 }}>
                            [{it.index}] {JSON.stringify(it.item)}
                          </Typography>
                          <StateChip state={displayState(it.state, it.result)} />
                        </Box>
                      ))}
                    </>
                  )}
                </>
              )}
            </Paper>
          </Box>
          <Paper variant="outlined" className={classes.section} style={{ padding: 12 }}>
            <Typography variant="subtitle2" gutterBottom>
              Timeline
            </Typography>
            <Timeline run={run} now={now} onSelect={setSelectedKey} />
          </Paper>
          <Paper variant="outlined" className={classes.section} style={{ padding: 12 }}>
            <Typography variant="subtitle2" gutterBottom>
              Logs {selectedKey ? `of ${selectedKey}` : ''}
            </Typography>
            <Box className={classes.logs} data-testid="run-logs">
              {shownLogs.map(line => (
                <div
                  key={line.id}
                  className={
                    line.level === 'error'
                      ? classes.logError
                      : line.level === 'warn'
                        ? classes.logWarn
                        : undefined
                  }
                >
                  {new Date(line.time).toLocaleTimeString()}{' '}
                  {line.taskKey ? `[${line.taskKey}] ` : ''}
                  {line.message}
                </div>
              ))}
              {shownLogs.length === 0 && <div>No log lines yet.</div>}
            </Box>
          </Paper>
        </>
      )}
      {repairing && run && (
        <RunDialog
          job={{
            name: run.jobName,
            parameters: Object.entries(run.parameters).map(([name, value]) => ({
              name,
              default: value,
            })),
          }}
          title={
            repairing.tasks
              ? `Rerun ${repairing.tasks.join(', ')}${withDependents ? ' and dependents' : ''}`
              : `Repair: rerun ${failed.length} failed task(s) and their dependents`
          }
          action="Repair"
          onClose={() => setRepairing(undefined)}
          onRun={async parameters => {
            await act(async () => {
              const changed = Object.fromEntries(
                Object.entries(parameters).filter(([k, v]) => run.parameters[k] !== v),
              );
              await client.repairRun(
                run.id,
                repairing.tasks
                  ? {
                      rerunTasks: repairing.tasks,
                      rerunDependents: withDependents,
                      parameters: Object.keys(changed).length ? changed : undefined,
                    }
                  : {
                      rerunAllFailed: true,
                      parameters: Object.keys(changed).length ? changed : undefined,
                    },
              );
              setGeneration(g => g + 1);
            });
            setRepairing(undefined);
          }}
        />
      )}
    </Box>
  );
}
