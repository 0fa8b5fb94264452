import {
  Box,
  Chip,
  LinearProgress,
  makeStyles,
  Paper,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { useMe } from '@racine/kernel-react';
import type { LabelStatus, SensitivityLevel } from '@racine/plugin-classifications-common';
import { useMemo, type ReactNode } from 'react';

export const useSharedStyles = makeStyles(theme => ({
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
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  search: { minWidth: 260, flex: '1 1 260px', maxWidth: 420 },
  filter: { minWidth: 170 },
  spacer: { flex: 1 },
  empty: { padding: theme.spacing(6, 2), textAlign: 'center', color: theme.palette.text.secondary },
  section: { padding: theme.spacing(2), marginBottom: theme.spacing(2) },
  sectionTitle: { fontSize: 15, fontWeight: 600, marginBottom: theme.spacing(1.5) },
  muted: { color: theme.palette.text.secondary },
  kbd: {
    display: 'inline-block',
    padding: '0 5px',
    borderRadius: 4,
    border: `1px solid ${theme.palette.divider}`,
    fontFamily: 'monospace',
    fontSize: 12,
    lineHeight: '18px',
    margin: '0 2px',
  },
}));

/** What the signed-in user may do here (the server enforces it regardless). */
export interface ClassificationAbilities {
  view: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  train: boolean;
  approve: boolean;
}

export function useAbilities(): ClassificationAbilities {
  const { value: me } = useMe();
  return useMemo(() => {
    const granted = new Set(me?.permissions ?? []);
    return {
      view: granted.has('classification.view'),
      create: granted.has('classification.create'),
      edit: granted.has('classification.edit'),
      delete: granted.has('classification.delete'),
      train: granted.has('classification.train'),
      approve: granted.has('classification.approve'),
    };
  }, [me]);
}

const useChipStyles = makeStyles(theme => ({
  PUBLIC: { color: theme.palette.text.secondary },
  INTERNAL: { color: theme.palette.info.main, borderColor: theme.palette.info.main },
  CONFIDENTIAL: { color: theme.palette.warning.dark, borderColor: theme.palette.warning.main },
  RESTRICTED: { color: theme.palette.error.main, borderColor: theme.palette.error.main },
  suggested: { color: theme.palette.info.main, borderColor: theme.palette.info.main },
  approved: { color: theme.palette.success.dark, borderColor: theme.palette.success.main },
  rejected: { color: theme.palette.text.secondary, textDecoration: 'line-through' },
  manual: { color: theme.palette.primary.main, borderColor: theme.palette.primary.main },
  propagated: { color: theme.palette.secondary.main, borderColor: theme.palette.secondary.main },
  bar: { display: 'flex', alignItems: 'center', gap: theme.spacing(1), minWidth: 110 },
  progress: { flex: 1, height: 6, borderRadius: 3 },
}));

export function SensitivityChip(props: { sensitivity: SensitivityLevel }) {
  const classes = useChipStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes[props.sensitivity]}
      label={props.sensitivity}
    />
  );
}

export function StatusChip(props: { status: LabelStatus; auto?: boolean }) {
  const classes = useChipStyles();
  const label = props.auto ? 'auto-approved' : props.status;
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes[props.status]}
      label={label}
      data-testid="label-status"
      data-status={props.status}
    />
  );
}

/** A confidence as a bar and a number. */
export function ConfidenceBar(props: { value: number; threshold?: number }) {
  const classes = useChipStyles();
  const pct = Math.round(props.value * 100);
  return (
    <Tooltip
      title={
        props.threshold === undefined
          ? `Confidence ${props.value}`
          : `Confidence ${props.value} (threshold ${props.threshold})`
      }
    >
      <Box className={classes.bar}>
        <LinearProgress
          className={classes.progress}
          variant="determinate"
          value={pct}
          color={props.value >= 0.9 ? 'primary' : 'secondary'}
        />
        <Typography variant="body2" component="span">
          {props.value.toFixed(2)}
        </Typography>
      </Box>
    </Tooltip>
  );
}

export function ErrorPanel(props: { children: ReactNode }) {
  const classes = useSharedStyles();
  return (
    <Paper variant="outlined" className={classes.error} role="alert">
      <Typography variant="body2">{props.children}</Typography>
    </Paper>
  );
}

export function formatPercent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 1000) / 10}%`;
}

/** "3 min ago", falling back to the date for anything older than a week. */
export function formatRelative(iso: string | null, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (Number.isNaN(seconds)) return iso;
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 7 * 86_400) return `${Math.round(seconds / 86_400)} d ago`;
  return new Date(iso).toLocaleDateString();
}

/** `user:default/jane` → `jane`. */
export function shortActor(actor: string | null): string {
  if (!actor) return '—';
  return actor.replace(/^[a-z]+:(?:[^/]+\/)?/, '');
}
