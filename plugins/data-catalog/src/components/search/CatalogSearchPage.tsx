import {
  Box,
  Button,
  Checkbox,
  Chip,
  FormControlLabel,
  Grid,
  LinearProgress,
  Link,
  makeStyles,
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
import { errorMessage, useAsyncResource, useMe } from '@racine/kernel-react';
import {
  assetPagePath,
  searchFacetNames,
  type AssetSummary,
  type SearchAssetsResponse,
  type SearchFacetName,
} from '@racine/plugin-data-catalog-common';
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { useDataCatalogClient } from '../../api/DataCatalogClient';
import { AssetIcon } from '../AssetIcon';
import { typeTitles } from '../format';
import { LabelChips } from '../LabelChip';
import { BulkEditDialog } from './BulkEditDialog';
import { dataSourceNameMap, unnamedDataSources } from './dataSourceNames';
import { SensitivityChip } from './SensitivityChip';

const PAGE_SIZE = 25;

export const facetTitles: Record<SearchFacetName, string> = {
  type: 'Type',
  dataSourceId: 'Data source',
  schema: 'Schema',
  label: 'Label',
  sensitivity: 'Sensitivity',
  tag: 'Tag',
  owner: 'Owner',
  term: 'Glossary term',
  status: 'Status',
};

const useStyles = makeStyles(theme => ({
  facets: { padding: theme.spacing(1.5, 2), position: 'sticky', top: theme.spacing(2) },
  facet: { marginBottom: theme.spacing(2) },
  facetTitle: { fontWeight: 600, fontSize: 13, marginBottom: theme.spacing(0.5) },
  facetValue: { display: 'flex', alignItems: 'center', margin: 0, width: '100%' },
  facetLabel: { fontSize: 13, wordBreak: 'break-all', flex: 1 },
  count: { color: theme.palette.text.secondary, fontSize: 12, marginLeft: theme.spacing(1) },
  toolbar: {
    display: 'flex',
    gap: theme.spacing(2),
    alignItems: 'center',
    flexWrap: 'wrap',
    marginBottom: theme.spacing(2),
  },
  search: { flex: '1 1 320px' },
  nameCell: { display: 'flex', alignItems: 'flex-start', gap: theme.spacing(1) },
  icon: { fontSize: 18, color: theme.palette.text.secondary, marginTop: 2 },
  name: { fontWeight: 600 },
  secondary: { color: theme.palette.text.secondary, fontSize: 12 },
  description: { fontSize: 12.5, maxWidth: 520, marginTop: 2 },
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  empty: { padding: theme.spacing(5, 2), textAlign: 'center' },
  error: { padding: theme.spacing(2), color: theme.palette.error.main, marginBottom: 16 },
  more: { display: 'flex', justifyContent: 'center', padding: theme.spacing(1.5) },
}));

function filtersOf(params: URLSearchParams): Partial<Record<SearchFacetName, string[]>> {
  const out: Partial<Record<SearchFacetName, string[]>> = {};
  for (const facet of searchFacetNames) {
    const value = params.get(facet);
    if (value) out[facet] = value.split(',').filter(Boolean);
  }
  return out;
}

/** First line of a markdown description, without markup, for result rows. */
function plainSnippet(markdown: string | null): string {
  if (!markdown) return '';
  const line = markdown.split('\n').find(l => l.trim()) ?? '';
  return line.replace(/[*_`#>[\]]/g, '').slice(0, 180);
}

function ResultRow(props: {
  asset: AssetSummary;
  /** The name of the asset's data source, when known. */
  dataSourceName: string | undefined;
  selected: boolean;
  selectable: boolean;
  onToggle: () => void;
}) {
  const classes = useStyles();
  const { asset } = props;
  return (
    <TableRow hover data-testid="search-result" data-ref={asset.ref}>
      {props.selectable && (
        <TableCell padding="checkbox">
          <Checkbox
            size="small"
            checked={props.selected}
            onChange={props.onToggle}
            inputProps={{ 'aria-label': `Select ${asset.qualifiedName}` }}
          />
        </TableCell>
      )}
      <TableCell>
        <Box className={classes.nameCell}>
          <AssetIcon type={asset.type} className={classes.icon} />
          <Box>
            <Link component={RouterLink} to={assetPagePath(asset.ref)} className={classes.name}>
              {asset.name}
            </Link>
            <div className={classes.secondary}>
              {typeTitles[asset.type]} · {asset.qualifiedName} ·{' '}
              <span title={asset.dataSourceId} data-testid="result-datasource">
                {props.dataSourceName ?? asset.dataSourceId}
              </span>
            </div>
            {asset.description && (
              <div className={classes.description}>{plainSnippet(asset.description)}</div>
            )}
          </Box>
        </Box>
      </TableCell>
      <TableCell>
        <div className={classes.chips}>
          {asset.owners.map(owner => (
            <Chip key={owner} size="small" variant="outlined" label={owner} />
          ))}
        </div>
      </TableCell>
      <TableCell>
        <div className={classes.chips}>
          {asset.tags.map(tag => (
            <Chip key={tag} size="small" label={tag} />
          ))}
        </div>
      </TableCell>
      <TableCell>
        <SensitivityChip level={asset.sensitivity} />
      </TableCell>
      <TableCell>
        <LabelChips labels={asset.labels} />
      </TableCell>
    </TableRow>
  );
}

/** Catalog search: full text with typo tolerance, facet counts, multi-select and bulk edit. */
export function CatalogSearchPage() {
  const classes = useStyles();
  const client = useDataCatalogClient();
  const me = useMe();
  const canEdit = me.value?.permissions.includes('catalog.edit') ?? false;
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const filters = useMemo(() => filtersOf(params), [params]);
  const filterKey = JSON.stringify(filters);
  const [more, setMore] = useState<SearchAssetsResponse['items']>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);

  useEffect(() => setDraft(q), [q]);
  // A draft query is applied after a short pause, so typing does not fire a search per key.
  useEffect(() => {
    if (draft === q) return undefined;
    const timer = setTimeout(() => {
      const next = new URLSearchParams(params);
      if (draft) next.set('q', draft);
      else next.delete('q');
      setParams(next, { replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [draft, q, params, setParams]);

  const results = useAsyncResource(
    signal => client.search({ q, filters: JSON.parse(filterKey), limit: PAGE_SIZE }, signal),
    [client, q, filterKey],
  );
  useEffect(() => {
    setMore([]);
    setCursor(results.value?.nextCursor ?? null);
    setSelected(new Set());
  }, [results.value]);

  const toggleFilter = (facet: SearchFacetName, value: string) => {
    const current = new Set(filters[facet] ?? []);
    if (current.has(value)) current.delete(value);
    else current.add(value);
    const next = new URLSearchParams(params);
    if (current.size) next.set(facet, [...current].join(','));
    else next.delete(facet);
    setParams(next);
  };

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await client.search({ q, filters, limit: PAGE_SIZE, cursor });
      setMore(previous => [...previous, ...page.items]);
      setCursor(page.nextCursor);
    } finally {
      setLoadingMore(false);
    }
  };

  const items = [...(results.value?.items ?? []), ...more];
  // Results carry the id of their data source: the facet titles name most of them, the
  // data sources' catalog assets (read once, when needed) the others.
  const [listSources, setListSources] = useState(false);
  const sources = useAsyncResource(
    signal =>
      listSources
        ? client.listAssets({ type: ['datasource'], status: 'all', limit: 500 }, signal)
        : Promise.resolve(undefined),
    [client, listSources],
  );
  const dataSourceNames = useMemo(
    () => dataSourceNameMap(results.value?.facets.dataSourceId, sources.value?.items),
    [results.value, sources.value],
  );
  const unnamed = unnamedDataSources(
    [...items.map(i => i.dataSourceId), ...(filters.dataSourceId ?? [])],
    dataSourceNames,
  ).length;
  useEffect(() => {
    if (unnamed > 0 && results.value) setListSources(true);
  }, [unnamed, results.value]);
  const toggle = (ref: string) =>
    setSelected(previous => {
      const next = new Set(previous);
      if (next.has(ref)) next.delete(ref);
      else next.add(ref);
      return next;
    });
  const activeFilters = Object.entries(filters).flatMap(([facet, values]) =>
    (values ?? []).map(value => ({ facet: facet as SearchFacetName, value })),
  );

  return (
    <Grid container spacing={3} data-testid="catalog-search-page">
      <Grid item xs={12} md={3}>
        <Paper variant="outlined" className={classes.facets} data-testid="search-facets">
          {searchFacetNames.map(facet => {
            const values = results.value?.facets[facet] ?? [];
            const chosen = filters[facet] ?? [];
            if (values.length === 0 && chosen.length === 0) return null;
            return (
              <Box key={facet} className={classes.facet} data-testid={`facet-${facet}`}>
                <Typography className={classes.facetTitle}>{facetTitles[facet]}</Typography>
                {values.map(v => (
                  <FormControlLabel
                    key={v.value}
                    className={classes.facetValue}
                    control={
                      <Checkbox
                        size="small"
                        checked={chosen.includes(v.value)}
                        onChange={() => toggleFilter(facet, v.value)}
                      />
                    }
                    label={
                      <Box display="flex" alignItems="center" width="100%">
                        <span className={classes.facetLabel}>
                          {facet === 'type'
                            ? (typeTitles[v.value as keyof typeof typeTitles] ?? v.value)
                            : facet === 'dataSourceId'
                              ? (dataSourceNames.get(v.value) ?? v.title ?? v.value)
                              : (v.title ?? v.value)}
                        </span>
                        <span className={classes.count} data-testid="facet-count">
                          {results.value?.facetsApproximate ? '~' : ''}
                          {v.count}
                        </span>
                      </Box>
                    }
                    data-testid="facet-value"
                    data-value={v.value}
                  />
                ))}
              </Box>
            );
          })}
        </Paper>
      </Grid>
      <Grid item xs={12} md={9}>
        <Box className={classes.toolbar}>
          <TextField
            className={classes.search}
            variant="outlined"
            size="small"
            label="Search names, descriptions, columns, tags, owners, glossary terms"
            value={draft}
            onChange={event => setDraft(event.target.value)}
            inputProps={{ 'data-testid': 'search-input' }}
            autoFocus
          />
          {canEdit && (
            <Button
              variant="contained"
              color="primary"
              disabled={selected.size === 0}
              onClick={() => setBulkOpen(true)}
              data-testid="bulk-edit"
            >
              Edit {selected.size || ''} selected
            </Button>
          )}
        </Box>
        {activeFilters.length > 0 && (
          <Box className={classes.chips} mb={2}>
            {activeFilters.map(({ facet, value }) => (
              <Chip
                key={`${facet}:${value}`}
                size="small"
                color="primary"
                variant="outlined"
                label={`${facetTitles[facet]}: ${
                  (facet === 'dataSourceId' ? dataSourceNames.get(value) : undefined) ??
                  results.value?.facets[facet]?.find(v => v.value === value)?.title ??
                  value
                }`}
                data-testid="active-filter"
                onDelete={() => toggleFilter(facet, value)}
              />
            ))}
          </Box>
        )}
        {results.loading && <LinearProgress />}
        {results.error && (
          <Paper variant="outlined" className={classes.error} role="alert">
            Could not search the catalog: {errorMessage(results.error)}
          </Paper>
        )}
        {results.value && (
          <Typography variant="body2" color="textSecondary" data-testid="search-total">
            {results.value.total}
            {results.value.totalExact ? '' : '+'} asset{results.value.total === 1 ? '' : 's'}
            {results.value.fuzzy && q ? ` — no exact match for “${q}”, closest spellings` : ''}
          </Typography>
        )}
        {results.value && items.length === 0 && (
          <Box className={classes.empty} data-testid="search-empty">
            <Typography>Nothing in the catalog matches.</Typography>
          </Box>
        )}
        {items.length > 0 && (
          <TableContainer component={Paper} variant="outlined" style={{ marginTop: 8 }}>
            <Table size="small" data-testid="search-results">
              <TableHead>
                <TableRow>
                  {canEdit && (
                    <TableCell padding="checkbox">
                      <Checkbox
                        size="small"
                        checked={selected.size > 0 && selected.size === items.length}
                        indeterminate={selected.size > 0 && selected.size < items.length}
                        onChange={() =>
                          setSelected(
                            selected.size === items.length
                              ? new Set()
                              : new Set(items.map(i => i.ref)),
                          )
                        }
                        inputProps={{ 'aria-label': 'Select all' }}
                      />
                    </TableCell>
                  )}
                  <TableCell>Asset</TableCell>
                  <TableCell>Owners</TableCell>
                  <TableCell>Tags</TableCell>
                  <TableCell>Sensitivity</TableCell>
                  <TableCell>Labels</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {items.map(asset => (
                  <ResultRow
                    key={asset.ref}
                    asset={asset}
                    dataSourceName={dataSourceNames.get(asset.dataSourceId)}
                    selectable={canEdit}
                    selected={selected.has(asset.ref)}
                    onToggle={() => toggle(asset.ref)}
                  />
                ))}
              </TableBody>
            </Table>
            {cursor && (
              <Box className={classes.more}>
                <Button onClick={loadMore} disabled={loadingMore}>
                  {loadingMore ? 'Loading…' : 'Show more'}
                </Button>
              </Box>
            )}
          </TableContainer>
        )}
      </Grid>
      {bulkOpen && (
        <BulkEditDialog
          refs={[...selected]}
          onClose={() => setBulkOpen(false)}
          onDone={() => {
            setBulkOpen(false);
            results.reload();
          }}
        />
      )}
    </Grid>
  );
}
