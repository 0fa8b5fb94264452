import {
  Box,
  Button,
  Chip,
  Collapse,
  IconButton,
  LinearProgress,
  List,
  ListItem,
  ListItemIcon,
  ListItemText,
  makeStyles,
  MenuItem,
  Paper,
  TextField,
  Typography,
} from '@material-ui/core';
import ExpandLess from '@material-ui/icons/ExpandLess';
import ExpandMore from '@material-ui/icons/ExpandMore';
import Refresh from '@material-ui/icons/Refresh';
import TableChart from '@material-ui/icons/TableChart';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { RuleSetDefinition, RuleSetPreview } from '@racine/plugin-scan-rulesets-common';
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useScanRulesetsClient } from '../api/useScanRulesetsClient';

/** Wait this long after the last edit before previewing again: each preview reads the source's catalog. */
const DEBOUNCE_MS = 700;
/** Tables listed at most; the counts always cover all of them. */
const SHOWN_TABLES = 300;
const DATA_SOURCE_STORAGE_KEY = 'racine:scan-rulesets:preview-data-source';

const useStyles = makeStyles(theme => ({
  panel: { padding: theme.spacing(2, 2.5) },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  counts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(3, 1fr)',
    gap: theme.spacing(1),
    margin: theme.spacing(2, 0, 1),
  },
  count: { fontSize: 22, fontWeight: 600, lineHeight: 1.2 },
  tables: {
    maxHeight: 520,
    overflow: 'auto',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 4,
  },
  columns: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0, 2, 1.5, 7),
  },
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 13,
  },
  error: { color: theme.palette.error.main, marginTop: theme.spacing(1), whiteSpace: 'pre-wrap' },
}));

function Count(props: { label: string; value: number; of: number; testId: string }) {
  const classes = useStyles();
  return (
    <Box>
      <Typography className={classes.count} data-testid={props.testId}>
        {props.value.toLocaleString()}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {props.label} of {props.of.toLocaleString()}
      </Typography>
    </Box>
  );
}

function PreviewTableRow(props: { table: RuleSetPreview['tables'][number] }) {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const { table } = props;
  return (
    <>
      <ListItem
        dense
        button
        onClick={() => setOpen(!open)}
        data-testid="preview-table"
        data-table={`${table.schema}.${table.name}`}
      >
        <ListItemIcon style={{ minWidth: 36 }}>
          <TableChart fontSize="small" color="action" />
        </ListItemIcon>
        <ListItemText
          primary={
            <span className={classes.mono}>
              {table.schema}.{table.name}
            </span>
          }
          secondary={[
            table.kind === 'table' ? undefined : table.kind.replace('_', ' '),
            `${table.columns.length} column${table.columns.length === 1 ? '' : 's'}`,
            table.columnsExcluded > 0 ? `${table.columnsExcluded} left out` : undefined,
            table.rowEstimate === null ? undefined : `~${table.rowEstimate.toLocaleString()} rows`,
          ]
            .filter(Boolean)
            .join(' · ')}
        />
        <IconButton size="small" aria-label={open ? 'Hide columns' : 'Show columns'}>
          {open ? <ExpandLess fontSize="small" /> : <ExpandMore fontSize="small" />}
        </IconButton>
      </ListItem>
      <Collapse in={open} unmountOnExit>
        <Box className={classes.columns}>
          {table.columns.length === 0 && (
            <Typography variant="caption" color="textSecondary">
              No column of this table passes the column filters.
            </Typography>
          )}
          {table.columns.map(column => (
            <Chip
              key={column.name}
              size="small"
              variant="outlined"
              label={`${column.name}: ${column.dataType}`}
              data-testid="preview-column"
            />
          ))}
        </Box>
      </Collapse>
    </>
  );
}

export interface PreviewPanelProps {
  ruleSetId: string;
  /** The definition being edited; undefined while it is invalid. */
  definition?: RuleSetDefinition;
}

/**
 * Live dry run: the tables and columns a scan of the chosen data source would read with the
 * definition on screen, saved or not. Nothing is sampled.
 */
