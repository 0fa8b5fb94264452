import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  LinearProgress,
  makeStyles,
  Paper,
  Typography,
} from '@material-ui/core';
import { RBAC_PLUGIN_ID } from '@racine/plugin-rbac-common';
import {
  errorMessage,
  useAsyncResource,
  usePluginClient,
  type RacineHttpClient,
} from '@racine/kernel-react';
import { ReactNode, useState } from 'react';

export const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  mono: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 13,
  },
  error: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  section: { padding: theme.spacing(2.5), marginBottom: theme.spacing(3) },
  form: { display: 'flex', flexDirection: 'column', gap: theme.spacing(2), minWidth: 420 },
  row: { display: 'flex', gap: theme.spacing(2), alignItems: 'center', flexWrap: 'wrap' },
  chips: { display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' },
  sticky: { position: 'sticky', left: 0, zIndex: 1, background: theme.palette.background.paper },
  stickyHead: { position: 'sticky', left: 0, zIndex: 3 },
}));

export function useRbacClient(): RacineHttpClient {
  return usePluginClient(RBAC_PLUGIN_ID);
}

/** Loads `path` from the rbac API; `reload` refetches. */
export function useRbac<T>(path: string, deps: unknown[] = []) {
  const client = useRbacClient();
  return useAsyncResource<T>(signal => client.get<T>(path, { signal }), [client, path, ...deps]);
}

export function ErrorNote(props: { error?: unknown; prefix?: string }) {
  const classes = useStyles();
  if (!props.error) return null;
  return (
    <Paper variant="outlined" className={classes.error} role="alert">
      <Typography variant="body2">
        {props.prefix ? `${props.prefix}: ` : ''}
        {errorMessage(props.error)}
      </Typography>
    </Paper>
  );
}

export function Loading(props: { loading: boolean }) {
  return props.loading ? <LinearProgress /> : null;
}

/** A dialog with a form: `onSubmit` may throw; its message is shown and the dialog stays. */
export function FormDialog(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit: () => Promise<void>;
  submitLabel: string;
  children: ReactNode;
  testId?: string;
}) {
  const classes = useStyles();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onSubmit();
      props.onClose();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} data-testid={props.testId}>
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <Box className={classes.form}>
          <ErrorNote error={error} />
          {props.children}
        </Box>
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy}
          onClick={submit}
          data-testid="dialog-submit"
        >
          {props.submitLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
