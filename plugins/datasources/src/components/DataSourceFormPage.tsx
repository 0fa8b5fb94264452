import {
  Box,
  Breadcrumbs,
  Button,
  Card,
  CardActionArea,
  CardContent,
  Checkbox,
  CircularProgress,
  FormControlLabel,
  Grid,
  LinearProgress,
  Link,
  makeStyles,
  Paper,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  buildInput,
  errorMessage,
  initialDraft,
  JsonSchemaForm,
  RacineApiError,
  useAsyncResource,
  type DraftObject,
} from '@racine/kernel-react';
import type {
  ConnectionTestResult,
  ConnectorInfo,
  DataSource,
} from '@racine/plugin-datasources-common';
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useDatasourcesClient } from '../api/DatasourcesClient';
import {
  fieldErrorsFrom,
  GENERAL_SCHEMA,
  publicConfigSchema,
  secretFieldInfo,
  toDraftValue,
} from './connectorForm';
import { TestResultPanel, useSharedStyles } from './shared';

const useStyles = makeStyles(theme => ({
  section: {
    padding: theme.spacing(2.5),
    marginBottom: theme.spacing(2),
    display: 'grid',
    gap: theme.spacing(2),
  },
  sectionTitle: { fontWeight: 600 },
  picker: { marginTop: theme.spacing(1) },
  connectorCard: { height: '100%' },
  connectorArea: {
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'stretch',
    justifyContent: 'flex-start',
  },
  buttons: { display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap', alignItems: 'center' },
  heading: { margin: theme.spacing(1, 0, 2), fontSize: 20, fontWeight: 700 },
  form: { maxWidth: 820 },
}));

/** Picks the kind of database to register. */
function ConnectorPicker(props: { connectors: ConnectorInfo[]; onPick: (type: string) => void }) {
  const classes = useStyles();
  return (
    <Grid container spacing={2} className={classes.picker} data-testid="connector-picker">
      {props.connectors.map(connector => (
        <Grid item xs={12} sm={6} md={4} key={connector.type}>
          <Card variant="outlined" className={classes.connectorCard}>
            <CardActionArea
              className={classes.connectorArea}
              onClick={() => props.onPick(connector.type)}
              data-testid={`connector-${connector.type}`}
            >
              <CardContent>
                <Typography variant="subtitle1" style={{ fontWeight: 600 }}>
                  {connector.title}
                </Typography>
                <Typography variant="body2" color="textSecondary">
                  {connector.description}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        </Grid>
      ))}
    </Grid>
  );
}

/** Registers a data source (`mode: create`) or changes one (`mode: edit`). */
export function DataSourceFormPage(props: { mode: 'create' | 'edit' }) {
  const classes = useStyles();
  const shared = useSharedStyles();
  const client = useDatasourcesClient();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const connectors = useAsyncResource(signal => client.connectors(signal), [client]);
  const existing = useAsyncResource<DataSource | undefined>(
    signal => (props.mode === 'edit' ? client.get(id, signal) : Promise.resolve(undefined)),
    [client, id, props.mode],
  );
  const source = existing.value;
  const type = props.mode === 'edit' ? source?.type : (params.get('type') ?? undefined);
  const connector = connectors.value?.find(c => c.type === type);

  const configSchema = useMemo(
    () =>
      connector ? publicConfigSchema(connector.configSchema, connector.secretFields) : undefined,
    [connector],
  );
  const secrets = useMemo(
    () => (connector ? secretFieldInfo(connector.configSchema, connector.secretFields) : []),
    [connector],
  );

  const [general, setGeneral] = useState<DraftObject>(() => initialDraft(GENERAL_SCHEMA));
  const [config, setConfig] = useState<DraftObject>({});
  const [secretValues, setSecretValues] = useState<Record<string, string>>({});
  const [clearSecrets, setClearSecrets] = useState<Record<string, boolean>>({});
  const [generalErrors, setGeneralErrors] = useState<Record<string, string>>({});
  const [configErrors, setConfigErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<ConnectionTestResult>();

  // A fresh form for each connector; in edit mode, filled with the stored values (secrets stay blank).
  useEffect(() => {
    if (!configSchema) return;
    const draft = initialDraft(configSchema);
    if (source) {
      for (const [key, value] of Object.entries(source.config)) {
        const converted = toDraftValue(value);
        if (converted !== undefined) draft[key] = converted;
      }
    }
    setConfig(draft);
    setSecretValues({});
    setClearSecrets({});
    setConfigErrors({});
    setTestResult(undefined);
  }, [configSchema, source]);

  useEffect(() => {
    if (!source) return;
    setGeneral({
      name: source.name,
      description: source.description,
      environment: source.environment,
      owner: source.owner,
      tags: source.tags,
    });
  }, [source]);

  /** The connector config to send, or undefined when the form has errors. */
  const buildConfig = (): Record<string, unknown> | undefined => {
    if (!configSchema) return undefined;
    const built = buildInput(configSchema, config);
    const errors = { ...built.errors };
    const value: Record<string, unknown> = { ...built.value };
    for (const secret of secrets) {
      const typed = secretValues[secret.name] ?? '';
      if (clearSecrets[secret.name]) value[secret.name] = null;
      else if (typed !== '') value[secret.name] = typed;
      else if (secret.required && !source?.secretFields.includes(secret.name))
        errors[secret.name] = 'Required';
    }
    setConfigErrors(errors);
    return Object.keys(errors).length === 0 ? value : undefined;
  };

  const test = async () => {
    setFormError(undefined);
    setTestResult(undefined);
    const value = buildConfig();
    if (!value || !type) return;
    setTesting(true);
    try {
      setTestResult(await client.testConfig(type, value, source?.id));
    } catch (error) {
      setFormError(errorMessage(error));
      if (error instanceof RacineApiError && error.status === 400)
        setConfigErrors(fieldErrorsFrom(error.message, 'config'));
    } finally {
      setTesting(false);
    }
  };

  const save = async () => {
    setFormError(undefined);
    const builtGeneral = buildInput(GENERAL_SCHEMA, general);
    setGeneralErrors(builtGeneral.errors);
    const value = buildConfig();
    if (!value || !type || Object.keys(builtGeneral.errors).length > 0) return;
    const fields = builtGeneral.value as {
      name: string;
      description?: string;
      environment?: string;
      owner?: string;
      tags?: string[];
    };
    setSaving(true);
    try {
      const saved = source
        ? await client.update(source.id, {
            name: fields.name,
            description: fields.description ?? '',
            environment: fields.environment ?? '',
            owner: fields.owner ?? '',
            tags: fields.tags ?? [],
            config: value,
          })
        : await client.create({ ...fields, type, config: value });
      navigate(source ? '..' : `../${encodeURIComponent(saved.id)}`, { relative: 'path' });
    } catch (error) {
      setFormError(errorMessage(error));
      if (error instanceof RacineApiError && error.status === 400) {
        setGeneralErrors(fieldErrorsFrom(error.message));
        setConfigErrors(fieldErrorsFrom(error.message, 'config'));
      }
      if (error instanceof RacineApiError && error.status === 409)
        setGeneralErrors({ name: error.message });
    } finally {
      setSaving(false);
    }
  };

  const title =
    props.mode === 'edit'
      ? `Edit ${source?.name ?? 'data source'}`
      : connector
        ? `Add a ${connector.title} data source`
        : 'Add a data source';
  const loadError = connectors.error ?? existing.error;

  return (
    <Box>
      <Breadcrumbs>
        <Link component={RouterLink} to={props.mode === 'edit' ? '../..' : '..'} relative="path">
          All data sources
        </Link>
        {source && (
          <Link component={RouterLink} to=".." relative="path">
            {source.name}
          </Link>
        )}
        <Typography color="textPrimary">{props.mode === 'edit' ? 'Edit' : 'New'}</Typography>
      </Breadcrumbs>
      <Typography variant="h2" className={classes.heading} data-testid="form-title">
        {title}
      </Typography>
      {(connectors.loading || existing.loading) && !connector && <LinearProgress />}
      {loadError && (
        <Paper variant="outlined" className={shared.error} role="alert">
          <Typography variant="body2">{loadError.message}</Typography>
        </Paper>
      )}
      {props.mode === 'create' && !connector && connectors.value && (
        <>
          <Typography variant="body2" color="textSecondary">
            What kind of database is it?
          </Typography>
          <ConnectorPicker
            connectors={connectors.value}
            onPick={picked => setParams({ type: picked })}
          />
        </>
      )}
      {connector && configSchema && (
        <form
          className={classes.form}
          noValidate
          onSubmit={e => {
            e.preventDefault();
            void save();
          }}
          data-testid="datasource-form"
        >
          <Paper variant="outlined" className={classes.section}>
            <Typography variant="subtitle1" component="h3" className={classes.sectionTitle}>
              General
            </Typography>
            <JsonSchemaForm
              schema={GENERAL_SCHEMA}
              value={general}
              onChange={setGeneral}
              errors={generalErrors}
              disabled={saving}
              testIdPrefix="general"
              autoFocus
            />
          </Paper>
          <Paper variant="outlined" className={classes.section}>
            <Typography variant="subtitle1" component="h3" className={classes.sectionTitle}>
              Connection
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {connector.description}
            </Typography>
            <JsonSchemaForm
              schema={configSchema}
              value={config}
              onChange={setConfig}
              errors={configErrors}
              disabled={saving}
              testIdPrefix="config"
            />
            {secrets.map(secret => {
              const stored = source?.secretFields.includes(secret.name) ?? false;
              return (
                <Box key={secret.name}>
                  <TextField
                    fullWidth
                    variant="outlined"
                    size="small"
                    type="password"
                    autoComplete="new-password"
                    label={secret.label}
                    required={secret.required && !stored}
                    value={secretValues[secret.name] ?? ''}
                    onChange={e =>
                      setSecretValues({ ...secretValues, [secret.name]: e.target.value })
                    }
                    disabled={saving || clearSecrets[secret.name]}
                    error={Boolean(configErrors[secret.name])}
                    helperText={
                      configErrors[secret.name] ??
                      (stored
                        ? 'A value is stored (encrypted). Leave blank to keep it.'
                        : 'Stored encrypted; never shown again.')
                    }
                    inputProps={{ 'data-testid': `secret-${secret.name}` }}
                  />
                  {stored && !secret.required && (
                    <FormControlLabel
                      control={
                        <Checkbox
                          size="small"
                          checked={clearSecrets[secret.name] ?? false}
                          onChange={e =>
                            setClearSecrets({ ...clearSecrets, [secret.name]: e.target.checked })
                          }
                        />
                      }
                      label={`Remove the stored ${secret.label.toLowerCase()}`}
                    />
                  )}
                </Box>
              );
            })}
            <Box className={classes.buttons}>
              <Button
                variant="outlined"
                onClick={test}
                disabled={testing || saving}
                startIcon={testing ? <CircularProgress size={16} color="inherit" /> : undefined}
                data-testid="form-test-connection"
              >
                {testing ? 'Testing…' : 'Test connection'}
              </Button>
            </Box>
            {testResult && <TestResultPanel result={testResult} />}
          </Paper>
          {formError && (
            <Paper
              variant="outlined"
              className={shared.error}
              role="alert"
              data-testid="form-error"
            >
              <Typography variant="body2">{formError}</Typography>
            </Paper>
          )}
          <Box className={classes.buttons}>
            <Button
              type="submit"
              variant="contained"
              color="primary"
              disabled={saving}
              data-testid="save-datasource"
            >
              {saving ? 'Saving…' : props.mode === 'edit' ? 'Save changes' : 'Add data source'}
            </Button>
            <Button
              // Creating: back to the connector picker. Editing: back to the source.
              onClick={() =>
                props.mode === 'create' ? setParams({}) : navigate('..', { relative: 'path' })
              }
              disabled={saving}
            >
              {props.mode === 'create' ? 'Back' : 'Cancel'}
            </Button>
          </Box>
        </form>
      )}
    </Box>
  );
}
