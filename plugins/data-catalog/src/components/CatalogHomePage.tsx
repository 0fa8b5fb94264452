import {
  Box,
  Button,
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
import Autocomplete from '@material-ui/lab/Autocomplete';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import {
  assetPagePath,
  type AssetSummary,
  type AssetType,
} from '@racine/plugin-data-catalog-common';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { useDataCatalogClient } from '../api/DataCatalogClient';
import { AssetIcon } from './AssetIcon';
import { formatTime, typeTitles } from './format';
import { LabelChips } from './LabelChip';
import { labelSuggestions } from './labelSuggestions';

const PAGE_SIZE = 50;

const useStyles = makeStyles(theme => ({
  section: { marginBottom: theme.spacing(3) },
  sectionTitle: { fontWeight: 600, margin: theme.spacing(0, 0, 1.5) },
  toolbar: {
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    marginBottom: theme.spacing(2),
    alignItems: 'center',
  },
  search: { flex: '1 1 260px', maxWidth: 420 },
  filter: { minWidth: 150 },
  labelFilter: { width: 260 },
  optionCount: { color: theme.palette.text.secondary, fontSize: 12, marginLeft: 'auto' },
  suggestions: {
    display: 'flex',
    gap: theme.spacing(1),
    justifyContent: 'center',
    alignItems: 'center',
    flexWrap: 'wrap',
    marginTop: theme.spacing(1),
  },
  nameCell: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  icon: { fontSize: 18, color: theme.palette.text.secondary },
  name: { fontWeight: 600 },
  qualified: { color: theme.palette.text.secondary, fontSize: 12 },
  empty: { padding: theme.spacing(5, 2), textAlign: 'center' },
  error: {
    padding: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
    marginBottom: theme.spacing(2),
  },
  more: { display: 'flex', justifyContent: 'center', padding: theme.spacing(1.5) },
}));

const typeFilters: Record<string, AssetType[]> = {
  all: ['table', 'view', 'column'],
  tables: ['table', 'view'],
  columns: ['column'],
};

function AssetRows(props: { items: AssetSummary[] }) {
  const classes = useStyles();
  return (
    <>
      {props.items.map(asset => (
        <TableRow key={asset.ref} hover data-testid="asset-row" data-ref={asset.ref}>
          <TableCell>
            <Box className={classes.nameCell}>
              <AssetIcon type={asset.type} className={classes.icon} />
              <Box>
                <Link component={RouterLink} to={assetPagePath(asset.ref)} className={classes.name}>
                  {asset.name}
                </Link>
                {asset.qualifiedName !== asset.name && (
                  <div className={classes.qualified}>{asset.qualifiedName}</div>
                )}
              </Box>
            </Box>
          </TableCell>
          <TableCell>{asset.dataType ?? typeTitles[asset.type]}</TableCell>
          <TableCell>
            <LabelChips labels={asset.labels} />
          </TableCell>
          <TableCell>{formatTime(asset.lastSeenAt)}</TableCell>
        </TableRow>
      ))}
    </>
  );
}

/** The catalog overview: its data sources, and a finder over tables, views and columns. */
export function CatalogHomePage() {
  const classes = useStyles();
  const client = useDataCatalogClient();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = params.get('kind') ?? 'all';
  const label = params.get('label') ?? '';
  const [text, setText] = useState(q);
  const [labelText, setLabelText] = useState(label);
  const [extra, setExtra] = useState<{ items: AssetSummary[]; nextCursor: string | null }>({
    items: [],
    nextCursor: null,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string>();

  // Debounce typing into the URL, so a search survives reloads and can be shared.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (text === q && labelText === label) return;
      const next = new URLSearchParams(params);
      if (text) next.set('q', text);
      else next.delete('q');
      if (labelText) next.set('label', labelText);
      else next.delete('label');
      setParams(next, { replace: true });
    }, 300);
    return () => window.clearTimeout(timer);
  }, [text, labelText, q, label, params, setParams]);

  const sources = useAsyncResource(signal => client.tree(undefined, undefined, signal), [client]);
  // The labels the catalog holds (classifier ids, most frequent first) feed the label box:
  // the label facet of a search over the kinds of assets shown.
  const labels = useAsyncResource(
    signal =>
      client
        .search(
          { q: '', filters: { type: typeFilters[kind] ?? typeFilters.all }, limit: 1 },
          signal,
        )
        .then(result => result.facets.label ?? []),
    [client, kind],
  );
  const labelOptions = labels.value?.map(v => v.value) ?? [];
  const labelCounts = new Map(labels.value?.map(v => [v.value, v.count]));
  // Close real ids for a label that matches nothing (shown only then).
  const suggested = label ? labelSuggestions(label, labelOptions) : [];
  const searching = Boolean(q || label);
  const found = useAsyncResource(
    signal =>
      searching
        ? client.listAssets(
            {
              q: q || undefined,
              label: label || undefined,
              type: typeFilters[kind] ?? typeFilters.all,
              limit: PAGE_SIZE,
            },
            signal,
          )
        : Promise.resolve({ items: [], nextCursor: null }),
    [client, q, label, kind, searching],
  );
  useEffect(() => setExtra({ items: [], nextCursor: null }), [q, label, kind]);

  const nextCursor =
    extra.nextCursor ?? (extra.items.length === 0 ? found.value?.nextCursor : null);
  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await client.listAssets({
        q: q || undefined,
        label: label || undefined,
        type: typeFilters[kind] ?? typeFilters.all,
        limit: PAGE_SIZE,
        cursor: nextCursor,
      });
      setExtra(current => ({
        items: [...current.items, ...page.items],
        nextCursor: page.nextCursor,
      }));
    } catch (error) {
      setMoreError(errorMessage(error));
    } finally {
      setLoadingMore(false);
    }
  };

  const setKind = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === 'all') next.delete('kind');
    else next.set('kind', value);
    setParams(next, { replace: true });
  };

  return (
    <Box>
      <Box className={classes.toolbar}>
        <Button
          component={RouterLink}
          to={`/catalog/search${text ? `?q=${encodeURIComponent(text)}` : ''}`}
          variant="outlined"
          color="primary"
          data-testid="open-catalog-search"
        >
          Search with facets
        </Button>
        <Button component={RouterLink} to="/catalog/glossary" data-testid="open-glossary">
          Business glossary
        </Button>
      </Box>
      <Box className={classes.section}>
        <Box className={classes.toolbar}>
          <TextField
            className={classes.search}
            variant="outlined"
            size="small"
            label="Find tables, views and columns"
            value={text}
            onChange={event => setText(event.target.value)}
            inputProps={{ 'data-testid': 'catalog-search' }}
          />
          <Autocomplete
            className={classes.labelFilter}
            freeSolo
            options={labelOptions}
            value={labelText || null}
            inputValue={labelText}
            onChange={(_event, value) => setLabelText(value?.trim() ?? '')}
            onInputChange={(_event, value) => setLabelText(value.trim())}
            renderOption={option => (
              <>
                <span data-testid="label-option">{option}</span>
                <span className={classes.optionCount}>{labelCounts.get(option)}</span>
              </>
            )}
            renderInput={params => (
              <TextField
                {...params}
                variant="outlined"
                size="small"
                label="Label"
                placeholder={labelOptions[0] ?? 'PII.EMAIL_ADDRESS'}
                helperText="A classifier id, in any case"
                inputProps={{ ...params.inputProps, 'data-testid': 'catalog-label-filter' }}
              />
            )}
          />
          <TextField
            select
            className={classes.filter}
            variant="outlined"
            size="small"
            label="Show"
            value={kind}
            onChange={event => setKind(event.target.value)}
          >
            <MenuItem value="all">Everything</MenuItem>
            <MenuItem value="tables">Tables and views</MenuItem>
            <MenuItem value="columns">Columns</MenuItem>
          </TextField>
        </Box>
        {searching && (
          <Paper variant="outlined">
            {found.loading && <LinearProgress />}
            {found.error && (
              <Typography className={classes.error}>
                Could not search the catalog: {found.error.message}
              </Typography>
            )}
            <TableContainer>
              <Table size="small" data-testid="catalog-results">
                <TableHead>
                  <TableRow>
                    <TableCell>Name</TableCell>
                    <TableCell>Type</TableCell>
                    <TableCell>Labels</TableCell>
                    <TableCell>Last seen</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  <AssetRows items={[...(found.value?.items ?? []), ...extra.items]} />
                </TableBody>
              </Table>
            </TableContainer>
            {!found.loading && found.value?.items.length === 0 && (
              <Box className={classes.empty} data-testid="catalog-no-match">
                <Typography color="textSecondary">Nothing in the catalog matches.</Typography>
                {suggested.length > 0 && (
                  <Box className={classes.suggestions} data-testid="label-suggestions">
                    <Typography variant="body2" color="textSecondary">
                      No label is named “{label}”. Did you mean
                    </Typography>
                    {suggested.map(id => (
                      <Button
                        key={id}
                        size="small"
                        variant="outlined"
                        onClick={() => setLabelText(id)}
                        data-testid="label-suggestion"
                      >
                        {id}
                      </Button>
                    ))}
                  </Box>
                )}
              </Box>
            )}
            {moreError && <Typography className={classes.error}>{moreError}</Typography>}
            {nextCursor && (
              <Box className={classes.more}>
                <Button onClick={loadMore} disabled={loadingMore}>
                  {loadingMore ? 'Loading…' : 'Show more'}
                </Button>
              </Box>
            )}
          </Paper>
        )}
      </Box>

      {!searching && (
        <Box className={classes.section}>
          <Typography variant="subtitle1" component="h2" className={classes.sectionTitle}>
            Data sources
          </Typography>
          <Paper variant="outlined">
            {sources.loading && !sources.value && <LinearProgress />}
            {sources.error && (
              <Typography className={classes.error}>
                Could not load the catalog: {sources.error.message}
              </Typography>
            )}
            {sources.value && sources.value.items.length === 0 && (
              <Box className={classes.empty} data-testid="catalog-empty">
                <Typography variant="body1">The catalog is empty.</Typography>
                <Typography variant="body2" color="textSecondary">
                  Scan a data source: every schema, table, view and column it finds appears here,
                  with its profile and classification labels.
                </Typography>
              </Box>
            )}
            {sources.value && sources.value.items.length > 0 && (
              <TableContainer>
                <Table size="small" data-testid="catalog-sources">
                  <TableHead>
                    <TableRow>
                      <TableCell>Name</TableCell>
                      <TableCell align="right">Databases</TableCell>
                      <TableCell>Last scanned</TableCell>
                      <TableCell>Last changed</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {sources.value.items.map(source => (
                      <TableRow
                        key={source.ref}
                        hover
                        data-testid="source-row"
                        data-ref={source.ref}
                      >
                        <TableCell>
                          <Box className={classes.nameCell}>
                            <AssetIcon type="datasource" className={classes.icon} />
                            <Link
                              component={RouterLink}
                              to={assetPagePath(source.ref)}
                              className={classes.name}
                            >
                              {source.name}
                            </Link>
                          </Box>
                        </TableCell>
                        <TableCell align="right">{source.childCount}</TableCell>
                        <TableCell>{formatTime(source.lastSeenAt)}</TableCell>
                        <TableCell>{formatTime(source.updatedAt)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </TableContainer>
            )}
          </Paper>
        </Box>
      )}
    </Box>
  );
}
