import {
  Box,
  Button,
  Chip,
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
import AddIcon from '@material-ui/icons/Add';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { CustomRuleSummary } from '@racine/plugin-classifications-common';
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { useClassificationsClient } from '../api/ClassificationsClient';
import {
  ErrorPanel,
  formatRelative,
  SensitivityChip,
  shortActor,
  useAbilities,
  useSharedStyles,
} from './shared';

export const RULE_TYPE_LABELS: Record<CustomRuleSummary['type'], string> = {
  value_regex: 'Regex on values',
  name_regex: 'Regex on names',
  dictionary: 'Dictionary',
  composite: 'Composite',
};

/** Custom rules written by stewards. */
export function RulesPage() {
  const classes = useSharedStyles();
  const client = useClassificationsClient();
  const abilities = useAbilities();
  const rules = useAsyncResource(signal => client.rules(signal), [client]);
  const [items, setItems] = useState<CustomRuleSummary[]>([]);
  const [q, setQ] = useState('');
  const [error, setError] = useState<string>();
  useEffect(() => setItems(rules.value ?? []), [rules.value]);

  const toggle = async (rule: CustomRuleSummary, enabled: boolean) => {
    setError(undefined);
    try {
      const updated = await client.setRuleEnabled(rule.id, enabled);
      setItems(list => list.map(r => (r.id === rule.id ? { ...r, enabled: updated.enabled } : r)));
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const needle = q.trim().toLowerCase();
  const shown = items.filter(
    r => !needle || `${r.id} ${r.name} ${r.description}`.toLowerCase().includes(needle),
  );
  return (
    <Box>
      <Box className={classes.toolbar}>
        <TextField
          className={classes.search}
          variant="outlined"
          size="small"
          placeholder="Search rules"
          value={q}
          onChange={e => setQ(e.target.value)}
          inputProps={{ 'aria-label': 'Search rules' }}
        />
        <Box className={classes.spacer} />
        {abilities.create && (
          <Button
            variant="contained"
            color="primary"
            startIcon={<AddIcon />}
            component={RouterLink}
            to="new"
            data-testid="new-rule"
          >
            New rule
          </Button>
        )}
      </Box>
      {rules.error && <ErrorPanel>Could not load rules: {rules.error.message}</ErrorPanel>}
      {error && <ErrorPanel>{error}</ErrorPanel>}
      <Paper variant="outlined">
        {rules.loading && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="rules-table">
            <TableHead>
              <TableRow>
                <TableCell>Rule</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Matches</TableCell>
                <TableCell>Labels as</TableCell>
                <TableCell align="right">Version</TableCell>
                <TableCell>Updated</TableCell>
                <TableCell align="center">Enabled</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {shown.map(rule => (
                <TableRow key={rule.id} hover data-testid="rule-row" data-id={rule.id}>
                  <TableCell>
                    <Link component={RouterLink} to={encodeURIComponent(rule.id)}>
                      <Typography variant="body2" style={{ fontWeight: 600 }}>
                        {rule.name}
                      </Typography>
                    </Link>
                    <Typography variant="caption" className={`${classes.mono} ${classes.muted}`}>
                      {rule.id}
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <Chip size="small" label={RULE_TYPE_LABELS[rule.type]} />
                  </TableCell>
                  <TableCell
                    className={classes.mono}
                    style={{ maxWidth: 380, wordBreak: 'break-word' }}
                  >
                    {rule.summary}
                  </TableCell>
                  <TableCell>
                    <Box className={classes.chips}>
                      <SensitivityChip sensitivity={rule.sensitivity} />
                      <Typography variant="caption">{rule.categories.join(', ')}</Typography>
                    </Box>
                  </TableCell>
                  <TableCell align="right">v{rule.version}</TableCell>
                  <TableCell>
                    {formatRelative(rule.updatedAt)} · {shortActor(rule.updatedBy)}
                  </TableCell>
                  <TableCell align="center">
                    <Switch
                      size="small"
                      color="primary"
                      checked={rule.enabled}
                      disabled={!abilities.edit}
                      onChange={e => toggle(rule, e.target.checked)}
                      inputProps={{
                        'aria-label': `${rule.enabled ? 'Disable' : 'Enable'} ${rule.id}`,
                      }}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {rules.value && shown.length === 0 && (
          <Box className={classes.empty}>
            {items.length === 0
              ? 'No custom rules yet. Rules add your own detections: regular expressions on values or names, lists of terms, or combinations of classifiers.'
              : 'No rule matches.'}
          </Box>
        )}
      </Paper>
    </Box>
  );
}
