import {
  Box,
  LinearProgress,
  Link,
  MenuItem,
  Paper,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { ClassifierSummary } from '@racine/plugin-classifications-common';
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { useClassificationsClient } from '../api/ClassificationsClient';
import {
  ErrorPanel,
  formatPercent,
  SensitivityChip,
  useAbilities,
  useSharedStyles,
} from './shared';

/** The built-in classifiers: search, filter, enable/disable, with stewards' precision. */
export function LibraryPage() {
  const classes = useSharedStyles();
  const client = useClassificationsClient();
  const abilities = useAbilities();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const category = params.get('category') ?? '';
  const [text, setText] = useState(q);
  const [toggleError, setToggleError] = useState<string>();
  const [overrides, setOverrides] = useState<Record<string, ClassifierSummary>>({});

  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (text === q) return;
      const next = new URLSearchParams(params);
      if (text) next.set('q', text);
      else next.delete('q');
      setParams(next, { replace: true });
    }, 200);
    return () => window.clearTimeout(timer);
  }, [text, q, params, setParams]);

  const list = useAsyncResource(
    signal => client.classifiers({ q: q || undefined, category: category || undefined }, signal),
    [client, q, category],
  );
  const accuracy = useAsyncResource(
    signal => client.accuracy(signal).catch(() => undefined),
    [client],
  );
  const precision = useMemo(
    () => new Map((accuracy.value?.items ?? []).map(i => [i.classifierId, i])),
    [accuracy.value],
  );
  useEffect(() => setOverrides({}), [list.value]);

  const toggle = async (c: ClassifierSummary, enabled: boolean) => {
    setToggleError(undefined);
    try {
      const updated = await client.updateClassifier(c.id, { enabled });
      setOverrides(o => ({ ...o, [c.id]: updated }));
    } catch (error) {
      setToggleError(`Could not ${enabled ? 'enable' : 'disable'} ${c.id}: ${errorMessage(error)}`);
    }
  };

  const setCategory = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('category', value);
    else next.delete('category');
    setParams(next, { replace: true });
  };

  const items = (list.value?.items ?? []).map(c => overrides[c.id] ?? c);
  return (
    <Box>
      <Box className={classes.toolbar}>
        <TextField
          className={classes.search}
          variant="outlined"
          size="small"
          placeholder="Search classifiers by id, name or description"
          value={text}
          onChange={e => setText(e.target.value)}
          inputProps={{ 'data-testid': 'classifier-search', 'aria-label': 'Search classifiers' }}
        />
        <TextField
          select
          className={classes.filter}
          variant="outlined"
          size="small"
          label="Category"
          value={category}
          onChange={e => setCategory(e.target.value)}
        >
          <MenuItem value="">All categories</MenuItem>
          {(list.value?.categories ?? []).map(c => (
            <MenuItem key={c} value={c}>
              {c}
            </MenuItem>
          ))}
        </TextField>
        <Box className={classes.spacer} />
        <Typography variant="body2" className={classes.muted}>
          {list.value
            ? `${items.length} classifiers, ${items.filter(c => c.enabled).length} enabled`
            : ''}
        </Typography>
      </Box>
      {list.error && (
        <ErrorPanel>Could not load the classifier library: {list.error.message}</ErrorPanel>
      )}
      {toggleError && <ErrorPanel>{toggleError}</ErrorPanel>}
      <Paper variant="outlined">
        {list.loading && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="classifiers-table">
            <TableHead>
              <TableRow>
                <TableCell>Classifier</TableCell>
                <TableCell>Categories</TableCell>
                <TableCell>Sensitivity</TableCell>
                <TableCell align="right">Threshold</TableCell>
                <TableCell>Value evidence</TableCell>
                <TableCell align="right">Precision</TableCell>
                <TableCell align="center">Enabled</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(c => {
                const stats = precision.get(c.id);
                return (
                  <TableRow
                    key={c.id}
                    hover
                    data-testid="classifier-row"
                    data-id={c.id}
                    data-enabled={String(c.enabled)}
                  >
                    <TableCell>
                      <Link component={RouterLink} to={encodeURIComponent(c.id)}>
                        <Typography variant="body2" style={{ fontWeight: 600 }}>
                          {c.name}
                        </Typography>
                      </Link>
                      <Typography variant="caption" className={`${classes.mono} ${classes.muted}`}>
                        {c.id}
                      </Typography>
                    </TableCell>
                    <TableCell>{c.categories.join(', ')}</TableCell>
                    <TableCell>
                      <SensitivityChip sensitivity={c.sensitivity} />
                    </TableCell>
                    <TableCell align="right">{c.threshold.toFixed(2)}</TableCell>
                    <TableCell>{c.valueEvidence}</TableCell>
                    <TableCell align="right">
                      <Tooltip
                        title={
                          stats
                            ? `${stats.approved} approved, ${stats.rejected} rejected by stewards`
                            : 'No decisions yet'
                        }
                      >
                        <span>{formatPercent(stats?.precision ?? null)}</span>
                      </Tooltip>
                    </TableCell>
                    <TableCell align="center">
                      <Switch
                        size="small"
                        color="primary"
                        checked={c.enabled}
                        disabled={!abilities.train}
                        onChange={e => toggle(c, e.target.checked)}
                        inputProps={{
                          'aria-label': `${c.enabled ? 'Disable' : 'Enable'} ${c.id}`,
                          ...({ 'data-testid': `toggle-${c.id}` } as object),
                        }}
                      />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
        {list.value && items.length === 0 && (
          <Box className={classes.empty}>No classifier matches.</Box>
        )}
      </Paper>
    </Box>
  );
}
