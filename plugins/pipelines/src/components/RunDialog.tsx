import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@material-ui/core';
import type { JobParameter } from '@racine/plugin-pipelines-common';
import { useState } from 'react';

/** Asks for parameter values (defaults filled in), then runs the job. */
export function RunDialog(props: {
  job: { name: string; parameters: JobParameter[] };
  title?: string;
  action?: string;
  onClose: () => void;
  onRun: (parameters: Record<string, string>) => Promise<void>;
}) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(props.job.parameters.map(p => [p.name, p.default])),
  );
  const [busy, setBusy] = useState(false);
  return (
    <Dialog open onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>{props.title ?? `Run ${props.job.name}`}</DialogTitle>
      <DialogContent style={{ display: 'grid', gap: 12 }}>
        {props.job.parameters.length === 0 && (
          <Typography variant="body2">This job has no parameters.</Typography>
        )}
        {props.job.parameters.map(p => (
          <TextField
            key={p.name}
            label={p.name}
            helperText={p.description}
            variant="outlined"
            size="small"
            value={values[p.name] ?? ''}
            onChange={e => setValues(v => ({ ...v, [p.name]: e.target.value }))}
            inputProps={{ 'data-testid': `param-${p.name}` }}
          />
        ))}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy}
          data-testid="confirm-run"
          onClick={async () => {
            setBusy(true);
            try {
              await props.onRun(values);
            } finally {
              setBusy(false);
            }
          }}
        >
          {props.action ?? 'Run now'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
