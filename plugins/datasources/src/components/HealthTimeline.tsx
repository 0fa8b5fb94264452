import {
  Box,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tooltip,
  Typography,
  useTheme,
} from '@material-ui/core';
import type { HealthCheck } from '@racine/plugin-datasources-common';
import { formatLatency, formatRelative, useSharedStyles } from './shared';

const useStyles = makeStyles(theme => ({
  strip: {
    display: 'flex',
    alignItems: 'flex-end',
    gap: 2,
    height: 48,
    margin: theme.spacing(1, 0, 0.5),
  },
  legend: { display: 'flex', justifyContent: 'space-between' },
  table: { marginTop: theme.spacing(2) },
  errorCell: { wordBreak: 'break-word', maxWidth: 520 },
}));

/**
 * The health history: a strip of the recent checks (oldest left; bar height is latency,
 * colour is the outcome) above the list of checks, newest first.
 */
export function HealthTimeline(props: { history: HealthCheck[]; maxRows?: number }) {
  const classes = useStyles();
  const shared = useSharedStyles();
  const theme = useTheme();
  const { history, maxRows = 25 } = props;
  if (history.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary" data-testid="health-empty">
        No connection check yet. Test the connection, or wait for the periodic check.
      </Typography>
    );
  }
  const recent = history.slice(0, 60).reverse();
  const maxLatency = Math.max(...recent.filter(c => c.ok).map(c => c.latencyMs), 1);
  const okCount = history.filter(c => c.ok).length;
  return (
    <Box data-testid="health-history">
      <Typography variant="body2" color="textSecondary">
        {okCount} of {history.length} recent checks succeeded.
      </Typography>
      <Box className={classes.strip} aria-hidden>
        {recent.map((check, index) => (
          <Tooltip
            key={`${check.checkedAt}-${index}`}
            title={`${new Date(check.checkedAt).toLocaleString()}: ${check.ok ? formatLatency(check.latencyMs) : (check.error ?? 'failed')}`}
          >
            <Box
              style={{
                flex: '1 1 0',
                maxWidth: 14,
                minWidth: 3,
                borderRadius: 2,
                height: check.ok
                  ? `${Math.max(12, (check.latencyMs / maxLatency) * 100)}%`
                  : '100%',
                background: check.ok ? theme.palette.success.main : theme.palette.error.main,
                opacity: check.ok ? 0.85 : 0.7,
              }}
            />
          </Tooltip>
        ))}
      </Box>
      <Box className={classes.legend}>
        <Typography variant="caption" color="textSecondary">
          {formatRelative(recent[0].checkedAt)}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {formatRelative(recent[recent.length - 1].checkedAt)}
        </Typography>
      </Box>
      <Table size="small" className={classes.table}>
        <TableHead>
          <TableRow>
            <TableCell>Checked</TableCell>
            <TableCell>Result</TableCell>
            <TableCell>Latency</TableCell>
            <TableCell>Details</TableCell>
            <TableCell>Trigger</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {history.slice(0, maxRows).map((check, index) => (
            <TableRow
              key={`${check.checkedAt}-${index}`}
              data-testid="health-row"
              data-ok={String(check.ok)}
            >
              <TableCell title={check.checkedAt}>
                {new Date(check.checkedAt).toLocaleString()}
              </TableCell>
              <TableCell className={check.ok ? shared.ok : shared.bad}>
                {check.ok ? 'Connected' : 'Failed'}
              </TableCell>
              <TableCell>{formatLatency(check.latencyMs)}</TableCell>
              <TableCell className={classes.errorCell}>
                {check.ok ? check.serverVersion : check.error}
              </TableCell>
              <TableCell>{check.trigger === 'schedule' ? 'Scheduled' : 'Manual'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
