import {
  Box,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Grid,
  InputAdornment,
  makeStyles,
  MenuItem,
  Paper,
  Slider,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  MAX_SAMPLE_SIZE,
  MAX_TABLE_TIMEOUT_SECONDS,
  PROFILE_METRICS,
  SYSTEM_SCHEMAS,
  type ClassifierCatalog,
  type ProfileMetric,
} from '@racine/plugin-scan-rulesets-common';
import type { ReactNode } from 'react';
import { ChipsField } from './ChipsField';
import { listError, type RuleSetDraft } from './draft';

const useStyles = makeStyles(theme => ({
  section: { padding: theme.spacing(2, 2.5), marginBottom: theme.spacing(2) },
  sectionTitle: { fontWeight: 600, marginBottom: theme.spacing(0.5) },
  hint: { marginBottom: theme.spacing(1) },
  slider: { display: 'flex', alignItems: 'center', gap: theme.spacing(2) },
}));

const METRIC_LABELS: Record<ProfileMetric, string> = {
  rowCount: 'Row count',
  nullCount: 'Nulls',
  distinctCount: 'Distinct values',
  min: 'Minimum',
  max: 'Maximum',
  avgLength: 'Average length',
  maxLength: 'Maximum length',
  mean: 'Mean',
};

function Section(props: { title: string; hint?: ReactNode; children: ReactNode; testId: string }) {
  const classes = useStyles();
  return (
    <Paper variant="outlined" className={classes.section} data-testid={props.testId}>
      <Typography variant="subtitle1" component="h2" className={classes.sectionTitle}>
        {props.title}
      </Typography>
      {props.hint && (
        <Typography variant="body2" color="textSecondary" className={classes.hint}>
          {props.hint}
        </Typography>
      )}
      {props.children}
    </Paper>
  );
}

export interface RuleSetEditorProps {
  draft: RuleSetDraft;
  onChange(draft: RuleSetDraft): void;
  errors: Record<string, string>;
  catalog?: ClassifierCatalog;
  disabled?: boolean;
}

