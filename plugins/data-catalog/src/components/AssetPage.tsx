import {
  Box,
  Breadcrumbs,
  Chip,
  FormControlLabel,
  Grid,
  LinearProgress,
  Link,
  makeStyles,
  Paper,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Tab,
  Tabs,
  Typography,
} from '@material-ui/core';
import { RacineApiError, useAsyncResource, useNavigation } from '@racine/kernel-react';
import {
  assetPagePath,
  type AssetDetailsResponse,
  type AssetType,
  type ColumnProfile,
  type TableTechnicalMetadata,
} from '@racine/plugin-data-catalog-common';
import { useState, type ReactNode } from 'react';
import { Link as RouterLink, useLocation, useSearchParams } from 'react-router-dom';
import { useDataCatalogClient } from '../api/DataCatalogClient';
import { AssetIcon } from './AssetIcon';
import { ColumnsTable, KeyChips, nullRatio, technicalOfColumn } from './ColumnsTable';
import {
  formatCount,
  formatDecimal,
  formatPercent,
  formatTime,
  orDash,
  refFromPathname,
  tableKindTitles,
  typeTitles,
} from './format';
import { LabelChip } from './LabelChip';
import { LineageTab } from './lineage/LineageTab';
import { CurationCard } from './curation/CurationCard';
import { HistoryTab } from './curation/HistoryTab';
import { ColumnProfileChart, TableProfileChart } from './curation/ProfileCharts';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    flexWrap: 'wrap',
    margin: theme.spacing(1.5, 0, 2),
  },
  headerIcon: { color: theme.palette.text.secondary },
  title: { fontSize: 20, fontWeight: 700, margin: 0, wordBreak: 'break-word' },
  deletedChip: { color: theme.palette.error.main, borderColor: theme.palette.error.main },
  card: { padding: theme.spacing(2.5), height: '100%' },
  cardHeader: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1.5),
  },
  cardTitle: { fontWeight: 600 },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(210px, 1fr))',
    gap: theme.spacing(2, 3),
  },
  factKey: { fontSize: 12, color: theme.palette.text.secondary, marginBottom: 2 },
  factValue: { fontSize: 14, wordBreak: 'break-word' },
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 12.5,
  },
  sql: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 12.5,
    whiteSpace: 'pre-wrap',
    margin: 0,
    padding: theme.spacing(1.5),
    borderRadius: 6,
    background: theme.palette.type === 'dark' ? 'rgba(255,255,255,0.05)' : 'rgba(0,0,0,0.035)',
    maxHeight: 420,
    overflow: 'auto',
  },
  spacer: { flex: 1 },
  stats: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    gap: theme.spacing(2),
  },
  statValue: { fontSize: 18, fontWeight: 600, wordBreak: 'break-word' },
  statLabel: { fontSize: 12, color: theme.palette.text.secondary },
  labels: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.75) },
  error: {
    padding: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  tags: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
}));

function Card(props: { title: string; testId: string; action?: ReactNode; children: ReactNode }) {
  const classes = useStyles();
  return (
    <Paper variant="outlined" className={classes.card} data-testid={props.testId}>
      <Box className={classes.cardHeader}>
        <Typography variant="subtitle1" component="h2" className={classes.cardTitle}>
          {props.title}
        </Typography>
        <span className={classes.spacer} />
        {props.action}
      </Box>
      {props.children}
    </Paper>
  );
}

function Facts(props: { rows: [string, ReactNode][] }) {
  const classes = useStyles();
  return (
    <Box className={classes.facts}>
      {props.rows.map(([key, value]) => (
        <Box key={key} data-testid="fact" data-key={key}>
          <div className={classes.factKey}>{key}</div>
          <div className={classes.factValue}>{value}</div>
        </Box>
      ))}
    </Box>
  );
}

function ProfileStats(props: { profile: ColumnProfile }) {
  const classes = useStyles();
  const { profile } = props;
  const distinctRatio =
    profile.rowCount && profile.distinctCount != null
      ? profile.distinctCount / profile.rowCount
      : null;
  const stats: [string, string][] = [
    ['Rows profiled', formatCount(profile.rowCount)],
    [
      'Nulls',
      profile.nullCount != null
        ? `${formatCount(profile.nullCount)} (${formatPercent(nullRatio(profile), 1)})`
        : '—',
    ],
    [
      'Distinct',
      profile.distinctCount != null
        ? `${formatCount(profile.distinctCount)}${distinctRatio !== null ? ` (${formatPercent(distinctRatio, 1)})` : ''}`
        : '—',
    ],
    ['Min', orDash(profile.min)],
    ['Max', orDash(profile.max)],
    ['Mean', formatDecimal(profile.mean)],
    ['Average length', formatDecimal(profile.avgLength)],
    ['Maximum length', formatCount(profile.maxLength)],
  ];
  return (
    <Box className={classes.stats} data-testid="profile-stats">
      {stats.map(([label, value]) => (
        <Box key={label}>
          <div className={classes.statValue}>{value}</div>
          <div className={classes.statLabel}>{label}</div>
        </Box>
      ))}
    </Box>
  );
}

