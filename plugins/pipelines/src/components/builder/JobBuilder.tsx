import {
  Box,
  Button,
  Checkbox,
  Divider,
  FormControlLabel,
  IconButton,
  makeStyles,
  MenuItem,
  Paper,
  Switch,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import { eventTopics } from '@racine/kernel-common';
import {
  notificationEvents,
  referenceSuggestions,
  runIfConditions,
  taskOutputs,
  upstreamOf,
  type JobDefinitionInput,
  type JobNotification,
  type RunIf,
  type StepCatalogEntry,
} from '@racine/plugin-pipelines-common';
import {
  applyNodeChanges,
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { InputEditor } from './InputEditor';
import {
  edgeId,
  layout,
  newId,
  newKey,
  toDefinition,
  validateDraft,
  wouldCycle,
  type Draft,
  type DraftTask,
} from './model';
import { nodeTypes, type TaskFlowNode } from './TaskNode';

const DRAG_TYPE = 'application/racine-step';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'grid',
    gridTemplateColumns: '240px minmax(0, 1fr) 360px',
    gap: theme.spacing(1.5),
    height: 'calc(100vh - 320px)',
    minHeight: 480,
  },
  palette: { overflow: 'auto', padding: theme.spacing(1) },
  group: {
    marginTop: theme.spacing(1.5),
    textTransform: 'uppercase',
    fontSize: 11,
    letterSpacing: 0.5,
    color: theme.palette.text.secondary,
  },
  step: {
    padding: theme.spacing(0.75, 1),
    marginTop: theme.spacing(0.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 6,
    cursor: 'grab',
    background: theme.palette.background.paper,
    '&:hover': { borderColor: theme.palette.primary.main },
  },
  stepTitle: { fontWeight: 600, fontSize: 13 },
  stepId: { fontSize: 11, color: theme.palette.text.secondary, fontFamily: 'monospace' },
  canvas: { position: 'relative', overflow: 'hidden' },
  inspector: {
    overflowY: 'auto',
    overflowX: 'hidden',
    padding: theme.spacing(1.5),
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr)',
    gap: theme.spacing(1.5),
    alignContent: 'start',
  },
  row: { display: 'flex', gap: theme.spacing(1), alignItems: 'center' },
  issues: {
    color: theme.palette.error.main,
    margin: 0,
    paddingLeft: theme.spacing(2),
    fontSize: 12,
  },
  status: {
    padding: theme.spacing(1, 1.5),
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    height: 56,
    overflow: 'hidden',
  },
  statusText: {
    flex: 1,
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  valid: { color: theme.palette.success.main },
  invalid: { color: theme.palette.error.main },
}));

export interface JobBuilderProps {
  draft: Draft;
  onChange: (draft: Draft) => void;
  steps: StepCatalogEntry[];
  onSave: (definition: JobDefinitionInput, note: string) => Promise<void>;
  saving: boolean;
  saveLabel: string;
  readOnly?: boolean;
}

/** The drag-and-drop DAG builder of the Job Workflow Space. */
export function JobBuilder(props: JobBuilderProps) {
  return (
    <ReactFlowProvider>
      <Builder {...props} />
    </ReactFlowProvider>
  );
}

