import {
  Box,
  Button,
  Collapse,
  IconButton,
  LinearProgress,
  Link,
  makeStyles,
  MenuItem,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import StopIcon from '@material-ui/icons/Stop';
import { errorMessage, useNavigation } from '@racine/kernel-react';
import { assetPagePath } from '@racine/plugin-data-catalog-common';
import {
  scanTableStatuses,
  terminalScanRunStatuses,
  type ScanLogEntry,
  type ScanRun,
  type ScanRunTable,
  type ScanTableStatus,
} from '@racine/plugin-scans-common';
import { Fragment, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { useScansClient } from '../api/ScansClient';
import {
  formatDuration,
  formatRelative,
  percentDone,
  StatusChip,
  useScanAbilities,
  useSharedStyles,
} from './shared';

const useStyles = makeStyles(theme => ({
  header: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    display: 'grid',
    gap: theme.spacing(1.5),
  },
  titleRow: { display: 'flex', alignItems: 'center', gap: theme.spacing(1.5), flexWrap: 'wrap' },
  facts: { display: 'flex', gap: theme.spacing(3), flexWrap: 'wrap' },
  fact: { display: 'grid' },
  bigBar: { height: 12, borderRadius: 6 },
  logs: {
    maxHeight: 320,
    overflow: 'auto',
    padding: theme.spacing(1, 2),
    margin: 0,
    fontSize: 12,
    lineHeight: 1.6,
  },
  logLine: { whiteSpace: 'pre-wrap', wordBreak: 'break-word' },
  warn: { color: theme.palette.warning.dark },
  errorLine: { color: theme.palette.error.main },
  tableLogs: { padding: theme.spacing(1, 2, 1, 6), background: theme.palette.background.default },
}));

const STATUS_ORDER: Record<ScanTableStatus, number> = {
  running: 0,
  failed: 1,
  pending: 2,
  succeeded: 3,
  skipped: 4,
  canceled: 5,
};

/**
 * One run, live: its row and its tables come from the SSE stream of `/runs/:id/events` (any
 * replica serves it from the database), the run log is followed incrementally.
 */
function useLiveRun(runId: string) {
  const client = useScansClient();
  const [run, setRun] = useState<ScanRun>();
  const [tables, setTables] = useState<Map<string, ScanRunTable>>(new Map());
  const [logs, setLogs] = useState<ScanLogEntry[]>([]);
  const [error, setError] = useState<string>();
  const [live, setLive] = useState(false);
  const lastSeq = useRef(0);

  const mergeTables = useCallback((items: ScanRunTable[]) => {
    if (items.length === 0) return;
    setTables(previous => {
      const next = new Map(previous);
      for (const item of items) next.set(item.tableRef, item);
      return next;
    });
  }, []);

  const followLogs = useCallback(
    async (signal?: AbortSignal) => {
      const { items } = await client.listLogs(
        runId,
        { after: lastSeq.current, limit: 1000 },
        signal,
      );
      if (items.length === 0) return;
      lastSeq.current = items[items.length - 1]!.seq;
      setLogs(previous => [...previous, ...items]);
    },
    [client, runId],
  );

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    lastSeq.current = 0;
    setLogs([]);
    setTables(new Map());
    setRun(undefined);
    setError(undefined);

    const loadAllTables = async () => {
      let cursor: string | undefined;
      do {
        const page = await client.listTables(runId, { limit: 1000, cursor }, signal);
        mergeTables(page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && !signal.aborted);
    };

    (async () => {
      try {
        const first = await client.getRun(runId, signal);
        setRun(first);
        await Promise.all([loadAllTables(), followLogs(signal)]);
        let current = first;
        // Follow the stream; reconnect after a dropped connection until the run ends.
        while (!signal.aborted && !terminalScanRunStatuses.includes(current.status)) {
          setLive(true);
          try {
            await client.followRun(
              runId,
              event => {
                if (event.event !== 'progress') return;
                current = event.data.run;
                setRun(event.data.run);
                mergeTables(event.data.tables);
                void followLogs(signal).catch(() => undefined);
              },
              signal,
            );
          } catch (streamError) {
            if (signal.aborted) return;
            setError(`Live updates interrupted (${errorMessage(streamError)}); reconnecting…`);
            await new Promise(resolve => setTimeout(resolve, 2000));
          }
          if (!signal.aborted) {
            current = await client.getRun(runId, signal);
            setRun(current);
            setError(undefined);
          }
        }
        setLive(false);
        if (!signal.aborted) await Promise.all([loadAllTables(), followLogs(signal)]);
      } catch (loadError) {
        if (!signal.aborted) setError(errorMessage(loadError));
      }
    })();
    return () => controller.abort();
  }, [client, runId, mergeTables, followLogs]);

  return { run, setRun, tables, logs, error, live };
}

