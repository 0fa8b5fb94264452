import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
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
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { RuleSet, RuleSetVersion } from '@racine/plugin-scan-rulesets-common';
import { useEffect, useState } from 'react';
import { useScanRulesetsClient } from '../api/useScanRulesetsClient';

const useStyles = makeStyles(theme => ({
  panel: { padding: theme.spacing(2, 2.5), marginBottom: theme.spacing(2) },
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 12.5,
    wordBreak: 'break-word',
  },
  removed: { color: theme.palette.error.main },
  added: { color: theme.palette.success.main },
  selectors: {
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    flexWrap: 'wrap',
    marginBottom: theme.spacing(1),
  },
  error: { color: theme.palette.error.main, marginBottom: theme.spacing(1) },
  nowrap: { whiteSpace: 'nowrap' },
}));

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  return JSON.stringify(value);
}

/** `definition.sampling.size` reads as `sampling › size`. */
function formatPath(path: string): string {
  return path
    .replace(/^definition\./, '')
    .split('.')
    .join(' › ');
}

function DiffView(props: { ruleSetId: string; versions: RuleSetVersion[] }) {
  const classes = useStyles();
  const client = useScanRulesetsClient();
  const newest = props.versions[0]?.version ?? 1;
  const [to, setTo] = useState(newest);
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  useEffect(() => {
    setTo(newest);
    setFrom(Math.max(1, newest - 1));
  }, [newest]);
  const diff = useAsyncResource(
    signal => client.diff(props.ruleSetId, from, to, signal),
    [client, props.ruleSetId, from, to],
  );

  const select = (label: string, value: number, onChange: (v: number) => void, testId: string) => (
    <TextField
      select
      label={label}
      value={value}
      onChange={e => onChange(Number(e.target.value))}
      variant="outlined"
      size="small"
      style={{ minWidth: 140 }}
      SelectProps={{ SelectDisplayProps: { 'data-testid': testId } as object }}
    >
      {props.versions.map(v => (
        <MenuItem key={v.version} value={v.version}>
          Version {v.version}
        </MenuItem>
      ))}
    </TextField>
  );

  return (
    <Paper variant="outlined" className={classes.panel} data-testid="version-diff">
      <Typography variant="subtitle1" component="h2" style={{ fontWeight: 600 }} gutterBottom>
        Compare versions
      </Typography>
      <Box className={classes.selectors}>
        {select('From', from, setFrom, 'diff-from')}
        {select('To', to, setTo, 'diff-to')}
      </Box>
      {diff.loading && <LinearProgress />}
      {diff.error && <Typography className={classes.error}>{diff.error.message}</Typography>}
      {diff.value && diff.value.changes.length === 0 && (
        <Typography variant="body2" color="textSecondary" data-testid="diff-empty">
          Versions {from} and {to} are identical.
        </Typography>
      )}
      {diff.value && diff.value.changes.length > 0 && (
        <Table size="small" data-testid="diff-table">
          <TableHead>
            <TableRow>
              <TableCell>Field</TableCell>
              <TableCell>Version {diff.value.fromVersion}</TableCell>
              <TableCell>Version {diff.value.toVersion}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {diff.value.changes.map(change => (
              <TableRow key={change.path} data-testid="diff-row" data-path={change.path}>
                <TableCell className={classes.mono}>{formatPath(change.path)}</TableCell>
                <TableCell className={`${classes.mono} ${classes.removed}`}>
                  {formatValue(change.from)}
                </TableCell>
                <TableCell className={`${classes.mono} ${classes.added}`}>
                  {formatValue(change.to)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}

export interface VersionHistoryProps {
  ruleSet: RuleSet;
  canEdit: boolean;
  /** Called with the rule set after a rollback. */
  onRolledBack(ruleSet: RuleSet): void;
}

/** Every version of a rule set, a field-by-field comparison of any two, and rollback. */
export function VersionHistory(props: VersionHistoryProps) {
  const classes = useStyles();
  const client = useScanRulesetsClient();
  const { ruleSet } = props;
  const versions = useAsyncResource(
    signal => client.versions(ruleSet.id, signal),
    [client, ruleSet.id, ruleSet.version],
  );
  const [target, setTarget] = useState<RuleSetVersion>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const rollback = async () => {
    if (!target) return;
    setBusy(true);
    setError(undefined);
    try {
      const updated = await client.rollback(ruleSet.id, target.version, ruleSet.version);
      setTarget(undefined);
      props.onRolledBack(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Paper variant="outlined" className={classes.panel}>
          <Typography variant="subtitle1" component="h2" style={{ fontWeight: 600 }} gutterBottom>
            Versions
          </Typography>
          <Typography variant="body2" color="textSecondary" gutterBottom>
            Every change is a new version; versions never change, and scans record the one they
            used.
          </Typography>
          {versions.loading && <LinearProgress />}
          {versions.error && (
            <Typography className={classes.error}>{versions.error.message}</Typography>
          )}
          <Table size="small" data-testid="versions-table">
            <TableHead>
              <TableRow>
                <TableCell>Version</TableCell>
                <TableCell>Created</TableCell>
                <TableCell>By</TableCell>
                <TableCell>Note</TableCell>
                <TableCell align="right" />
              </TableRow>
            </TableHead>
            <TableBody>
              {versions.value?.map(v => (
                <TableRow key={v.version} data-testid="version-row" data-version={v.version}>
                  <TableCell className={classes.nowrap}>
                    {v.version}{' '}
                    {v.version === ruleSet.version && (
                      <Chip
                        size="small"
                        color="primary"
                        label="Current"
                        style={{ marginLeft: 4 }}
                      />
                    )}
                  </TableCell>
                  <TableCell title={v.createdAt}>
                    {new Date(v.createdAt).toLocaleString()}
                  </TableCell>
                  <TableCell>{v.createdBy}</TableCell>
                  <TableCell>{v.note}</TableCell>
                  <TableCell align="right" className={classes.nowrap}>
                    {props.canEdit && v.version !== ruleSet.version && (
                      <Button
                        size="small"
                        color="primary"
                        onClick={() => setTarget(v)}
                        data-testid="rollback"
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
      </Grid>
      <Grid item xs={12}>
        {versions.value && versions.value.length > 0 && (
          <DiffView ruleSetId={ruleSet.id} versions={versions.value} />
        )}
      </Grid>
      <Dialog open={Boolean(target)} onClose={() => setTarget(undefined)}>
        <DialogTitle>Roll back to version {target?.version}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            This adds version {ruleSet.version + 1}, equal to version {target?.version}: its name,
            description and every setting. Versions {target?.version} to {ruleSet.version} stay in
            the history.
          </DialogContentText>
          {error && <Typography className={classes.error}>{error}</Typography>}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setTarget(undefined)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disableElevation
            onClick={rollback}
            disabled={busy}
            data-testid="confirm-rollback"
          >
            Roll back
          </Button>
        </DialogActions>
      </Dialog>
    </Grid>
  );
}
