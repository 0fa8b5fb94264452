import { Box, Chip, makeStyles, Paper, Tooltip, Typography } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import { useMe } from '@racine/kernel-react';
import type { ConnectionTestResult, HealthCheck } from '@racine/plugin-datasources-common';
import { useMemo } from 'react';

export const useSharedStyles = makeStyles(theme => ({
  ok: { color: theme.palette.success.main, borderColor: theme.palette.success.main },
  bad: { color: theme.palette.error.main, borderColor: theme.palette.error.main },
  unknown: { color: theme.palette.text.secondary },
  icon: { color: 'inherit' },
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 13,
  },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  error: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  result: {
    padding: theme.spacing(1.5, 2),
    display: 'flex',
    gap: theme.spacing(1.5),
    alignItems: 'flex-start',
  },
  resultOk: { borderColor: theme.palette.success.main },
  resultBad: { borderColor: theme.palette.error.main },
  resultText: { wordBreak: 'break-word' },
}));

/** What the signed-in user may do with data sources (the server enforces it regardless). */
export interface DataSourceAbilities {
  create: boolean;
  edit: boolean;
  delete: boolean;
  test: boolean;
}

export function useDataSourceAbilities(): DataSourceAbilities {
  const { value: me } = useMe();
  return useMemo(() => {
    const granted = new Set(me?.permissions ?? []);
    return {
      create: granted.has('datasource.create'),
      edit: granted.has('datasource.edit'),
      delete: granted.has('datasource.delete'),
      test: granted.has('datasource.monitor') || granted.has('datasource.edit'),
    };
  }, [me]);
}

export function formatLatency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** "3 min ago", falling back to the date for anything older than a week. */
export function formatRelative(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 7 * 86_400) return `${Math.round(seconds / 86_400)} d ago`;
  return new Date(iso).toLocaleDateString();
}

/** The latest connection check of a source as a chip: healthy, failing or not checked yet. */
export function HealthChip(props: { health: HealthCheck | null }) {
  const classes = useSharedStyles();
  const { health } = props;
  if (!health) {
    return (
      <Chip
        size="small"
        variant="outlined"
        className={classes.unknown}
        icon={<HelpOutlineIcon className={classes.icon} fontSize="small" />}
        label="Not checked"
        data-testid="health-chip"
        data-state="unknown"
      />
    );
  }
  const chip = (
    <Chip
      size="small"
      variant="outlined"
      className={health.ok ? classes.ok : classes.bad}
      icon={
        health.ok ? (
          <CheckCircleIcon className={classes.icon} fontSize="small" />
        ) : (
          <ErrorIcon className={classes.icon} fontSize="small" />
        )
      }
      label={health.ok ? `Healthy · ${formatLatency(health.latencyMs)}` : 'Failing'}
      data-testid="health-chip"
      data-state={health.ok ? 'ok' : 'failing'}
    />
  );
  const title = `${health.ok ? 'Connected' : (health.error ?? 'Failed')} — checked ${formatRelative(health.checkedAt)}`;
  return (
    <Tooltip title={title}>
      <span>{chip}</span>
    </Tooltip>
  );
}

export function TagChips(props: { tags: string[] }) {
  const classes = useSharedStyles();
  if (props.tags.length === 0) return null;
  return (
    <Box className={classes.chips}>
      {props.tags.map(tag => (
        <Chip key={tag} size="small" label={tag} />
      ))}
    </Box>
  );
}

/** The outcome of a connection test, with the driver's own message when it failed. */
export function TestResultPanel(props: { result: ConnectionTestResult }) {
  const classes = useSharedStyles();
  const { result } = props;
  return (
    <Paper
      variant="outlined"
      className={`${classes.result} ${result.ok ? classes.resultOk : classes.resultBad}`}
      data-testid="test-result"
      data-ok={String(result.ok)}
      role="status"
    >
      {result.ok ? (
        <CheckCircleIcon className={classes.ok} />
      ) : (
        <ErrorIcon className={classes.bad} />
      )}
      <Box>
        <Typography variant="subtitle2">
          {result.ok ? `Connected in ${formatLatency(result.latencyMs)}` : 'Connection failed'}
        </Typography>
        <Typography variant="body2" color="textSecondary" className={classes.resultText}>
          {result.ok ? result.serverVersion : result.error}
          {!result.ok && result.errorCode ? ` (${result.errorCode})` : ''}
        </Typography>
      </Box>
    </Paper>
  );
}
