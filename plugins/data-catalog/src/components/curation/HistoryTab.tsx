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
import { showChangeValue } from './historyText';
import { useGlossaryTerms } from './useApprovedTerms';

/** Every curated change of the asset, newest first, with the fields before and after. */
export function HistoryTab(props: { assetRef: string; version: number }) {
  const client = useDataCatalogClient();
  // Terms are stored by id: the history shows their names.
  const terms = useGlossaryTerms();
  const history = useAsyncResource(
    signal => client.history(props.assetRef, signal),
    // A new version (after an edit) reloads the history.
    [client, props.assetRef, props.version],
  );
  // Waiting for the term names too, so that ids never flash by.
  if ((history.loading && !history.value) || terms.loading) return <LinearProgress />;
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
                    <b>{field}</b>: {showChangeValue(field, change.from, terms.names)} →{' '}
                    {showChangeValue(field, change.to, terms.names)}
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
