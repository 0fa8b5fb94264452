import {
  Box,
  Button,
  Card,
  CardActionArea,
  CardContent,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Paper,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { FrameworkSummary } from '@racine/plugin-compliance-common';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from 'recharts';
import { useComplianceClient } from '../api/ComplianceClient';
import { formatScore, scoreColor, useAbilities, useSharedStyles } from './shared';

function Trend(props: { framework: string }) {
  const client = useComplianceClient();
  const { value } = useAsyncResource(
    signal => client.history(props.framework, 'framework', undefined, signal),
    [client, props.framework],
  );
  const points = (value ?? []).map(p => ({
    at: p.takenAt.slice(0, 16).replace('T', ' '),
    score: p.score === null ? null : Math.round(p.score * 1000) / 10,
  }));
  if (points.length < 2)
    return (
      <Typography variant="caption" color="textSecondary">
        Trend appears after two evaluations
      </Typography>
    );
  return (
    <Box height={60} data-testid={`trend-${props.framework}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points}>
          <YAxis domain={[0, 100]} hide />
          <Tooltip
            formatter={(v: unknown) => `${String(v)}%`}
            labelFormatter={(_l: unknown, p: ReadonlyArray<{ payload?: { at?: string } }>) =>
              p?.[0]?.payload?.at ?? ''
            }
          />
          <Line
            type="monotone"
            dataKey="score"
            stroke="#1976d2"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </Box>
  );
}

function FrameworkCard(props: { framework: FrameworkSummary }) {
  const f = props.framework;
  return (
    <Card variant="outlined" data-testid={`framework-${f.id}`}>
      <CardActionArea component={Link} to={`/compliance/frameworks/${f.id}`}>
        <CardContent>
          <Typography variant="h6">{f.name}</Typography>
          <Typography variant="caption" color="textSecondary">
            {f.version} · {f.requirementCount} requirements · {f.ruleCount} rules
            {f.builtin ? '' : ' · custom'}
          </Typography>
          <Typography
            variant="h3"
            style={{ color: scoreColor(f.score), margin: '8px 0' }}
            data-testid={`score-${f.id}`}
          >
            {formatScore(f.score)}
          </Typography>
          <Typography variant="body2">{f.openFindings} open finding(s)</Typography>
          <Trend framework={f.id} />
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

/** The caller's unread remediation notifications (findings opened on what they own). */
function MyTasks() {
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const notes = useAsyncResource(signal => client.notifications(signal), [client]);
  if (!notes.value || notes.value.unread === 0) return null;
  return (
    <Paper variant="outlined" className={classes.section} data-testid="my-tasks">
      <div className={classes.sectionTitle}>
        My remediation tasks ({notes.value.unread} new) ·{' '}
        <Link to="/compliance/findings?owner=me&status=all">see all assigned to me</Link>
      </div>
      {notes.value.items.slice(0, 5).map(n => (
        <Box key={n.id} display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography variant="body2" style={{ flex: 1 }}>
            <strong>{n.title}</strong> · {n.message}
          </Typography>
          <Button size="small" onClick={() => client.markRead(n.id).then(notes.reload)}>
            Mark read
          </Button>
        </Box>
      ))}
    </Paper>
  );
}

const FRAMEWORK_TEMPLATE = {
  id: 'internal-policy',
  name: 'Internal data policy',
  version: '2026.1',
  description: '',
  requirements: [
    {
      id: 'DP-1',
      title: 'Personal data has an owner',
      reference: 'Policy §1',
      ruleIds: ['pii-has-owner'],
    },
  ],
};

/** A custom framework: requirements (id, title, reference) mapped to rule ids, as JSON. */
function NewFrameworkDialog(props: { onClose: (created: boolean) => void }) {
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const [text, setText] = useState(JSON.stringify(FRAMEWORK_TEMPLATE, null, 2));
  const [error, setError] = useState<string>();
  const create = async () => {
    try {
      await client.createFramework(JSON.parse(text));
      props.onClose(true);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Dialog open onClose={() => props.onClose(false)} maxWidth="md" fullWidth>
      <DialogTitle>New custom framework</DialogTitle>
      <DialogContent>
        {error && <Typography className={classes.error}>{error}</Typography>}
        <TextField
          value={text}
          onChange={e => setText(e.target.value)}
          multiline
          fullWidth
          minRows={12}
          variant="outlined"
          inputProps={{
            className: classes.mono,
            'data-testid': 'framework-json',
            spellCheck: false,
          }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={() => props.onClose(false)}>Cancel</Button>
        <Button color="primary" variant="contained" onClick={create} data-testid="create-framework">
          Create
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** Frameworks with their scores and trends; evaluate on demand. */
export function OverviewPage() {
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const abilities = useAbilities();
  const frameworks = useAsyncResource(signal => client.frameworks(signal), [client]);
  const evaluations = useAsyncResource(signal => client.evaluations(signal), [client]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [creating, setCreating] = useState(false);
  const latest = evaluations.value?.[0];

  const evaluate = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const started = await client.evaluate();
      // Follow the queued evaluation until it ends, then refresh the scores.
      for (let i = 0; i < 600; i++) {
        const list = await client.evaluations();
        const current = list.find(e => e.id === started.id);
        if (current && (current.status === 'succeeded' || current.status === 'failed')) break;
        await new Promise(r => setTimeout(r, 1000));
      }
      frameworks.reload();
      evaluations.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className={classes.toolbar}>
        <Typography variant="body2" className={classes.muted} data-testid="last-evaluation">
          {latest
            ? `Last evaluation: ${latest.status}, ${latest.assetsEvaluated} assets, ${latest.rulesEvaluated} rules (${latest.trigger}, ${latest.createdAt.slice(0, 16).replace('T', ' ')})`
            : 'Not evaluated yet'}
        </Typography>
        <div className={classes.spacer} />
        {abilities.edit && (
          <Button variant="outlined" onClick={() => setCreating(true)} data-testid="new-framework">
            New framework
          </Button>
        )}
        {abilities.evaluate && (
          <Button
            variant="contained"
            color="primary"
            onClick={evaluate}
            disabled={busy}
            data-testid="evaluate"
          >
            {busy ? 'Evaluating…' : 'Evaluate now'}
          </Button>
        )}
      </div>
      <MyTasks />
      {error && <Typography className={classes.error}>{error}</Typography>}
      {frameworks.error && (
        <Typography className={classes.error}>{errorMessage(frameworks.error)}</Typography>
      )}
      {creating && (
        <NewFrameworkDialog
          onClose={created => {
            setCreating(false);
            if (created) frameworks.reload();
          }}
        />
      )}
      <div className={classes.grid}>
        {(frameworks.value ?? []).map(f => (
          <FrameworkCard key={f.id} framework={f} />
        ))}
      </div>
    </>
  );
}
