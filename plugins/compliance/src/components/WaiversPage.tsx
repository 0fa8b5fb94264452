import {
  Button,
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
import { waiverStatuses } from '@racine/plugin-compliance-common';
import { useState } from 'react';
import { useComplianceClient } from '../api/ComplianceClient';
import { useAbilities, useSharedStyles } from './shared';

/** Waiver approvals: pending requests first; approvers approve or reject. */
export function WaiversPage() {
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const abilities = useAbilities();
  const [status, setStatus] = useState('pending');
  const waivers = useAsyncResource(
    signal => client.waivers(status === 'all' ? undefined : status, signal),
    [client, status],
  );
  const [error, setError] = useState<string>();
  const decide = async (id: string, decision: 'approve' | 'reject') => {
    try {
      await client.decideWaiver(id, decision);
      waivers.reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <div className={classes.toolbar}>
        <TextField
          select
          label="Status"
          value={status}
          onChange={e => setStatus(e.target.value)}
          className={classes.filter}
        >
          <MenuItem value="all">All</MenuItem>
          {waiverStatuses.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
      </div>
      {(error || waivers.error) && (
        <Typography className={classes.error}>{error ?? errorMessage(waivers.error)}</Typography>
      )}
      <Paper variant="outlined">
        <Table size="small" data-testid="waivers">
          <TableHead>
            <TableRow>
              <TableCell>Finding</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Expires</TableCell>
              <TableCell>Requested by</TableCell>
              <TableCell>Status</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {(waivers.value ?? []).map(w => (
              <TableRow key={w.id} data-testid="waiver-row">
                <TableCell>
                  #{w.findingId} {w.ruleId}
                  <div className={classes.mono}>{w.assetRef}</div>
                </TableCell>
                <TableCell>{w.reason}</TableCell>
                <TableCell>{w.expiresAt.slice(0, 10)}</TableCell>
                <TableCell>{w.requestedBy}</TableCell>
                <TableCell data-testid="waiver-status">
                  {w.status}
                  {w.decidedBy ? ` by ${w.decidedBy}` : ''}
                </TableCell>
                <TableCell>
                  {abilities.approve && w.status === 'pending' && (
                    <>
                      <Button
                        size="small"
                        color="primary"
                        onClick={() => decide(w.id, 'approve')}
                        data-testid="approve-waiver"
                      >
                        Approve
                      </Button>
                      <Button size="small" onClick={() => decide(w.id, 'reject')}>
                        Reject
                      </Button>
                    </>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {(waivers.value ?? []).length === 0 && <div className={classes.empty}>No waivers.</div>}
      </Paper>
    </>
  );
}
