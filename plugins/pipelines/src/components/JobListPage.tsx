import {
  Box,
  Button,
  Chip,
  LinearProgress,
  Link,
  makeStyles,
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
import AddIcon from '@material-ui/icons/Add';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import ViewQuiltIcon from '@material-ui/icons/ViewQuilt';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { JobListItem } from '@racine/plugin-pipelines-common';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import { usePipelinesClient } from '../api/PipelinesClient';
import { RunDialog } from './RunDialog';
import {
  formatRelative,
  RunDots,
  SuccessSparkline,
  usePipelineAbilities,
  useSharedStyles,
} from './shared';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  search: { minWidth: 280, flex: '1 1 280px', maxWidth: 420 },
  name: { fontWeight: 600 },
  empty: {
    padding: theme.spacing(6, 2),
    textAlign: 'center',
    display: 'grid',
    gap: theme.spacing(2),
    justifyItems: 'center',
  },
}));

/** Every job with its schedule, last runs and success rate. */
export function JobListPage() {
  const classes = useStyles();
  const shared = useSharedStyles();
  const client = usePipelinesClient();
  const abilities = usePipelineAbilities();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [running, setRunning] = useState<JobListItem>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const timer = window.setTimeout(() => setQ(text.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [text]);
  const jobs = useAsyncResource(
    signal => client.listJobs({ q: q || undefined, limit: 200 }, signal),
    [client, q],
  );
  // Runs move on: refresh the list while it is open.
  const { reload } = jobs;
  useEffect(() => {
    const timer = window.setInterval(reload, 5000);
    return () => window.clearInterval(timer);
  }, [reload]);

  const items = jobs.value?.items ?? [];
  return (
    <Box>
      <Box className={classes.toolbar}>
        <TextField
          className={classes.search}
          variant="outlined"
          size="small"
          placeholder="Search jobs by name"
          value={text}
          onChange={e => setText(e.target.value)}
          inputProps={{ 'data-testid': 'job-search', 'aria-label': 'Search jobs' }}
        />
        <Box flex={1} />
        <Button
          variant="outlined"
          startIcon={<ViewQuiltIcon />}
          component={RouterLink}
          to="/pipelines"
        >
          Pipelines
        </Button>
        {abilities.create && (
          <Button
            variant="contained"
            color="primary"
            startIcon={<AddIcon />}
            component={RouterLink}
            to="new"
            data-testid="new-job"
          >
            New job
          </Button>
        )}
      </Box>
      {(jobs.error || error) && (
        <Paper variant="outlined" className={shared.error} role="alert">
          <Typography variant="body2">
            {error ?? `Could not load jobs: ${jobs.error?.message}`}
          </Typography>
        </Paper>
      )}
      <Paper variant="outlined">
        {jobs.loading && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="jobs-table">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Tasks</TableCell>
                <TableCell>Schedule</TableCell>
                <TableCell>Last runs</TableCell>
                <TableCell>Success rate</TableCell>
                <TableCell>Owner</TableCell>
                <TableCell align="right" />
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(job => (
                <TableRow key={job.id} hover data-testid="job-row" data-name={job.name}>
                  <TableCell>
                    <Link
                      component={RouterLink}
                      to={encodeURIComponent(job.id)}
                      className={classes.name}
                    >
                      {job.name}
                    </Link>
                    <Box className={shared.chips}>
                      {job.tags.map(tag => (
                        <Chip key={tag} size="small" label={tag} variant="outlined" />
                      ))}
                    </Box>
                  </TableCell>
                  <TableCell>{job.tasks.length}</TableCell>
                  <TableCell>
                    {job.schedule ? (
                      <>
                        <span className={shared.mono}>{job.schedule.cron}</span>{' '}
                        <Typography variant="caption">({job.schedule.timezone})</Typography>
                        <Typography variant="caption" component="div" color="textSecondary">
                          {job.schedule.paused ? 'Paused' : `Next ${formatRelative(job.nextRunAt)}`}
                        </Typography>
                      </>
                    ) : job.triggers.length ? (
                      <Typography variant="body2">
                        On {job.triggers.map(t => t.event).join(', ')}
                      </Typography>
                    ) : (
                      <Typography variant="body2" color="textSecondary">
                        Manual
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {job.recentRuns.length ? (
                      <RunDots runs={job.recentRuns} />
                    ) : (
                      <Typography variant="body2" color="textSecondary">
                        Never run
                      </Typography>
                    )}
                    {job.recentRuns[0] && (
                      <Typography variant="caption" component="div" color="textSecondary">
                        {formatRelative(job.recentRuns[0].createdAt)}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <SuccessSparkline runs={job.recentRuns} rate={job.successRate} />
                  </TableCell>
                  <TableCell>{job.owner}</TableCell>
                  <TableCell align="right">
                    {abilities.run && (
                      <Button
                        size="small"
                        startIcon={<PlayArrowIcon />}
                        onClick={() => setRunning(job)}
                        data-testid="run-job"
                      >
                        Run
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {jobs.value && items.length === 0 && (
          <Box className={classes.empty}>
            <Typography variant="body2" color="textSecondary">
              {q
                ? 'No job matches.'
                : 'No jobs yet. Build one on the canvas, or start from a pipeline.'}
            </Typography>
          </Box>
        )}
      </Paper>
      {running && (
        <RunDialog
          job={running}
          onClose={() => setRunning(undefined)}
          onRun={async parameters => {
            try {
              const { runId } = await client.runJob(running.id, parameters);
              navigate(`${encodeURIComponent(running.id)}/runs/${encodeURIComponent(runId)}`);
            } catch (runError) {
              setError(errorMessage(runError));
              setRunning(undefined);
            }
          }}
        />
      )}
    </Box>
  );
}
