import {
  Button,
  ButtonProps,
  Dialog,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { useState } from 'react';
import { useActions } from '../hooks/kernelHooks';
import { ActionRunner } from './ActionRunner';

export interface ActionButtonProps {
  actionId: string;
  /** Button text; defaults to the action's title. */
  label?: string;
  /** Close the dialog after a successful run instead of showing the output. */
  closeOnSuccess?: boolean;
  onSuccess?: (output: unknown) => void;
  buttonProps?: ButtonProps;
  'data-testid'?: string;
}

/**
 * A button that opens the action's generated form in a dialog. Renders nothing when the
 * caller may not run the action: the kernel only lists actions the caller is allowed to run.
 */
export function ActionButton(props: ActionButtonProps) {
  const { value: actions } = useActions();
  const [open, setOpen] = useState(false);
  const action = actions?.find(a => a.id === props.actionId);
  if (!action) return null;
  const close = () => setOpen(false);
  return (
    <>
      <Button
        color="primary"
        variant="contained"
        disableElevation
        onClick={() => setOpen(true)}
        data-testid={props['data-testid']}
        {...props.buttonProps}
      >
        {props.label ?? action.title}
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="sm">
        <DialogTitle disableTypography>
          <Typography variant="h6">{action.title}</Typography>
          {action.description && (
            <Typography variant="body2" color="textSecondary">
              {action.description}
            </Typography>
          )}
        </DialogTitle>
        <DialogContent>
          {/* keyed so reopening starts from an empty form */}
          <ActionRunner
            key={String(open)}
            action={action}
            autoFocus
            showOutput={!props.closeOnSuccess}
            onSuccess={output => {
              props.onSuccess?.(output);
              if (props.closeOnSuccess) close();
            }}
            secondaryActions={
              <Button onClick={close}>{props.closeOnSuccess ? 'Cancel' : 'Close'}</Button>
            }
          />
        </DialogContent>
      </Dialog>
    </>
  );
}