function Builder(props: JobBuilderProps) {
  const classes = useStyles();
  const { draft, onChange, steps, readOnly } = props;
  const flow = useReactFlow();
  // Where tasks start out: the automatic layout, or where a step was dropped.
  const initial = useRef<Record<string, { x: number; y: number }>>(
    layout(draft.tasks, draft.edges),
  );
  const [nodes, setNodes] = useState<TaskFlowNode[]>([]);
  // Fit an existing job into view once; an empty canvas keeps steps where they are dropped.
  const [fitOnOpen] = useState(draft.tasks.length > 0);
  const [selected, setSelected] = useState<{ kind: 'task' | 'edge'; id: string } | undefined>();
  const [filter, setFilter] = useState('');
  const [notice, setNotice] = useState<string>();
  const [note, setNote] = useState('');

  const stepById = useMemo(() => new Map(steps.map(s => [s.id, s])), [steps]);
  const validation = useMemo(() => validateDraft(draft, steps), [draft, steps]);
  const groups = useMemo(() => {
    const out = new Map<string, StepCatalogEntry[]>();
    const q = filter.trim().toLowerCase();
    for (const step of steps) {
      if (q && !`${step.id} ${step.title} ${step.description}`.toLowerCase().includes(q)) continue;
      const group = step.builtin ? 'Control flow' : step.pluginId;
      out.set(group, [...(out.get(group) ?? []), step]);
    }
    return [...out.entries()].sort(([a], [b]) =>
      a === 'Control flow' ? -1 : b === 'Control flow' ? 1 : a.localeCompare(b),
    );
  }, [steps, filter]);

  const setDraft = useCallback(
    (patch: Partial<Draft>) => onChange({ ...draft, ...patch }),
    [draft, onChange],
  );

  const addTask = useCallback(
    (stepId: string, position?: { x: number; y: number }) => {
      const step = stepById.get(stepId);
      if (!step || readOnly) return;
      const id = newId();
      const key = newKey(
        stepId,
        draft.tasks.map(t => t.key),
      );
      const task: DraftTask = { id, key, step: stepId, input: {}, runIf: 'ALL_SUCCESS' };
      const column = Math.max(0, ...nodes.map(n => n.position.x));
      initial.current[id] = position ?? { x: nodes.length ? column + 280 : 40, y: 40 };
      setDraft({ tasks: [...draft.tasks, task] });
      setSelected({ kind: 'task', id });
    },
    [stepById, draft.tasks, nodes, setDraft, readOnly],
  );

  const removeTask = useCallback(
    (id: string) => {
      setDraft({
        tasks: draft.tasks.filter(t => t.id !== id),
        edges: draft.edges.filter(e => e.source !== id && e.target !== id),
      });
      setSelected(undefined);
    },
    [draft, setDraft],
  );

  const updateTask = (id: string, patch: Partial<DraftTask>) =>
    setDraft({ tasks: draft.tasks.map(t => (t.id === id ? { ...t, ...patch } : t)) });

  const onConnect = useCallback(
    (connection: Connection) => {
      if (readOnly || !connection.source || !connection.target) return;
      if (draft.edges.some(e => e.source === connection.source && e.target === connection.target))
        return;
      if (wouldCycle(draft.tasks, draft.edges, connection.source, connection.target)) {
        setNotice('That dependency would close a cycle: a job is a directed acyclic graph.');
        return;
      }
      const source = draft.tasks.find(t => t.id === connection.source);
      const outcome = source?.step === 'core.condition' ? ('true' as const) : undefined;
      setNotice(undefined);
      setDraft({
        edges: [
          ...draft.edges,
          {
            id: edgeId(connection.source, connection.target),
            source: connection.source,
            target: connection.target,
            outcome,
          },
        ],
      });
    },
    [draft, setDraft, readOnly],
  );

  // xyflow keeps measured sizes and positions in its nodes: sync our tasks into that state.
  useEffect(() => {
    setNodes(current => {
      const byId = new Map(current.map(n => [n.id, n]));
      return draft.tasks.map(t => {
        const step = stepById.get(t.step);
        const previous = byId.get(t.id);
        return {
          ...previous,
          id: t.id,
          type: 'task' as const,
          position: previous?.position ?? initial.current[t.id] ?? { x: 40, y: 40 },
          selected: selected?.kind === 'task' && selected.id === t.id,
          data: {
            taskKey: t.key,
            step: t.step,
            title: step?.title ?? t.step,
            pluginId: step ? (step.builtin ? 'core' : step.pluginId) : 'not registered',
            issues: validation.byTask.get(t.id),
          },
        };
      });
    });
  }, [draft.tasks, selected, stepById, validation]);

  const edges: Edge[] = useMemo(
    () =>
      draft.edges.map(e => {
        const target = draft.tasks.find(t => t.id === e.target);
        const parts = [
          e.outcome ? `if ${e.outcome}` : '',
          target && target.runIf !== 'ALL_SUCCESS' ? target.runIf : '',
        ].filter(Boolean);
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          label: parts.join(' · ') || undefined,
          selected: selected?.kind === 'edge' && selected.id === e.id,
          markerEnd: { type: MarkerType.ArrowClosed },
          style: e.outcome === 'false' ? { strokeDasharray: '5 4' } : undefined,
          data: { outcome: e.outcome },
        };
      }),
    [draft.edges, draft.tasks, selected],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<TaskFlowNode>[]) => {
      setNodes(current =>
        applyNodeChanges(
          changes.filter(c => c.type !== 'remove'),
          current,
        ),
      );
      for (const change of changes) {
        if (change.type === 'select' && change.selected) {
          setSelected({ kind: 'task', id: change.id });
        } else if (change.type === 'remove' && !readOnly) {
          removeTask(change.id);
        }
      }
    },
    [removeTask, readOnly],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      for (const change of changes) {
        if (change.type === 'select' && change.selected)
          setSelected({ kind: 'edge', id: change.id });
        else if (change.type === 'remove' && !readOnly) {
          setDraft({ edges: draft.edges.filter(e => e.id !== change.id) });
          setSelected(undefined);
        }
      }
    },
    [draft.edges, setDraft, readOnly],
  );

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const stepId =
      event.dataTransfer.getData(DRAG_TYPE) || event.dataTransfer.getData('text/plain');
    if (!stepId) return;
    // Centre the node (210 × ~60 px) under the pointer.
    const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    addTask(stepId, { x: point.x - 105, y: point.y - 30 });
  };

  const issueList = [
    ...validation.general,
    ...[...validation.byTask.entries()].flatMap(([id, list]) =>
      list.map(m => `${draft.tasks.find(t => t.id === id)?.key}: ${m}`),
    ),
  ];
  const task = selected?.kind === 'task' ? draft.tasks.find(t => t.id === selected.id) : undefined;
  const edge = selected?.kind === 'edge' ? draft.edges.find(e => e.id === selected.id) : undefined;

  return (
    <Box>
      <Box className={classes.root}>
        <Paper variant="outlined" className={classes.palette} data-testid="step-palette">
          <TextField
            size="small"
            variant="outlined"
            fullWidth
            placeholder="Find a step"
            value={filter}
            onChange={e => setFilter(e.target.value)}
          />
          {groups.map(([group, items]) => (
            <Box key={group}>
              <Typography className={classes.group}>{group}</Typography>
              {items.map(step => (
                <Tooltip key={step.id} title={step.description} placement="right">
                  <div
                    className={classes.step}
                    draggable={!readOnly}
                    data-testid="palette-step"
                    data-step={step.id}
                    onDragStart={e => {
                      e.dataTransfer.setData(DRAG_TYPE, step.id);
                      e.dataTransfer.setData('text/plain', step.id);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    onDoubleClick={() => addTask(step.id)}
                  >
                    <div className={classes.stepTitle}>{step.title}</div>
                    <div className={classes.stepId}>{step.id}</div>
                  </div>
                </Tooltip>
              ))}
            </Box>
          ))}
        </Paper>
        <Paper
          variant="outlined"
          className={classes.canvas}
          data-testid="builder-canvas"
          onDragOver={e => {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'move';
          }}
          onDrop={onDrop}
        >
          <ReactFlow
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onPaneClick={() => setSelected(undefined)}
            nodesConnectable={!readOnly}
            deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
            fitView={fitOnOpen}
            fitViewOptions={{ maxZoom: 1 }}
            proOptions={{ hideAttribution: true }}
          >
            <Background gap={16} />
            <Controls showInteractive={false} />
          </ReactFlow>
          {draft.tasks.length === 0 && (
            <Box
              position="absolute"
              top="45%"
              width="100%"
              textAlign="center"
              style={{ pointerEvents: 'none' }}
            >
              <Typography color="textSecondary">
                Drag steps here from the palette, then connect them.
              </Typography>
            </Box>
          )}
        </Paper>
        <Paper variant="outlined" className={classes.inspector} data-testid="inspector">
          {task ? (
            <TaskInspector
              key={`${task.id}:${task.step}`}
              task={task}
              draft={draft}
              step={stepById.get(task.step)}
              issues={validation.byTask.get(task.id) ?? []}
              readOnly={readOnly}
              onChange={patch => updateTask(task.id, patch)}
              onRemove={() => removeTask(task.id)}
              onRemoveEdge={id => setDraft({ edges: draft.edges.filter(e => e.id !== id) })}
              onOutcome={(id, outcome) =>
                setDraft({ edges: draft.edges.map(e => (e.id === id ? { ...e, outcome } : e)) })
              }
              stepById={stepById}
            />
          ) : edge ? (
            <EdgeInspector
              edge={edge}
              draft={draft}
              readOnly={readOnly}
              onOutcome={outcome =>
                setDraft({
                  edges: draft.edges.map(e => (e.id === edge.id ? { ...e, outcome } : e)),
                })
              }
              onRemove={() => {
                setDraft({ edges: draft.edges.filter(e => e.id !== edge.id) });
                setSelected(undefined);
              }}
            />
          ) : (
            <SettingsInspector
              draft={draft}
              readOnly={readOnly}
              onChange={settings => setDraft({ settings })}
            />
          )}
        </Paper>
      </Box>
      <Paper variant="outlined" className={classes.status} style={{ marginTop: 12 }}>
        {validation.valid ? (
          <Typography variant="body2" className={classes.valid} data-testid="builder-valid">
            Valid: {draft.tasks.length} task(s), {draft.edges.length} dependenc
            {draft.edges.length === 1 ? 'y' : 'ies'}
          </Typography>
        ) : (
          <Typography
            variant="body2"
            className={`${classes.invalid} ${classes.statusText}`}
            data-testid="builder-issues"
            component="div"
            title={issueList.join('\n')}
          >
            {issueList.length} problem{issueList.length === 1 ? '' : 's'}:{' '}
            {issueList.slice(0, 3).join(' · ')}
          </Typography>
        )}
        {notice && (
          <Typography
            variant="body2"
            className={`${classes.invalid} ${classes.statusText}`}
            role="alert"
          >
            {notice}
          </Typography>
        )}
        {validation.valid && !notice && <Box flex={1} />}
        {!readOnly && (
          <>
            <TextField
              size="small"
              variant="outlined"
              placeholder="Version note (optional)"
              value={note}
              onChange={e => setNote(e.target.value)}
              inputProps={{ 'data-testid': 'version-note' }}
            />
            <Button
              variant="contained"
              color="primary"
              disabled={!validation.valid || props.saving || !draft.settings.name.trim()}
              onClick={() => props.onSave(toDefinition(draft), note).then(() => setNote(''))}
              data-testid="save-job"
            >
              {props.saving ? 'Saving…' : props.saveLabel}
            </Button>
          </>
        )}
      </Paper>
    </Box>
  );
}

function TaskInspector(props: {
  task: DraftTask;
  draft: Draft;
  step?: StepCatalogEntry;
  issues: string[];
  readOnly?: boolean;
  onChange: (patch: Partial<DraftTask>) => void;
  onRemove: () => void;
  onRemoveEdge: (id: string) => void;
  onOutcome: (id: string, outcome: 'true' | 'false' | undefined) => void;
  stepById: Map<string, StepCatalogEntry>;
}) {
  const classes = useStyles();
  const { task, draft, step } = props;
  const incoming = draft.edges.filter(e => e.target === task.id);
  const suggestions = useMemo(() => {
    const definition = toDefinition(draft);
    const upstream = upstreamOf(
      definition.tasks.map(t => ({ key: t.key, dependsOn: t.dependsOn ?? [] })),
      task.key,
    );
    return referenceSuggestions({
      parameters: draft.settings.parameters.map(p => p.name),
      upstream: draft.tasks
        .filter(t => upstream.has(t.key))
        .map(t => ({
          key: t.key,
          outputs: taskOutputs(
            { step: t.step, input: t.input },
            props.stepById.get(t.step) && {
              id: t.step,
              outputs: props.stepById.get(t.step)!.outputs,
              required: [],
            },
          ),
        })),
      inForEach: task.step === 'core.forEach',
    });
  }, [draft, task.key, task.step, props.stepById]);
  const keyIssue = props.issues.find(i => i.startsWith('key:'));
  return (
    <>
      <Box className={classes.row}>
        <Typography variant="subtitle1" style={{ fontWeight: 700, flex: 1 }}>
          Task
        </Typography>
        {!props.readOnly && (
          <Tooltip title="Delete task">
            <IconButton size="small" onClick={props.onRemove} data-testid="delete-task">
              <DeleteIcon fontSize="small" />
            </IconButton>
          </Tooltip>
        )}
      </Box>
      <TextField
        label="Key"
        size="small"
        variant="outlined"
        value={task.key}
        error={Boolean(keyIssue)}
        helperText={keyIssue ?? 'Other tasks refer to it as {{tasks.<key>…}}'}
        onChange={e => props.onChange({ key: e.target.value })}
        disabled={props.readOnly}
        inputProps={{ 'data-testid': 'task-key' }}
      />
      <Typography variant="body2">
        <b>{step?.title ?? task.step}</b>{' '}
        <span style={{ fontFamily: 'monospace' }}>({task.step})</span>
        {step && !step.idempotent && (
          <Typography variant="caption" component="div" color="textSecondary">
            Not idempotent: if its worker dies mid-way it is marked failed, not run twice.
          </Typography>
        )}
      </Typography>
      {step ? (
        <InputEditor
          schema={step.inputSchema}
          value={task.input}
          onChange={input => props.onChange({ input })}
          suggestions={suggestions}
          uiHints={step.uiHints}
          issues={props.issues}
        />
      ) : (
        <Typography color="error" variant="body2">
          This step type is not registered here (its group is off or not installed).
        </Typography>
      )}
      <Divider />
      <Typography variant="subtitle2">Dependencies</Typography>
      {incoming.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          None: drag from another task&apos;s right handle to this one.
        </Typography>
      )}
      {incoming.map(e => {
        const source = draft.tasks.find(t => t.id === e.source);
        return (
          <Box key={e.id} className={classes.row}>
            <Typography variant="body2" style={{ flex: 1, fontFamily: 'monospace' }}>
              {source?.key}
            </Typography>
            {source?.step === 'core.condition' && (
              <TextField
                select
                size="small"
                value={e.outcome ?? 'true'}
                onChange={ev => props.onOutcome(e.id, ev.target.value as 'true' | 'false')}
                disabled={props.readOnly}
              >
                <MenuItem value="true">if true</MenuItem>
                <MenuItem value="false">if false</MenuItem>
              </TextField>
            )}
            {!props.readOnly && (
              <IconButton
                size="small"
                onClick={() => props.onRemoveEdge(e.id)}
                aria-label="Remove dependency"
              >
                <DeleteIcon fontSize="small" />
              </IconButton>
            )}
          </Box>
        );
      })}
      <TextField
        select
        label="Run if"
        size="small"
        variant="outlined"
        value={task.runIf}
        onChange={e => props.onChange({ runIf: e.target.value as RunIf })}
        disabled={props.readOnly || incoming.length === 0}
        helperText="Evaluated once every dependency has finished"
        inputProps={{ 'data-testid': 'task-runif' }}
      >
        {runIfConditions.map(c => (
          <MenuItem key={c} value={c}>
            {c}
          </MenuItem>
        ))}
      </TextField>
      <Box className={classes.row}>
        <TextField
          label="Retries"
          type="number"
          size="small"
          variant="outlined"
          value={task.retries?.max ?? 0}
          onChange={e =>
            props.onChange({
              retries: {
                minIntervalMs: 0,
                onTimeout: false,
                ...task.retries,
                max: Math.max(0, Number(e.target.value) || 0),
              },
            })
          }
          disabled={props.readOnly}
          inputProps={{ min: 0, max: 20, 'data-testid': 'task-retries' }}
        />
        <TextField
          label="Min interval (ms)"
          type="number"
          size="small"
          variant="outlined"
          value={task.retries?.minIntervalMs ?? 0}
          onChange={e =>
            props.onChange({
              retries: {
                max: 0,
                onTimeout: false,
                ...task.retries,
                minIntervalMs: Math.max(0, Number(e.target.value) || 0),
              },
            })
          }
          disabled={props.readOnly || !task.retries?.max}
        />
      </Box>
      <FormControlLabel
        control={
          <Checkbox
            checked={Boolean(task.retries?.onTimeout)}
            disabled={props.readOnly || !task.retries?.max}
            onChange={e =>
              props.onChange({
                retries: { max: 0, minIntervalMs: 0, ...task.retries, onTimeout: e.target.checked },
              })
            }
          />
        }
        label="Retry on timeout"
      />
      <TextField
        label="Timeout (seconds)"
        type="number"
        size="small"
        variant="outlined"
        value={task.timeoutSeconds ?? ''}
        onChange={e =>
          props.onChange({
            timeoutSeconds: e.target.value ? Math.max(1, Number(e.target.value)) : undefined,
          })
        }
        disabled={props.readOnly}
      />
      {props.issues.length > 0 && (
        <ul className={classes.issues} data-testid="task-issues">
          {props.issues.map(i => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      )}
    </>
  );
}

function EdgeInspector(props: {
  edge: Draft['edges'][number];
  draft: Draft;
  readOnly?: boolean;
  onOutcome: (outcome: 'true' | 'false' | undefined) => void;
  onRemove: () => void;
}) {
  const source = props.draft.tasks.find(t => t.id === props.edge.source);
  const target = props.draft.tasks.find(t => t.id === props.edge.target);
  return (
    <>
      <Typography variant="subtitle1" style={{ fontWeight: 700 }}>
        Dependency
      </Typography>
      <Typography variant="body2">
        <b>{target?.key}</b> depends on <b>{source?.key}</b> (run if {target?.runIf}).
      </Typography>
      {source?.step === 'core.condition' && (
        <TextField
          select
          label="Branch"
          size="small"
          variant="outlined"
          value={props.edge.outcome ?? 'true'}
          onChange={e => props.onOutcome(e.target.value as 'true' | 'false')}
          disabled={props.readOnly}
        >
          <MenuItem value="true">Runs when the condition is true</MenuItem>
          <MenuItem value="false">Runs when the condition is false</MenuItem>
        </TextField>
      )}
      {!props.readOnly && (
        <Button variant="outlined" startIcon={<DeleteIcon />} onClick={props.onRemove}>
          Remove dependency
        </Button>
      )}
    </>
  );
}

function SettingsInspector(props: {
  draft: Draft;
  readOnly?: boolean;
  onChange: (settings: Draft['settings']) => void;
}) {
  const classes = useStyles();
  const { settings } = props.draft;
  const set = (patch: Partial<Draft['settings']>) => props.onChange({ ...settings, ...patch });
  const setNotification = (i: number, patch: Partial<JobNotification>) =>
    set({
      notifications: settings.notifications.map((n, j) => (j === i ? { ...n, ...patch } : n)),
    });
  return (
    <>
      <Typography variant="subtitle1" style={{ fontWeight: 700 }}>
        Job settings
      </Typography>
      <TextField
        label="Name"
        required
        size="small"
        variant="outlined"
        value={settings.name}
        onChange={e => set({ name: e.target.value })}
        disabled={props.readOnly}
        inputProps={{ 'data-testid': 'job-name' }}
      />
      <TextField
        label="Description"
        size="small"
        variant="outlined"
        multiline
        value={settings.description}
        onChange={e => set({ description: e.target.value })}
        disabled={props.readOnly}
      />
      <TextField
        label="Tags"
        size="small"
        variant="outlined"
        helperText="Comma separated"
        value={settings.tags.join(', ')}
        onChange={e =>
          set({
            tags: e.target.value
              .split(',')
              .map(t => t.trim())
              .filter(Boolean),
          })
        }
        disabled={props.readOnly}
      />
      <Divider />
      <Box className={classes.row}>
        <Typography variant="subtitle2" style={{ flex: 1 }}>
          Parameters
        </Typography>
        {!props.readOnly && (
          <IconButton
            size="small"
            aria-label="Add parameter"
            onClick={() =>
              set({
                parameters: [
                  ...settings.parameters,
                  { name: `param${settings.parameters.length + 1}`, default: '' },
                ],
              })
            }
          >
            <AddIcon fontSize="small" />
          </IconButton>
        )}
      </Box>
      {settings.parameters.map((p, i) => (
        <Box key={i} className={classes.row}>
          <TextField
            size="small"
            variant="outlined"
            label="Name"
            value={p.name}
            disabled={props.readOnly}
            inputProps={{ 'data-testid': `parameter-name-${i}` }}
            onChange={e =>
              set({
                parameters: settings.parameters.map((q, j) =>
                  j === i ? { ...q, name: e.target.value } : q,
                ),
              })
            }
          />
          <TextField
            size="small"
            variant="outlined"
            label="Default"
            value={p.default}
            disabled={props.readOnly}
            inputProps={{ 'data-testid': `parameter-default-${i}` }}
            onChange={e =>
              set({
                parameters: settings.parameters.map((q, j) =>
                  j === i ? { ...q, default: e.target.value } : q,
                ),
              })
            }
          />
          {!props.readOnly && (
            <IconButton
              size="small"
              aria-label="Remove parameter"
              onClick={() => set({ parameters: settings.parameters.filter((_, j) => j !== i) })}
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
          )}
        </Box>
      ))}
      <Divider />
      <FormControlLabel
        control={
          <Switch
            checked={Boolean(settings.schedule)}
            disabled={props.readOnly}
            onChange={e =>
              set({
                schedule: e.target.checked
                  ? { cron: '0 2 * * *', timezone: 'UTC', paused: false }
                  : null,
              })
            }
          />
        }
        label="Schedule"
      />
      {settings.schedule && (
        <>
          <Box className={classes.row}>
            <TextField
              size="small"
              variant="outlined"
              label="Cron"
              value={settings.schedule.cron}
              disabled={props.readOnly}
              onChange={e => set({ schedule: { ...settings.schedule!, cron: e.target.value } })}
            />
            <TextField
              size="small"
              variant="outlined"
              label="Time zone"
              value={settings.schedule.timezone}
              disabled={props.readOnly}
              onChange={e => set({ schedule: { ...settings.schedule!, timezone: e.target.value } })}
            />
          </Box>
          <FormControlLabel
            control={
              <Checkbox
                checked={settings.schedule.paused}
                disabled={props.readOnly}
                onChange={e =>
                  set({ schedule: { ...settings.schedule!, paused: e.target.checked } })
                }
              />
            }
            label="Paused"
          />
        </>
      )}
      <Box className={classes.row}>
        <Typography variant="subtitle2" style={{ flex: 1 }}>
          Event triggers
        </Typography>
        {!props.readOnly && (
          <IconButton
            size="small"
            aria-label="Add trigger"
            onClick={() =>
              set({
                triggers: [...settings.triggers, { event: eventTopics.scanCompleted, filter: {} }],
              })
            }
          >
            <AddIcon fontSize="small" />
          </IconButton>
        )}
      </Box>
      {settings.triggers.map((t, i) => (
        <Box key={i} className={classes.row}>
          <TextField
            select
            size="small"
            variant="outlined"
            label="Event"
            value={t.event}
            disabled={props.readOnly}
            onChange={e =>
              set({
                triggers: settings.triggers.map((q, j) =>
                  j === i ? { ...q, event: e.target.value } : q,
                ),
              })
            }
          >
            {Object.values(eventTopics).map(topic => (
              <MenuItem key={topic} value={topic}>
                {topic}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            variant="outlined"
            label="Filter"
            placeholder="status=succeeded"
            value={Object.entries(t.filter)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}
            disabled={props.readOnly}
            onChange={e =>
              set({
                triggers: settings.triggers.map((q, j) =>
                  j === i
                    ? {
                        ...q,
                        filter: Object.fromEntries(
                          e.target.value
                            .split(',')
                            .map(part => part.split('=').map(s => s.trim()))
                            .filter(([k, v]) => k && v !== undefined),
                        ),
                      }
                    : q,
                ),
              })
            }
          />
          {!props.readOnly && (
            <IconButton
              size="small"
              aria-label="Remove trigger"
              onClick={() => set({ triggers: settings.triggers.filter((_, j) => j !== i) })}
            >
              <DeleteIcon fontSize="small" />
            </IconButton>
          )}
        </Box>
      ))}
      <Divider />
      <Box className={classes.row}>
        <TextField
          size="small"
          variant="outlined"
          type="number"
          label="Max concurrent runs"
          value={settings.maxConcurrentRuns}
          disabled={props.readOnly}
          onChange={e => set({ maxConcurrentRuns: Math.max(1, Number(e.target.value) || 1) })}
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={settings.queue.enabled}
              disabled={props.readOnly}
              onChange={e => set({ queue: { enabled: e.target.checked } })}
            />
          }
          label="Queue"
        />
      </Box>
      <TextField
        size="small"
        variant="outlined"
        type="number"
        label="Job timeout (seconds)"
        value={settings.timeoutSeconds ?? ''}
        disabled={props.readOnly}
        onChange={e =>
          set({ timeoutSeconds: e.target.value ? Math.max(1, Number(e.target.value)) : null })
        }
      />
      <Box className={classes.row}>
        <Typography variant="subtitle2" style={{ flex: 1 }}>
          Notifications
        </Typography>
        {!props.readOnly && (
          <IconButton
            size="small"
            aria-label="Add notification"
            onClick={() =>
              set({
                notifications: [
                  ...settings.notifications,
                  { on: ['failure'], channel: 'inApp', to: 'owner' },
                ],
              })
            }
          >
            <AddIcon fontSize="small" />
          </IconButton>
        )}
      </Box>
      {settings.notifications.map((n, i) => (
        <Box key={i} display="grid" gridGap={8}>
          <Box className={classes.row}>
            <TextField
              select
              size="small"
              variant="outlined"
              label="On"
              SelectProps={{ multiple: true }}
              value={n.on}
              disabled={props.readOnly}
              onChange={e =>
                setNotification(i, { on: e.target.value as unknown as JobNotification['on'] })
              }
            >
              {notificationEvents.map(ev => (
                <MenuItem key={ev} value={ev}>
                  {ev}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              size="small"
              variant="outlined"
              label="Channel"
              value={n.channel}
              disabled={props.readOnly}
              onChange={e =>
                setNotification(i, { channel: e.target.value as JobNotification['channel'] })
              }
            >
              <MenuItem value="inApp">In-app</MenuItem>
              <MenuItem value="webhook">Webhook</MenuItem>
            </TextField>
            {!props.readOnly && (
              <IconButton
                size="small"
                aria-label="Remove notification"
                onClick={() =>
                  set({ notifications: settings.notifications.filter((_, j) => j !== i) })
                }
              >
                <DeleteIcon fontSize="small" />
              </IconButton>
            )}
          </Box>
          <TextField
            size="small"
            variant="outlined"
            label={n.channel === 'webhook' ? 'URL' : "User ref or 'owner'"}
            value={n.to}
            disabled={props.readOnly}
            onChange={e => setNotification(i, { to: e.target.value })}
          />
        </Box>
      ))}
      <TextField
        size="small"
        variant="outlined"
        type="number"
        label="Duration warning (seconds)"
        value={settings.durationWarningSeconds ?? ''}
        disabled={props.readOnly}
        onChange={e =>
          set({
            durationWarningSeconds: e.target.value ? Math.max(1, Number(e.target.value)) : null,
          })
        }
      />
    </>
  );
}
