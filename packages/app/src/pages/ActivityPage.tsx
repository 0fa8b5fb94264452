import {
  Box,
  Button,
  Chip,
  Collapse,
  IconButton,
  LinearProgress,
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
import { useApi } from '@backstage/frontend-plugin-api';
import KeyboardArrowDownIcon from '@material-ui/icons/KeyboardArrowDown';
import KeyboardArrowRightIcon from '@material-ui/icons/KeyboardArrowRight';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import { ActivityOutcome, activityOutcomes, ActivityRecord } from '@racine/kernel-common';
import {
  ActivityQuery,
  ActivityVerification,
  errorMessage,
  racineKernelApiRef,
} from '@racine/kernel-react';
import { FormEvent, Fragment, ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

const PAGE_SIZE = 50;
const TEXT_FILTERS = ['actor', 'verb', 'resource'] as const;
const TIME_FILTERS = ['since', 'until'] as const;

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    flexWrap: 'wrap',
    marginBottom: theme.spacing(2),
  },
  filters: {
    display: 'grid',
    gap: theme.spacing(1.5),
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  filterButtons: { display: 'flex', gap: theme.spacing(1), alignItems: 'center' },
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 12.5,
  },
  time: { whiteSpace: 'nowrap' },
  summary: { marginTop: theme.spacing(0.5), color: theme.palette.text.secondary, fontSize: 13 },
  // Refs are long and unbroken; let them wrap anywhere rather than widen the table.
  resource: { overflowWrap: 'anywhere', minWidth: 200, maxWidth: 320 },
  expand: { width: 40, paddingRight: 0 },
  details: { padding: theme.spacing(1, 2, 2, 7) },
  detailsPre: {
    margin: 0,
    padding: theme.spacing(1.5),
    borderRadius: 8,
    background: theme.palette.type === 'dark' ? 'rgba(255,255,255,0.05)' : 'rgba(0,0,0,0.035)',
    overflow: 'auto',
    fontSize: 12,
  },
  success: { color: theme.palette.success.main, borderColor: theme.palette.success.main },
  failure: { color: theme.palette.error.main, borderColor: theme.palette.error.main },
  denied: { color: theme.palette.warning.main, borderColor: theme.palette.warning.main },
  chip: { margin: 0 },
  more: { display: 'flex', justifyContent: 'center', padding: theme.spacing(2) },
  empty: { padding: theme.spacing(6, 2), textAlign: 'center' },
  error: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  spacer: { flex: 1 },
}));

/** ISO time → the `YYYY-MM-DDTHH:mm` local value a datetime-local input shows. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

function queryFromParams(params: URLSearchParams): ActivityQuery {
  const outcome = params.get('outcome');
  return {
    actor: params.get('actor') ?? undefined,
    verb: params.get('verb') ?? undefined,
    resource: params.get('resource') ?? undefined,
    outcome: activityOutcomes.includes(outcome as ActivityOutcome)
      ? (outcome as ActivityOutcome)
      : undefined,
    since: params.get('since') ?? undefined,
    until: params.get('until') ?? undefined,
  };
}

type Draft = Record<
  (typeof TEXT_FILTERS)[number] | (typeof TIME_FILTERS)[number] | 'outcome',
  string
>;

function draftFromParams(params: URLSearchParams): Draft {
  return {
    actor: params.get('actor') ?? '',
    verb: params.get('verb') ?? '',
    resource: params.get('resource') ?? '',
    outcome: params.get('outcome') ?? '',
    since: toLocalInput(params.get('since')),
    until: toLocalInput(params.get('until')),
  };
}

/** A ref with line-break opportunities after each `/`, so it wraps at its natural seams. */
function breakable(ref: string): ReactNode[] {
  return ref.split(/(?<=\/)/).flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

function OutcomeChip(props: { outcome: ActivityOutcome }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      variant="outlined"
      label={props.outcome}
      className={`${classes.chip} ${classes[props.outcome]}`}
    />
  );
}

