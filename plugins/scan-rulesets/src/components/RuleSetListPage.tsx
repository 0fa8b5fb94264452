import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  InputAdornment,
  LinearProgress,
  Link,
  makeStyles,
  MenuItem,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import Search from '@material-ui/icons/Search';
import { errorMessage, useAsyncResource, useCurrentWorkspace, useMe } from '@racine/kernel-react';
import type { RuleSet } from '@racine/plugin-scan-rulesets-common';
import { useState } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router-dom';
import { useScanRulesetsClient } from '../api/useScanRulesetsClient';
import { ruleSetPath } from './paths';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  grow: { flex: 1 },
  name: { fontWeight: 600 },
  nameCell: { whiteSpace: 'nowrap' },
  description: { maxWidth: 520 },
  empty: { padding: theme.spacing(6, 2), textAlign: 'center' },
  error: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
}));

function summary(ruleSet: RuleSet): string {
  const d = ruleSet.definition;
  const parts = [
    d.classifiers.categories.length > 0
      ? d.classifiers.categories.join(', ')
      : d.classifiers.ids.length > 0
        ? `${d.classifiers.ids.length} classifiers`
        : 'All classifiers',
    `${d.sampling.size.toLocaleString()} ${d.sampling.strategy} rows`,
    d.profiling.enabled ? 'profiling' : 'no profiling',
  ];
  if (d.tableLimit !== null) parts.push(`≤ ${d.tableLimit} tables`);
  return parts.join(' · ');
}

function CreateRuleSetDialog(props: { open: boolean; onClose(): void; ruleSets: RuleSet[] }) {
  const client = useScanRulesetsClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [template, setTemplate] = useState('default');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const source = props.ruleSets.find(r => r.id === template);
      const created = await client.create({
        name: name.trim(),
        description: description.trim(),
        definition: source?.definition ?? {},
      });
      navigate(ruleSetPath(created.id));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>New rule set</DialogTitle>
      <DialogContent>
        <TextField
          label="Name"
          value={name}
          onChange={e => setName(e.target.value)}
          fullWidth
          autoFocus
          variant="outlined"
          margin="dense"
          required
          inputProps={{ maxLength: 200, 'data-testid': 'new-rule-set-name' }}
        />
        <TextField
          label="Description"
          value={description}
          onChange={e => setDescription(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          variant="outlined"
          margin="dense"
        />
        <TextField
          select
          label="Start from"
          value={template}
          onChange={e => setTemplate(e.target.value)}
          fullWidth
          variant="outlined"
          margin="dense"
          helperText="Its settings are copied; you edit them next."
        >
          {props.ruleSets.map(r => (
            <MenuItem key={r.id} value={r.id}>
              {r.name}
            </MenuItem>
          ))}
        </TextField>
        {error && (
          <Typography color="error" variant="body2" role="alert">
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disableElevation
          disabled={busy || !name.trim()}
          onClick={create}
          data-testid="create-rule-set"
        >
          Create
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The rule sets of the current workspace and the built-in ones. */
export function RuleSetListPage() {
  const classes = useStyles();
  const client = useScanRulesetsClient();
  const me = useMe();
  const [workspace] = useCurrentWorkspace();
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const ruleSets = useAsyncResource(
    signal => client.list({ q: query.trim() || undefined, signal }),
    [client, query, workspace],
  );
  const canCreate = me.value?.permissions.includes('rule_sets.create') ?? false;

  return (
    <Box data-testid="rule-set-list">
      <Box className={classes.toolbar}>
        <Typography variant="body2" color="textSecondary" className={classes.grow}>
          A rule set decides what a scan reads and how: which schemas, tables and columns, which
          classifiers, how many rows to sample and what to profile. Every change is a new version.
        </Typography>
        <TextField
          placeholder="Filter rule sets"
          value={query}
          onChange={e => setQuery(e.target.value)}
          size="small"
          variant="outlined"
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <Search fontSize="small" />
              </InputAdornment>
            ),
          }}
          inputProps={{ 'data-testid': 'rule-set-filter' }}
        />
        {canCreate && (
          <Button
            color="primary"
            variant="contained"
            disableElevation
            onClick={() => setCreating(true)}
            data-testid="new-rule-set"
          >
            New rule set
          </Button>
        )}
      </Box>
      {ruleSets.error && (
        <Paper variant="outlined" className={classes.error} role="alert">
          <Typography variant="body2">
            Could not load rule sets: {ruleSets.error.message}
          </Typography>
        </Paper>
      )}
      <Paper variant="outlined">
        {ruleSets.loading && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="rule-sets-table">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>What it does</TableCell>
                <TableCell>Version</TableCell>
                <TableCell>Workspace</TableCell>
                <TableCell>Updated</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {ruleSets.value?.map(ruleSet => (
                <TableRow key={ruleSet.id} hover data-testid="rule-set-row" data-id={ruleSet.id}>
                  <TableCell className={classes.nameCell}>
                    <Link
                      component={RouterLink}
                      to={ruleSetPath(ruleSet.id)}
                      className={classes.name}
                    >
                      {ruleSet.name}
                    </Link>{' '}
                    {ruleSet.builtin && (
                      <Chip
                        size="small"
                        variant="outlined"
                        label="Built-in"
                        style={{ marginLeft: 4 }}
                      />
                    )}
                  </TableCell>
                  <TableCell className={classes.description}>
                    <Typography variant="body2">{ruleSet.description}</Typography>
                    <Typography variant="caption" color="textSecondary">
                      {summary(ruleSet)}
                    </Typography>
                  </TableCell>
                  <TableCell>{ruleSet.version}</TableCell>
                  <TableCell>{ruleSet.workspace}</TableCell>
                  <TableCell title={ruleSet.updatedAt}>
                    {new Date(ruleSet.updatedAt).toLocaleString()}
                    <Typography variant="caption" color="textSecondary" component="div">
                      {ruleSet.updatedBy}
                    </Typography>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {ruleSets.value && ruleSets.value.length === 0 && (
          <Box className={classes.empty}>
            <Typography variant="body2" color="textSecondary">
              {query ? 'No rule set matches.' : 'No rule sets yet.'}
            </Typography>
          </Box>
        )}
      </Paper>
      {creating && (
        <CreateRuleSetDialog
          open
          onClose={() => setCreating(false)}
          ruleSets={ruleSets.value ?? []}
        />
      )}
    </Box>
  );
}
