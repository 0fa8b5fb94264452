import {
  Box,
  Button,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useComplianceClient } from '../api/ComplianceClient';
import { formatScore, scoreColor, SeverityChip, useAbilities, useSharedStyles } from './shared';

/** One framework: score trend, requirements (drill down to their findings), rules, and scores per data source and workspace. */
export function FrameworkPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const abilities = useAbilities();
  const [deleteError, setDeleteError] = useState<string>();
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const detail = useAsyncResource(signal => client.framework(id, signal), [client, id]);
  const history = useAsyncResource(
    signal => client.history(id, 'framework', undefined, signal),
    [client, id],
  );
  if (detail.error)
    return <Typography className={classes.error}>{errorMessage(detail.error)}</Typography>;
  const f = detail.value;
  if (!f) return null;
  const points = (history.value ?? []).map(p => ({
    at: p.takenAt.slice(0, 16).replace('T', ' '),
    score: p.score === null ? null : Math.round(p.score * 1000) / 10,
  }));
  const rules = new Map(f.rules.map(r => [r.id, r]));
  return (
    <>
      <Typography variant="h5" data-testid="framework-title">
        {f.name}{' '}
        <Typography component="span" color="textSecondary">
          {f.version}
        </Typography>
      </Typography>
      {!f.builtin && abilities.edit && (
        <Button
          size="small"
          onClick={() =>
            client.deleteFramework(f.id).then(
              () => navigate('/compliance/frameworks'),
              e => setDeleteError(errorMessage(e)),
            )
          }
        >
          Delete this custom framework
        </Button>
      )}
      {deleteError && <Typography className={classes.error}>{deleteError}</Typography>}
      <Typography variant="body2" className={classes.muted} gutterBottom>
        {f.description}
      </Typography>
      <Typography variant="h3" style={{ color: scoreColor(f.scores.score) }}>
        {formatScore(f.scores.score)}
      </Typography>
      <Typography variant="body2" gutterBottom>
        {f.scores.failing} failing of {f.scores.inScope} checks in scope
      </Typography>
      {points.length > 1 && (
        <Paper variant="outlined" className={classes.section}>
          <div className={classes.sectionTitle}>Score over time</div>
          <Box height={200}>
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={points}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="at" fontSize={11} />
                <YAxis domain={[0, 100]} unit="%" fontSize={11} />
                <Tooltip />
                <Line type="monotone" dataKey="score" stroke="#1976d2" isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </Box>
        </Paper>
      )}
      <Paper variant="outlined" className={classes.section}>
        <div className={classes.sectionTitle}>Requirements</div>
        <Table size="small" data-testid="requirements">
          <TableHead>
            <TableRow>
              <TableCell>Requirement</TableCell>
              <TableCell>Reference</TableCell>
              <TableCell>Rules</TableCell>
              <TableCell align="right">Failing / in scope</TableCell>
              <TableCell align="right">Score</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {f.scores.requirements.map(r => (
              <TableRow key={r.id} data-testid={`requirement-${r.id}`}>
                <TableCell>
                  <Link
                    to={`/compliance/findings?framework=${f.id}&requirement=${encodeURIComponent(r.id)}`}
                  >
                    {r.id}
                  </Link>{' '}
                  {r.name}
                </TableCell>
                <TableCell>{r.reference}</TableCell>
                <TableCell>
                  {r.ruleIds.map(ruleId => (
                    <div key={ruleId}>
                      {rules.get(ruleId)?.name ?? ruleId}{' '}
                      {rules.get(ruleId) && <SeverityChip severity={rules.get(ruleId)!.severity} />}
                    </div>
                  ))}
                </TableCell>
                <TableCell align="right">
                  {r.failing} / {r.inScope}
                </TableCell>
                <TableCell align="right" style={{ color: scoreColor(r.score), fontWeight: 600 }}>
                  {formatScore(r.score)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      <Box display="flex" style={{ gap: 16 }} flexWrap="wrap">
        {(['dataSources', 'workspaces'] as const).map(kind => (
          <Paper
            key={kind}
            variant="outlined"
            className={classes.section}
            style={{ flex: '1 1 320px' }}
          >
            <div className={classes.sectionTitle}>
              {kind === 'dataSources' ? 'By data source' : 'By workspace'}
            </div>
            <Table size="small">
              <TableBody>
                {f.scores[kind].map(e => (
                  <TableRow key={e.id}>
                    <TableCell>{e.name}</TableCell>
                    <TableCell align="right">
                      {e.failing} / {e.inScope}
                    </TableCell>
                    <TableCell align="right" style={{ color: scoreColor(e.score) }}>
                      {formatScore(e.score)}
                    </TableCell>
                  </TableRow>
                ))}
                {f.scores[kind].length === 0 && (
                  <TableRow>
                    <TableCell className={classes.muted}>Nothing evaluated yet</TableCell>
                  </TableRow>
                )}
              </TableBody>
            </Table>
          </Paper>
        ))}
      </Box>
    </>
  );
}
