import {
  Button,
  List,
  ListItem,
  ListItemSecondaryAction,
  ListItemText,
  Paper,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource } from '@racine/kernel-react';
import type { ComplianceRule, RuleInput, RuleTestResult } from '@racine/plugin-compliance-common';
import { useEffect, useState } from 'react';
import { useComplianceClient } from '../api/ComplianceClient';
import { SeverityChip, useAbilities, useSharedStyles } from './shared';

const TEMPLATE: RuleInput = {
  id: 'my-rule',
  name: 'Email columns are described',
  description: '',
  severity: 'low',
  subject: 'asset',
  scope: { some: 'labels', where: { field: 'classifierId', op: 'eq', value: 'PII.EMAIL_ADDRESS' } },
  assert: { field: 'asset.description', op: 'notEmpty' },
  labelStatuses: null,
  slaDays: null,
  remediation: '',
  enabled: true,
};

function toInput(rule: ComplianceRule): RuleInput {
  const { builtin: _b, version: _v, updatedAt: _u, updatedBy: _by, ...input } = rule;
  return input;
}

/** Rules: the shipped ones (enable/disable) and custom ones, with an editor that tests live against the catalog. */
export function RulesPage() {
  const classes = useSharedStyles();
  const client = useComplianceClient();
  const abilities = useAbilities();
  const rules = useAsyncResource(signal => client.rules(signal), [client]);
  const [selected, setSelected] = useState<ComplianceRule | 'new'>();
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string>();
  const [test, setTest] = useState<RuleTestResult>();
  const [testError, setTestError] = useState<string>();
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    if (!selected) return;
    setText(JSON.stringify(selected === 'new' ? TEMPLATE : toInput(selected), null, 2));
    setTest(undefined);
    setMessage(undefined);
  }, [selected]);

  // Live test: re-run the preview shortly after the definition stops changing.
  useEffect(() => {
    if (!selected || !abilities.edit) return undefined;
    let rule: RuleInput;
    try {
      rule = JSON.parse(text) as RuleInput;
      setParseError(undefined);
    } catch (e) {
      setParseError((e as Error).message);
      return undefined;
    }
    const timer = setTimeout(() => {
      const { id: _id, name: _name, ...definition } = rule;
      client
        .testRule(definition)
        .then(result => {
          setTest(result);
          setTestError(undefined);
        })
        .catch(e => setTestError(errorMessage(e)));
    }, 600);
    return () => clearTimeout(timer);
  }, [text, selected, client, abilities.edit]);

  const builtin = selected !== undefined && selected !== 'new' && selected.builtin;
  const save = async () => {
    try {
      const rule = JSON.parse(text) as RuleInput;
      if (selected === 'new') await client.createRule(rule);
      else if (selected) await client.updateRule(selected.id, { ...rule, id: undefined } as never);
      setMessage('Saved');
      rules.reload();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };
  const toggle = async (rule: ComplianceRule) => {
    try {
      await client.updateRule(rule.id, { enabled: !rule.enabled });
      rules.reload();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };
  const remove = async (rule: ComplianceRule) => {
    try {
      await client.deleteRule(rule.id);
      setSelected(undefined);
      rules.reload();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };

  return (
    <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: 'wrap' }}>
      <Paper variant="outlined" style={{ flex: '1 1 340px', maxWidth: 460 }}>
        {rules.error && (
          <Typography className={classes.error}>{errorMessage(rules.error)}</Typography>
        )}
        <List dense data-testid="rules">
          {(rules.value ?? []).map(rule => (
            <ListItem
              key={rule.id}
              button
              selected={selected !== 'new' && selected?.id === rule.id}
              onClick={() => setSelected(rule)}
              data-testid={`rule-${rule.id}`}
            >
              <ListItemText
                primary={rule.name}
                secondary={`${rule.id} · ${rule.builtin ? 'built in' : 'custom'} · v${rule.version}`}
              />
              <ListItemSecondaryAction>
                <SeverityChip severity={rule.severity} />
                <Switch
                  edge="end"
                  checked={rule.enabled}
                  disabled={!abilities.edit}
                  onChange={() => toggle(rule)}
                  inputProps={{ 'aria-label': `enable ${rule.id}` }}
                />
              </ListItemSecondaryAction>
            </ListItem>
          ))}
        </List>
        {abilities.edit && (
          <Button
            color="primary"
            onClick={() => setSelected('new')}
            style={{ margin: 8 }}
            data-testid="new-rule"
          >
            New rule
          </Button>
        )}
      </Paper>
      {selected && (
        <Paper variant="outlined" className={classes.section} style={{ flex: '2 1 480px' }}>
          <div className={classes.sectionTitle}>
            {selected === 'new' ? 'New rule' : selected.name}
          </div>
          <Typography variant="body2" className={classes.muted} gutterBottom>
            A JSON condition tree: <code>all</code>, <code>any</code>, <code>not</code>,{' '}
            <code>{'{field, op, value}'}</code> and <code>some</code>/<code>none</code>/
            <code>every</code> over <code>labels</code> or <code>grants</code>. Fields:{' '}
            <code>asset.*</code>, <code>labels[]</code>, <code>dataSource.*</code>,{' '}
            <code>grants[]</code>.
          </Typography>
          <TextField
            value={text}
            onChange={e => setText(e.target.value)}
            multiline
            fullWidth
            minRows={14}
            variant="outlined"
            disabled={builtin}
            inputProps={{ className: classes.mono, 'data-testid': 'rule-json', spellCheck: false }}
          />
          {parseError && <Typography className={classes.error}>{parseError}</Typography>}
          {testError && (
            <Typography className={classes.error} data-testid="rule-test-error">
              {testError}
            </Typography>
          )}
          {test && (
            <Table size="small" data-testid="rule-test">
              <TableBody>
                <TableRow>
                  <TableCell colSpan={2} data-testid="rule-test-summary">
                    {test.assetsEvaluated} assets evaluated
                    {test.truncated ? ' (preview limit reached)' : ''}: {test.inScope} in scope,{' '}
                    {test.failing} failing
                  </TableCell>
                </TableRow>
                {test.samples.map(s => (
                  <TableRow key={s.assetRef}>
                    <TableCell className={classes.mono}>{s.name}</TableCell>
                    <TableCell style={{ color: s.passed ? '#2e7d32' : '#c62828' }}>
                      {s.passed ? 'passes' : 'fails'}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {abilities.edit && !builtin && (
            <div className={classes.toolbar} style={{ marginTop: 16 }}>
              <Button variant="contained" color="primary" onClick={save} data-testid="save-rule">
                Save
              </Button>
              {selected !== 'new' && <Button onClick={() => remove(selected)}>Delete</Button>}
              {message && <Typography variant="body2">{message}</Typography>}
            </div>
          )}
          {builtin && (
            <Typography variant="body2" className={classes.muted}>
              Built-in rules are read-only; create a custom rule to change the definition.
            </Typography>
          )}
        </Paper>
      )}
    </div>
  );
}
