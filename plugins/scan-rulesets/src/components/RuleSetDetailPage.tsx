import {
  Box,
  Breadcrumbs,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  LinearProgress,
  Link,
  makeStyles,
  Paper,
  Tab,
  Tabs,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, useAsyncResource, useMe } from '@racine/kernel-react';
import type { RuleSet } from '@racine/plugin-scan-rulesets-common';
import { useEffect, useMemo, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router-dom';
import { useScanRulesetsClient } from '../api/useScanRulesetsClient';
import { toDraft, validateDraft, type RuleSetDraft } from './draft';
import { PreviewPanel } from './PreviewPanel';
import { RuleSetEditor } from './RuleSetEditor';
import { RULE_SETS_PATH } from './paths';
import { VersionHistory } from './VersionHistory';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    marginBottom: theme.spacing(1),
  },
  title: { fontSize: 20, fontWeight: 600, margin: 0 },
  chips: {
    display: 'flex',
    gap: theme.spacing(1),
    alignItems: 'center',
    flexWrap: 'wrap',
    marginTop: theme.spacing(0.5),
  },
  actions: { marginLeft: 'auto', display: 'flex', gap: theme.spacing(1) },
  tabs: { borderBottom: `1px solid ${theme.palette.divider}`, marginBottom: theme.spacing(2) },
  saveBar: {
    position: 'sticky',
    bottom: 0,
    zIndex: 2,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(1.5, 2.5),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  sticky: { position: 'sticky', top: theme.spacing(2) },
  error: {
    color: theme.palette.error.main,
    padding: theme.spacing(2),
    borderColor: theme.palette.error.main,
    marginBottom: theme.spacing(2),
  },
}));