export function RunPage() {
  const classes = useStyles();
  const shared = useSharedStyles();
  const { id = '' } = useParams();
  const client = useScansClient();
  const abilities = useScanAbilities();
  const { run, setRun, tables, logs, error, live } = useLiveRun(id);
  const [statusFilter, setStatusFilter] = useState<ScanTableStatus | ''>('');
  const [open, setOpen] = useState<string>();
  const [canceling, setCanceling] = useState(false);
  const [cancelError, setCancelError] = useState<string>();
  const logsEnd = useRef<HTMLDivElement>(null);
  // Tables link to their catalog page when the data catalog group is on for this user.
  const navigation = useNavigation();
  const catalogShown = Boolean(navigation.value?.some(item => item.pluginId === 'data-catalog'));

  const rows = useMemo(
    () =>
      [...tables.values()]
        .filter(t => !statusFilter || t.status === statusFilter)
        .sort(
          (a, b) =>
            STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
            `${a.schema}.${a.table}`.localeCompare(`${b.schema}.${b.table}`),
        ),
    [tables, statusFilter],
  );
  const runLogs = logs.filter(l => l.tableRef === null || l.level !== 'info');
  useEffect(() => {
    logsEnd.current?.scrollIntoView({ block: 'nearest' });
  }, [runLogs.length]);

  if (!run) {
    return error ? (
      <Paper variant="outlined" className={shared.error} role="alert">
        <Typography variant="body2">Could not load the scan run: {error}</Typography>
      </Paper>
    ) : (
      <LinearProgress />
    );
  }

  const active = !terminalScanRunStatuses.includes(run.status);
  const percent = run.status === 'succeeded' ? 100 : percentDone(run.progress);
  const p = run.progress;
  const cancel = async () => {
    setCanceling(true);
    setCancelError(undefined);
    try {
      setRun(await client.cancelRun(run.id));
    } catch (e) {
      setCancelError(errorMessage(e));
    } finally {
      setCanceling(false);
    }
  };

  return (
    <Box>
      <Box mb={1}>
        <Link component={RouterLink} to="..">
          ← All scans
        </Link>
      </Box>
      <Paper variant="outlined" className={classes.header}>
        <Box className={classes.titleRow}>
          <Typography variant="h6" data-testid="run-title">
            {run.dataSourceName}
          </Typography>
          <StatusChip status={run.status} kind="run" testId="run-status" />
          {live && (
            <Typography variant="caption" color="textSecondary">
              live
            </Typography>
          )}
          <Box className={shared.spacer} />
          {active && abilities.execute && (
            <Button
              variant="outlined"
              startIcon={<StopIcon />}
              onClick={cancel}
              disabled={canceling}
              data-testid="cancel-run"
            >
              {canceling ? 'Canceling…' : 'Cancel'}
            </Button>
          )}
        </Box>
        <Box>
          <LinearProgress
            className={classes.bigBar}
            variant={
              run.status === 'queued' || (active && p.tablesTotal === 0)
                ? 'indeterminate'
                : 'determinate'
            }
            value={percent}
            data-testid="run-progress"
            data-percent={percent}
            aria-label={`${percent}% of tables done`}
          />
          <Box display="flex" justifyContent="space-between" mt={0.5}>
            <Typography variant="body2" data-testid="run-progress-text">
              {p.tablesTotal === 0 && active
                ? run.status === 'queued'
                  ? 'Waiting for a worker…'
                  : 'Discovering tables…'
                : `${p.tablesDone} of ${p.tablesTotal} tables (${percent} %) · ${p.tablesScanned} scanned · ${p.tablesSkipped} unchanged · ${p.tablesFailed} failed`}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {p.rowsSampled.toLocaleString()} rows sampled · {p.columnsClassified.toLocaleString()}{' '}
              columns classified · {p.labelsFound.toLocaleString()} labels
            </Typography>
          </Box>
        </Box>
        <Box className={classes.facts}>
          <Fact label="Rule set" value={`${run.ruleSetName} · v${run.ruleSetVersion}`} />
          <Fact
            label="Started"
            value={
              run.startedAt
                ? `${formatRelative(run.startedAt)} (${new Date(run.startedAt).toLocaleString()})`
                : 'not yet'
            }
          />
          <Fact
            label="Duration"
            value={formatDuration(
              run.durationMs ?? (run.startedAt ? Date.now() - Date.parse(run.startedAt) : null),
            )}
          />
          <Fact label="Requested by" value={`${run.requestedBy} (${run.trigger})`} />
          <Fact
            label="Scope"
            value={
              run.fullScan === null
                ? '—'
                : run.fullScan
                  ? 'Whole source: vanished tables are marked deleted'
                  : 'Partial: nothing is marked deleted'
            }
          />
        </Box>
        {run.error && (
          <Typography
            variant="body2"
            className={classes.errorLine}
            role="alert"
            data-testid="run-error"
          >
            {run.error}
          </Typography>
        )}
        {run.status === 'succeeded' && p.tablesFailed > 0 && (
          <Typography variant="body2" className={classes.warn}>
            The run succeeded, but {p.tablesFailed} table(s) failed: see their errors below.
          </Typography>
        )}
        {(error || cancelError) && (
          <Typography variant="body2" className={classes.warn} role="status">
            {cancelError ?? error}
          </Typography>
        )}
      </Paper>

      <Box className={shared.toolbar}>
        <Typography variant="h6">Tables</Typography>
        <Box className={shared.spacer} />
        <TextField
          select
          variant="outlined"
          size="small"
          label="Status"
          value={statusFilter}
          onChange={e => setStatusFilter(e.target.value as ScanTableStatus | '')}
          style={{ minWidth: 160 }}
        >
          <MenuItem value="">All ({tables.size})</MenuItem>
          {scanTableStatuses.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Paper variant="outlined">
        <TableContainer>
          <Table size="small" data-testid="run-tables">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox" />
                <TableCell>Table</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell>Status</TableCell>
                <TableCell align="right">Duration</TableCell>
                <TableCell align="right">Rows sampled</TableCell>
                <TableCell align="right">Labels</TableCell>
                <TableCell align="right">Attempts</TableCell>
                <TableCell>Error</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map(table => (
                <Fragment key={table.tableRef}>
                  <TableRow
                    hover
                    data-testid="run-table-row"
                    data-table={`${table.schema}.${table.table}`}
                    data-status={table.status}
                  >
                    <TableCell padding="checkbox">
                      <IconButton
                        size="small"
                        aria-label={open === table.tableRef ? 'Hide log' : 'Show log'}
                        onClick={() =>
                          setOpen(open === table.tableRef ? undefined : table.tableRef)
                        }
                      >
                        {open === table.tableRef ? (
                          <KeyboardArrowDownIcon fontSize="small" />
                        ) : (
                          <KeyboardArrowRightIcon fontSize="small" />
                        )}
                      </IconButton>
                    </TableCell>
                    <TableCell className={shared.mono}>
                      {catalogShown &&
                      (table.status === 'succeeded' || table.status === 'skipped') ? (
                        <Link
                          component={RouterLink}
                          to={assetPagePath(table.tableRef)}
                          data-testid="catalog-link"
                        >
                          {table.schema}.{table.table}
                        </Link>
                      ) : (
                        `${table.schema}.${table.table}`
                      )}
                    </TableCell>
                    <TableCell>{table.kind.replace('_', ' ')}</TableCell>
                    <TableCell>
                      <StatusChip status={table.status} kind="table" />
                    </TableCell>
                    <TableCell align="right">
                      {table.status === 'skipped' ? '—' : formatDuration(table.durationMs)}
                    </TableCell>
                    <TableCell align="right">{table.rowsSampled.toLocaleString()}</TableCell>
                    <TableCell align="right">{table.labels}</TableCell>
                    <TableCell align="right">{table.attempts}</TableCell>
                    <TableCell>
                      <Typography variant="caption" className={classes.errorLine}>
                        {table.error}
                      </Typography>
                    </TableCell>
                  </TableRow>
                  <TableRow>
                    <TableCell
                      style={{
                        padding: 0,
                        borderBottom: open === table.tableRef ? undefined : 'none',
                      }}
                      colSpan={9}
                    >
                      <Collapse in={open === table.tableRef} unmountOnExit>
                        <Box className={classes.tableLogs}>
                          {table.logs.length === 0 ? (
                            <Typography variant="caption" color="textSecondary">
                              No log lines yet.
                            </Typography>
                          ) : (
                            table.logs.map(line => <LogLine key={line.seq} line={line} />)
                          )}
                        </Box>
                      </Collapse>
                    </TableCell>
                  </TableRow>
                </Fragment>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {rows.length === 0 && (
          <Box className={shared.empty}>
            <Typography variant="body2" color="textSecondary">
              {active ? 'The tables appear once the run has discovered them.' : 'No table.'}
            </Typography>
          </Box>
        )}
      </Paper>

      <Box className={shared.section}>
        <Typography variant="h6" gutterBottom>
          Run log
        </Typography>
        <Paper variant="outlined">
          <Box className={`${classes.logs} ${shared.mono}`} data-testid="run-log">
            {runLogs.map(line => (
              <LogLine key={line.seq} line={line} />
            ))}
            <div ref={logsEnd} />
          </Box>
        </Paper>
      </Box>
    </Box>
  );
}

function Fact(props: { label: string; value: string }) {
  const classes = useStyles();
  return (
    <Box className={classes.fact}>
      <Typography variant="caption" color="textSecondary">
        {props.label}
      </Typography>
      <Typography variant="body2">{props.value}</Typography>
    </Box>
  );
}

function LogLine(props: { line: ScanLogEntry }) {
  const classes = useStyles();
  const shared = useSharedStyles();
  const { line } = props;
  return (
    <div
      className={`${classes.logLine} ${shared.mono} ${line.level === 'error' ? classes.errorLine : line.level === 'warn' ? classes.warn : ''}`}
    >
      {new Date(line.time).toLocaleTimeString()} {line.level.toUpperCase().padEnd(5)} {line.message}
    </div>
  );
}
