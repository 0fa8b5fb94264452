import {
  Box,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Grid,
  LinearProgress,
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
  formatCompositeExpression,
  parseCompositeExpression,
  sensitivityLevels,
  type ClassifierCategory,
  type CustomRule,
  type CustomRuleDefinitionInput,
  type CustomRuleType,
  type SensitivityLevel,
} from '@racine/plugin-classifications-common';
import { useEffect, useState, type ChangeEvent } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import { useClassificationsClient } from '../api/ClassificationsClient';
import { RULE_TYPE_LABELS } from './RulesPage';
import { RuleTestPanel } from './RuleTestPanel';
import { ErrorPanel, formatRelative, shortActor, useAbilities, useSharedStyles } from './shared';

export interface RuleDraft {
  id: string;
  name: string;
  description: string;
  categories: ClassifierCategory[];
  sensitivity: SensitivityLevel;
  type: CustomRuleType;
  pattern: string;
  caseSensitive: boolean;
  target: 'column' | 'table' | 'column_or_table';
  confidence: string;
  minDistinct: string;
  threshold: string;
  terms: string;
  match: 'value' | 'word';
  expression: string;
  note: string;
}

const DEFAULT_THRESHOLDS: Record<CustomRuleType, string> = {
  value_regex: '0.8',
  dictionary: '0.8',
  name_regex: '0.5',
  composite: '0.5',
};

export function emptyDraft(): RuleDraft {
  return {
    id: '',
    name: '',
    description: '',
    categories: ['PII'],
    sensitivity: 'CONFIDENTIAL',
    type: 'value_regex',
    pattern: '',
    caseSensitive: false,
    target: 'column',
    confidence: '0.8',
    minDistinct: '3',
    threshold: '0.8',
    terms: '',
    match: 'value',
    expression: '',
    note: '',
  };
}

export function draftOf(rule: CustomRule): RuleDraft {
  const d = rule.definition;
  return {
    ...emptyDraft(),
    id: rule.id,
    name: rule.name,
    description: rule.description,
    categories: [...rule.categories],
    sensitivity: rule.sensitivity,
    type: d.type,
    threshold: String(d.threshold),
    ...(d.type === 'value_regex'
      ? { pattern: d.pattern, caseSensitive: d.caseSensitive, minDistinct: String(d.minDistinct) }
      : {}),
    ...(d.type === 'name_regex'
      ? {
          pattern: d.pattern,
          caseSensitive: d.caseSensitive,
          target: d.target,
          confidence: String(d.confidence),
        }
      : {}),
    ...(d.type === 'dictionary'
      ? { terms: d.terms.join('\n'), match: d.match, minDistinct: String(d.minDistinct) }
      : {}),
    ...(d.type === 'composite' ? { expression: formatCompositeExpression(d.expression) } : {}),
  };
}

/** The definition a draft describes, or the reason it cannot be built yet. */
export function definitionOf(draft: RuleDraft): {
  definition?: CustomRuleDefinitionInput;
  error?: string;
} {
  const threshold = Number(draft.threshold);
  if (draft.threshold === '' || !(threshold >= 0 && threshold <= 1))
    return { error: 'The threshold must be between 0 and 1' };
  const minDistinct = Number(draft.minDistinct);
  switch (draft.type) {
    case 'value_regex':
      if (!draft.pattern) return { error: 'Write the regular expression values must match' };
      if (!Number.isInteger(minDistinct) || minDistinct < 1)
        return { error: 'Minimum distinct values must be a whole number ≥ 1' };
      return {
        definition: {
          type: 'value_regex',
          pattern: draft.pattern,
          caseSensitive: draft.caseSensitive,
          minDistinct,
          threshold,
        },
      };
    case 'name_regex': {
      const confidence = Number(draft.confidence);
      if (!draft.pattern) return { error: 'Write the regular expression names must match' };
      if (!(confidence >= 0 && confidence <= 1))
        return { error: 'The confidence must be between 0 and 1' };
      return {
        definition: {
          type: 'name_regex',
          pattern: draft.pattern,
          caseSensitive: draft.caseSensitive,
          target: draft.target,
          confidence,
          threshold,
        },
      };
    }
    case 'dictionary': {
      const terms = draft.terms
        .split(/\r?\n/)
        .map(t => t.trim())
        .filter(Boolean);
      if (terms.length === 0)
        return { error: 'List at least one term (one per line), or upload a file' };
      if (!Number.isInteger(minDistinct) || minDistinct < 1)
        return { error: 'Minimum distinct values must be a whole number ≥ 1' };
      return {
        definition: { type: 'dictionary', terms, match: draft.match, minDistinct, threshold },
      };
    }
    case 'composite':
      try {
        return {
          definition: {
            type: 'composite',
            expression: parseCompositeExpression(draft.expression),
            threshold,
          },
        };
      } catch (e) {
        return { error: errorMessage(e) };
      }
  }
}

