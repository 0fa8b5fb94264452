import {
  Box,
  Button,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  LinearProgress,
  Link,
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
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { LabelDecisionRequest, ReviewLabel } from '@racine/plugin-classifications-common';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { useClassificationsClient } from '../api/ClassificationsClient';
import { EvidenceDetails } from './LabelEvidencePanel';
import { ConfidenceBar, ErrorPanel, StatusChip, useAbilities, useSharedStyles } from './shared';

const PAGE_SIZE = 50;
const REJECT_REASONS = [
  'Not sensitive data',
  'Wrong kind of data',
  'Test or synthetic data',
  'Already masked or encrypted',
];

const useStyles = makeStyles(theme => ({
  focused: { outline: `2px solid ${theme.palette.primary.main}`, outlineOffset: -2 },
  bulk: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    padding: theme.spacing(1, 2),
    marginBottom: theme.spacing(1),
  },
  help: { marginTop: theme.spacing(1), color: theme.palette.text.secondary },
  narrow: { width: 110 },
  name: { fontWeight: 600, overflowWrap: 'anywhere', minWidth: 160 },
  sticky: { position: 'sticky', top: theme.spacing(2) },
}));

/** Labels to review, built for speed: filters, bulk decisions, keyboard shortcuts. */
export function ReviewQueuePage() {
  const classes = useStyles();
  const shared = useSharedStyles();
  const client = useClassificationsClient();
  const abilities = useAbilities();
  const [params, setParams] = useSearchParams();
  const filters = {
    status: params.get('status') ?? 'suggested',
    classifierId: params.get('classifierId') ?? '',
    dataSourceId: params.get('dataSourceId') ?? '',
    minConfidence: params.get('minConfidence') ?? '',
    maxConfidence: params.get('maxConfidence') ?? '',
    q: params.get('q') ?? '',
  };
  const query = {
    status: filters.status,
    classifierId: filters.classifierId || undefined,
    dataSourceId: filters.dataSourceId || undefined,
    minConfidence: filters.minConfidence ? Number(filters.minConfidence) : undefined,
    maxConfidence: filters.maxConfidence ? Number(filters.maxConfidence) : undefined,
    q: filters.q || undefined,
    limit: PAGE_SIZE,
  };
  const queryKey = JSON.stringify(query);
  const page = useAsyncResource(signal => client.reviewQueue(query, signal), [client, queryKey]);
  const library = useAsyncResource(signal => client.classifiers({}, signal), [client]);
  const rules = useAsyncResource(signal => client.rules(signal), [client]);
  const sources = useAsyncResource(signal => client.dataSources(signal), [client]);

  const [items, setItems] = useState<ReviewLabel[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [rejecting, setRejecting] = useState<ReviewLabel[] | null>(null);
  const [reason, setReason] = useState(REJECT_REASONS[0]!);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  useEffect(() => {
    setItems(page.value?.items ?? []);
    setCursor(page.value?.nextCursor ?? null);
    setSelected(new Set());
    setFocus(0);
  }, [page.value]);

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const c of library.value?.items ?? []) map.set(c.id, c.name);
    for (const r of rules.value ?? []) map.set(r.id, r.name);
    return map;
  }, [library.value, rules.value]);
  const sourceNames = useMemo(
    () => new Map((sources.value ?? []).map(s => [s.id, s.name])),
    [sources.value],
  );

  const setFilter = (key: keyof typeof filters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const more = await client.reviewQueue({ ...query, cursor });
      setItems(list => [...list, ...more.items]);
      setCursor(more.nextCursor);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  /** Applies decisions; decided labels leave the list when it shows another status. */
  const decide = useCallback(
    async (labels: ReviewLabel[], action: 'approve' | 'reject', why?: string) => {
      if (labels.length === 0 || busy) return;
      setBusy(true);
      setError(undefined);
      try {
        const decisions: LabelDecisionRequest[] = labels.map(l =>
          action === 'approve'
            ? {
                action: 'approve',
                assetRef: l.assetRef,
                classifierId: l.classifierId,
                ...(why ? { reason: why } : {}),
              }
            : {
                action: 'reject',
                assetRef: l.assetRef,
                classifierId: l.classifierId,
                reason: why ?? REJECT_REASONS[0]!,
              },
        );
        const outcome = await client.decide(decisions);
        const done = new Set(
          outcome.results.filter(r => r.ok).map(r => `${r.assetRef}|${r.classifierId}`),
        );
        const newStatus = action === 'approve' ? 'approved' : 'rejected';
        setItems(list =>
          filters.status === newStatus || filters.status === 'all'
            ? list.map(l =>
                done.has(`${l.assetRef}|${l.classifierId}`) ? { ...l, status: newStatus } : l,
              )
            : list.filter(l => !done.has(`${l.assetRef}|${l.classifierId}`)),
        );
        setSelected(new Set());
        setMessage(
          `${action === 'approve' ? 'Approved' : 'Rejected'} ${outcome.applied} label(s)${outcome.failed ? `, ${outcome.failed} failed` : ''}`,
        );
        const failures = outcome.results.filter(r => !r.ok);
        if (failures.length)
          setError(failures.map(f => `${f.classifierId}: ${f.error}`).join('; '));
      } catch (e) {
        setError(errorMessage(e));
      } finally {
        setBusy(false);
      }
    },
    [busy, client, filters.status],
  );

  const focused = items[Math.min(focus, items.length - 1)];
  const targets = useCallback(
    () => (selected.size > 0 ? items.filter(l => selected.has(l.id)) : focused ? [focused] : []),
    [items, selected, focused],
  );

  useEffect(() => {
    rowRefs.current[focus]?.scrollIntoView?.({ block: 'nearest' });
  }, [focus]);

  // j/k move, x selects, a approves, r rejects (the selection, or the focused label).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (
        rejecting ||
        e.metaKey ||
        e.ctrlKey ||
        e.altKey ||
        ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
        target.isContentEditable ||
        // An open filter menu or dialog takes its own keys (type-ahead, Escape).
        target.closest?.('[role="listbox"],[role="menu"],[role="dialog"]')
      )
        return;
      if (e.key === 'j' || e.key === 'ArrowDown') {
        setFocus(f => Math.min(f + 1, Math.max(items.length - 1, 0)));
        e.preventDefault();
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        setFocus(f => Math.max(f - 1, 0));
        e.preventDefault();
      } else if (e.key === 'x' && focused) {
        setSelected(s => {
          const next = new Set(s);
          if (next.has(focused.id)) next.delete(focused.id);
          else next.add(focused.id);
          return next;
        });
      } else if (e.key === 'a' && abilities.approve) {
        void decide(targets(), 'approve');
      } else if (e.key === 'r' && abilities.approve) {
        const list = targets();
        if (list.length > 0) setRejecting(list);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items.length, focused, rejecting, abilities.approve, decide, targets]);

  const allSelected = items.length > 0 && items.every(l => selected.has(l.id));
  const classifierOptions = [...names.entries()].sort((a, b) => a[0].localeCompare(b[0]));

  return (
    <Box>
      <Box className={shared.toolbar}>
        <TextField
          select
          className={shared.filter}
          variant="outlined"
          size="small"
          label="Status"
          value={filters.status}
          onChange={e => setFilter('status', e.target.value)}
          SelectProps={{ SelectDisplayProps: { 'data-testid': 'filter-status' } as object }}
        >
          {['suggested', 'approved', 'rejected', 'manual', 'propagated', 'all'].map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          className={shared.filter}
          style={{ minWidth: 240 }}
          variant="outlined"
          size="small"
          label="Classifier"
          value={filters.classifierId}
          onChange={e => setFilter('classifierId', e.target.value)}
          SelectProps={{ SelectDisplayProps: { 'data-testid': 'filter-classifier' } as object }}
        >
          <MenuItem value="">All classifiers</MenuItem>
          {classifierOptions.map(([id, name]) => (
            <MenuItem key={id} value={id}>
              {name} ({id})
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          className={shared.filter}
          variant="outlined"
          size="small"
          label="Data source"
          value={filters.dataSourceId}
          onChange={e => setFilter('dataSourceId', e.target.value)}
        >
          <MenuItem value="">All data sources</MenuItem>
          {(sources.value ?? []).map(s => (
            <MenuItem key={s.id} value={s.id}>
              {s.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          className={classes.narrow}
          variant="outlined"
          size="small"
          type="number"
          label="Min conf."
          value={filters.minConfidence}
          onChange={e => setFilter('minConfidence', e.target.value)}
          inputProps={{ min: 0, max: 1, step: 0.05, 'data-testid': 'filter-min' }}
        />
        <TextField
          className={classes.narrow}
          variant="outlined"
          size="small"
          type="number"
          label="Max conf."
          value={filters.maxConfidence}
          onChange={e => setFilter('maxConfidence', e.target.value)}
          inputProps={{ min: 0, max: 1, step: 0.05 }}
        />
        <TextField
          variant="outlined"
          size="small"
          label="Column"
          placeholder="schema.table.column"
          value={filters.q}
          onChange={e => setFilter('q', e.target.value)}
        />
      </Box>
      {page.error && <ErrorPanel>Could not load the review queue: {page.error.message}</ErrorPanel>}
      {error && <ErrorPanel>{error}</ErrorPanel>}
      {abilities.approve && (
        <Paper variant="outlined" className={classes.bulk} data-testid="bulk-bar">
          <Typography variant="body2">
            {selected.size > 0
              ? `${selected.size} selected`
              : 'Decide on the focused label, or select several'}
          </Typography>
          <Box flex={1} />
          {message && (
            <Typography variant="body2" className={shared.muted} data-testid="review-message">
              {message}
            </Typography>
          )}
          <Button
            variant="contained"
            color="primary"
            size="small"
            disabled={busy || targets().length === 0}
            onClick={() => decide(targets(), 'approve')}
            data-testid="approve-selected"
          >
            Approve{selected.size > 0 ? ` ${selected.size}` : ''}
          </Button>
          <Button
            variant="outlined"
            size="small"
            disabled={busy || targets().length === 0}
            onClick={() => setRejecting(targets())}
            data-testid="reject-selected"
          >
            Reject{selected.size > 0 ? ` ${selected.size}` : ''}
          </Button>
        </Paper>
      )}
      <Grid container spacing={2}>
        <Grid item xs={12} lg={8}>
          <Paper variant="outlined">
            {(page.loading || busy) && <LinearProgress />}
            <TableContainer>
              <Table size="small" data-testid="review-table">
                <TableHead>
                  <TableRow>
                    <TableCell padding="checkbox">
                      <Checkbox
                        size="small"
                        checked={allSelected}
                        indeterminate={selected.size > 0 && !allSelected}
                        onChange={e =>
                          setSelected(e.target.checked ? new Set(items.map(l => l.id)) : new Set())
                        }
                        inputProps={{ 'aria-label': 'Select all' }}
                      />
                    </TableCell>
                    <TableCell>Column</TableCell>
                    <TableCell>Label</TableCell>
                    <TableCell>Confidence</TableCell>
                    <TableCell>Status</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {items.map((label, i) => (
                    <TableRow
                      key={label.id}
                      ref={el => {
                        rowRefs.current[i] = el;
                      }}
                      hover
                      selected={selected.has(label.id)}
                      className={i === focus ? classes.focused : undefined}
                      onClick={() => setFocus(i)}
                      data-testid="review-row"
                      data-focused={String(i === focus)}
                      data-classifier={label.classifierId}
                      data-column={label.qualifiedName}
                      data-status={label.status}
                    >
                      <TableCell padding="checkbox">
                        <Checkbox
                          size="small"
                          checked={selected.has(label.id)}
                          onClick={e => e.stopPropagation()}
                          onChange={e =>
                            setSelected(s => {
                              const next = new Set(s);
                              if (e.target.checked) next.add(label.id);
                              else next.delete(label.id);
                              return next;
                            })
                          }
                          inputProps={{ 'aria-label': `Select ${label.qualifiedName}` }}
                        />
                      </TableCell>
                      <TableCell>
                        <Typography variant="body2" className={classes.name}>
                          {label.qualifiedName}
                        </Typography>
                        <Typography variant="caption" className={shared.muted}>
                          {sourceNames.get(label.dataSourceId) ?? label.dataSourceId}
                          {label.dataType ? ` · ${label.dataType}` : ''}
                        </Typography>
                      </TableCell>
                      <TableCell>
                        <Typography variant="body2">
                          {names.get(label.classifierId) ?? label.classifierId}
                        </Typography>
                        <Typography
                          variant="caption"
                          className={`${shared.mono} ${shared.muted}`}
                          component="div"
                        >
                          {label.classifierId}
                        </Typography>
                        {label.evidence.maskedExamples[0] && (
                          <Typography
                            variant="caption"
                            className={`${shared.mono} ${shared.muted}`}
                            component="div"
                          >
                            e.g. {label.evidence.maskedExamples[0]}
                          </Typography>
                        )}
                      </TableCell>
                      <TableCell>
                        <ConfidenceBar value={label.confidence} />
                      </TableCell>
                      <TableCell>
                        <StatusChip
                          status={label.status}
                          auto={label.decision === 'auto_approved'}
                        />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
            {page.value && items.length === 0 && (
              <Box className={shared.empty} data-testid="review-empty">
                {filters.status === 'suggested'
                  ? 'Nothing to review: every suggested label matching these filters has been decided.'
                  : 'No label matches these filters.'}
              </Box>
            )}
            {cursor && (
              <Box display="flex" justifyContent="center" p={1}>
                <Button onClick={loadMore}>Load more</Button>
              </Box>
            )}
          </Paper>
          <Typography variant="body2" className={classes.help}>
            Keyboard: <span className={shared.kbd}>j</span>/<span className={shared.kbd}>k</span>{' '}
            move · <span className={shared.kbd}>x</span> select ·{' '}
            <span className={shared.kbd}>a</span> approve · <span className={shared.kbd}>r</span>{' '}
            reject (the selection, or the focused label)
          </Typography>
        </Grid>
        <Grid item xs={12} lg={4}>
          {focused && (
            <Paper
              variant="outlined"
              className={`${shared.section} ${classes.sticky}`}
              data-testid="focused-evidence"
            >
              <Typography className={shared.sectionTitle}>
                {names.get(focused.classifierId) ?? focused.classifierId}
              </Typography>
              <Typography variant="body2" className={classes.name} gutterBottom>
                {focused.qualifiedName}
              </Typography>
              <EvidenceDetails label={focused} />
              <Box mt={1}>
                <Link
                  component={RouterLink}
                  to={`/classifications/asset/${encodeURIComponent(focused.assetRef)}`}
                  data-testid="open-column-labels"
                >
                  All labels and history of this column
                </Link>
              </Box>
            </Paper>
          )}
        </Grid>
      </Grid>
      <Dialog open={rejecting !== null} onClose={() => setRejecting(null)} fullWidth maxWidth="xs">
        <DialogTitle>
          Reject {rejecting?.length ?? 0} label{rejecting?.length === 1 ? '' : 's'}
        </DialogTitle>
        <DialogContent>
          <Box className={shared.chips} mb={1}>
            {REJECT_REASONS.map(r => (
              <Chip
                key={r}
                label={r}
                clickable
                color={reason === r ? 'primary' : 'default'}
                onClick={() => setReason(r)}
              />
            ))}
          </Box>
          <TextField
            autoFocus
            fullWidth
            variant="outlined"
            size="small"
            label="Reason"
            value={reason}
            onChange={e => setReason(e.target.value)}
            onKeyDown={e => {
              if (e.key === 'Enter' && reason.trim() && rejecting) {
                const list = rejecting;
                setRejecting(null);
                void decide(list, 'reject', reason.trim());
              }
            }}
            inputProps={{ 'data-testid': 'reject-reason' }}
            helperText="A rejected label stays rejected on later scans unless its evidence changes materially."
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRejecting(null)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={!reason.trim()}
            data-testid="confirm-reject"
            onClick={() => {
              const list = rejecting ?? [];
              setRejecting(null);
              void decide(list, 'reject', reason.trim());
            }}
          >
            Reject
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