function ActivityRow(props: { record: ActivityRecord }) {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const { record } = props;
  return (
    <Fragment>
      <TableRow
        hover
        data-testid="activity-row"
        data-verb={record.verb}
        data-outcome={record.outcome}
        data-seq={record.seq}
      >
        <TableCell className={classes.expand}>
          <IconButton
            size="small"
            onClick={() => setOpen(!open)}
            aria-label={open ? 'Hide details' : 'Show details'}
            aria-expanded={open}
          >
            {open ? (
              <KeyboardArrowDownIcon fontSize="small" />
            ) : (
              <KeyboardArrowRightIcon fontSize="small" />
            )}
          </IconButton>
        </TableCell>
        <TableCell className={classes.time} title={record.time}>
          {new Date(record.time).toLocaleString()}
        </TableCell>
        <TableCell>{record.actor}</TableCell>
        <TableCell>
          <div className={classes.mono}>{record.verb}</div>
          {record.summary && <div className={classes.summary}>{record.summary}</div>}
        </TableCell>
        <TableCell>
          <OutcomeChip outcome={record.outcome} />
        </TableCell>
        <TableCell className={`${classes.mono} ${classes.resource}`}>
          {record.resource ? breakable(record.resource) : '—'}
        </TableCell>
        <TableCell>{record.workspace}</TableCell>
      </TableRow>
      <TableRow>
        <TableCell colSpan={7} style={{ padding: 0, borderBottom: open ? undefined : 0 }}>
          <Collapse in={open} unmountOnExit>
            <Box className={classes.details}>
              <pre className={`${classes.detailsPre} ${classes.mono}`}>
                {JSON.stringify(
                  {
                    seq: record.seq,
                    id: record.id,
                    pluginId: record.pluginId,
                    details: record.details,
                    hash: record.hash,
                    prevHash: record.prevHash,
                  },
                  null,
                  2,
                )}
              </pre>
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </Fragment>
  );
}

