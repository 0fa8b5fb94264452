import {
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  makeStyles,
  MenuItem,
  Paper,
  TextField,
  Typography,
} from '@material-ui/core';
import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import DeleteIcon from '@material-ui/icons/Delete';
import GetAppIcon from '@material-ui/icons/GetApp';
import WarningIcon from '@material-ui/icons/Warning';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { PipelineTemplate } from '@racine/plugin-pipelines-common';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { usePipelinesClient } from '../api/PipelinesClient';
import { RunDialog } from './RunDialog';
import { download, usePipelineAbilities, useSharedStyles } from './shared';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  gallery: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(320px, 1fr))',
    gap: theme.spacing(2),
  },
  card: { display: 'flex', flexDirection: 'column' },
  content: { flex: 1, display: 'grid', gap: theme.spacing(1), alignContent: 'start' },
  steps: { fontFamily: 'monospace', fontSize: 12, color: theme.palette.text.secondary },
  missing: {
    color: theme.palette.warning.dark,
    display: 'flex',
    gap: theme.spacing(0.5),
    alignItems: 'center',
  },
}));

/** The templates gallery: built-in and shared pipelines, instantiated into jobs. */
export function TemplatesPage() {
  const classes = useStyles();
  const shared = useSharedStyles();
  const client = usePipelinesClient();
  const abilities = usePipelineAbilities();
  const navigate = useNavigate();
  const templates = useAsyncResource(signal => client.templates(signal), [client]);
  const [instantiating, setInstantiating] = useState<PipelineTemplate>();
  const [importing, setImporting] = useState(false);
  const [content, setContent] = useState('');
  const [visibility, setVisibility] = useState<'private' | 'workspace'>('private');
  const [error, setError] = useState<string>();

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
    } catch (actionError) {
      setError(errorMessage(actionError));
    }
  };

  return (
    <Box>
      <Box className={classes.toolbar}>
        <Typography variant="body1" color="textSecondary" style={{ flex: 1 }}>
          Reusable, parameterized jobs that orchestrate the governance groups. Instantiate one to
          get a job you can edit and schedule.
        </Typography>
        {abilities.create && (
          <Button
            variant="outlined"
            startIcon={<CloudUploadIcon />}
            onClick={() => setImporting(true)}
            data-testid="import-pipeline"
          >
            Import
          </Button>
        )}
      </Box>
      {(templates.error || error) && (
        <Paper variant="outlined" className={shared.error} role="alert">
          <Typography variant="body2">
            {error ?? `Could not load pipelines: ${templates.error?.message}`}
          </Typography>
        </Paper>
      )}
      {templates.loading && !templates.value && <LinearProgress />}
      <Box className={classes.gallery} data-testid="templates-gallery">
        {(templates.value ?? []).map(t => (
          <Card
            key={t.id}
            variant="outlined"
            className={classes.card}
            data-testid="template-card"
            data-name={t.name}
          >
            <CardContent className={classes.content}>
              <Box display="flex" alignItems="center" gridGap={8}>
                <Typography variant="h6" style={{ flex: 1 }}>
                  {t.name}
                </Typography>
                <Chip
                  size="small"
                  label={
                    t.builtin
                      ? 'built-in'
                      : t.visibility === 'workspace'
                        ? `shared · ${t.workspace}`
                        : 'private'
                  }
                />
              </Box>
              <Typography variant="body2">{t.description}</Typography>
              <Box className={shared.chips}>
                {t.tags.map(tag => (
                  <Chip key={tag} size="small" variant="outlined" label={tag} />
                ))}
              </Box>
              <Typography className={classes.steps}>
                {t.tasks.map(task => task.key).join(' → ')}
              </Typography>
              {t.parameters.length > 0 && (
                <Typography variant="caption" color="textSecondary">
                  Parameters: {t.parameters.map(p => p.name).join(', ')}
                </Typography>
              )}
              {t.schedule && (
                <Typography variant="caption" color="textSecondary">
                  Scheduled {t.schedule.cron} ({t.schedule.timezone})
                </Typography>
              )}
              {t.missingSteps.length > 0 && (
                <Typography variant="body2" className={classes.missing} data-testid="missing-steps">
                  <WarningIcon fontSize="small" /> Needs {t.missingSteps.join(', ')} (not installed
                  or switched off)
                </Typography>
              )}
            </CardContent>
            <CardActions>
              {abilities.create && (
                <Button
                  color="primary"
                  variant="contained"
                  size="small"
                  disabled={t.missingSteps.length > 0}
                  onClick={() => setInstantiating(t)}
                  data-testid="instantiate"
                >
                  Use pipeline
                </Button>
              )}
              <Button
                size="small"
                startIcon={<GetAppIcon />}
                onClick={() =>
                  act(async () => {
                    const exported = await client.exportTemplate(t.id, 'yaml');
                    download(exported.filename, exported.content, 'application/yaml');
                  })
                }
              >
                YAML
              </Button>
              <Button
                size="small"
                startIcon={<GetAppIcon />}
                onClick={() =>
                  act(async () => {
                    const exported = await client.exportTemplate(t.id, 'json');
                    download(exported.filename, exported.content, 'application/json');
                  })
                }
              >
                JSON
              </Button>
              {!t.builtin && abilities.delete && (
                <Button
                  size="small"
                  startIcon={<DeleteIcon />}
                  onClick={() =>
                    act(async () => {
                      await client.deleteTemplate(t.id);
                      templates.reload();
                    })
                  }
                >
                  Delete
                </Button>
              )}
            </CardActions>
          </Card>
        ))}
      </Box>
      {instantiating && (
        <RunDialog
          job={instantiating}
          title={`New job from '${instantiating.name}'`}
          action="Create job"
          onClose={() => setInstantiating(undefined)}
          onRun={parameters =>
            act(async () => {
              const job = await client.instantiate(instantiating.id, { parameters });
              navigate(`/jobs/${encodeURIComponent(job.id)}?tab=tasks`);
            }).then(() => setInstantiating(undefined))
          }
        />
      )}
      {importing && (
        <Dialog open onClose={() => setImporting(false)} fullWidth maxWidth="md">
          <DialogTitle>Import a pipeline</DialogTitle>
          <DialogContent style={{ display: 'grid', gap: 12 }}>
            <Typography variant="body2" color="textSecondary">
              Paste a pipeline exported as YAML or JSON (kind: Pipeline).
            </Typography>
            <TextField
              multiline
              minRows={12}
              variant="outlined"
              value={content}
              onChange={e => setContent(e.target.value)}
              inputProps={{
                style: { fontFamily: 'monospace', fontSize: 12 },
                'data-testid': 'import-content',
              }}
            />
            <TextField
              select
              size="small"
              variant="outlined"
              label="Visibility"
              value={visibility}
              onChange={e => setVisibility(e.target.value as 'private' | 'workspace')}
            >
              <MenuItem value="private">Only for me</MenuItem>
              <MenuItem value="workspace">Shared in the workspace</MenuItem>
            </TextField>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setImporting(false)}>Cancel</Button>
            <Button
              color="primary"
              variant="contained"
              disabled={!content.trim()}
              data-testid="confirm-import"
              onClick={() =>
                act(async () => {
                  await client.importTemplate(content, visibility);
                  setImporting(false);
                  setContent('');
                  templates.reload();
                })
              }
            >
              Import
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Box>
  );
}
