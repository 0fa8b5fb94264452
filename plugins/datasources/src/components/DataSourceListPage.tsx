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
import AddIcon from '@material-ui/icons/Add';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { DataSource } from '@racine/plugin-datasources-common';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router-dom';
import { useDatasourcesClient } from '../api/DatasourcesClient';
import {
  formatRelative,
  HealthChip,
  TagChips,
  useDataSourceAbilities,
  useSharedStyles,
} from './shared';

const PAGE_SIZE = 50;

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  search: { minWidth: 280, flex: '1 1 280px', maxWidth: 420 },
  filter: { minWidth: 160 },
  spacer: { flex: 1 },
  empty: {
    padding: theme.spacing(6, 2),
    textAlign: 'center',
    display: 'grid',
    gap: theme.spacing(2),
    justifyItems: 'center',
  },
  more: { display: 'flex', justifyContent: 'center', padding: theme.spacing(1.5) },
  name: { fontWeight: 600 },
}));

/** Every data source the caller may see, with its latest health. */
export function DataSourceListPage() {
  const classes = useStyles();
  const shared = useSharedStyles();
  const client = useDatasourcesClient();
  const abilities = useDataSourceAbilities();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const type = params.get('type') ?? '';
  const [text, setText] = useState(q);
  const [extra, setExtra] = useState<{ items: DataSource[]; nextCursor?: string }>({ items: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string>();

  // Debounce typing into the `q` URL parameter, so the filter survives reloads and links.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      if (text !== q) {
        const next = new URLSearchParams(params);
        if (text) next.set('q', text);
        else next.delete('q');
        setParams(next, { replace: true });
      }
    }, 250);
    return () => window.clearTimeout(timer);
  }, [text, q, params, setParams]);

  const connectors = useAsyncResource(signal => client.connectors(signal), [client]);
  const page = useAsyncResource(
    signal => client.list({ q: q || undefined, type: type || undefined, limit: PAGE_SIZE }, signal),
    [client, q, type],
  );
  useEffect(() => setExtra({ items: [] }), [page.value]);

  const items = [...(page.value?.items ?? []), ...extra.items];
  // The workspace column only tells something when the list spans several workspaces.
  const showWorkspace = new Set(items.map(s => s.workspace)).size > 1;
  const nextCursor = extra.items.length > 0 ? extra.nextCursor : page.value?.nextCursor;
  const titleOf = (connectorType: string) =>
    connectors.value?.find(c => c.type === connectorType)?.title ?? connectorType;

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const more = await client.list({
        q: q || undefined,
        type: type || undefined,
        limit: PAGE_SIZE,
        cursor: nextCursor,
      });
      setExtra(previous => ({
        items: [...previous.items, ...more.items],
        nextCursor: more.nextCursor,
      }));
    } catch (error) {
      setMoreError(errorMessage(error));
    } finally {
      setLoadingMore(false);
    }
  };

  const setType = (value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set('type', value);
    else next.delete('type');
    setParams(next, { replace: true });
  };

  return (
    <Box>
      <Box className={classes.toolbar}>
        <TextField
          className={classes.search}
          variant="outlined"
          size="small"
          placeholder="Search by name, tag, type, environment or owner"
          value={text}
          onChange={e => setText(e.target.value)}
          inputProps={{ 'data-testid': 'datasource-search', 'aria-label': 'Search data sources' }}
        />
        <TextField
          select
          className={classes.filter}
          variant="outlined"
          size="small"
          label="Type"
          value={type}
          onChange={e => setType(e.target.value)}
          inputProps={{ 'data-testid': 'datasource-type-filter' }}
        >
          <MenuItem value="">All types</MenuItem>
          {connectors.value?.map(c => (
            <MenuItem key={c.type} value={c.type}>
              {c.title}
            </MenuItem>
          ))}
        </TextField>
        <Box className={classes.spacer} />
        {abilities.create && (
          <Button
            variant="contained"
            color="primary"
            startIcon={<AddIcon />}
            component={RouterLink}
            to="new"
            data-testid="add-datasource"
          >
            Add data source
          </Button>
        )}
      </Box>
      {page.error && (
        <Paper variant="outlined" className={shared.error} role="alert">
          <Typography variant="body2">Could not load data sources: {page.error.message}</Typography>
        </Paper>
      )}
      <Paper variant="outlined">
        {page.loading && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="datasources-table">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Environment</TableCell>
                <TableCell>Tags</TableCell>
                <TableCell>Owner</TableCell>
                {showWorkspace && <TableCell>Workspace</TableCell>}
                <TableCell>Health</TableCell>
                <TableCell>Updated</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map(source => (
                <TableRow
                  key={source.id}
                  hover
                  data-testid="datasource-row"
                  data-name={source.name}
                >
                  <TableCell>
                    <Link
                      component={RouterLink}
                      to={encodeURIComponent(source.id)}
                      className={classes.name}
                    >
                      {source.name}
                    </Link>
                    {source.description && (
                      <Typography
                        variant="caption"
                        color="textSecondary"
                        component="div"
                        noWrap
                        style={{ maxWidth: 360 }}
                      >
                        {source.description}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{titleOf(source.type)}</TableCell>
                  <TableCell>{source.environment || '—'}</TableCell>
                  <TableCell>
                    <TagChips tags={source.tags} />
                  </TableCell>
                  <TableCell>{source.owner || '—'}</TableCell>
                  {showWorkspace && (
                    <TableCell className={shared.mono}>{source.workspace}</TableCell>
                  )}
                  <TableCell>
                    <HealthChip health={source.health} />
                  </TableCell>
                  <TableCell title={source.updatedAt}>{formatRelative(source.updatedAt)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {page.value && items.length === 0 && (
          <Box className={classes.empty}>
            <Typography variant="body2" color="textSecondary">
              {q || type
                ? 'No data source matches these filters.'
                : 'No data sources yet. Register a database to start governing it.'}
            </Typography>
            {abilities.create && !q && !type && (
              <Button variant="outlined" color="primary" component={RouterLink} to="new">
                Add data source
              </Button>
            )}
          </Box>
        )}
        {nextCursor && (
          <Box className={classes.more}>
            <Button onClick={loadMore} disabled={loadingMore}>
              {loadingMore
                ? 'Loading…'
                : `Show more (${items.length} of ${page.value?.totalCount ?? '?'})`}
            </Button>
          </Box>
        )}
        {moreError && (
          <Typography variant="body2" color="error" align="center" role="alert">
            {moreError}
          </Typography>
        )}
      </Paper>
    </Box>
  );
}
