import {
  Box,
  Button,
  Chip,
  IconButton,
  LinearProgress,
  Link,
  MenuItem,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import PauseIcon from '@material-ui/icons/Pause';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import ScheduleIcon from '@material-ui/icons/Schedule';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import {
  scanRunStatuses,
  type ScanRun,
  type ScanRunStatus,
  type ScanSchedule,
} from '@racine/plugin-scans-common';
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router-dom';
import { useScansClient } from '../api/ScansClient';
import { RunScanDialog, ScheduleDialog } from './ScanDialogs';
import {
  formatDuration,
  formatRelative,
  ProgressCell,
  StatusChip,
  useScanAbilities,
  useSharedStyles,
} from './shared';

const PAGE_SIZE = 50;
const ACTIVE: ScanRunStatus[] = ['queued', 'running'];

/** Scan runs (newest first, refreshed while any is active) and the scan schedules. */
export function ScansPage() {
  const shared = useSharedStyles();
  const client = useScansClient();
  const abilities = useScanAbilities();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') ?? '') as ScanRunStatus | '';
  const [runDialog, setRunDialog] = useState(false);
  const [extra, setExtra] = useState<{ items: ScanRun[]; nextCursor: string | null }>({
    items: [],
    nextCursor: null,
  });

  const runs = useAsyncResource(
    signal => client.listRuns({ status: status || undefined, limit: PAGE_SIZE }, signal),
    [client, status],
  );
  const sources = useAsyncResource(signal => client.dataSources(signal).catch(() => []), [client]);
  useEffect(() => setExtra({ items: [], nextCursor: null }), [runs.value]);

  const items = [...(runs.value?.items ?? []), ...extra.items];
  const nextCursor = extra.items.length > 0 ? extra.nextCursor : (runs.value?.nextCursor ?? null);
  const anyActive = items.some(run => ACTIVE.includes(run.status));
  const { reload } = runs;
  useEffect(() => {
    if (!anyActive) return undefined;
    const timer = window.setInterval(reload, 2000);
    return () => window.clearInterval(timer);
  }, [anyActive, reload]);

  const setStatus = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('status', value);
    else next.delete('status');
    setParams(next, { replace: true });
  };

  return (
    <Box>
      <Box className={shared.toolbar}>
        <Typography variant="body2" color="textSecondary">
          A scan reads a data source with a rule set and publishes what it finds to the data
          catalog. Each table is a task any worker can take.
        </Typography>
        <Box className={shared.spacer} />
        <TextField
          select
          variant="outlined"
          size="small"
          label="Status"
          value={status}
          onChange={e => setStatus(e.target.value)}
          style={{ minWidth: 160 }}
          inputProps={{ 'data-testid': 'runs-status-filter' }}
        >
          <MenuItem value="">All</MenuItem>
          {scanRunStatuses.map(s => (
            <MenuItem key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </MenuItem>
          ))}
        </TextField>
        {abilities.execute && (
          <Button
            variant="contained"
            color="primary"
            startIcon={<PlayArrowIcon />}
            onClick={() => setRunDialog(true)}
            data-testid="run-scan"
          >
            Run scan
          </Button>
        )}
      </Box>
      {runs.error && (
        <Paper variant="outlined" className={shared.error} role="alert">
          <Typography variant="body2">Could not load scan runs: {runs.error.message}</Typography>
        </Paper>
      )}
      <Paper variant="outlined">
        {runs.loading && !runs.value && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="runs-table">
            <TableHead>
              <TableRow>
                <TableCell>Status</TableCell>
                <TableCell>Data source</TableCell>
                <TableCell>Rule set</TableCell>
                <TableCell>Progress</TableCell>
                <TableCell>Started</TableCell>
                <TableCell>Duration</TableCell>
                <TableCell>By</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(run => (
                <TableRow
                  key={run.id}
                  hover
                  data-testid="run-row"
                  data-id={run.id}
                  data-status={run.status}
                >
                  <TableCell>
                    <Link
                      component={RouterLink}
                      to={`runs/${encodeURIComponent(run.id)}`}
                      underline="none"
                    >
                      <StatusChip status={run.status} kind="run" />
                    </Link>
                  </TableCell>
                  <TableCell>
                    <Link component={RouterLink} to={`runs/${encodeURIComponent(run.id)}`}>
                      {run.dataSourceName}
                    </Link>
                  </TableCell>
                  <TableCell>
                    {run.ruleSetName}{' '}
                    <Typography variant="caption" color="textSecondary">
                      v{run.ruleSetVersion}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <ProgressCell progress={run.progress} status={run.status} />
                  </TableCell>
                  <TableCell title={run.startedAt ?? run.createdAt}>
                    {formatRelative(run.startedAt ?? run.createdAt)}
                  </TableCell>
                  <TableCell>{formatDuration(run.durationMs)}</TableCell>
                  <TableCell>
                    <Typography variant="caption">
                      {run.trigger === 'schedule'
                        ? 'schedule'
                        : run.requestedBy.replace(/^user:[^/]+\//, '')}
                      {run.trigger === 'action' ? ' (action)' : ''}
                    </Typography>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {runs.value && items.length === 0 && (
          <Box className={shared.empty}>
            <Typography variant="body2" color="textSecondary">
              {status
                ? 'No run has this status.'
                : 'No scans yet. Run one to fill the data catalog.'}
            </Typography>
          </Box>
        )}
        {nextCursor && (
          <Box display="flex" justifyContent="center" p={1.5}>
            <Button
              onClick={async () => {
                const more = await client.listRuns({
                  status: status || undefined,
                  limit: PAGE_SIZE,
                  cursor: nextCursor,
                });
                setExtra(previous => ({
                  items: [...previous.items, ...more.items],
                  nextCursor: more.nextCursor,
                }));
              }}
            >
              Show more
            </Button>
          </Box>
        )}
      </Paper>

      <SchedulesSection dataSourceNames={new Map((sources.value ?? []).map(s => [s.id, s.name]))} />

      {runDialog && (
        <RunScanDialog
          open
          onClose={() => setRunDialog(false)}
          onStarted={run => {
            setRunDialog(false);
            navigate(`runs/${encodeURIComponent(run.id)}`);
          }}
        />
      )}
    </Box>
  );
}

function SchedulesSection(props: { dataSourceNames: Map<string, string> }) {
  const shared = useSharedStyles();
  const client = useScansClient();
  const abilities = useScanAbilities();
  const schedules = useAsyncResource(signal => client.listSchedules(signal), [client]);
  const [editing, setEditing] = useState<ScanSchedule | 'new' | undefined>();
  const [actionError, setActionError] = useState<string>();
  const sorted = useMemo(
    () => [...(schedules.value ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    [schedules.value],
  );

  const act = async (work: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await work();
      schedules.reload();
    } catch (error) {
      setActionError(errorMessage(error));
    }
  };

  return (
    <Box className={shared.section}>
      <Box className={shared.toolbar}>
        <Typography variant="h6">Schedules</Typography>
        <Box className={shared.spacer} />
        {abilities.create && (
          <Button
            variant="outlined"
            color="primary"
            startIcon={<ScheduleIcon />}
            onClick={() => setEditing('new')}
            data-testid="new-schedule"
          >
            New schedule
          </Button>
        )}
      </Box>
      {(schedules.error || actionError) && (
        <Paper variant="outlined" className={shared.error} role="alert">
          <Typography variant="body2">
            {actionError ?? `Could not load schedules: ${schedules.error?.message}`}
          </Typography>
        </Paper>
      )}
      <Paper variant="outlined">
        <TableContainer>
          <Table size="small" data-testid="schedules-table">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Data source</TableCell>
                <TableCell>Rule set</TableCell>
                <TableCell>When</TableCell>
                <TableCell>Next run</TableCell>
                <TableCell>Last run</TableCell>
                <TableCell align="right" />
              </TableRow>
            </TableHead>
            <TableBody>
              {sorted.map(schedule => (
                <TableRow
                  key={schedule.id}
                  hover
                  data-testid="schedule-row"
                  data-id={schedule.id}
                  data-paused={schedule.paused}
                >
                  <TableCell>{schedule.name}</TableCell>
                  <TableCell>
                    {props.dataSourceNames.get(schedule.dataSourceId) ?? schedule.dataSourceId}
                  </TableCell>
                  <TableCell className={shared.mono}>{schedule.ruleSetId}</TableCell>
                  <TableCell>
                    <span className={shared.mono}>{schedule.cron}</span>{' '}
                    <Typography variant="caption" color="textSecondary">
                      {schedule.timezone}
                    </Typography>
                  </TableCell>
                  <TableCell title={schedule.nextRunAt ?? undefined}>
                    {schedule.paused ? (
                      <Chip size="small" variant="outlined" label="Paused" />
                    ) : (
                      formatRelative(schedule.nextRunAt)
                    )}
                  </TableCell>
                  <TableCell>
                    {schedule.lastRunId ? (
                      <Link
                        component={RouterLink}
                        to={`runs/${encodeURIComponent(schedule.lastRunId)}`}
                      >
                        {formatRelative(schedule.lastRunAt)}
                      </Link>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell align="right">
                    {abilities.edit && (
                      <>
                        <Tooltip title={schedule.paused ? 'Resume' : 'Pause'}>
                          <IconButton
                            size="small"
                            aria-label={schedule.paused ? 'Resume' : 'Pause'}
                            data-testid={schedule.paused ? 'resume-schedule' : 'pause-schedule'}
                            onClick={() =>
                              act(() =>
                                client.updateSchedule(schedule.id, { paused: !schedule.paused }),
                              )
                            }
                          >
                            {schedule.paused ? (
                              <PlayArrowIcon fontSize="small" />
                            ) : (
                              <PauseIcon fontSize="small" />
                            )}
                          </IconButton>
                        </Tooltip>
                        <Tooltip title="Edit">
                          <IconButton
                            size="small"
                            aria-label="Edit"
                            onClick={() => setEditing(schedule)}
                          >
                            <EditIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                        <Tooltip title="Delete">
                          <IconButton
                            size="small"
                            aria-label="Delete"
                            data-testid="delete-schedule"
                            onClick={() => {
                              if (window.confirm(`Delete the schedule "${schedule.name}"?`))
                                act(() => client.deleteSchedule(schedule.id));
                            }}
                          >
                            <DeleteIcon fontSize="small" />
                          </IconButton>
                        </Tooltip>
                      </>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {schedules.value && sorted.length === 0 && (
          <Box className={shared.empty}>
            <Typography variant="body2" color="textSecondary">
              No schedules. A schedule runs a scan on a cron expression in a time zone; one replica
              fires each due schedule.
            </Typography>
          </Box>
        )}
      </Paper>
      {editing && (
        <ScheduleDialog
          open
          schedule={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            schedules.reload();
          }}
        />
      )}
    </Box>
  );
}
