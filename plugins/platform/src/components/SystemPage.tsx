import {
  Box,
  Grid,
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Paper,
  Typography,
} from '@material-ui/core';
import { errorMessage, usePluginClient } from '@racine/kernel-react';
import { ReactNode, useEffect, useState } from 'react';
import type { PlatformHealth } from '../api/types';
import { StatusChip } from './StatusChip';

/** How often the page polls the health endpoint. */
const REFRESH_MS = 5_000;

const useStyles = makeStyles(theme => ({
  card: {
    padding: theme.spacing(2.5),
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
  },
  cardHeader: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
  },
  metrics: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(96px, 1fr))',
    gap: theme.spacing(2),
  },
  metricValue: { fontSize: 24, fontWeight: 600, lineHeight: 1.2 },
  updated: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
  },
  error: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    borderColor: theme.palette.error.main,
    color: theme.palette.error.main,
  },
}));

function Metric(props: { label: string; value: ReactNode; testId?: string }) {
  const classes = useStyles();
  return (
    <Box>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography className={classes.metricValue} data-testid={props.testId}>
        {props.value}
      </Typography>
    </Box>
  );
}

function Card(props: { title: string; status?: ReactNode; children: ReactNode; testId: string }) {
  const classes = useStyles();
  return (
    <Paper variant="outlined" className={classes.card} data-testid={props.testId}>
      <Box className={classes.cardHeader}>
        <Typography variant="subtitle1" component="h2" style={{ fontWeight: 600 }}>
          {props.title}
        </Typography>
        {props.status}
      </Box>
      {props.children}
    </Paper>
  );
}

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${Math.floor(seconds % 60)}s`;
  return `${Math.floor(seconds)}s`;
}

/** Live health of the installation: database, task queue and loaded plugins. */
export function SystemPage() {
  const classes = useStyles();
  const client = usePluginClient('platform');
  const [health, setHealth] = useState<PlatformHealth>();
  const [error, setError] = useState<string>();
  const [updatedAt, setUpdatedAt] = useState<Date>();

  useEffect(() => {
    let cancelled = false;
    let timer: number | undefined;
    const controller = new AbortController();
    const poll = async () => {
      try {
        const next = await client.get<PlatformHealth>('/health', { signal: controller.signal });
        if (cancelled) return;
        setHealth(next);
        setError(undefined);
        setUpdatedAt(new Date());
      } catch (e) {
        if (!cancelled) setError(errorMessage(e));
      }
      // Scheduled after the response so a slow backend is never hit by overlapping polls.
      if (!cancelled) timer = window.setTimeout(poll, REFRESH_MS);
    };
    void poll();
    return () => {
      cancelled = true;
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [client]);

  if (!health && !error) return <LinearProgress />;

  return (
    <Box data-testid="system-health">
      {error && (
        <Paper
          variant="outlined"
          className={classes.error}
          role="alert"
          data-testid="system-health-error"
        >
          <Typography variant="body2">Health check failed: {error}</Typography>
        </Paper>
      )}
      {health && (
        <>
          <Box className={classes.updated}>
            <StatusChip
              state={health.status === 'ok' ? 'ok' : 'bad'}
              label={health.status === 'ok' ? 'All systems operational' : 'Degraded'}
              data-testid="health-status"
            />
            <Typography variant="caption" color="textSecondary">
              Racine {health.version} · up {formatUptime(health.uptimeSeconds)}
              {updatedAt && ` · updated ${updatedAt.toLocaleTimeString()}`} · refreshes every{' '}
              {REFRESH_MS / 1000}s
            </Typography>
          </Box>
          <Grid container spacing={2}>
            <Grid item xs={12} md={6} lg={4}>
              <Card
                title="Database"
                testId="health-database"
                status={
                  <StatusChip
                    state={health.database.ok ? 'ok' : 'bad'}
                    label={health.database.ok ? 'Connected' : 'Unreachable'}
                  />
                }
              >
                <Box className={classes.metrics}>
                  <Metric label="Client" value={health.database.client} />
                  <Metric
                    label="Latency"
                    value={`${Math.round(health.database.latencyMs * 10) / 10} ms`}
                  />
                </Box>
              </Card>
            </Grid>
            <Grid item xs={12} md={6} lg={4}>
              <Card
                title="Task queue"
                testId="health-queue"
                status={
                  <StatusChip
                    state={health.queue.ok ? 'ok' : 'bad'}
                    label={health.queue.ok ? 'Running' : 'Failing'}
                  />
                }
              >
                <Box className={classes.metrics}>
                  <Metric label="Driver" value={health.queue.driver} />
                  <Metric
                    label="Pending"
                    value={health.queue.pending}
                    testId="health-queue-pending"
                  />
                  <Metric label="Running" value={health.queue.running} />
                  <Metric label="Failed" value={health.queue.failed} />
                </Box>
              </Card>
            </Grid>
            <Grid item xs={12} lg={4}>
              <Card
                title="Plugins"
                testId="health-plugins"
                status={
                  <Typography variant="caption" color="textSecondary">
                    {health.plugins.filter(p => p.enabled).length} of {health.plugins.length}{' '}
                    enabled
                  </Typography>
                }
              >
                <List dense disablePadding>
                  {health.plugins.map(plugin => (
                    <ListItem
                      key={plugin.id}
                      disableGutters
                      divider
                      data-testid={`health-plugin-${plugin.id}`}
                    >
                      <ListItemText
                        primary={plugin.title ?? plugin.id}
                        secondary={plugin.title ? plugin.id : undefined}
                      />
                      <StatusChip
                        state={plugin.enabled ? 'ok' : 'off'}
                        label={plugin.enabled ? 'Enabled' : 'Disabled'}
                      />
                    </ListItem>
                  ))}
                </List>
              </Card>
            </Grid>
          </Grid>
        </>
      )}
    </Box>
  );
}