export function PreviewPanel(props: PreviewPanelProps) {
  const classes = useStyles();
  const client = useScanRulesetsClient();
  const dataSources = useAsyncResource(signal => client.dataSources(signal), [client]);
  const [dataSourceId, setDataSourceId] = useState<string>(
    () => window.localStorage.getItem(DATA_SOURCE_STORAGE_KEY) ?? '',
  );
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{
    preview?: RuleSetPreview;
    loading: boolean;
    error?: string;
  }>({ loading: false });
  const definitionKey = useMemo(
    () => (props.definition ? JSON.stringify(props.definition) : ''),
    [props.definition],
  );

  // Forget a remembered data source that no longer exists; pick the only one when there is one.
  const sources = dataSources.value;
  useEffect(() => {
    if (!sources) return;
    if (dataSourceId && !sources.some(s => s.id === dataSourceId)) setDataSourceId('');
    else if (!dataSourceId && sources.length === 1) setDataSourceId(sources[0].id);
  }, [sources, dataSourceId]);

  useEffect(() => {
    if (!dataSourceId || !definitionKey || !sources?.some(s => s.id === dataSourceId))
      return undefined;
    window.localStorage.setItem(DATA_SOURCE_STORAGE_KEY, dataSourceId);
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setState(previous => ({ ...previous, loading: true, error: undefined }));
      client
        .preview(
          props.ruleSetId,
          { dataSourceId, definition: JSON.parse(definitionKey) },
          controller.signal,
        )
        .then(
          preview => setState({ preview, loading: false }),
          error => {
            if (!controller.signal.aborted)
              setState(previous => ({ ...previous, loading: false, error: errorMessage(error) }));
          },
        );
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [client, props.ruleSetId, dataSourceId, definitionKey, sources, generation]);

  const preview =
    state.preview && state.preview.dataSource.id === dataSourceId ? state.preview : undefined;

  return (
    <Paper variant="outlined" className={classes.panel} data-testid="preview-panel">
      <Box className={classes.header}>
        <Typography variant="subtitle1" component="h2" style={{ fontWeight: 600 }}>
          Preview
        </Typography>
        <Button
          size="small"
          startIcon={<Refresh />}
          disabled={!dataSourceId || !props.definition || state.loading}
          onClick={() => setGeneration(g => g + 1)}
        >
          Refresh
        </Button>
      </Box>
      <Typography variant="body2" color="textSecondary">
        The tables and columns a scan would read with the settings on the left, saved or not. No
        data is sampled.
      </Typography>
      <TextField
        select
        label="Data source"
        value={sources?.some(s => s.id === dataSourceId) ? dataSourceId : ''}
        onChange={e => setDataSourceId(e.target.value)}
        fullWidth
        variant="outlined"
        size="small"
        margin="normal"
        disabled={!sources || sources.length === 0}
        helperText={
          dataSources.error
            ? `Could not list data sources: ${dataSources.error.message}`
            : undefined
        }
        error={Boolean(dataSources.error)}
        SelectProps={{ SelectDisplayProps: { 'data-testid': 'preview-data-source' } as object }}
      >
        {sources?.map(source => (
          <MenuItem key={source.id} value={source.id} data-testid="preview-data-source-option">
            {source.name}{' '}
            <Typography component="span" variant="caption" color="textSecondary">
              &nbsp;({source.type})
            </Typography>
          </MenuItem>
        ))}
      </TextField>
      {sources && sources.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No data source yet. <RouterLink to="/datasources">Register one</RouterLink> to preview.
        </Typography>
      )}
      {!props.definition && (
        <Typography variant="body2" className={classes.error}>
          Fix the highlighted fields to preview.
        </Typography>
      )}
      {state.loading && <LinearProgress />}
      {state.error && (
        <Typography
          variant="body2"
          className={classes.error}
          role="alert"
          data-testid="preview-error"
        >
          {state.error}
        </Typography>
      )}
      {preview && dataSourceId && (
        <Box data-testid="preview-result">
          <Box className={classes.counts}>
            <Count
              label="schemas"
              value={preview.counts.schemasIncluded}
              of={preview.counts.schemasDiscovered}
              testId="preview-schemas"
            />
            <Count
              label="tables"
              value={preview.counts.tablesIncluded}
              of={preview.counts.tablesDiscovered}
              testId="preview-tables"
            />
            <Count
              label="columns"
              value={preview.counts.columnsIncluded}
              of={preview.counts.columnsDiscovered}
              testId="preview-columns"
            />
          </Box>
          {preview.truncated && (
            <Typography variant="body2" color="textSecondary" gutterBottom>
              The table limit leaves out{' '}
              {(preview.counts.tablesMatched - preview.counts.tablesIncluded).toLocaleString()}{' '}
              matching table(s).
            </Typography>
          )}
          {preview.tables.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              No table passes the filters.
            </Typography>
          ) : (
            <List dense disablePadding className={classes.tables}>
              {preview.tables.slice(0, SHOWN_TABLES).map(table => (
                <PreviewTableRow key={`${table.schema}\u0000${table.name}`} table={table} />
              ))}
            </List>
          )}
          {preview.tables.length > SHOWN_TABLES && (
            <Typography variant="caption" color="textSecondary">
              Showing the first {SHOWN_TABLES} of {preview.tables.length.toLocaleString()} tables.
            </Typography>
          )}
        </Box>
      )}
    </Paper>
  );
}
