import {
  Box,
  Button,
  Checkbox,
  Chip,
  FormControlLabel,
  Grid,
  LinearProgress,
  Link,
  MenuItem,
  Paper,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import {
  classifierCategories,
  sensitivityLevels,
  type ClassifierCategory,
  type ClassifierDetails,
  type SensitivityLevel,
} from '@racine/plugin-classifications-common';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router-dom';
import { useClassificationsClient } from '../api/ClassificationsClient';
import {
  ErrorPanel,
  formatPercent,
  formatRelative,
  SensitivityChip,
  shortActor,
  useAbilities,
  useSharedStyles,
} from './shared';

interface Draft {
  enabled: boolean;
  threshold: string;
  sensitivity: SensitivityLevel;
  categories: ClassifierCategory[];
}

const draftOf = (c: ClassifierDetails): Draft => ({
  enabled: c.enabled,
  threshold: String(c.threshold),
  sensitivity: c.sensitivity,
  categories: [...c.categories],
});

/** One classifier: what it looks for, examples, and its settings (editable with classification.train). */
export function ClassifierDetailPage() {
  const classes = useSharedStyles();
  const { id = '' } = useParams();
  const client = useClassificationsClient();
  const abilities = useAbilities();
  const details = useAsyncResource(signal => client.classifier(id, signal), [client, id]);
  const accuracy = useAsyncResource(
    signal => client.accuracy(signal).catch(() => undefined),
    [client],
  );
  const [current, setCurrent] = useState<ClassifierDetails>();
  const [draft, setDraft] = useState<Draft>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (details.value) {
      setCurrent(details.value);
      setDraft(draftOf(details.value));
    }
  }, [details.value]);

  if (details.error)
    return (
      <ErrorPanel>
        Could not load classifier {id}: {details.error.message}
      </ErrorPanel>
    );
  if (!current || !draft) return <LinearProgress />;
  const stats = accuracy.value?.items.find(i => i.classifierId === id);
  const threshold = Number(draft.threshold);
  const thresholdValid = draft.threshold !== '' && threshold >= 0 && threshold <= 1;

  const save = async (body: Parameters<typeof client.updateClassifier>[1]) => {
    setSaving(true);
    setError(undefined);
    setSaved(false);
    try {
      const updated = await client.updateClassifier(id, body);
      setCurrent(updated);
      setDraft(draftOf(updated));
      setSaved(true);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box data-testid="classifier-details">
      <Button
        component={RouterLink}
        to="/classifications/library"
        startIcon={<ArrowBackIcon />}
        size="small"
      >
        Classifier library
      </Button>
      <Box my={2}>
        <Typography variant="h5" data-testid="classifier-name">
          {current.name}
        </Typography>
        <Typography variant="body2" className={`${classes.mono} ${classes.muted}`}>
          {current.id}
        </Typography>
        <Typography variant="body1" style={{ marginTop: 8 }}>
          {current.description}
        </Typography>
      </Box>
      <Grid container spacing={2}>
        <Grid item xs={12} md={7}>
          <Paper variant="outlined" className={classes.section}>
            <Typography className={classes.sectionTitle}>Examples</Typography>
            <Typography variant="body2" className={classes.muted} gutterBottom>
              Synthetic values this classifier recognises, and how a label's evidence shows them
              (masked).
            </Typography>
            <Box
              component="table"
              style={{ borderSpacing: '16px 4px', marginLeft: -16 }}
              data-testid="classifier-examples"
            >
              <tbody>
                {current.examples.map((example, i) => (
                  <tr key={example}>
                    <td className={classes.mono}>{example}</td>
                    <td className={`${classes.mono} ${classes.muted}`}>
                      → {current.maskedExamples[i]}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Box>
          </Paper>
          <Paper variant="outlined" className={classes.section}>
            <Typography className={classes.sectionTitle}>How it decides</Typography>
            <Typography variant="body2" gutterBottom>
              Value evidence: <strong>{current.valueEvidence}</strong>
              {current.minDistinct !== null && (
                <> · at least {current.minDistinct} distinct values before values count</>
              )}
            </Typography>
            {(['strong', 'weak', 'context', 'exclude'] as const).map(kind =>
              current.names[kind].length > 0 ? (
                <Box key={kind} mt={1}>
                  <Typography variant="caption" className={classes.muted}>
                    {
                      {
                        strong: 'Column names that point at it',
                        weak: 'Column names that suggest it',
                        context: 'Supporting words (table, comment, neighbours)',
                        exclude: 'Name tokens that rule it out',
                      }[kind]
                    }
                  </Typography>
                  <Box className={classes.chips}>
                    {current.names[kind].map(term => (
                      <Chip key={term} size="small" label={term} variant="outlined" />
                    ))}
                  </Box>
                </Box>
              ) : null,
            )}
          </Paper>
        </Grid>
        <Grid item xs={12} md={5}>
          <Paper variant="outlined" className={classes.section} data-testid="classifier-settings">
            <Typography className={classes.sectionTitle}>Settings</Typography>
            {error && <ErrorPanel>{error}</ErrorPanel>}
            <FormControlLabel
              control={
                <Switch
                  color="primary"
                  checked={draft.enabled}
                  disabled={!abilities.train}
                  onChange={e => setDraft({ ...draft, enabled: e.target.checked })}
                  inputProps={{ 'data-testid': 'setting-enabled' } as object}
                />
              }
              label={
                draft.enabled ? 'Enabled: scans attach its labels' : 'Disabled: scans ignore it'
              }
            />
            <TextField
              fullWidth
              margin="normal"
              variant="outlined"
              size="small"
              type="number"
              label="Threshold (minimum confidence)"
              value={draft.threshold}
              disabled={!abilities.train}
              error={!thresholdValid}
              helperText={`Default ${current.defaults.threshold}. Higher means fewer, surer labels.`}
              inputProps={{ min: 0, max: 1, step: 0.05, 'data-testid': 'setting-threshold' }}
              onChange={e => setDraft({ ...draft, threshold: e.target.value })}
            />
            <TextField
              select
              fullWidth
              margin="normal"
              variant="outlined"
              size="small"
              label="Sensitivity"
              value={draft.sensitivity}
              disabled={!abilities.train}
              helperText={`Default ${current.defaults.sensitivity}`}
              onChange={e =>
                setDraft({ ...draft, sensitivity: e.target.value as SensitivityLevel })
              }
              SelectProps={{
                SelectDisplayProps: { 'data-testid': 'setting-sensitivity' } as object,
              }}
            >
              {sensitivityLevels.map(s => (
                <MenuItem key={s} value={s}>
                  {s}
                </MenuItem>
              ))}
            </TextField>
            <Typography variant="caption" className={classes.muted}>
              Categories (default {current.defaults.categories.join(', ')})
            </Typography>
            <Box className={classes.chips}>
              {classifierCategories.map(cat => (
                <FormControlLabel
                  key={cat}
                  control={
                    <Checkbox
                      size="small"
                      color="primary"
                      disabled={!abilities.train}
                      checked={draft.categories.includes(cat)}
                      onChange={e =>
                        setDraft({
                          ...draft,
                          categories: e.target.checked
                            ? [...draft.categories, cat]
                            : draft.categories.filter(c => c !== cat),
                        })
                      }
                    />
                  }
                  label={cat}
                />
              ))}
            </Box>
            {abilities.train && (
              <Box display="flex" style={{ gap: 8 }} mt={2}>
                <Button
                  variant="contained"
                  color="primary"
                  disabled={saving || !thresholdValid || draft.categories.length === 0}
                  data-testid="save-classifier"
                  onClick={() =>
                    save({
                      enabled: draft.enabled,
                      threshold,
                      sensitivity: draft.sensitivity,
                      categories: draft.categories,
                    })
                  }
                >
                  Save
                </Button>
                <Button
                  disabled={saving || !current.overridden}
                  onClick={() =>
                    save({ enabled: null, threshold: null, sensitivity: null, categories: null })
                  }
                >
                  Reset to defaults
                </Button>
              </Box>
            )}
            {saved && (
              <Typography variant="body2" style={{ marginTop: 8 }} data-testid="classifier-saved">
                Saved. The next scans use these settings.
              </Typography>
            )}
            {current.updatedAt && (
              <Typography
                variant="caption"
                className={classes.muted}
                component="div"
                style={{ marginTop: 8 }}
              >
                Changed {formatRelative(current.updatedAt)} by {shortActor(current.updatedBy)}
              </Typography>
            )}
            <Box mt={1}>
              <SensitivityChip sensitivity={current.sensitivity} />
            </Box>
          </Paper>
          <Paper variant="outlined" className={classes.section}>
            <Typography className={classes.sectionTitle}>Accuracy</Typography>
            {stats ? (
              <Typography variant="body2" data-testid="classifier-precision">
                Precision <strong>{formatPercent(stats.precision)}</strong> from {stats.approved}{' '}
                approved and {stats.rejected} rejected label(s); {stats.suggested} waiting for
                review.{' '}
                <Link
                  component={RouterLink}
                  to={`/classifications/review?classifierId=${encodeURIComponent(id)}`}
                >
                  Review them
                </Link>
              </Typography>
            ) : (
              <Typography variant="body2" className={classes.muted}>
                No decisions on its labels yet.
              </Typography>
            )}
          </Paper>
        </Grid>
      </Grid>
    </Box>
  );
}
