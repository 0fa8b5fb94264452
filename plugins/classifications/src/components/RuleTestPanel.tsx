import {
  Box,
  Button,
  Chip,
  LinearProgress,
  MenuItem,
  Paper,
  Tab,
  Tabs,
  TextField,
  Typography,
} from '@material-ui/core';
import CheckIcon from '@material-ui/icons/Check';
import CloseIcon from '@material-ui/icons/Close';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type {
  CustomRuleDefinitionInput,
  RuleTestResult,
} from '@racine/plugin-classifications-common';
import { useEffect, useRef, useState } from 'react';
import { useClassificationsClient } from '../api/ClassificationsClient';
import { ConfidenceBar, useSharedStyles } from './shared';

export interface RuleTestPanelProps {
  /** The definition being edited; undefined while it is incomplete. */
  definition?: CustomRuleDefinitionInput;
  /** The saved rule being edited, if any. */
  ruleId?: string;
  canTest: boolean;
}

/**
 * Tests the rule being edited as it is typed: against pasted values (each marked matched or
 * not) or against a live column sampled from a data source (only masked examples come back).
 */
export function RuleTestPanel(props: RuleTestPanelProps) {
  const classes = useSharedStyles();
  const client = useClassificationsClient();
  const [mode, setMode] = useState<'values' | 'live'>('values');
  const [values, setValues] = useState('');
  const [columnName, setColumnName] = useState('');
  const [tableName, setTableName] = useState('');
  const [live, setLive] = useState({ dataSourceId: '', schema: 'public', table: '', column: '' });
  const [result, setResult] = useState<RuleTestResult>();
  const [tested, setTested] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [running, setRunning] = useState(false);
  const sources = useAsyncResource(
    signal => (mode === 'live' ? client.dataSources(signal) : Promise.resolve([])),
    [client, mode],
  );
  const generation = useRef(0);

  const lines = values.split(/\r?\n/).filter(v => v.trim() !== '');
  const definitionKey = JSON.stringify(props.definition ?? null);

  const run = async (which: 'values' | 'live') => {
    if (!props.definition) return;
    const mine = ++generation.current;
    setRunning(true);
    setError(undefined);
    try {
      const column = columnName.trim()
        ? { name: columnName.trim(), tableName: tableName.trim() }
        : undefined;
      const body =
        which === 'values'
          ? {
              definition: props.definition,
              ruleId: props.ruleId,
              values: lines,
              ...(column ? { column } : {}),
            }
          : { definition: props.definition, ruleId: props.ruleId, source: live, sampleSize: 200 };
      const answer = await client.testRule(body);
      if (mine !== generation.current) return;
      setResult(answer);
      setTested(which === 'values' ? lines : []);
    } catch (e) {
      if (mine !== generation.current) return;
      setResult(undefined);
      setError(errorMessage(e));
    } finally {
      if (mine === generation.current) setRunning(false);
    }
  };

  // Pasted values are tested as the rule or the values change (debounced).
  useEffect(() => {
    if (
      mode !== 'values' ||
      !props.canTest ||
      !props.definition ||
      (lines.length === 0 && !columnName.trim())
    )
      return undefined;
    const timer = window.setTimeout(() => run('values'), 450);
    return () => window.clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [definitionKey, values, columnName, tableName, mode, props.canTest]);

  return (
    <Paper variant="outlined" className={classes.section} data-testid="rule-test-panel">
      <Typography className={classes.sectionTitle}>Test before saving</Typography>
      <Tabs
        value={mode}
        onChange={(_, v) => setMode(v)}
        indicatorColor="primary"
        textColor="primary"
      >
        <Tab value="values" label="Pasted values" data-testid="test-mode-values" />
        <Tab value="live" label="Live column" data-testid="test-mode-live" />
      </Tabs>
      {mode === 'values' ? (
        <Box mt={1}>
          <TextField
            fullWidth
            multiline
            minRows={6}
            maxRows={14}
            variant="outlined"
            size="small"
            label="Values, one per line"
            value={values}
            onChange={e => setValues(e.target.value)}
            inputProps={{ 'data-testid': 'test-values', className: classes.mono }}
          />
          <Box display="flex" style={{ gap: 12 }} mt={1}>
            <TextField
              variant="outlined"
              size="small"
              label="Column name"
              value={columnName}
              onChange={e => setColumnName(e.target.value)}
              inputProps={{ 'data-testid': 'test-column-name' }}
            />
            <TextField
              variant="outlined"
              size="small"
              label="Table name"
              value={tableName}
              onChange={e => setTableName(e.target.value)}
            />
          </Box>
        </Box>
      ) : (
        <Box mt={1}>
          <TextField
            select
            fullWidth
            margin="dense"
            variant="outlined"
            size="small"
            label="Data source"
            value={live.dataSourceId}
            onChange={e => setLive({ ...live, dataSourceId: e.target.value })}
            SelectProps={{ SelectDisplayProps: { 'data-testid': 'test-datasource' } as object }}
          >
            {(sources.value ?? []).map(s => (
              <MenuItem key={s.id} value={s.id}>
                {s.name} ({s.type})
              </MenuItem>
            ))}
          </TextField>
          <Box display="flex" style={{ gap: 12 }}>
            <TextField
              margin="dense"
              variant="outlined"
              size="small"
              label="Schema"
              value={live.schema}
              onChange={e => setLive({ ...live, schema: e.target.value })}
              inputProps={{ 'data-testid': 'test-schema' }}
            />
            <TextField
              margin="dense"
              variant="outlined"
              size="small"
              label="Table"
              value={live.table}
              onChange={e => setLive({ ...live, table: e.target.value })}
              inputProps={{ 'data-testid': 'test-table' }}
            />
            <TextField
              margin="dense"
              variant="outlined"
              size="small"
              label="Column"
              value={live.column}
              onChange={e => setLive({ ...live, column: e.target.value })}
              inputProps={{ 'data-testid': 'test-column' }}
            />
          </Box>
          <Typography variant="caption" className={classes.muted} component="div">
            Samples up to 200 random values; they stay on the server, only masked examples come
            back. The test is audited.
          </Typography>
          <Button
            variant="outlined"
            color="primary"
            style={{ marginTop: 8 }}
            disabled={
              !props.canTest ||
              !props.definition ||
              !live.dataSourceId ||
              !live.table ||
              !live.column ||
              running
            }
            onClick={() => run('live')}
            data-testid="run-live-test"
          >
            Sample and test
          </Button>
        </Box>
      )}
      {running && <LinearProgress style={{ marginTop: 12 }} />}
      {!props.definition && (
        <Typography variant="body2" className={classes.muted} style={{ marginTop: 12 }}>
          Complete the rule to test it.
        </Typography>
      )}
      {error && (
        <Typography
          variant="body2"
          color="error"
          style={{ marginTop: 12 }}
          data-testid="test-error"
        >
          {error}
        </Typography>
      )}
      {result && !error && (
        <Box mt={2} data-testid="test-result" data-fired={String(result.fired)}>
          <Box display="flex" alignItems="center" style={{ gap: 12 }}>
            <Chip
              icon={result.fired ? <CheckIcon /> : <CloseIcon />}
              color={result.fired ? 'primary' : 'default'}
              label={result.fired ? 'Fires: the label would be attached' : 'Does not fire'}
            />
            <Box flex={1}>
              <ConfidenceBar value={result.confidence} threshold={result.threshold} />
            </Box>
          </Box>
          <Typography variant="body2" style={{ marginTop: 8 }} data-testid="test-summary">
            {result.evidence.summary}
          </Typography>
          {result.sample && (
            <Typography variant="caption" className={classes.muted}>
              {result.sample.rows} rows sampled from {result.sample.schema}.{result.sample.table}.
              {result.sample.column}
            </Typography>
          )}
          {result.evidence.examples.length > 0 && (
            <Box className={classes.chips} mt={1}>
              {result.evidence.examples.map(x => (
                <Chip key={x} size="small" variant="outlined" label={x} className={classes.mono} />
              ))}
            </Box>
          )}
          {result.evidence.negativeSignals.length > 0 && (
            <Typography variant="body2" className={classes.muted} style={{ marginTop: 8 }}>
              {result.evidence.negativeSignals.join('; ')}
            </Typography>
          )}
          {result.operands && (
            <Box mt={1}>
              {result.operands.map(o => (
                <Typography key={o.ref} variant="body2" className={classes.mono}>
                  {o.fired ? '✓' : '✗'} {o.ref} {o.fired ? `(${o.confidence})` : ''}
                </Typography>
              ))}
            </Box>
          )}
          {result.matches && tested.length === result.matches.length && (
            <Box mt={1} style={{ maxHeight: 260, overflow: 'auto' }} data-testid="test-matches">
              {tested.map((value, i) => (
                <Box
                  key={`${i}-${value}`}
                  display="flex"
                  alignItems="center"
                  style={{ gap: 8 }}
                  data-testid="test-match"
                  data-matched={String(result.matches![i])}
                >
                  {result.matches![i] ? (
                    <CheckIcon fontSize="small" color="primary" />
                  ) : (
                    <CloseIcon fontSize="small" color="disabled" />
                  )}
                  <Typography variant="body2" className={classes.mono}>
                    {value}
                  </Typography>
                </Box>
              ))}
            </Box>
          )}
        </Box>
      )}
    </Paper>
  );
}