/** One rule set: its editor with a live preview, and its version history. */
export function RuleSetDetailPage() {
  const classes = useStyles();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const client = useScanRulesetsClient();
  const me = useMe();
  const permissions = new Set(me.value?.permissions ?? []);
  const canEdit = permissions.has('rule_sets.edit');
  const canDelete = permissions.has('rule_sets.delete');

  const loaded = useAsyncResource(signal => client.get(id, signal), [client, id]);
  const catalog = useAsyncResource(signal => client.classifiers(signal), [client]);
  const [ruleSet, setRuleSet] = useState<RuleSet>();
  const [draft, setDraft] = useState<RuleSetDraft>();
  const [note, setNote] = useState('');
  const [tab, setTab] = useState<'edit' | 'history'>('edit');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    if (loaded.value) {
      setRuleSet(loaded.value);
      setDraft(toDraft(loaded.value));
    }
  }, [loaded.value]);

  const validation = useMemo(() => (draft ? validateDraft(draft) : undefined), [draft]);
  const pristine = useMemo(() => (ruleSet ? JSON.stringify(toDraft(ruleSet)) : ''), [ruleSet]);
  const dirty = Boolean(draft && JSON.stringify(draft) !== pristine);

  const adopt = (next: RuleSet, message: string) => {
    setRuleSet(next);
    setDraft(toDraft(next));
    setNote('');
    setSaved(message);
  };

  const save = async () => {
    if (!ruleSet || !draft || !validation?.definition) return;
    setSaving(true);
    setSaveError(undefined);
    setSaved(undefined);
    try {
      const updated = await client.update(ruleSet.id, {
        name: draft.name.trim(),
        description: draft.description.trim(),
        definition: validation.definition,
        expectedVersion: ruleSet.version,
        note: note.trim() || undefined,
      });
      adopt(
        updated,
        updated.version === ruleSet.version
          ? 'Nothing changed'
          : `Saved as version ${updated.version}`,
      );
    } catch (e) {
      setSaveError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!ruleSet) return;
    try {
      await client.delete(ruleSet.id);
      navigate(RULE_SETS_PATH);
    } catch (e) {
      setConfirmDelete(false);
      setSaveError(errorMessage(e));
    }
  };

  if (loaded.error && !ruleSet) {
    return (
      <Box>
        <Breadcrumbs>
          <Link component={RouterLink} to={RULE_SETS_PATH}>
            Scan rule sets
          </Link>
        </Breadcrumbs>
        <Paper variant="outlined" className={classes.error} role="alert" style={{ marginTop: 16 }}>
          <Typography variant="body2">
            Could not load rule set '{id}': {loaded.error.message}
          </Typography>
        </Paper>
      </Box>
    );
  }
  if (!ruleSet || !draft || !validation) return <LinearProgress />;

  return (
    <Box data-testid="rule-set-detail" data-rule-set={ruleSet.id}>
      <Breadcrumbs style={{ marginBottom: 8 }}>
        <Link component={RouterLink} to={RULE_SETS_PATH}>
          Scan rule sets
        </Link>
        <Typography color="textPrimary">{ruleSet.name}</Typography>
      </Breadcrumbs>
      <Box className={classes.header}>
        <Box>
          <Typography variant="h2" className={classes.title} data-testid="rule-set-title">
            {ruleSet.name}
          </Typography>
          <Box className={classes.chips}>
            <Chip
              size="small"
              color="primary"
              label={`Version ${ruleSet.version}`}
              data-testid="rule-set-version"
            />
            {ruleSet.builtin && <Chip size="small" variant="outlined" label="Built-in" />}
            <Chip size="small" variant="outlined" label={`Workspace: ${ruleSet.workspace}`} />
            <Typography variant="caption" color="textSecondary">
              Updated {new Date(ruleSet.updatedAt).toLocaleString()} by {ruleSet.updatedBy}
            </Typography>
          </Box>
        </Box>
        <Box className={classes.actions}>
          {canDelete && !ruleSet.builtin && (
            <Button
              variant="outlined"
              onClick={() => setConfirmDelete(true)}
              data-testid="delete-rule-set"
            >
              Delete
            </Button>
          )}
        </Box>
      </Box>
      <Tabs
        value={tab}
        onChange={(_e, value) => setTab(value)}
        indicatorColor="primary"
        textColor="primary"
        className={classes.tabs}
      >
        <Tab
          value="edit"
          label={canEdit ? 'Edit and preview' : 'Settings and preview'}
          data-testid="tab-edit"
        />
        <Tab value="history" label={`History (${ruleSet.version})`} data-testid="tab-history" />
      </Tabs>

      {tab === 'edit' && (
        <Grid container spacing={2}>
          <Grid item xs={12} md={7}>
            <RuleSetEditor
              draft={draft}
              onChange={next => {
                setDraft(next);
                setSaved(undefined);
              }}
              errors={validation.errors}
              catalog={catalog.value}
              disabled={!canEdit}
            />
            {canEdit && (
              <Paper variant="outlined" className={classes.saveBar} data-testid="save-bar">
                <TextField
                  label="What changed (optional)"
                  value={note}
                  onChange={e => setNote(e.target.value)}
                  size="small"
                  variant="outlined"
                  style={{ flex: 1, minWidth: 200 }}
                  inputProps={{ maxLength: 500, 'data-testid': 'version-note' }}
                />
                <Button onClick={() => setDraft(toDraft(ruleSet))} disabled={!dirty || saving}>
                  Discard
                </Button>
                <Button
                  color="primary"
                  variant="contained"
                  disableElevation
                  onClick={save}
                  disabled={
                    !dirty ||
                    saving ||
                    !validation.definition ||
                    Object.keys(validation.errors).length > 0
                  }
                  data-testid="save-rule-set"
                >
                  Save as version {ruleSet.version + 1}
                </Button>
                {saved && (
                  <Typography variant="body2" color="textSecondary" data-testid="save-status">
                    {saved}
                  </Typography>
                )}
                {saveError && (
                  <Typography
                    variant="body2"
                    color="error"
                    role="alert"
                    data-testid="save-error"
                    style={{ width: '100%' }}
                  >
                    {saveError}
                  </Typography>
                )}
              </Paper>
            )}
          </Grid>
          <Grid item xs={12} md={5}>
            <Box className={classes.sticky}>
              <PreviewPanel ruleSetId={ruleSet.id} definition={validation.definition} />
            </Box>
          </Grid>
        </Grid>
      )}

      {tab === 'history' && (
        <VersionHistory
          ruleSet={ruleSet}
          canEdit={canEdit}
          onRolledBack={updated => adopt(updated, `Rolled back: now version ${updated.version}`)}
        />
      )}

      <Dialog open={confirmDelete} onClose={() => setConfirmDelete(false)}>
        <DialogTitle>Delete '{ruleSet.name}'?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Scans can no longer use it. Its versions stay readable for the scans that already ran
            with it.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
          <Button
            color="secondary"
            variant="contained"
            disableElevation
            onClick={remove}
            data-testid="confirm-delete"
          >
            Delete
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
