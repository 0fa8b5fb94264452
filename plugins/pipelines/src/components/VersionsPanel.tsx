import {
  Box,
  Button,
  LinearProgress,
  makeStyles,
  MenuItem,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import HistoryIcon from '@material-ui/icons/History';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { FieldChange, Job } from '@racine/plugin-pipelines-common';
import { useState } from 'react';
import { usePipelinesClient } from '../api/PipelinesClient';
import { formatTime, useSharedStyles } from './shared';

const useStyles = makeStyles(theme => ({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(320px, 1fr) 2fr',
    gap: theme.spacing(2),
    alignItems: 'start',
  },
  diffHeader: {
    display: 'flex',
    gap: theme.spacing(1.5),
    alignItems: 'center',
    padding: theme.spacing(1.5),
    flexWrap: 'wrap',
  },
  added: { color: theme.palette.success.dark },
  removed: { color: theme.palette.error.main },
  value: {
    fontFamily: 'monospace',
    fontSize: 12,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    margin: 0,
  },
}));

function show(value: unknown): string {
  return value === null || value === undefined
    ? '—'
    : typeof value === 'string'
      ? value
      : JSON.stringify(value, null, 1);
}

function Changes(props: { changes: FieldChange[] }) {
  const classes = useStyles();
  return (
    <Table size="small">
      <TableBody>
        {props.changes.map(c => (
          <TableRow key={c.path}>
            <TableCell style={{ fontFamily: 'monospace', width: 180 }}>
              {c.path || '(whole)'}
            </TableCell>
            <TableCell>
              <pre className={`${classes.value} ${classes.removed}`}>- {show(c.before)}</pre>
            </TableCell>
            <TableCell>
              <pre className={`${classes.value} ${classes.added}`}>+ {show(c.after)}</pre>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A job's versions, the diff between two of them, and rollback. */
export function VersionsPanel(props: { job: Job; canEdit: boolean; onRolledBack: () => void }) {
  const classes = useStyles();
  const shared = useSharedStyles();
  const client = usePipelinesClient();
  const { job } = props;
  const versions = useAsyncResource(
    signal => client.versions(job.id, signal),
    [client, job.id, job.version],
  );
  const [from, setFrom] = useState(Math.max(1, job.version - 1));
  const [to, setTo] = useState(job.version);
  const diff = useAsyncResource(
    signal => (from === to ? Promise.resolve(undefined) : client.diff(job.id, from, to, signal)),
    [client, job.id, from, to],
  );
  const [error, setError] = useState<string>();
  const all = versions.value ?? [];
  return (
    <Box className={classes.grid}>
      <Paper variant="outlined">
        {versions.loading && <LinearProgress />}
        <Table size="small" data-testid="versions-table">
          <TableHead>
            <TableRow>
              <TableCell>Version</TableCell>
              <TableCell>Saved</TableCell>
              <TableCell>Note</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {all.map(v => (
              <TableRow key={v.version} hover data-testid="version-row" data-version={v.version}>
                <TableCell>v{v.version}</TableCell>
                <TableCell>
                  {formatTime(v.createdAt)}
                  <Typography variant="caption" component="div" color="textSecondary">
                    {v.createdBy}
                  </Typography>
                </TableCell>
                <TableCell>{v.note}</TableCell>
                <TableCell align="right">
                  {props.canEdit && v.version !== job.version && (
                    <Button
                      size="small"
                      startIcon={<HistoryIcon />}
                      data-testid="rollback"
                      onClick={async () => {
                        try {
                          await client.rollback(job.id, v.version);
                          props.onRolledBack();
                        } catch (rollbackError) {
                          setError(errorMessage(rollbackError));
                        }
                      }}
                    >
                      Roll back
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      <Paper variant="outlined">
        <Box className={classes.diffHeader}>
          <Typography variant="subtitle2">Compare</Typography>
          <TextField
            select
            size="small"
            value={from}
            onChange={e => setFrom(Number(e.target.value))}
            inputProps={{ 'data-testid': 'diff-from' }}
          >
            {all.map(v => (
              <MenuItem key={v.version} value={v.version}>
                v{v.version}
              </MenuItem>
            ))}
          </TextField>
          <Typography variant="body2">with</Typography>
          <TextField
            select
            size="small"
            value={to}
            onChange={e => setTo(Number(e.target.value))}
            inputProps={{ 'data-testid': 'diff-to' }}
          >
            {all.map(v => (
              <MenuItem key={v.version} value={v.version}>
                v{v.version}
              </MenuItem>
            ))}
          </TextField>
        </Box>
        {error && (
          <Typography className={shared.error} variant="body2" role="alert">
            {error}
          </Typography>
        )}
        {from === to && (
          <Box p={2}>
            <Typography variant="body2" color="textSecondary">
              Pick two different versions.
            </Typography>
          </Box>
        )}
        {diff.value && (
          <Box p={2} data-testid="version-diff">
            {diff.value.tasksAdded.length +
              diff.value.tasksRemoved.length +
              diff.value.tasksChanged.length +
              diff.value.settingsChanged.length ===
              0 && <Typography variant="body2">No differences.</Typography>}
            {diff.value.tasksAdded.length > 0 && (
              <Typography variant="body2" className={classes.added}>
                Tasks added: {diff.value.tasksAdded.join(', ')}
              </Typography>
            )}
            {diff.value.tasksRemoved.length > 0 && (
              <Typography variant="body2" className={classes.removed}>
                Tasks removed: {diff.value.tasksRemoved.join(', ')}
              </Typography>
            )}
            {diff.value.tasksChanged.map(t => (
              <Box key={t.key} mt={1}>
                <Typography variant="subtitle2">Task {t.key}</Typography>
                <Changes changes={t.changes} />
              </Box>
            ))}
            {diff.value.settingsChanged.length > 0 && (
              <Box mt={1}>
                <Typography variant="subtitle2">Settings</Typography>
                <Changes changes={diff.value.settingsChanged} />
              </Box>
            )}
          </Box>
        )}
      </Paper>
    </Box>
  );
}
