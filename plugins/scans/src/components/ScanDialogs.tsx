import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  makeStyles,
  MenuItem,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import { DEFAULT_RULE_SET_ID, type ScanRun, type ScanSchedule } from '@racine/plugin-scans-common';
import { useEffect, useState, type HTMLAttributes } from 'react';
import { useScansClient, type NamedItem } from '../api/ScansClient';

const useStyles = makeStyles(theme => ({
  content: { display: 'grid', gap: theme.spacing(2), minWidth: 440 },
  error: { color: theme.palette.error.main },
}));

/** The data sources and rule sets to pick from, loaded when a dialog opens. */
function useChoices(open: boolean) {
  const client = useScansClient();
  const sources = useAsyncResource(
    signal => (open ? client.dataSources(signal) : Promise.resolve([] as NamedItem[])),
    [client, open],
  );
  const ruleSets = useAsyncResource(
    signal => (open ? client.ruleSets(signal) : Promise.resolve([] as NamedItem[])),
    [client, open],
  );
  return { sources, ruleSets };
}

function Picker(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  items: NamedItem[] | undefined;
  error?: Error;
  testId: string;
  describe?: (item: NamedItem) => string;
}) {
  const { items, error } = props;
  return (
    <TextField
      select
      variant="outlined"
      size="small"
      label={props.label}
      value={items?.some(i => i.id === props.value) ? props.value : ''}
      onChange={e => props.onChange(e.target.value)}
      error={Boolean(error)}
      helperText={
        error
          ? `Could not load: ${error.message}`
          : items && items.length === 0
            ? 'None yet'
            : undefined
      }
      SelectProps={{
        SelectDisplayProps: { 'data-testid': props.testId } as HTMLAttributes<HTMLDivElement>,
      }}
    >
      {(items ?? []).map(item => (
        <MenuItem
          key={item.id}
          value={item.id}
          data-testid={`${props.testId}-option`}
          data-id={item.id}
        >
          {props.describe ? props.describe(item) : item.name}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** "Run scan": a data source and a rule set, then off to the run's live page. */
export function RunScanDialog(props: {
  open: boolean;
  onClose: () => void;
  onStarted: (run: ScanRun) => void;
  initialDataSourceId?: string;
}) {
  const classes = useStyles();
  const client = useScansClient();
  const { sources, ruleSets } = useChoices(props.open);
  const [dataSourceId, setDataSourceId] = useState(props.initialDataSourceId ?? '');
  const [ruleSetId, setRuleSetId] = useState(DEFAULT_RULE_SET_ID);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!dataSourceId && sources.value?.length === 1) setDataSourceId(sources.value[0]!.id);
  }, [sources.value, dataSourceId]);

  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onStarted(await client.startRun({ dataSourceId, ruleSetId }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} aria-labelledby="run-scan-title">
      <DialogTitle id="run-scan-title">Run scan</DialogTitle>
      <DialogContent className={classes.content}>
        <Typography variant="body2" color="textSecondary">
          Discovers the tables the rule set selects, samples and classifies them, and publishes the
          results to the data catalog. Tables unchanged since their last scan with the same rule set
          version are skipped.
        </Typography>
        <Picker
          label="Data source"
          value={dataSourceId}
          onChange={setDataSourceId}
          items={sources.value}
          error={sources.error}
          testId="run-data-source"
          describe={s => (s.type ? `${s.name} (${s.type})` : s.name)}
        />
        <Picker
          label="Rule set"
          value={ruleSetId}
          onChange={setRuleSetId}
          items={ruleSets.value}
          error={ruleSets.error}
          testId="run-rule-set"
          describe={r => (r.version ? `${r.name} · v${r.version}` : r.name)}
        />
        {error && (
          <Typography variant="body2" className={classes.error} role="alert">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!dataSourceId || !ruleSetId || busy}
          onClick={start}
          data-testid="run-scan-start"
        >
          {busy ? 'Starting…' : 'Run scan'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

const CRON_PRESETS = [
  { cron: '0 * * * *', label: 'Every hour' },
  { cron: '0 2 * * *', label: 'Every day at 02:00' },
  { cron: '0 3 * * 1-5', label: 'Weekdays at 03:00' },
  { cron: '0 4 * * 0', label: 'Sundays at 04:00' },
];

function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Creates a schedule, or edits one (`schedule` given). */
export function ScheduleDialog(props: {
  open: boolean;
  schedule?: ScanSchedule;
  onClose: () => void;
  onSaved: (schedule: ScanSchedule) => void;
}) {
  const classes = useStyles();
  const client = useScansClient();
  const { schedule } = props;
  const { sources, ruleSets } = useChoices(props.open);
  const [name, setName] = useState(schedule?.name ?? '');
  const [dataSourceId, setDataSourceId] = useState(schedule?.dataSourceId ?? '');
  const [ruleSetId, setRuleSetId] = useState(schedule?.ruleSetId ?? DEFAULT_RULE_SET_ID);
  const [cron, setCron] = useState(schedule?.cron ?? '0 2 * * *');
  const [timezone, setTimezone] = useState(schedule?.timezone ?? browserTimezone());
  const [paused, setPaused] = useState(schedule?.paused ?? false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        name: name.trim() || undefined,
        dataSourceId,
        ruleSetId,
        cron: cron.trim(),
        timezone: timezone.trim(),
        paused,
      };
      props.onSaved(
        schedule
          ? await client.updateSchedule(schedule.id, body)
          : await client.createSchedule(body),
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} aria-labelledby="schedule-title">
      <DialogTitle id="schedule-title">{schedule ? 'Edit schedule' : 'New schedule'}</DialogTitle>
      <DialogContent className={classes.content}>
        <Picker
          label="Data source"
          value={dataSourceId}
          onChange={setDataSourceId}
          items={sources.value}
          error={sources.error}
          testId="schedule-data-source"
        />
        <Picker
          label="Rule set"
          value={ruleSetId}
          onChange={setRuleSetId}
          items={ruleSets.value}
          error={ruleSets.error}
          testId="schedule-rule-set"
        />
        <TextField
          variant="outlined"
          size="small"
          label="Cron expression"
          value={cron}
          onChange={e => setCron(e.target.value)}
          helperText="minute hour day-of-month month day-of-week, e.g. 0 2 * * * (every day at 02:00)"
          inputProps={{ 'data-testid': 'schedule-cron', spellCheck: false }}
        />
        <TextField
          select
          variant="outlined"
          size="small"
          label="Preset"
          value=""
          onChange={e => setCron(e.target.value)}
        >
          {CRON_PRESETS.map(p => (
            <MenuItem key={p.cron} value={p.cron}>
              {p.label} ({p.cron})
            </MenuItem>
          ))}
        </TextField>
        <TextField
          variant="outlined"
          size="small"
          label="Time zone"
          value={timezone}
          onChange={e => setTimezone(e.target.value)}
          helperText="IANA time zone, e.g. Europe/Paris or UTC"
          inputProps={{ 'data-testid': 'schedule-timezone' }}
        />
        <TextField
          variant="outlined"
          size="small"
          label="Name (optional)"
          value={name}
          onChange={e => setName(e.target.value)}
          inputProps={{ 'data-testid': 'schedule-name' }}
        />
        <FormControlLabel
          control={
            <Switch checked={paused} onChange={e => setPaused(e.target.checked)} color="primary" />
          }
          label="Paused"
        />
        {error && (
          <Typography variant="body2" className={classes.error} role="alert">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!dataSourceId || !cron.trim() || busy}
          onClick={save}
          data-testid="schedule-save"
        >
          {busy ? 'Saving…' : 'Save'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
