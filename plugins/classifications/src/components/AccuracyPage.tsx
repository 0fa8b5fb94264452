import {
  Box,
  Button,
  FormControlLabel,
  LinearProgress,
  Link,
  Paper,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useClassificationsClient } from '../api/ClassificationsClient';
import {
  ErrorPanel,
  formatPercent,
  formatRelative,
  shortActor,
  useAbilities,
  useSharedStyles,
} from './shared';

/** Per-classifier precision from stewards' decisions, and automatic approval. */
export function AccuracyPage() {
  const classes = useSharedStyles();
  const client = useClassificationsClient();
  const abilities = useAbilities();
  const accuracy = useAsyncResource(signal => client.accuracy(signal), [client]);
  const settings = useAsyncResource(signal => client.settings(signal), [client]);
  const [auto, setAuto] = useState<{ on: boolean; value: string }>({ on: false, value: '0.95' });
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!settings.value) return;
    const value = settings.value.autoApproveConfidence;
    setAuto({ on: value !== null, value: value === null ? '0.95' : String(value) });
  }, [settings.value]);

  const saveAuto = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await client.updateSettings(auto.on ? Number(auto.value) : null);
      settings.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const overall = accuracy.value?.overall;
  const autoValue = Number(auto.value);
  return (
    <Box>
      {accuracy.error && (
        <ErrorPanel>Could not load accuracy figures: {accuracy.error.message}</ErrorPanel>
      )}
      <Box display="flex" style={{ gap: 16 }} flexWrap="wrap" mb={2}>
        <Paper
          variant="outlined"
          className={classes.section}
          style={{ flex: '1 1 260px', marginBottom: 0 }}
        >
          <Typography variant="caption" className={classes.muted}>
            Overall precision
          </Typography>
          <Typography variant="h4" data-testid="overall-precision">
            {overall ? formatPercent(overall.precision) : '—'}
          </Typography>
          <Typography variant="body2" className={classes.muted}>
            {overall
              ? `${overall.approved} approved, ${overall.rejected} rejected by stewards`
              : ''}
          </Typography>
        </Paper>
        <Paper
          variant="outlined"
          className={classes.section}
          style={{ flex: '2 1 420px', marginBottom: 0 }}
          data-testid="auto-approve"
        >
          <Typography className={classes.sectionTitle}>Automatic approval</Typography>
          {error && <ErrorPanel>{error}</ErrorPanel>}
          <Box display="flex" alignItems="center" style={{ gap: 16 }} flexWrap="wrap">
            <FormControlLabel
              control={
                <Switch
                  color="primary"
                  checked={auto.on}
                  disabled={!abilities.approve}
                  onChange={e => setAuto({ ...auto, on: e.target.checked })}
                />
              }
              label={
                auto.on ? 'Approve labels at or above' : 'Off: every label waits for a steward'
              }
            />
            {auto.on && (
              <TextField
                variant="outlined"
                size="small"
                type="number"
                label="Confidence"
                value={auto.value}
                disabled={!abilities.approve}
                error={!(autoValue >= 0.5 && autoValue <= 1)}
                onChange={e => setAuto({ ...auto, value: e.target.value })}
                inputProps={{ min: 0.5, max: 1, step: 0.01, 'data-testid': 'auto-approve-value' }}
              />
            )}
            {abilities.approve && (
              <Button
                variant="outlined"
                color="primary"
                disabled={saving || (auto.on && !(autoValue >= 0.5 && autoValue <= 1))}
                onClick={saveAuto}
                data-testid="save-auto-approve"
              >
                Save
              </Button>
            )}
          </Box>
          <Typography variant="caption" className={classes.muted} component="div">
            Applies to labels scans suggest from now on; labels a person rejected are never approved
            automatically.
            {settings.value?.updatedAt &&
              ` Changed ${formatRelative(settings.value.updatedAt)} by ${shortActor(settings.value.updatedBy)}.`}
          </Typography>
        </Paper>
      </Box>
      <Paper variant="outlined">
        {accuracy.loading && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="accuracy-table">
            <TableHead>
              <TableRow>
                <TableCell>Classifier</TableCell>
                <TableCell align="right">Approved</TableCell>
                <TableCell align="right">Rejected</TableCell>
                <TableCell>Precision</TableCell>
                <TableCell align="right">Auto-approved</TableCell>
                <TableCell align="right">Waiting</TableCell>
                <TableCell align="right">Added by hand</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {(accuracy.value?.items ?? []).map(item => (
                <TableRow
                  key={item.classifierId}
                  data-testid="accuracy-row"
                  data-id={item.classifierId}
                  data-precision={String(item.precision)}
                >
                  <TableCell>
                    <Link
                      component={RouterLink}
                      to={
                        item.kind === 'custom'
                          ? `/classifications/rules/${encodeURIComponent(item.classifierId)}`
                          : `/classifications/library/${encodeURIComponent(item.classifierId)}`
                      }
                    >
                      {item.name}
                    </Link>
                    <Typography
                      variant="caption"
                      className={`${classes.mono} ${classes.muted}`}
                      component="div"
                    >
                      {item.classifierId}
                    </Typography>
                  </TableCell>
                  <TableCell align="right">{item.approved}</TableCell>
                  <TableCell align="right">{item.rejected}</TableCell>
                  <TableCell style={{ minWidth: 180 }}>
                    {item.precision === null ? (
                      <span className={classes.muted}>no decisions</span>
                    ) : (
                      <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                        <LinearProgress
                          variant="determinate"
                          value={item.precision * 100}
                          style={{ flex: 1, height: 6, borderRadius: 3 }}
                        />
                        <span>{formatPercent(item.precision)}</span>
                      </Box>
                    )}
                  </TableCell>
                  <TableCell align="right">{item.autoApproved}</TableCell>
                  <TableCell align="right">
                    {item.suggested > 0 ? (
                      <Link
                        component={RouterLink}
                        to={`/classifications/review?classifierId=${encodeURIComponent(item.classifierId)}`}
                      >
                        {item.suggested}
                      </Link>
                    ) : (
                      0
                    )}
                  </TableCell>
                  <TableCell align="right">{item.manual}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {accuracy.value && accuracy.value.items.length === 0 && (
          <Box className={classes.empty}>
            No labels yet. Precision appears once stewards approve or reject the labels scans
            suggest.
          </Box>
        )}
      </Paper>
    </Box>
  );
}
