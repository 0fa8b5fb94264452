import { Box, Button, CircularProgress, makeStyles, Typography } from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import type { ActionDescriptor } from '@racine/kernel-common';
import { FormEvent, ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { racineKernelApiRef } from '../api/RacineKernelApi';
import { RacineApiError, errorMessage } from '../api/errors';
import { JsonSchemaForm } from './JsonSchemaForm';
import { buildInput, DraftObject, initialDraft } from './jsonSchema';

const useStyles = makeStyles(theme => ({
  form: { display: 'grid', gap: theme.spacing(2) },
  actions: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    justifyContent: 'flex-end',
  },
  output: {
    margin: 0,
    padding: theme.spacing(1.5, 2),
    borderRadius: theme.shape.borderRadius,
    background: theme.palette.type === 'dark' ? 'rgba(255,255,255,0.06)' : 'rgba(0,0,0,0.04)',
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 12.5,
    lineHeight: 1.5,
    maxHeight: 280,
    overflow: 'auto',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
  result: { display: 'grid', gap: theme.spacing(1), outline: 'none' },
  error: {
    outline: 'none',
    padding: theme.spacing(1.5, 2),
    borderRadius: theme.shape.borderRadius,
    border: `1px solid ${theme.palette.error.main}`,
    color: theme.palette.type === 'dark' ? theme.palette.error.light : theme.palette.error.dark,
    background: theme.palette.type === 'dark' ? 'rgba(244,67,54,0.08)' : 'rgba(244,67,54,0.06)',
  },
}));

export interface ActionRunnerProps {
  action: ActionDescriptor;
  /** Called with the action's output after a successful run. */
  onSuccess?: (output: unknown) => void;
  /** Extra buttons next to Run (e.g. Cancel). */
  secondaryActions?: ReactNode;
  /** Show the output after a successful run (default true). */
  showOutput?: boolean;
  autoFocus?: boolean;
}

/**
 * A form generated from an action's input JSON Schema that runs the action through the
 * kernel and shows its output or the server's error (bad fields, permission denied).
 */
export function ActionRunner(props: ActionRunnerProps) {
  const classes = useStyles();
  const kernel = useApi(racineKernelApiRef);
  const { action, showOutput = true } = props;
  const [draft, setDraft] = useState<DraftObject>(() => initialDraft(action.inputSchema));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<
    { kind: 'output'; output: unknown } | { kind: 'error'; message: string }
  >();
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The Run button, disabled while the action runs, drops the keyboard focus to the page body,
  // outside any dialog the form is in (whose Escape then does nothing): the outcome takes the
  // focus, in the same commit that shows it.
  useLayoutEffect(() => {
    outcomeRef.current?.focus({ preventScroll: true });
  }, [outcome]);
  // In a scrolling dialog the outcome may render below the fold: bring it into view. (Braces
  // matter: recent Chromium returns a promise from scrollIntoView, and an effect must not.)
  useEffect(() => {
    outcomeRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [outcome]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const { value, errors } = buildInput(action.inputSchema, draft);
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) {
      setOutcome(undefined);
      return;
    }
    setRunning(true);
    setOutcome(undefined);
    try {
      const output = await kernel.runAction(action.id, value);
      setOutcome({ kind: 'output', output });
      props.onSuccess?.(output);
    } catch (error) {
      setOutcome({ kind: 'error', message: describeError(error) });
    } finally {
      setRunning(false);
    }
  };

  return (
    <form
      className={classes.form}
      onSubmit={onSubmit}
      noValidate
      data-testid="action-form"
      data-action-id={action.id}
    >
      <JsonSchemaForm
        schema={action.inputSchema}
        value={draft}
        onChange={setDraft}
        errors={fieldErrors}
        disabled={running}
        testIdPrefix="action-field"
        autoFocus={props.autoFocus}
      />
      <Box className={classes.actions}>
        {props.secondaryActions}
        <Button
          type="submit"
          color="primary"
          variant="contained"
          disableElevation
          disabled={running}
          data-testid="action-run"
          startIcon={running ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          Run
        </Button>
      </Box>
      {outcome?.kind === 'error' && (
        <div
          className={classes.error}
          data-testid="action-error"
          role="alert"
          tabIndex={-1}
          ref={outcomeRef}
        >
          <Typography variant="body2">{outcome.message}</Typography>
        </div>
      )}
      {showOutput && outcome?.kind === 'output' && (
        <div className={classes.result} data-testid="action-result" tabIndex={-1} ref={outcomeRef}>
          <Typography variant="overline" color="textSecondary">
            Output
          </Typography>
          <pre className={classes.output}>{formatOutput(outcome.output)}</pre>
        </div>
      )}
    </form>
  );
}

function describeError(error: unknown): string {
  if (error instanceof RacineApiError) {
    if (error.status === 403) return `Not allowed: ${error.message}`;
    if (error.status === 401) return 'Your session has expired. Sign in again.';
  }
  return errorMessage(error);
}

function formatOutput(output: unknown): string {
  if (output === undefined) return 'Done (no output).';
  return JSON.stringify(output, null, 2);
}