function commonFacts(asset: AssetDetailsResponse, monoClass: string): [string, ReactNode][] {
  return [
    // Description, owners and tags are in the About card (CurationCard).
    ['First seen', formatTime(asset.firstSeenAt)],
    ['Last seen', formatTime(asset.lastSeenAt)],
    ['Last changed', formatTime(asset.updatedAt)],
    ['Last scan run', <span className={monoClass}>{orDash(asset.lastRunId)}</span>],
  ];
}

function TableOverview(props: { asset: AssetDetailsResponse }) {
  const classes = useStyles();
  const { asset } = props;
  const technical = asset.technical as TableTechnicalMetadata;
  const rows: [string, ReactNode][] = [
    ['Qualified name', <span className={classes.mono}>{asset.qualifiedName}</span>],
    ['Kind', tableKindTitles[technical.kind] ?? technical.kind],
    ['Rows', formatCount(technical.rowCount)],
    ['Columns', formatCount(technical.columnCount)],
    [
      'Primary key',
      technical.primaryKey.length ? (
        <span className={classes.mono}>{technical.primaryKey.join(', ')}</span>
      ) : (
        '—'
      ),
    ],
    [
      'Foreign keys',
      technical.foreignKeys.length ? (
        <Box>
          {technical.foreignKeys.map((fk, i) => (
            <div key={fk.name ?? i} className={classes.mono}>
              ({fk.columns.join(', ')}) → {fk.referencedSchema}.{fk.referencedTable} (
              {fk.referencedColumns.join(', ')})
            </div>
          ))}
        </Box>
      ) : (
        '—'
      ),
    ],
  ];
  if (technical.partitionOf) {
    rows.push([
      'Partition of',
      technical.partitionParentRef ? (
        <Link component={RouterLink} to={assetPagePath(technical.partitionParentRef)}>
          {technical.partitionOf}
        </Link>
      ) : (
        technical.partitionOf
      ),
    ]);
  }
  return <Facts rows={[...rows, ...commonFacts(asset, classes.mono)]} />;
}

function ColumnOverview(props: { asset: AssetDetailsResponse }) {
  const classes = useStyles();
  const { asset } = props;
  const technical = technicalOfColumn(asset);
  const table = asset.breadcrumbs[asset.breadcrumbs.length - 1];
  return (
    <Facts
      rows={[
        ['Qualified name', <span className={classes.mono}>{asset.qualifiedName}</span>],
        [
          'Table',
          table ? (
            <Link component={RouterLink} to={assetPagePath(table.ref)}>
              {table.name}
            </Link>
          ) : (
            '—'
          ),
        ],
        ['Position', String(technical.ordinal)],
        ['Data type', <span className={classes.mono}>{technical.dataType}</span>],
        ['Nullable', technical.nullable ? 'yes' : 'no'],
        ['Default', <span className={classes.mono}>{orDash(technical.default)}</span>],
        ['Keys', <KeyChips technical={technical} />],
        ...commonFacts(asset, classes.mono),
      ]}
    />
  );
}

const childNouns: Partial<Record<AssetType, [string, string]>> = {
  datasource: ['database', 'databases'],
  database: ['schema', 'schemas'],
  schema: ['table or view', 'tables and views'],
  table: ['column', 'columns'],
  view: ['column', 'columns'],
};

