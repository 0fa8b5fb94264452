import {
  LinearProgress,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import { useDataCatalogClient } from '../../api/DataCatalogClient';
import { formatTime } from '../format';

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** Every curated change of the asset, newest first, with the fields before and after. */
export function HistoryTab(props: { assetRef: string; version: number }) {
  const client = useDataCatalogClient();
  const history = useAsyncResource(
    signal => client.history(props.assetRef, signal),
    // A new version (after an edit) reloads the history.
    [client, props.assetRef, props.version],
  );
  if (history.loading && !history.value) return <LinearProgress />;
  if (history.error)
    return (
      <Typography color="error" role="alert">
        Could not load the history: {errorMessage(history.error)}
      </Typography>
    );
  const items = history.value?.items ?? [];
  if (items.length === 0)
    return (
      <Typography variant="body2" color="textSecondary" data-testid="history-empty">
        Nobody has curated this asset yet.
      </Typography>
    );
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" data-testid="asset-history">
        <TableHead>
          <TableRow>
            <TableCell>Version</TableCell>
            <TableCell>When</TableCell>
            <TableCell>Who</TableCell>
            <TableCell>Change</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(entry => (
            <TableRow key={entry.version} data-testid="history-entry">
              <TableCell>{entry.version}</TableCell>
              <TableCell>{formatTime(entry.changedAt)}</TableCell>
              <TableCell>{entry.actor}</TableCell>
              <TableCell>
                <Typography variant="body2">{entry.summary}</Typography>
                {Object.entries(entry.changes).map(([field, change]) => (
                  <Typography key={field} variant="caption" component="div" color="textSecondary">
                    <b>{field}</b>: {show(change.from)} → {show(change.to)}
                  </Typography>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
