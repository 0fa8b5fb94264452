import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  MenuItem,
  Paper,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import { findingStatuses, severities, type Finding } from '@racine/plugin-compliance-common';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useComplianceClient } from '../api/ComplianceClient';
import { FindingStatusChip, SeverityChip, useAbilities, useSharedStyles } from './shared';

function FindingDialog(props: { id: string; onClose: () => void }) {
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const { value, error } = useAsyncResource(
    signal => client.finding(props.id, signal),
    [client, props.id],
  );
  return (
    <Dialog open onClose={props.onClose} maxWidth="md" fullWidth>
      <DialogTitle>Finding #{props.id}</DialogTitle>
      <DialogContent>
        {error && <Typography className={classes.error}>{errorMessage(error)}</Typography>}
        {value && (
          <>
            <Typography variant="subtitle1">{value.ruleName}</Typography>
            <Typography variant="body2" className={classes.mono}>
              {value.assetRef}
            </Typography>
            <Typography variant="body2">
              Owner: {value.owner ?? 'none'} · due {value.dueAt.slice(0, 10)} · requirements{' '}
              {value.requirements.map(r => `${r.frameworkId} ${r.requirementId}`).join(', ')}
            </Typography>
            <Typography variant="subtitle2" style={{ marginTop: 12 }}>
              Evidence
            </Typography>
            <pre
              className={classes.mono}
              data-testid="finding-evidence"
              style={{ whiteSpace: 'pre-wrap' }}
            >
              {JSON.stringify(value.evidence, null, 2)}
            </pre>
            <Typography variant="subtitle2">History</Typography>
            {value.events.map(e => (
              <Typography key={e.id} variant="body2">
                {e.at.slice(0, 19).replace('T', ' ')} {e.fromStatus ?? '–'} → {e.toStatus} by{' '}
                {e.actor}
                {e.note ? `: ${e.note}` : ''}
              </Typography>
            ))}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

function WaiverDialog(props: { ids: string[]; onClose: (done: boolean) => void }) {
  const client = useComplianceClient();
  const classes = useSharedStyles();
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState(() =>
    new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
  );
  const [error, setError] = useState<string>();
  const submit = async () => {
    try {
      await client.requestWaiver(props.ids, reason, new Date(`${expires}T23:59:59Z`).toISOString());
      props.onClose(true);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Dialog open onClose={() => props.onClose(false)}>
      <DialogTitle>Request a waiver for {props.ids.length} finding(s)</DialogTitle>
      <DialogContent>
        {error && <Typography className={classes.error}>{error}</Typography>}
        <TextField
          label="Reason"
          value={reason}
          onChange={e => setReason(e.target.value)}
          fullWidth
          multiline
          minRows={3}
          inputProps={{ 'data-testid': 'waiver-reason' }}
        />
        <TextField
          label="Expires"
          type="date"
          value={expires}
          onChange={e => setExpires(e.target.value)}
          fullWidth
          style={{ marginTop: 16 }}
          InputLabelProps={{ shrink: true }}
          inputProps={{ 'data-testid': 'waiver-expiry' }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={() => props.onClose(false)}>Cancel</Button>
        <Button color="primary" variant="contained" onClick={submit} data-testid="waiver-submit">
          Request
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The findings inbox: filters, selection and bulk actions. */
export function FindingsPage() {
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const abilities = useAbilities();
  const [params, setParams] = useSearchParams();
  const framework = params.get('framework') ?? '';
  const requirement = params.get('requirement') ?? '';
  const status = params.get('status') ?? 'open';
  const severity = params.get('severity') ?? '';
  const owner = params.get('owner') ?? '';
  const frameworks = useAsyncResource(signal => client.frameworks(signal), [client]);
  const [items, setItems] = useState<Finding[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [detail, setDetail] = useState<string>();
  const [waiving, setWaiving] = useState(false);
  const [generation, setGeneration] = useState(0);

  const filters = {
    framework: framework || undefined,
    requirement: requirement || undefined,
    status: status === 'all' ? undefined : status,
    severity: severity || undefined,
  };
  useEffect(() => {
    const controller = new AbortController();
    client
      .findings({ ...filters, limit: 50 }, controller.signal)
      .then(page => {
        setItems(page.items);
        setCursor(page.nextCursor);
        setSelected(new Set());
        setError(undefined);
      })
      .catch(e => !controller.signal.aborted && setError(errorMessage(e)));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, framework, requirement, status, severity, owner, generation]);

  const more = async () => {
    const page = await client.findings({ ...filters, limit: 50, cursor });
    setItems(previous => [...previous, ...page.items]);
    setCursor(page.nextCursor);
  };
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === 'framework') next.delete('requirement');
    setParams(next);
  };
  const bulk = async (action: 'acknowledge' | 'reopen') => {
    try {
      await client.bulk([...selected], action);
      setGeneration(g => g + 1);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const toggle = (id: string) =>
    setSelected(previous => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <>
      <div className={classes.toolbar}>
        <TextField
          select
          label="Framework"
          value={framework}
          onChange={e => set('framework', e.target.value)}
          className={classes.filter}
          SelectProps={{ SelectDisplayProps: { 'data-testid': 'filter-framework' } as never }}
        >
          <MenuItem value="">All</MenuItem>
          {(frameworks.value ?? []).map(f => (
            <MenuItem key={f.id} value={f.id}>
              {f.name}
            </MenuItem>
          ))}
        </TextField>
        {requirement && (
          <Button size="small" onClick={() => set('requirement', '')}>
            Requirement {requirement} ✕
          </Button>
        )}
        <TextField
          select
          label="Status"
          value={status}
          onChange={e => set('status', e.target.value)}
          className={classes.filter}
          SelectProps={{ SelectDisplayProps: { 'data-testid': 'filter-status' } as never }}
        >
          <MenuItem value="all">All</MenuItem>
          {findingStatuses.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Severity"
          value={severity}
          onChange={e => set('severity', e.target.value)}
          className={classes.filter}
        >
          <MenuItem value="">All</MenuItem>
          {severities.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <FormControlLabel
          control={
            <Switch
              checked={owner === 'me'}
              onChange={e => set('owner', e.target.checked ? 'me' : '')}
              color="primary"
            />
          }
          label="Assigned to me"
        />
        <div className={classes.spacer} />
        {abilities.edit && (
          <>
            <Button
              disabled={selected.size === 0}
              onClick={() => bulk('acknowledge')}
              data-testid="bulk-acknowledge"
            >
              Acknowledge
            </Button>
            <Button disabled={selected.size === 0} onClick={() => bulk('reopen')}>
              Re-open
            </Button>
            <Button
              disabled={selected.size === 0}
              onClick={() => setWaiving(true)}
              data-testid="bulk-waiver"
            >
              Request waiver
            </Button>
          </>
        )}
      </div>
      {error && <Typography className={classes.error}>{error}</Typography>}
      <Paper variant="outlined">
        <Table size="small" data-testid="findings">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox">
                <Checkbox
                  checked={items.length > 0 && selected.size === items.length}
                  onChange={e =>
                    setSelected(e.target.checked ? new Set(items.map(i => i.id)) : new Set())
                  }
                  inputProps={{ 'aria-label': 'select all' }}
                />
              </TableCell>
              <TableCell>Rule</TableCell>
              <TableCell>Asset</TableCell>
              <TableCell>Requirement</TableCell>
              <TableCell>Severity</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell>Due</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map(f => (
              <TableRow key={f.id} hover data-testid="finding-row" data-asset={f.assetRef}>
                <TableCell padding="checkbox">
                  <Checkbox
                    checked={selected.has(f.id)}
                    onChange={() => toggle(f.id)}
                    inputProps={{ 'aria-label': `select finding ${f.id}` }}
                  />
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() => setDetail(f.id)}
                    style={{ textTransform: 'none' }}
                  >
                    {f.ruleName}
                  </Button>
                </TableCell>
                <TableCell className={classes.mono}>{f.assetName}</TableCell>
                <TableCell>{f.requirementId ?? '–'}</TableCell>
                <TableCell>
                  <SeverityChip severity={f.severity} />
                </TableCell>
                <TableCell>
                  <FindingStatusChip status={f.status} />
                </TableCell>
                <TableCell>{f.owner ?? '–'}</TableCell>
                <TableCell style={{ color: f.overdue ? '#c62828' : undefined }}>
                  {f.dueAt.slice(0, 10)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {items.length === 0 && (
          <div className={classes.empty}>No findings match these filters.</div>
        )}
      </Paper>
      {cursor && (
        <Button onClick={more} style={{ marginTop: 8 }}>
          Load more
        </Button>
      )}
      {detail && <FindingDialog id={detail} onClose={() => setDetail(undefined)} />}
      {waiving && (
        <WaiverDialog
          ids={[...selected]}
          onClose={done => {
            setWaiving(false);
            if (done) setGeneration(g => g + 1);
          }}
        />
      )}
    </>
  );
}
