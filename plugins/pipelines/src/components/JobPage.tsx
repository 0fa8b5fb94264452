import {
  Box,
  Button,
  LinearProgress,
  Link,
  makeStyles,
  MenuItem,
  Paper,
  Tab,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Tabs,
  TextField,
  Typography,
} from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import DeleteIcon from '@material-ui/icons/Delete';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import SaveAltIcon from '@material-ui/icons/SaveAlt';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { Job, JobDefinitionInput } from '@racine/plugin-pipelines-common';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { usePipelinesClient } from '../api/PipelinesClient';
import { JobBuilder } from './builder/JobBuilder';
import { emptySettings, fromDefinition, toDefinition, type Draft } from './builder/model';
import { RunDialog } from './RunDialog';
import {
  displayState,
  formatDuration,
  formatRelative,
  StateChip,
  usePipelineAbilities,
  useSharedStyles,
} from './shared';
import { VersionsPanel } from './VersionsPanel';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
    flexWrap: 'wrap',
  },
  title: { fontWeight: 700 },
  tabs: { marginBottom: theme.spacing(2) },
}));

function definitionOf(job: Job): Draft {
  const {
    id: _id,
    ref: _ref,
    workspace: _w,
    owner: _o,
    version: _v,
    createdAt: _c,
    createdBy: _cb,
    updatedAt: _u,
    updatedBy: _ub,
    nextRunAt: _n,
    ...definition
  } = job;
  return fromDefinition(definition);
}

/** A new job: an empty canvas. */
export function NewJobPage() {
  const client = usePipelinesClient();
  const navigate = useNavigate();
  const shared = useSharedStyles();
  const steps = useAsyncResource(signal => client.steps(signal), [client]);
  const [draft, setDraft] = useState<Draft>({
    settings: { ...emptySettings(), name: 'New job' },
    tasks: [],
    edges: [],
  });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const save = async (definition: JobDefinitionInput, note: string) => {
    setSaving(true);
    setError(undefined);
    try {
      const job = await client.createJob({ ...definition, versionNote: note || undefined });
      navigate(`../${encodeURIComponent(job.id)}`);
    } catch (saveError) {
      setError(errorMessage(saveError));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1}>
        <Button startIcon={<ArrowBackIcon />} component={RouterLink} to="..">
          Jobs
        </Button>
        <Typography variant="h6" style={{ marginLeft: 8 }}>
          New job
        </Typography>
      </Box>
      {error && (
        <Paper variant="outlined" className={shared.error} role="alert" data-testid="save-error">
          <Typography variant="body2">{error}</Typography>
        </Paper>
      )}
      {steps.loading && <LinearProgress />}
      {steps.value && (
        <JobBuilder
          draft={draft}
          onChange={setDraft}
          steps={steps.value}
          onSave={save}
          saving={saving}
          saveLabel="Create job"
        />
      )}
    </Box>
  );
}

