import { Box, Chip, LinearProgress, makeStyles, Typography } from '@material-ui/core';
import { useMe } from '@racine/kernel-react';
import type { ScanProgress, ScanRunStatus, ScanTableStatus } from '@racine/plugin-scans-common';
import { useMemo } from 'react';

export const useSharedStyles = makeStyles(theme => ({
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 13,
  },
  error: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  empty: {
    padding: theme.spacing(5, 2),
    textAlign: 'center',
    display: 'grid',
    gap: theme.spacing(2),
    justifyItems: 'center',
  },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  spacer: { flex: 1 },
  section: { marginTop: theme.spacing(4) },
  succeeded: { color: theme.palette.success.main, borderColor: theme.palette.success.main },
  failed: { color: theme.palette.error.main, borderColor: theme.palette.error.main },
  running: { color: theme.palette.info.main, borderColor: theme.palette.info.main },
  neutral: { color: theme.palette.text.secondary },
  warning: { color: theme.palette.warning.dark, borderColor: theme.palette.warning.main },
  progress: { display: 'grid', gap: theme.spacing(0.5), minWidth: 160 },
  bar: { height: 8, borderRadius: 4 },
}));

/** What the signed-in user may do with scans (the server enforces it regardless). */
export interface ScanAbilities {
  execute: boolean;
  create: boolean;
  edit: boolean;
}

export function useScanAbilities(): ScanAbilities {
  const { value: me } = useMe();
  return useMemo(() => {
    const granted = new Set(me?.permissions ?? []);
    return {
      execute: granted.has('scan_logic.execute'),
      create: granted.has('scan_logic.create'),
      edit: granted.has('scan_logic.edit'),
    };
  }, [me]);
}

const RUN_LABELS: Record<ScanRunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  canceled: 'Canceled',
};

const TABLE_LABELS: Record<ScanTableStatus, string> = {
  pending: 'Pending',
  running: 'Running',
  succeeded: 'Scanned',
  skipped: 'Unchanged',
  failed: 'Failed',
  canceled: 'Canceled',
};

export function StatusChip(props: {
  status: ScanRunStatus | ScanTableStatus;
  kind: 'run' | 'table';
  testId?: string;
}) {
  const classes = useSharedStyles();
  const { status, kind } = props;
  const label =
    kind === 'run' ? RUN_LABELS[status as ScanRunStatus] : TABLE_LABELS[status as ScanTableStatus];
  const className =
    status === 'succeeded'
      ? classes.succeeded
      : status === 'failed'
        ? classes.failed
        : status === 'running'
          ? classes.running
          : status === 'canceled'
            ? classes.warning
            : classes.neutral;
  return (
    <Chip
      size="small"
      variant="outlined"
      className={className}
      label={label ?? status}
      data-testid={props.testId}
      data-status={status}
    />
  );
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "3 min ago", or the date for anything older than a week; future times as "in 3 min". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const text =
    s < 45
      ? future
        ? 'in a moment'
        : 'just now'
      : s < 3600
        ? `${Math.round(s / 60)} min`
        : s < 86_400
          ? `${Math.round(s / 3600)} h`
          : s < 7 * 86_400
            ? `${Math.round(s / 86_400)} d`
            : '';
  if (!text) return new Date(iso).toLocaleString();
  if (s < 45) return text;
  return future ? `in ${text}` : `${text} ago`;
}

export function percentDone(progress: ScanProgress): number {
  if (progress.tablesTotal === 0) return 0;
  return Math.min(100, Math.round((progress.tablesDone / progress.tablesTotal) * 100));
}

/** Tables done of total as a bar, with what happened to them underneath. */
export function ProgressCell(props: {
  progress: ScanProgress;
  status: ScanRunStatus;
  testId?: string;
}) {
  const classes = useSharedStyles();
  const { progress, status } = props;
  const planning = status === 'queued' || (status === 'running' && progress.tablesTotal === 0);
  const percent = status === 'succeeded' ? 100 : percentDone(progress);
  return (
    <Box className={classes.progress} data-testid={props.testId} data-percent={percent}>
      <LinearProgress
        className={classes.bar}
        variant={planning ? 'indeterminate' : 'determinate'}
        value={percent}
        color={status === 'failed' ? 'secondary' : 'primary'}
      />
      <Typography variant="caption" color="textSecondary">
        {planning
          ? status === 'queued'
            ? 'Waiting for a worker'
            : 'Discovering tables…'
          : `${progress.tablesDone} / ${progress.tablesTotal} tables` +
            (progress.tablesSkipped ? ` · ${progress.tablesSkipped} unchanged` : '') +
            (progress.tablesFailed ? ` · ${progress.tablesFailed} failed` : '')}
      </Typography>
    </Box>
  );
}