function containsLabel(type: AssetType, count: number): string {
  const [one, many] = childNouns[type] ?? ['item', 'items'];
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

function ChildrenTable(props: { asset: AssetDetailsResponse }) {
  const children = props.asset.children ?? [];
  if (children.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing below this {typeTitles[props.asset.type].toLowerCase()}.
      </Typography>
    );
  }
  return (
    <TableContainer>
      <Table size="small" data-testid="children-table">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Type</TableCell>
            <TableCell align="right">Contains</TableCell>
            <TableCell>Last seen</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {children.map(child => (
            <TableRow key={child.ref} hover data-testid="child-row" data-name={child.name}>
              <TableCell>
                <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                  <AssetIcon type={child.type} fontSize="small" color="action" />
                  <Link component={RouterLink} to={assetPagePath(child.ref)}>
                    {child.name}
                  </Link>
                </Box>
              </TableCell>
              <TableCell>
                {child.dataType
                  ? (tableKindTitles[child.dataType] ?? child.dataType)
                  : typeTitles[child.type]}
              </TableCell>
              <TableCell align="right">{containsLabel(child.type, child.childCount)}</TableCell>
              <TableCell>{formatTime(child.lastSeenAt)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

/** One asset: where it sits, what the scans found about it, and what it contains. */
/** Where stewards decide on a column's labels and read their history, when that group is on. */
function ClassificationReviewLink(props: { assetRef: string }) {
  const navigation = useNavigation();
  if (!navigation.value?.some(item => item.id === 'classifications.home')) return null;
  return (
    <Link
      component={RouterLink}
      to={`/classifications/asset/${encodeURIComponent(props.assetRef)}`}
      variant="body2"
      display="block"
      style={{ marginTop: 12 }}
      data-testid="review-column-labels"
    >
      Evidence, decisions and history of these labels
    </Link>
  );
}

/** Lineage is kept for tables, views (and datasets) and their columns. */
const hasLineage = (type: string) => type === 'table' || type === 'view' || type === 'column';

export function AssetPage() {
  const classes = useStyles();
  const { pathname } = useLocation();
  const ref = refFromPathname(pathname) ?? '';
  const client = useDataCatalogClient();
  const [showRemoved, setShowRemoved] = useState(false);
  // The open tab lives in the URL (`?tab=lineage`), so it can be linked to.
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get('tab') ?? 'overview';
  const setTab = (value: string) =>
    setSearchParams(value === 'overview' ? {} : { tab: value }, { replace: true });
  const details = useAsyncResource(
    signal => client.getAsset(ref, { includeDeleted: showRemoved }, signal),
    [client, ref, showRemoved],
  );
  const asset = details.value?.ref === ref ? details.value : undefined;
  const notFound = details.error instanceof RacineApiError && details.error.status === 404;
  const lineageOpen = tab === 'lineage' && !!asset && hasLineage(asset.type);
  const historyOpen = tab === 'history';

  return (
    <Box data-testid="asset-page">
      <Breadcrumbs maxItems={6}>
        <Link component={RouterLink} to="/catalog">
          Catalog
        </Link>
        {asset?.breadcrumbs.map(crumb => (
          <Link
            key={crumb.ref}
            component={RouterLink}
            to={assetPagePath(crumb.ref)}
            data-testid="breadcrumb"
          >
            {crumb.name}
          </Link>
        ))}
        {asset && <Typography color="textPrimary">{asset.name}</Typography>}
      </Breadcrumbs>
      {details.loading && !asset && <LinearProgress style={{ marginTop: 16 }} />}
      {details.error && !asset && (
        <Paper variant="outlined" className={classes.error} role="alert" style={{ marginTop: 16 }}>
          <Typography variant="body2">
            {notFound
              ? 'This asset is not in the catalog.'
              : `Could not load the asset: ${details.error.message}`}
          </Typography>
        </Paper>
      )}
      {asset && (
        <>
          <Box className={classes.header}>
            <AssetIcon type={asset.type} className={classes.headerIcon} />
            <Typography variant="h2" className={classes.title} data-testid="asset-name">
              {asset.name}
            </Typography>
            <Chip size="small" label={typeTitles[asset.type]} />
            {asset.type === 'column' && asset.dataType && (
              <Chip
                size="small"
                variant="outlined"
                className={classes.mono}
                label={asset.dataType}
              />
            )}
            {(asset.type === 'table' || asset.type === 'view') &&
              asset.dataType &&
              asset.dataType !== asset.type && (
                <Chip
                  size="small"
                  variant="outlined"
                  label={tableKindTitles[asset.dataType] ?? asset.dataType}
                />
              )}
            {asset.status === 'deleted' && (
              <Chip
                size="small"
                variant="outlined"
                className={classes.deletedChip}
                label="No longer found by scans"
                data-testid="deleted-chip"
              />
            )}
          </Box>

          <Tabs
            value={tab === 'lineage' && !hasLineage(asset.type) ? 'overview' : tab}
            onChange={(_event, value: string) => setTab(value)}
            indicatorColor="primary"
            style={{ marginBottom: 16 }}
          >
            <Tab value="overview" label="Overview" data-testid="tab-overview" />
            {hasLineage(asset.type) && (
              <Tab value="lineage" label="Lineage" data-testid="tab-lineage" />
            )}
            <Tab value="history" label="History" data-testid="tab-history" />
          </Tabs>
          {lineageOpen && <LineageTab assetRef={asset.ref} />}
          {historyOpen && <HistoryTab assetRef={asset.ref} version={asset.version} />}
          {!lineageOpen && !historyOpen && <CurationCard asset={asset} onSaved={details.reload} />}
          <Grid
            container
            spacing={2}
            style={lineageOpen || historyOpen ? { display: 'none' } : undefined}
          >
            {(asset.type === 'table' || asset.type === 'view') && (
              <>
                <Grid
                  item
                  xs={12}
                  lg={(asset.technical as TableTechnicalMetadata).viewSql ? 6 : 12}
                >
                  <Card title="Overview" testId="asset-overview">
                    <TableOverview asset={asset} />
                  </Card>
                </Grid>
                {(asset.technical as TableTechnicalMetadata).viewSql && (
                  <Grid item xs={12} lg={6}>
                    <Card title="Definition" testId="view-sql">
                      <pre className={classes.sql}>
                        {(asset.technical as TableTechnicalMetadata).viewSql}
                      </pre>
                    </Card>
                  </Grid>
                )}
                <Grid item xs={12}>
                  <Card
                    title={`Columns (${asset.columns?.length ?? 0})`}
                    testId="asset-columns"
                    action={
                      <FormControlLabel
                        control={
                          <Switch
                            size="small"
                            checked={showRemoved}
                            onChange={event => setShowRemoved(event.target.checked)}
                          />
                        }
                        label={<Typography variant="body2">Show removed columns</Typography>}
                      />
                    }
                  >
                    <ColumnsTable columns={asset.columns ?? []} />
                  </Card>
                </Grid>
                <Grid item xs={12}>
                  <Card title="Column profiles" testId="asset-profile-chart">
                    <TableProfileChart asset={asset} />
                  </Card>
                </Grid>
              </>
            )}

            {asset.type === 'column' && (
              <>
                <Grid item xs={12} lg={6}>
                  <Card title="Overview" testId="asset-overview">
                    <ColumnOverview asset={asset} />
                  </Card>
                </Grid>
                <Grid item xs={12} lg={6}>
                  <Card title="Classification" testId="asset-labels">
                    {asset.labels.length === 0 ? (
                      <Typography variant="body2" color="textSecondary">
                        No classifier recognised this column.
                      </Typography>
                    ) : (
                      <>
                        <Box className={classes.labels}>
                          {asset.labels.map(label => (
                            <LabelChip key={label.classifierId} label={label} />
                          ))}
                        </Box>
                        <Typography
                          variant="caption"
                          color="textSecondary"
                          display="block"
                          style={{ marginTop: 12 }}
                        >
                          Open a label to see the signals and masked examples behind it.
                        </Typography>
                      </>
                    )}
                    <ClassificationReviewLink assetRef={asset.ref} />
                  </Card>
                </Grid>
                <Grid item xs={12}>
                  <Card title="Profile" testId="asset-profile">
                    {asset.profile ? (
                      <Box display="flex" flexWrap="wrap" alignItems="center" gridGap={24}>
                        <Box flex="1 1 320px">
                          <ProfileStats profile={asset.profile} />
                        </Box>
                        <ColumnProfileChart profile={asset.profile} />
                      </Box>
                    ) : (
                      <Typography variant="body2" color="textSecondary">
                        Not profiled by the last scan.
                      </Typography>
                    )}
                  </Card>
                </Grid>
              </>
            )}

            {(asset.type === 'datasource' ||
              asset.type === 'database' ||
              asset.type === 'schema') && (
              <>
                <Grid item xs={12} lg={5}>
                  <Card title="Overview" testId="asset-overview">
                    <Facts
                      rows={[
                        [
                          'Qualified name',
                          <span className={classes.mono}>{asset.qualifiedName}</span>,
                        ],
                        ...commonFacts(asset, classes.mono),
                      ]}
                    />
                  </Card>
                </Grid>
                <Grid item xs={12} lg={7}>
                  <Card title="Contents" testId="asset-children">
                    <ChildrenTable asset={asset} />
                  </Card>
                </Grid>
              </>
            )}
          </Grid>
        </>
      )}
    </Box>
  );
}
