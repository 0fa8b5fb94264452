import { Button, MenuItem, Paper, TextField, Typography } from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import { useState } from 'react';
import { saveBlob, useComplianceClient } from '../api/ComplianceClient';
import { useSharedStyles } from './shared';

/** Framework reports (CSV, PDF) as of a date, and the audit-trail export. */
export function ReportsPage() {
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const frameworks = useAsyncResource(signal => client.frameworks(signal), [client]);
  const [framework, setFramework] = useState('gdpr');
  const [asOf, setAsOf] = useState(() => new Date().toISOString().slice(0, 10));
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const download = async (format: 'csv' | 'pdf') => {
    try {
      setError(undefined);
      const end = `${asOf}T23:59:59.999Z`;
      const when = Date.parse(end) > Date.now() ? undefined : end;
      const blob = await client.report(framework, format, when);
      const name = `${framework}-compliance-${asOf}.${format}`;
      saveBlob(blob, name);
      setDone(`Downloaded ${name} (${blob.size} bytes)`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const trail = async () => {
    try {
      const blob = await client.auditTrail();
      saveBlob(blob, 'compliance-audit-trail.csv');
      setDone(`Downloaded compliance-audit-trail.csv (${blob.size} bytes)`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Paper variant="outlined" className={classes.section}>
      <div className={classes.sectionTitle}>Framework report</div>
      <Typography variant="body2" className={classes.muted} gutterBottom>
        Requirement status, evidence and waivers as they stood at the end of the chosen day.
      </Typography>
      <div className={classes.toolbar}>
        <TextField
          select
          label="Framework"
          value={framework}
          onChange={e => setFramework(e.target.value)}
          className={classes.filter}
        >
          {(frameworks.value ?? []).map(f => (
            <MenuItem key={f.id} value={f.id}>
              {f.name} {f.version}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="As of"
          type="date"
          value={asOf}
          onChange={e => setAsOf(e.target.value)}
          InputLabelProps={{ shrink: true }}
        />
        <Button variant="outlined" onClick={() => download('csv')} data-testid="download-csv">
          CSV
        </Button>
        <Button variant="outlined" onClick={() => download('pdf')} data-testid="download-pdf">
          PDF
        </Button>
      </div>
      <div className={classes.sectionTitle}>Audit trail</div>
      <Button variant="outlined" onClick={trail} data-testid="download-audit">
        Export audit trail (CSV)
      </Button>
      {error && <Typography className={classes.error}>{error}</Typography>}
      {done && (
        <Typography variant="body2" data-testid="download-done" style={{ marginTop: 8 }}>
          {done}
        </Typography>
      )}
    </Paper>
  );
}