/** A job: its runs, its definition on the canvas, and its versions. */
export function JobPage() {
  const classes = useStyles();
  const shared = useSharedStyles();
  const { jobId = '' } = useParams();
  const client = usePipelinesClient();
  const abilities = usePipelineAbilities();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'runs';
  const job = useAsyncResource(signal => client.getJob(jobId, signal), [client, jobId]);
  const steps = useAsyncResource(signal => client.steps(signal), [client]);
  const runs = useAsyncResource(
    signal => client.jobRuns(jobId, { limit: 50 }, signal),
    [client, jobId],
  );
  const [draft, setDraft] = useState<Draft>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const [savingTemplate, setSavingTemplate] = useState<'private' | 'workspace' | ''>('');

  useEffect(() => {
    if (job.value) setDraft(definitionOf(job.value));
  }, [job.value]);
  const { reload: reloadRuns } = runs;
  useEffect(() => {
    const timer = window.setInterval(reloadRuns, 4000);
    return () => window.clearInterval(timer);
  }, [reloadRuns]);

  const setTab = (value: string) => {
    const next = new URLSearchParams(params);
    next.set('tab', value);
    setParams(next, { replace: true });
  };

  const save = async (definition: JobDefinitionInput, note: string) => {
    setSaving(true);
    setError(undefined);
    try {
      await client.updateJob(jobId, { ...definition, versionNote: note || undefined });
      job.reload();
    } catch (saveError) {
      setError(errorMessage(saveError));
    } finally {
      setSaving(false);
    }
  };

  if (job.error) {
    return (
      <Paper variant="outlined" className={shared.error} role="alert">
        <Typography variant="body2">Could not load the job: {job.error.message}</Typography>
      </Paper>
    );
  }
  const value = job.value;
  return (
    <Box>
      <Box className={classes.header}>
        <Button startIcon={<ArrowBackIcon />} component={RouterLink} to="..">
          Jobs
        </Button>
        <Typography variant="h5" className={classes.title} data-testid="job-title">
          {value?.name ?? '…'}
        </Typography>
        {value && (
          <Typography variant="body2" color="textSecondary">
            version {value.version} · owner {value.owner} · {value.workspace}
          </Typography>
        )}
        <Box flex={1} />
        {value && abilities.create && (
          <TextField
            select
            size="small"
            variant="outlined"
            label="Save as pipeline"
            value={savingTemplate}
            style={{ minWidth: 180 }}
            onChange={async e => {
              const visibility = e.target.value as 'private' | 'workspace';
              setSavingTemplate(visibility);
              try {
                await client.createTemplate({ ...toDefinition(definitionOf(value)), visibility });
                navigate('/pipelines');
              } catch (templateError) {
                setError(errorMessage(templateError));
              } finally {
                setSavingTemplate('');
              }
            }}
            SelectProps={{ startAdornment: <SaveAltIcon fontSize="small" /> } as object}
          >
            <MenuItem value="private">Only for me</MenuItem>
            <MenuItem value="workspace">Shared in {value.workspace}</MenuItem>
          </TextField>
        )}
        {value && abilities.run && (
          <Button
            variant="contained"
            color="primary"
            startIcon={<PlayArrowIcon />}
            onClick={() => setRunning(true)}
            data-testid="run-now"
          >
            Run now
          </Button>
        )}
        {value && abilities.delete && (
          <Button
            startIcon={<DeleteIcon />}
            onClick={async () => {
              if (!window.confirm(`Delete job '${value.name}' and all its runs?`)) return;
              try {
                await client.deleteJob(value.id);
                navigate('..');
              } catch (deleteError) {
                setError(errorMessage(deleteError));
              }
            }}
          >
            Delete
          </Button>
        )}
      </Box>
      {value?.description && (
        <Typography variant="body2" color="textSecondary" paragraph>
          {value.description}
        </Typography>
      )}
      {error && (
        <Paper variant="outlined" className={shared.error} role="alert" data-testid="save-error">
          <Typography variant="body2">{error}</Typography>
        </Paper>
      )}
      <Tabs
        value={tab}
        onChange={(_e, v) => setTab(v)}
        className={classes.tabs}
        indicatorColor="primary"
      >
        <Tab value="runs" label="Runs" data-testid="tab-runs" />
        <Tab
          value="tasks"
          label={abilities.edit ? 'Tasks (edit)' : 'Tasks'}
          data-testid="tab-tasks"
        />
        <Tab value="versions" label="Versions" data-testid="tab-versions" />
      </Tabs>
      {tab === 'runs' && (
        <Paper variant="outlined">
          {runs.loading && !runs.value && <LinearProgress />}
          <Table size="small" data-testid="runs-table">
            <TableHead>
              <TableRow>
                <TableCell>Run</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Trigger</TableCell>
                <TableCell>Started</TableCell>
                <TableCell>Duration</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {(runs.value?.items ?? []).map(run => (
                <TableRow key={run.id} hover data-testid="run-row">
                  <TableCell>
                    <Link
                      component={RouterLink}
                      to={`runs/${encodeURIComponent(run.id)}`}
                      className={shared.mono}
                    >
                      {run.id.slice(0, 8)}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <StateChip state={displayState(run.status, run.result)} />
                  </TableCell>
                  <TableCell>{run.trigger}</TableCell>
                  <TableCell title={run.createdAt}>
                    {formatRelative(run.startedAt ?? run.createdAt)}
                  </TableCell>
                  <TableCell>{formatDuration(run.durationMs)}</TableCell>
                </TableRow>
              ))}
              {runs.value?.items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={5}>
                    <Typography variant="body2" color="textSecondary">
                      No runs yet.
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </Paper>
      )}
      {tab === 'tasks' && draft && steps.value && (
        <JobBuilder
          key={value?.version}
          draft={draft}
          onChange={setDraft}
          steps={steps.value}
          onSave={save}
          saving={saving}
          saveLabel="Save new version"
          readOnly={!abilities.edit}
        />
      )}
      {tab === 'versions' && value && (
        <VersionsPanel job={value} canEdit={abilities.edit} onRolledBack={() => job.reload()} />
      )}
      {running && value && (
        <RunDialog
          job={value}
          onClose={() => setRunning(false)}
          onRun={async parameters => {
            try {
              const { runId } = await client.runJob(value.id, parameters);
              navigate(`runs/${encodeURIComponent(runId)}`);
            } catch (runError) {
              setError(errorMessage(runError));
              setRunning(false);
            }
          }}
        />
      )}
    </Box>
  );
}