/** The audit trail: filterable (filters live in the URL, so links can point at a resource's history), paged, verifiable. */
export function ActivityPage() {
  const classes = useStyles();
  const kernel = useApi(racineKernelApiRef);
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryFromParams(params), [params]);
  const [draft, setDraft] = useState<Draft>(() => draftFromParams(params));
  const [records, setRecords] = useState<ActivityRecord[]>([]);
  const [nextCursor, setNextCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [verification, setVerification] = useState<ActivityVerification | { error: string }>();
  const [verifying, setVerifying] = useState(false);

  useEffect(() => {
    setDraft(draftFromParams(params));
  }, [params]);

  // Re-query from the first page when the filters change, the workspace changes or an action ran.
  const [generation, setGeneration] = useState(0);
  useEffect(() => kernel.subscribe(() => setGeneration(g => g + 1)), [kernel]);
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    kernel.listActivity({ ...query, limit: PAGE_SIZE }, { signal: controller.signal }).then(
      page => {
        setRecords(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setRecords([]);
        setNextCursor(undefined);
        setError(errorMessage(e));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [kernel, query, generation]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    setLoading(true);
    try {
      const page = await kernel.listActivity({ ...query, limit: PAGE_SIZE, cursor: nextCursor });
      setRecords(previous => [...previous, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [kernel, query, nextCursor]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of TEXT_FILTERS) if (draft[key].trim()) next.set(key, draft[key].trim());
    if (draft.outcome) next.set('outcome', draft.outcome);
    for (const key of TIME_FILTERS) {
      const date = draft[key] ? new Date(draft[key]) : undefined;
      if (date && !Number.isNaN(date.getTime())) next.set(key, date.toISOString());
    }
    setParams(next);
  };

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await kernel.verifyActivity());
    } catch (e) {
      setVerification({ error: errorMessage(e) });
    } finally {
      setVerifying(false);
    }
  };

  const filtered = [...params.keys()].length > 0;
  return (
    <Box>
      <Box className={classes.toolbar}>
        <Typography variant="body2" color="textSecondary">
          Every action and change, newest first. Records are hash-chained: verifying detects
          tampering.
        </Typography>
        <Box className={classes.spacer} />
        {verification && 'error' in verification && (
          <Typography
            variant="body2"
            color="error"
            data-testid="verify-result"
            data-ok="false"
            role="alert"
          >
            Verification failed: {verification.error}
          </Typography>
        )}
        {verification && !('error' in verification) && (
          <Chip
            data-testid="verify-result"
            data-ok={String(verification.ok)}
            variant="outlined"
            className={`${classes.chip} ${verification.ok ? classes.success : classes.failure}`}
            label={
              verification.ok
                ? `Chain intact · ${verification.checked} records checked`
                : `Chain broken at record ${verification.brokenAt ?? '?'} · ${verification.checked} checked`
            }
          />
        )}
        <Button
          variant="outlined"
          color="primary"
          startIcon={<VerifiedUserIcon />}
          onClick={verify}
          disabled={verifying}
          data-testid="verify-chain"
        >
          {verifying ? 'Verifying…' : 'Verify chain'}
        </Button>
      </Box>

      <Paper
        variant="outlined"
        component="form"
        onSubmit={apply}
        className={classes.filters}
        data-testid="activity-filters"
      >
        {TEXT_FILTERS.map(key => (
          <TextField
            key={key}
            label={key === 'actor' ? 'Actor' : key === 'verb' ? 'Verb' : 'Resource'}
            placeholder={
              key === 'actor'
                ? 'user:default/alice'
                : key === 'verb'
                  ? 'platform.createWorkspace'
                  : 'racine:…'
            }
            size="small"
            variant="outlined"
            value={draft[key]}
            onChange={e => setDraft({ ...draft, [key]: e.target.value })}
            InputLabelProps={{ shrink: true }}
            inputProps={{ 'data-testid': `activity-filter-${key}` }}
          />
        ))}
        <TextField
          select
          label="Outcome"
          size="small"
          variant="outlined"
          value={draft.outcome}
          onChange={e => setDraft({ ...draft, outcome: e.target.value })}
          InputLabelProps={{ shrink: true }}
          SelectProps={{ displayEmpty: true }}
          inputProps={{ 'data-testid': 'activity-filter-outcome' }}
        >
          <MenuItem value="">Any</MenuItem>
          {activityOutcomes.map(outcome => (
            <MenuItem key={outcome} value={outcome}>
              {outcome}
            </MenuItem>
          ))}
        </TextField>
        {TIME_FILTERS.map(key => (
          <TextField
            key={key}
            label={key === 'since' ? 'Since' : 'Until'}
            type="datetime-local"
            size="small"
            variant="outlined"
            value={draft[key]}
            onChange={e => setDraft({ ...draft, [key]: e.target.value })}
            InputLabelProps={{ shrink: true }}
            inputProps={{ 'data-testid': `activity-filter-${key}` }}
          />
        ))}
        <Box className={classes.filterButtons}>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disableElevation
            data-testid="activity-apply"
          >
            Apply
          </Button>
          {filtered && (
            <Button onClick={() => setParams(new URLSearchParams())} data-testid="activity-reset">
              Reset
            </Button>
          )}
        </Box>
      </Paper>

      {error && (
        <Paper variant="outlined" className={classes.error} role="alert">
          <Typography variant="body2">Could not load activity: {error}</Typography>
        </Paper>
      )}

      <Paper variant="outlined">
        {loading && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="activity-table">
            <TableHead>
              <TableRow>
                <TableCell className={classes.expand} />
                <TableCell>Time</TableCell>
                <TableCell>Actor</TableCell>
                <TableCell>Verb · summary</TableCell>
                <TableCell>Outcome</TableCell>
                <TableCell>Resource</TableCell>
                <TableCell>Workspace</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {records.map(record => (
                <ActivityRow key={record.id} record={record} />
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {!loading && !error && records.length === 0 && (
          <Box className={classes.empty}>
            <Typography variant="body2" color="textSecondary">
              {filtered ? 'No activity matches these filters.' : 'No activity recorded yet.'}
            </Typography>
          </Box>
        )}
        {nextCursor && (
          <Box className={classes.more}>
            <Button onClick={loadMore} disabled={loading} data-testid="activity-load-more">
              Load more
            </Button>
          </Box>
        )}
      </Paper>
    </Box>
  );
}
