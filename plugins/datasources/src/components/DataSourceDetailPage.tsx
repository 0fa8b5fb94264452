import {
  Box,
  Breadcrumbs,
  Button,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  LinearProgress,
  Link,
  makeStyles,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableRow,
  Typography,
} from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import EditIcon from '@material-ui/icons/Edit';
import SettingsEthernetIcon from '@material-ui/icons/SettingsEthernet';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { ConnectionTestResult } from '@racine/plugin-datasources-common';
import { ReactNode, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import { useDatasourcesClient } from '../api/DatasourcesClient';
import { fieldLabel } from './connectorForm';
import { HealthTimeline } from './HealthTimeline';
import {
  HealthChip,
  TagChips,
  TestResultPanel,
  useDataSourceAbilities,
  useSharedStyles,
} from './shared';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    flexWrap: 'wrap',
    margin: theme.spacing(1, 0, 2),
  },
  title: { fontSize: 20, fontWeight: 700, margin: 0 },
  actions: { marginLeft: 'auto', display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap' },
  card: { padding: theme.spacing(2.5), height: '100%' },
  cardTitle: { fontWeight: 600, marginBottom: theme.spacing(1.5) },
  key: { color: theme.palette.text.secondary, width: 180, verticalAlign: 'top' },
  secret: { letterSpacing: 2 },
  testResult: { marginBottom: theme.spacing(2) },
}));

function Card(props: { title: string; children: ReactNode; testId: string }) {
  const classes = useStyles();
  return (
    <Paper variant="outlined" className={classes.card} data-testid={props.testId}>
      <Typography variant="subtitle1" component="h2" className={classes.cardTitle}>
        {props.title}
      </Typography>
      {props.children}
    </Paper>
  );
}

function renderValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One data source: its configuration (never its secrets), connection test and health history. */
export function DataSourceDetailPage() {
  const classes = useStyles();
  const shared = useSharedStyles();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useDatasourcesClient();
  const abilities = useDataSourceAbilities();
  const source = useAsyncResource(signal => client.get(id, signal), [client, id]);
  const health = useAsyncResource(signal => client.health(id, signal), [client, id]);
  const connectors = useAsyncResource(signal => client.connectors(signal), [client]);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<ConnectionTestResult>();
  const [actionError, setActionError] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const test = async () => {
    setTesting(true);
    setActionError(undefined);
    try {
      setResult(await client.test(id));
      source.reload();
      health.reload();
    } catch (error) {
      setActionError(errorMessage(error));
    } finally {
      setTesting(false);
    }
  };

  const remove = async () => {
    setDeleting(true);
    try {
      await client.delete(id);
      navigate('..', { relative: 'path' });
    } catch (error) {
      setActionError(errorMessage(error));
      setConfirmDelete(false);
    } finally {
      setDeleting(false);
    }
  };

  const ds = source.value;
  const connector = connectors.value?.find(c => c.type === ds?.type);
  const schemaProperties = (connector?.configSchema.properties ?? {}) as Record<
    string,
    { title?: string; description?: string }
  >;
  const configKeys = ds
    ? [
        ...new Set([
          ...Object.keys(schemaProperties).filter(
            k => !(connector?.secretFields ?? []).includes(k),
          ),
          ...Object.keys(ds.config),
        ]),
      ]
    : [];

  return (
    <Box>
      <Breadcrumbs>
        <Link component={RouterLink} to=".." relative="path">
          All data sources
        </Link>
        <Typography color="textPrimary">{ds?.name ?? id}</Typography>
      </Breadcrumbs>
      {source.loading && !ds && <LinearProgress />}
      {source.error && (
        <Paper variant="outlined" className={shared.error} role="alert" style={{ marginTop: 16 }}>
          <Typography variant="body2">
            Could not load the data source: {source.error.message}
          </Typography>
        </Paper>
      )}
      {ds && (
        <>
          <Box className={classes.header}>
            <Typography variant="h2" className={classes.title} data-testid="datasource-name">
              {ds.name}
            </Typography>
            <Chip size="small" label={connector?.title ?? ds.type} />
            {ds.environment && <Chip size="small" variant="outlined" label={ds.environment} />}
            <HealthChip health={ds.health} />
            <Box className={classes.actions}>
              {abilities.test && (
                <Button
                  variant="contained"
                  color="primary"
                  onClick={test}
                  disabled={testing}
                  startIcon={
                    testing ? (
                      <CircularProgress size={16} color="inherit" />
                    ) : (
                      <SettingsEthernetIcon />
                    )
                  }
                  data-testid="test-connection"
                >
                  {testing ? 'Testing…' : 'Test connection'}
                </Button>
              )}
              {abilities.edit && (
                <Button
                  variant="outlined"
                  startIcon={<EditIcon />}
                  component={RouterLink}
                  to="edit"
                  data-testid="edit-datasource"
                >
                  Edit
                </Button>
              )}
              {abilities.delete && (
                <Button
                  variant="outlined"
                  className={shared.bad}
                  startIcon={<DeleteIcon />}
                  onClick={() => setConfirmDelete(true)}
                  data-testid="delete-datasource"
                >
                  Delete
                </Button>
              )}
            </Box>
          </Box>
          {actionError && (
            <Paper variant="outlined" className={shared.error} role="alert">
              <Typography variant="body2">{actionError}</Typography>
            </Paper>
          )}
          {result && (
            <Box className={classes.testResult}>
              <TestResultPanel result={result} />
            </Box>
          )}
          <Grid container spacing={2}>
            <Grid item xs={12} md={6}>
              <Card title="Connection" testId="datasource-config">
                <Table size="small">
                  <TableBody>
                    {configKeys.map(key => (
                      <TableRow key={key}>
                        <TableCell
                          className={classes.key}
                          title={schemaProperties[key]?.description}
                        >
                          {schemaProperties[key]?.title ?? fieldLabel(key)}
                        </TableCell>
                        <TableCell className={shared.mono}>{renderValue(ds.config[key])}</TableCell>
                      </TableRow>
                    ))}
                    {(connector?.secretFields ?? ds.secretFields).map(field => (
                      <TableRow key={field} data-testid="secret-field">
                        <TableCell className={classes.key}>
                          {schemaProperties[field]?.title ?? fieldLabel(field)}
                        </TableCell>
                        <TableCell>
                          {ds.secretFields.includes(field) ? (
                            <Typography variant="body2" component="span" color="textSecondary">
                              <span className={classes.secret}>••••••••</span> stored encrypted
                            </Typography>
                          ) : (
                            '—'
                          )}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </Card>
            </Grid>
            <Grid item xs={12} md={6}>
              <Card title="Details" testId="datasource-details">
                <Table size="small">
                  <TableBody>
                    {ds.description && (
                      <TableRow>
                        <TableCell className={classes.key}>Description</TableCell>
                        <TableCell>{ds.description}</TableCell>
                      </TableRow>
                    )}
                    <TableRow>
                      <TableCell className={classes.key}>Tags</TableCell>
                      <TableCell>{ds.tags.length ? <TagChips tags={ds.tags} /> : '—'}</TableCell>
                    </TableRow>
                    <TableRow>
                      <TableCell className={classes.key}>Owner</TableCell>
                      <TableCell>{ds.owner || '—'}</TableCell>
                    </TableRow>
                    <TableRow>
                      <TableCell className={classes.key}>Workspace</TableCell>
                      <TableCell className={shared.mono}>{ds.workspace}</TableCell>
                    </TableRow>
                    <TableRow>
                      <TableCell className={classes.key}>Created</TableCell>
                      <TableCell>
                        {new Date(ds.createdAt).toLocaleString()} by {ds.createdBy}
                      </TableCell>
                    </TableRow>
                    <TableRow>
                      <TableCell className={classes.key}>Updated</TableCell>
                      <TableCell>
                        {new Date(ds.updatedAt).toLocaleString()} by {ds.updatedBy}
                      </TableCell>
                    </TableRow>
                    <TableRow>
                      <TableCell className={classes.key}>Reference</TableCell>
                      <TableCell className={shared.mono}>{ds.ref}</TableCell>
                    </TableRow>
                  </TableBody>
                </Table>
              </Card>
            </Grid>
            <Grid item xs={12}>
              <Card title="Health" testId="datasource-health">
                {health.error && (
                  <Typography variant="body2" color="error">
                    Could not load the health history: {health.error.message}
                  </Typography>
                )}
                {health.value && <HealthTimeline history={health.value.history} />}
              </Card>
            </Grid>
          </Grid>
        </>
      )}
      <Dialog
        open={confirmDelete}
        onClose={() => setConfirmDelete(false)}
        data-testid="delete-dialog"
      >
        <DialogTitle>Delete data source “{ds?.name}”?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Racine forgets its configuration, stored credentials and health history. Its catalog
            assets are marked deleted; their history stays. The database itself is not touched.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmDelete(false)} disabled={deleting}>
            Cancel
          </Button>
          <Button
            onClick={remove}
            className={shared.bad}
            disabled={deleting}
            data-testid="confirm-delete"
          >
            {deleting ? 'Deleting…' : 'Delete'}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