/** A form for every field of a rule set definition, plus its name and description. */
export function RuleSetEditor(props: RuleSetEditorProps) {
  const classes = useStyles();
  const { draft, errors, disabled } = props;
  const set = <K extends keyof RuleSetDraft>(key: K, value: RuleSetDraft[K]) =>
    props.onChange({ ...draft, [key]: value });
  const setList = (
    side: 'include' | 'exclude',
    key: 'schemas' | 'tables' | 'columns',
    value: string[],
  ) => props.onChange({ ...draft, [side]: { ...draft[side], [key]: value } });
  const classifierOptions = props.catalog?.items.map(c => ({
    value: c.id,
    label: c.name,
    detail: c.categories.join(', '),
  }));
  const categoryOptions = props.catalog?.categories.map(c => ({ value: c }));
  const confidence = Number(draft.minConfidence);

  const globs = (side: 'include' | 'exclude') => (
    <Grid container spacing={0}>
      {(['schemas', 'tables', 'columns'] as const).map(key => (
        <Grid item xs={12} key={key}>
          <ChipsField
            label={key[0].toUpperCase() + key.slice(1)}
            value={draft[side][key]}
            onChange={value => setList(side, key, value)}
            placeholder={side === 'include' ? '* (everything)' : 'nothing'}
            error={listError(errors, `${side}.${key}`)}
            disabled={disabled}
            data-testid={`${side}-${key}`}
          />
        </Grid>
      ))}
    </Grid>
  );

  return (
    <Box data-testid="rule-set-editor">
      <Section title="General" testId="section-general">
        <TextField
          label="Name"
          value={draft.name}
          onChange={e => set('name', e.target.value)}
          error={Boolean(errors.name)}
          helperText={errors.name}
          fullWidth
          variant="outlined"
          size="small"
          margin="dense"
          disabled={disabled}
          inputProps={{ 'data-testid': 'rule-set-name', maxLength: 200 }}
        />
        <TextField
          label="Description"
          value={draft.description}
          onChange={e => set('description', e.target.value)}
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
          size="small"
          margin="dense"
          disabled={disabled}
          inputProps={{ 'data-testid': 'rule-set-description', maxLength: 4000 }}
        />
      </Section>

      <Section
        title="Include"
        testId="section-include"
        hint={
          <>
            Globs, case-insensitive: <code>*</code> any text, <code>?</code> one character,{' '}
            <code>{'{a,b}'}</code> either. A table glob with a dot also matches{' '}
            <code>schema.table</code>; a column glob with a dot also matches{' '}
            <code>table.column</code>. Empty means everything.
          </>
        }
      >
        {globs('include')}
      </Section>

      <Section
        title="Exclude"
        testId="section-exclude"
        hint={`Exclusion wins over inclusion. By default the engines' system schemas are excluded (${SYSTEM_SCHEMAS.join(', ')}).`}
      >
        {globs('exclude')}
      </Section>

      <Section
        title="Classifiers"
        testId="section-classifiers"
        hint="A classifier runs when its id or one of its categories is listed. Leave both empty to run every enabled classifier."
      >
        <Grid container spacing={2}>
          <Grid item xs={12} md={6}>
            <ChipsField
              label="Categories"
              value={draft.categories}
              onChange={value => set('categories', value)}
              options={categoryOptions}
              restrictToOptions={Boolean(categoryOptions)}
              placeholder="All categories"
              error={listError(errors, 'classifiers.categories')}
              disabled={disabled}
              data-testid="classifier-categories"
            />
          </Grid>
          <Grid item xs={12} md={6}>
            <ChipsField
              label="Classifiers"
              value={draft.classifierIds}
              onChange={value => set('classifierIds', value)}
              options={classifierOptions}
              restrictToOptions={Boolean(classifierOptions)}
              placeholder="Pick by name or id"
              error={listError(errors, 'classifiers.ids')}
              disabled={disabled}
              data-testid="classifier-ids"
            />
          </Grid>
        </Grid>
        <FormControl fullWidth margin="dense" error={Boolean(errors['classifiers.minConfidence'])}>
          <FormLabel>Minimum confidence</FormLabel>
          <Box className={classes.slider}>
            <Slider
              value={Number.isFinite(confidence) ? confidence : 0}
              min={0}
              max={1}
              step={0.05}
              onChange={(_e, value) => set('minConfidence', String(value as number))}
              disabled={disabled}
              aria-label="Minimum confidence"
            />
            <TextField
              value={draft.minConfidence}
              onChange={e => set('minConfidence', e.target.value)}
              type="number"
              size="small"
              variant="outlined"
              style={{ width: 110 }}
              disabled={disabled}
              inputProps={{ step: 0.05, min: 0, max: 1, 'data-testid': 'min-confidence' }}
            />
          </Box>
          <FormHelperText>
            {errors['classifiers.minConfidence'] ??
              'Labels below this confidence are dropped (0 to 1).'}
          </FormHelperText>
        </FormControl>
      </Section>

      <Section title="Sampling and profiling" testId="section-sampling">
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            <TextField
              label="Sample size"
              value={draft.sampleSize}
              onChange={e => set('sampleSize', e.target.value)}
              type="number"
              fullWidth
              variant="outlined"
              size="small"
              margin="dense"
              error={Boolean(errors['sampling.size'])}
              helperText={
                errors['sampling.size'] ??
                `Rows per table, 1 to ${MAX_SAMPLE_SIZE.toLocaleString()}`
              }
              InputProps={{ endAdornment: <InputAdornment position="end">rows</InputAdornment> }}
              disabled={disabled}
              inputProps={{ min: 1, max: MAX_SAMPLE_SIZE, 'data-testid': 'sample-size' }}
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              select
              label="Strategy"
              value={draft.strategy}
              onChange={e => set('strategy', e.target.value as RuleSetDraft['strategy'])}
              fullWidth
              variant="outlined"
              size="small"
              margin="dense"
              disabled={disabled}
              helperText="Random rows spread the sample over the whole table"
              SelectProps={{ SelectDisplayProps: { 'data-testid': 'sample-strategy' } as object }}
            >
              <MenuItem value="random">Random rows</MenuItem>
              <MenuItem value="first">First rows</MenuItem>
            </TextField>
          </Grid>
        </Grid>
        <FormControlLabel
          control={
            <Switch
              checked={draft.profilingEnabled}
              onChange={e => set('profilingEnabled', e.target.checked)}
              color="primary"
              disabled={disabled}
              inputProps={{ 'data-testid': 'profiling-enabled' } as object}
            />
          }
          label="Profile columns"
        />
        <FormControl
          component="fieldset"
          disabled={disabled || !draft.profilingEnabled}
          error={Boolean(errors['profiling.metrics'])}
        >
          <FormGroup row>
            {PROFILE_METRICS.map(metric => (
              <FormControlLabel
                key={metric}
                control={
                  <Checkbox
                    size="small"
                    color="primary"
                    checked={draft.metrics.includes(metric)}
                    onChange={e =>
                      set(
                        'metrics',
                        e.target.checked
                          ? PROFILE_METRICS.filter(m => m === metric || draft.metrics.includes(m))
                          : draft.metrics.filter(m => m !== metric),
                      )
                    }
                  />
                }
                label={METRIC_LABELS[metric]}
              />
            ))}
          </FormGroup>
          {errors['profiling.metrics'] && (
            <FormHelperText>{errors['profiling.metrics']}</FormHelperText>
          )}
        </FormControl>
      </Section>

      <Section title="Limits" testId="section-limits">
        <FormControlLabel
          control={
            <Switch
              checked={draft.incremental}
              onChange={e => set('incremental', e.target.checked)}
              color="primary"
              disabled={disabled}
              inputProps={{ 'data-testid': 'incremental' } as object}
            />
          }
          label="Incremental: skip tables that have not changed since the last scan"
        />
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            <TextField
              label="Table limit"
              value={draft.tableLimit}
              onChange={e => set('tableLimit', e.target.value)}
              type="number"
              fullWidth
              variant="outlined"
              size="small"
              margin="dense"
              placeholder="No limit"
              error={Boolean(errors.tableLimit)}
              helperText={
                errors.tableLimit ??
                'Scan at most this many tables (schema, then table order); empty for no limit'
              }
              disabled={disabled}
              inputProps={{ min: 1, 'data-testid': 'table-limit' }}
            />
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              label="Per-table timeout"
              value={draft.tableTimeoutSeconds}
              onChange={e => set('tableTimeoutSeconds', e.target.value)}
              type="number"
              fullWidth
              variant="outlined"
              size="small"
              margin="dense"
              error={Boolean(errors.tableTimeoutSeconds)}
              helperText={
                errors.tableTimeoutSeconds ??
                `Give up on a table after this long, 1 to ${MAX_TABLE_TIMEOUT_SECONDS}`
              }
              InputProps={{ endAdornment: <InputAdornment position="end">seconds</InputAdornment> }}
              disabled={disabled}
              inputProps={{
                min: 1,
                max: MAX_TABLE_TIMEOUT_SECONDS,
                'data-testid': 'table-timeout',
              }}
            />
          </Grid>
        </Grid>
      </Section>
    </Box>
  );
}