/** Create or edit a custom rule, with a live test and, for saved rules, its versions. */
export function RuleEditorPage(props: { mode: 'create' | 'edit' }) {
  const classes = useSharedStyles();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useClassificationsClient();
  const abilities = useAbilities();
  const existing = useAsyncResource(
    signal => (props.mode === 'edit' ? client.rule(id, signal) : Promise.resolve(undefined)),
    [client, id, props.mode],
  );
  const versions = useAsyncResource(
    signal => (props.mode === 'edit' ? client.ruleVersions(id, signal) : Promise.resolve([])),
    [client, id, props.mode],
  );
  const [rule, setRule] = useState<CustomRule>();
  const [draft, setDraft] = useState<RuleDraft>(emptyDraft);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    if (existing.value) {
      setRule(existing.value);
      setDraft(draftOf(existing.value));
    }
  }, [existing.value]);

  const canWrite = props.mode === 'create' ? abilities.create : abilities.edit;
  const { definition, error: definitionError } = definitionOf(draft);
  const set =
    <K extends keyof RuleDraft>(key: K) =>
    (value: RuleDraft[K]) =>
      setDraft(d => ({ ...d, [key]: value }));
  const field =
    (
      key:
        | 'id'
        | 'name'
        | 'description'
        | 'pattern'
        | 'confidence'
        | 'minDistinct'
        | 'threshold'
        | 'terms'
        | 'expression'
        | 'note',
    ) =>
    (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      set(key)(e.target.value);

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    const text = await file.text();
    // One term per line; a CSV's first column.
    const terms = text
      .split(/\r?\n/)
      .map(line =>
        line
          .split(/[,;\t]/)[0]!
          .replace(/^"|"$/g, '')
          .trim(),
      )
      .filter(Boolean);
    set('terms')([draft.terms.trim(), ...terms].filter(Boolean).join('\n'));
    e.target.value = '';
  };

  const save = async () => {
    if (!definition) return;
    setSaving(true);
    setError(undefined);
    try {
      if (props.mode === 'create') {
        const created = await client.createRule({
          ...(draft.id.trim() ? { id: draft.id.trim() } : {}),
          name: draft.name,
          description: draft.description,
          categories: draft.categories,
          sensitivity: draft.sensitivity,
          definition,
          note: draft.note,
        });
        navigate(`/classifications/rules/${encodeURIComponent(created.id)}`);
      } else if (rule) {
        const updated = await client.updateRule(rule.id, {
          name: draft.name,
          description: draft.description,
          categories: draft.categories,
          sensitivity: draft.sensitivity,
          definition,
          note: draft.note,
          basedOn: rule.version,
        });
        setRule(updated);
        setDraft(draftOf(updated));
        versions.reload();
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const toggleEnabled = async (enabled: boolean) => {
    if (!rule) return;
    try {
      setRule(await client.setRuleEnabled(rule.id, enabled));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const restore = async (version: number) => {
    if (!rule) return;
    setError(undefined);
    try {
      const updated = await client.rollbackRule(rule.id, version);
      setRule(updated);
      setDraft(draftOf(updated));
      versions.reload();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const remove = async () => {
    if (!rule) return;
    try {
      await client.deleteRule(rule.id);
      navigate('/classifications/rules');
    } catch (e) {
      setConfirmDelete(false);
      setError(errorMessage(e));
    }
  };

  if (props.mode === 'edit' && existing.error)
    return (
      <ErrorPanel>
        Could not load rule {id}: {existing.error.message}
      </ErrorPanel>
    );
  if (props.mode === 'edit' && !rule) return <LinearProgress />;

  return (
    <Box data-testid="rule-editor">
      <Button
        component={RouterLink}
        to="/classifications/rules"
        startIcon={<ArrowBackIcon />}
        size="small"
      >
        Custom rules
      </Button>
      <Box my={2} display="flex" alignItems="center" style={{ gap: 16 }}>
        <Box flex={1}>
          <Typography variant="h5">{props.mode === 'create' ? 'New rule' : rule!.name}</Typography>
          {rule && (
            <Typography
              variant="body2"
              className={`${classes.mono} ${classes.muted}`}
              data-testid="rule-id"
            >
              {rule.id} · version {rule.version} · changed {formatRelative(rule.updatedAt)} by{' '}
              {shortActor(rule.updatedBy)}
            </Typography>
          )}
        </Box>
        {rule && (
          <FormControlLabel
            control={
              <Switch
                color="primary"
                checked={rule.enabled}
                disabled={!abilities.edit}
                onChange={e => toggleEnabled(e.target.checked)}
                data-testid="rule-enabled"
              />
            }
            label={rule.enabled ? 'Enabled' : 'Disabled'}
          />
        )}
        {rule && abilities.delete && (
          <Button
            variant="outlined"
            onClick={() => setConfirmDelete(true)}
            data-testid="delete-rule"
          >
            Delete
          </Button>
        )}
      </Box>
      {error && <ErrorPanel>{error}</ErrorPanel>}
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <Paper variant="outlined" className={classes.section} data-testid="rule-form">
            <Typography className={classes.sectionTitle}>What it labels</Typography>
            {props.mode === 'create' && (
              <TextField
                fullWidth
                margin="dense"
                variant="outlined"
                size="small"
                label="Id (optional)"
                placeholder="ACME.EMPLOYEE_BADGE"
                helperText="NAMESPACE.NAME in capitals; derived from the name when left empty. Labels carry it."
                value={draft.id}
                onChange={field('id')}
                inputProps={{ 'data-testid': 'rule-id-input' }}
              />
            )}
            <TextField
              fullWidth
              margin="dense"
              variant="outlined"
              size="small"
              label="Name"
              required
              value={draft.name}
              onChange={field('name')}
              inputProps={{ 'data-testid': 'rule-name' }}
            />
            <TextField
              fullWidth
              margin="dense"
              variant="outlined"
              size="small"
              label="Description"
              multiline
              minRows={2}
              value={draft.description}
              onChange={field('description')}
            />
            <Box display="flex" style={{ gap: 16 }} alignItems="center" mt={1}>
              <TextField
                select
                variant="outlined"
                size="small"
                label="Sensitivity"
                value={draft.sensitivity}
                onChange={e => set('sensitivity')(e.target.value as SensitivityLevel)}
                style={{ minWidth: 170 }}
              >
                {sensitivityLevels.map(s => (
                  <MenuItem key={s} value={s}>
                    {s}
                  </MenuItem>
                ))}
              </TextField>
              <Box className={classes.chips}>
                {classifierCategories.map(cat => (
                  <FormControlLabel
                    key={cat}
                    control={
                      <Checkbox
                        size="small"
                        color="primary"
                        checked={draft.categories.includes(cat)}
                        onChange={e =>
                          set('categories')(
                            e.target.checked
                              ? [...draft.categories, cat]
                              : draft.categories.filter(c => c !== cat),
                          )
                        }
                      />
                    }
                    label={cat}
                  />
                ))}
              </Box>
            </Box>

            <Typography className={classes.sectionTitle} style={{ marginTop: 16 }}>
              How it decides
            </Typography>
            <TextField
              select
              fullWidth
              margin="dense"
              variant="outlined"
              size="small"
              label="Rule type"
              value={draft.type}
              onChange={e => {
                const type = e.target.value as CustomRuleType;
                setDraft(d => ({ ...d, type, threshold: DEFAULT_THRESHOLDS[type] }));
              }}
              SelectProps={{ SelectDisplayProps: { 'data-testid': 'rule-type' } as object }}
            >
              {(Object.keys(RULE_TYPE_LABELS) as CustomRuleType[]).map(t => (
                <MenuItem key={t} value={t} data-testid={`rule-type-${t}`}>
                  {RULE_TYPE_LABELS[t]}
                </MenuItem>
              ))}
            </TextField>
            {(draft.type === 'value_regex' || draft.type === 'name_regex') && (
              <>
                <TextField
                  fullWidth
                  margin="dense"
                  variant="outlined"
                  size="small"
                  label="Regular expression"
                  placeholder={draft.type === 'value_regex' ? '^ACME-\\d{6}$' : '^(emp|staff)_'}
                  value={draft.pattern}
                  onChange={field('pattern')}
                  helperText="JavaScript syntax. Patterns that could backtrack catastrophically are refused."
                  inputProps={{ 'data-testid': 'rule-pattern', className: classes.mono }}
                />
                <FormControlLabel
                  control={
                    <Checkbox
                      size="small"
                      color="primary"
                      checked={draft.caseSensitive}
                      onChange={e => set('caseSensitive')(e.target.checked)}
                    />
                  }
                  label="Case sensitive"
                />
              </>
            )}
            {draft.type === 'name_regex' && (
              <Box display="flex" style={{ gap: 16 }}>
                <TextField
                  select
                  margin="dense"
                  variant="outlined"
                  size="small"
                  label="Match"
                  value={draft.target}
                  onChange={e => set('target')(e.target.value as RuleDraft['target'])}
                  style={{ minWidth: 200 }}
                >
                  <MenuItem value="column">the column name</MenuItem>
                  <MenuItem value="table">the table name</MenuItem>
                  <MenuItem value="column_or_table">column or table name</MenuItem>
                </TextField>
                <TextField
                  margin="dense"
                  variant="outlined"
                  size="small"
                  type="number"
                  label="Confidence when it matches"
                  value={draft.confidence}
                  onChange={field('confidence')}
                  inputProps={{ min: 0, max: 1, step: 0.05 }}
                />
              </Box>
            )}
            {draft.type === 'dictionary' && (
              <>
                <TextField
                  fullWidth
                  margin="dense"
                  variant="outlined"
                  size="small"
                  label="Terms, one per line"
                  multiline
                  minRows={5}
                  maxRows={12}
                  value={draft.terms}
                  onChange={field('terms')}
                  helperText={`${draft.terms.split(/\r?\n/).filter(t => t.trim()).length} terms. Matching ignores case and accents (Zoë matches ZOE).`}
                  inputProps={{ 'data-testid': 'rule-terms' }}
                />
                <Box display="flex" alignItems="center" style={{ gap: 16 }}>
                  <Button variant="outlined" size="small" component="label">
                    Upload a list (.txt, .csv)
                    <input
                      type="file"
                      accept=".txt,.csv,text/plain,text/csv"
                      hidden
                      onChange={upload}
                      data-testid="rule-terms-file"
                    />
                  </Button>
                  <TextField
                    select
                    margin="dense"
                    variant="outlined"
                    size="small"
                    label="A value matches when"
                    value={draft.match}
                    onChange={e => set('match')(e.target.value as RuleDraft['match'])}
                    style={{ minWidth: 220 }}
                  >
                    <MenuItem value="value">it is a term</MenuItem>
                    <MenuItem value="word">it is or contains a term</MenuItem>
                  </TextField>
                </Box>
              </>
            )}
            {draft.type === 'composite' && (
              <TextField
                fullWidth
                margin="dense"
                variant="outlined"
                size="small"
                label="Expression"
                placeholder="PII.EMAIL_ADDRESS AND NOT ACME.TEST_DATA"
                value={draft.expression}
                onChange={field('expression')}
                helperText="Combine rule and classifier ids with AND, OR, NOT and parentheses."
                inputProps={{ 'data-testid': 'rule-expression', className: classes.mono }}
              />
            )}
            <Box display="flex" style={{ gap: 16 }}>
              <TextField
                margin="dense"
                variant="outlined"
                size="small"
                type="number"
                label="Threshold"
                helperText={
                  draft.type === 'value_regex' || draft.type === 'dictionary'
                    ? 'Share of distinct values that must match'
                    : 'Minimum confidence'
                }
                style={{ minWidth: 220 }}
                value={draft.threshold}
                onChange={field('threshold')}
                inputProps={{ min: 0, max: 1, step: 0.05, 'data-testid': 'rule-threshold' }}
              />
              {(draft.type === 'value_regex' || draft.type === 'dictionary') && (
                <TextField
                  margin="dense"
                  variant="outlined"
                  size="small"
                  type="number"
                  label="Minimum distinct values"
                  helperText="Fewer: values do not count"
                  value={draft.minDistinct}
                  onChange={field('minDistinct')}
                  inputProps={{ min: 1, step: 1 }}
                />
              )}
            </Box>
            {definitionError && (draft.pattern || draft.terms || draft.expression) && (
              <Typography variant="body2" color="error" data-testid="definition-error">
                {definitionError}
              </Typography>
            )}
            {canWrite && (
              <Box display="flex" style={{ gap: 16 }} alignItems="center" mt={2}>
                <TextField
                  variant="outlined"
                  size="small"
                  label="Change note (optional)"
                  value={draft.note}
                  onChange={field('note')}
                  style={{ flex: 1 }}
                />
                <Button
                  variant="contained"
                  color="primary"
                  onClick={save}
                  disabled={
                    saving || !definition || !draft.name.trim() || draft.categories.length === 0
                  }
                  data-testid="save-rule"
                >
                  {props.mode === 'create' ? 'Create rule' : 'Save new version'}
                </Button>
              </Box>
            )}
          </Paper>
          {rule && (
            <Paper variant="outlined" className={classes.section} data-testid="rule-versions">
              <Typography className={classes.sectionTitle}>Versions</Typography>
              {(versions.value ?? []).map(v => (
                <Box
                  key={v.version}
                  display="flex"
                  alignItems="center"
                  py={0.5}
                  style={{ gap: 12 }}
                  data-testid="rule-version"
                >
                  <Typography variant="body2" style={{ width: 36 }}>
                    v{v.version}
                  </Typography>
                  <Typography variant="body2" style={{ flex: 1 }}>
                    {v.note || <span className={classes.muted}>no note</span>}
                    <span className={classes.muted}>
                      {' '}
                      · {shortActor(v.createdBy)} · {formatRelative(v.createdAt)}
                    </span>
                  </Typography>
                  {v.version !== rule.version && abilities.edit && (
                    <Button size="small" onClick={() => restore(v.version)}>
                      Restore
                    </Button>
                  )}
                </Box>
              ))}
            </Paper>
          )}
        </Grid>
        <Grid item xs={12} md={6}>
          <RuleTestPanel
            definition={definition}
            ruleId={rule?.id}
            canTest={abilities.create || abilities.edit}
          />
        </Grid>
      </Grid>
      <Dialog open={confirmDelete} onClose={() => setConfirmDelete(false)}>
        <DialogTitle>Delete rule {rule?.id}?</DialogTitle>
        <DialogContent>
          <Typography variant="body2">
            Scans stop attaching its labels. Labels it attached stay in the catalog; its versions
            are kept and its id cannot be reused.
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
          <Button
            color="secondary"
            variant="contained"
            onClick={remove}
            data-testid="confirm-delete-rule"
          >
            Delete
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
