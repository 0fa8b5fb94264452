import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import { useMe } from '@racine/kernel-react';
import type {
  LifecycleState,
  RunResult,
  RunStatus,
  RunSummary,
  TaskResult,
} from '@racine/plugin-pipelines-common';
import { useMemo } from 'react';

/** Colours of task and run states, shared by the graph, chips and the timeline. */
export const stateColors: Record<string, string> = {
  SUCCESS: '#2e7d32',
  SUCCESS_WITH_FAILURES: '#689f38',
  EXCLUDED: '#90a4ae',
  SKIPPED: '#b0bec5',
  FAILED: '#c62828',
  TIMEDOUT: '#ad1457',
  UPSTREAM_FAILED: '#ef9a9a',
  CANCELED: '#6d4c41',
  UPSTREAM_CANCELED: '#bcaaa4',
  RUNNING: '#1565c0',
  PENDING: '#5c6bc0',
  QUEUED: '#9575cd',
  WAITING_FOR_RETRY: '#ef6c00',
  BLOCKED: '#9e9e9e',
  TERMINATED: '#616161',
};

/** What a task or run shows: its result once ended, its lifecycle state before. */
export function displayState(
  state: LifecycleState | RunStatus,
  result: TaskResult | RunResult | null,
): string {
  return result ?? state;
}

export function label(state: string): string {
  return state.toLowerCase().replace(/_/g, ' ');
}

export const useSharedStyles = makeStyles(theme => ({
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 12,
  },
  error: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  chip: { color: '#fff', fontWeight: 600 },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

export function StateChip(props: { state: string; testId?: string }) {
  const classes = useSharedStyles();
  return (
    <Chip
      size="small"
      className={classes.chip}
      style={{ backgroundColor: stateColors[props.state] ?? '#757575' }}
      label={label(props.state)}
      data-testid={props.testId ?? 'state-chip'}
      data-state={props.state}
    />
  );
}

/** What the signed-in user may do with jobs (the server enforces it regardless). */
export interface PipelineAbilities {
  create: boolean;
  edit: boolean;
  delete: boolean;
  run: boolean;
  approve: boolean;
}

export function usePipelineAbilities(): PipelineAbilities {
  const { value: me } = useMe();
  return useMemo(() => {
    const granted = new Set(me?.permissions ?? []);
    return {
      create: granted.has('pipelines.create'),
      edit: granted.has('pipelines.edit'),
      delete: granted.has('pipelines.delete'),
      run: granted.has('pipelines.run'),
      approve: granted.has('pipelines.approve'),
    };
  }, [me]);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "3 min ago", falling back to the date for anything older than a week. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  const text =
    abs < 45
      ? future
        ? 'in a moment'
        : 'just now'
      : abs < 3600
        ? `${Math.round(abs / 60)} min`
        : abs < 86_400
          ? `${Math.round(abs / 3600)} h`
          : `${Math.round(abs / 86_400)} d`;
  if (abs < 45) return text;
  return future ? `in ${text}` : `${text} ago`;
}

/** The most recent runs as coloured dots, oldest on the left. */
export function RunDots(props: { runs: RunSummary[] }) {
  const runs = [...props.runs].reverse().slice(-10);
  return (
    <svg
      width={runs.length * 12}
      height={12}
      data-testid="run-dots"
      role="img"
      aria-label="Recent runs"
    >
      {runs.map((run, i) => {
        const state = displayState(run.status, run.result);
        return (
          <circle
            key={run.id}
            cx={6 + i * 12}
            cy={6}
            r={4.5}
            fill={stateColors[state] ?? '#9e9e9e'}
          >
            <title>
              {label(state)} · {formatRelative(run.createdAt)}
            </title>
          </circle>
        );
      })}
    </svg>
  );
}

/** The running success rate of the recent finished runs, as a sparkline. */
export function SuccessSparkline(props: { runs: RunSummary[]; rate: number | null }) {
  const finished = [...props.runs]
    .reverse()
    .filter(r => r.status === 'TERMINATED' && r.result !== 'SKIPPED');
  const width = 80;
  const height = 20;
  if (finished.length === 0) return <span>—</span>;
  let ok = 0;
  const points = finished.map((run, i) => {
    if (run.result === 'SUCCESS' || run.result === 'SUCCESS_WITH_FAILURES') ok++;
    const rate = ok / (i + 1);
    const x = finished.length === 1 ? width / 2 : (i / (finished.length - 1)) * (width - 4) + 2;
    return `${x.toFixed(1)},${(height - 2 - rate * (height - 4)).toFixed(1)}`;
  });
  const rate = props.rate ?? ok / finished.length;
  return (
    <Tooltip
      title={`${Math.round(rate * 100)}% of the last ${finished.length} finished runs succeeded`}
    >
      <span
        style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}
        data-testid="success-rate"
        data-rate={rate}
      >
        <svg width={width} height={height} role="img" aria-label="Success rate over recent runs">
          {points.length === 1 ? (
            <circle
              cx={width / 2}
              cy={Number(points[0].split(',')[1])}
              r={3}
              fill={rate >= 0.8 ? '#2e7d32' : rate >= 0.5 ? '#ef6c00' : '#c62828'}
            />
          ) : (
            <polyline
              fill="none"
              stroke={rate >= 0.8 ? '#2e7d32' : rate >= 0.5 ? '#ef6c00' : '#c62828'}
              strokeWidth={2}
              points={points.join(' ')}
            />
          )}
        </svg>
        <span>{Math.round(rate * 100)}%</span>
      </span>
    </Tooltip>
  );
}

/** Downloads text as a file. */
export function download(filename: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
