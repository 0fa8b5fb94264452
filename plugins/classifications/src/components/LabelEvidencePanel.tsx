import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Divider,
  LinearProgress,
  MenuItem,
  Paper,
  TextField,
  Typography,
} from '@material-ui/core';
import { errorMessage, RacineApiError, useAsyncResource } from '@racine/kernel-react';
import type {
  LabelDecisionRequest,
  LabelHistoryEntry,
  ReviewLabel,
} from '@racine/plugin-classifications-common';
import { useMemo, useState } from 'react';
import { useClassificationsClient } from '../api/ClassificationsClient';
import {
  ConfidenceBar,
  formatRelative,
  shortActor,
  StatusChip,
  useAbilities,
  useSharedStyles,
} from './shared';

/** The evidence of one label: the signals that produced it and masked examples (never raw values). */
export function EvidenceDetails(props: { label: ReviewLabel }) {
  const classes = useSharedStyles();
  const { label } = props;
  return (
    <Box data-testid="evidence-details">
      <ConfidenceBar value={label.confidence} />
      <Box component="ul" style={{ paddingLeft: 18, margin: '8px 0' }}>
        {label.evidence.signals.map((s, i) => (
          <li key={`${s.kind}-${i}`}>
            <Typography variant="body2">
              <span className={classes.muted}>{s.kind}: </span>
              {s.description}
            </Typography>
          </li>
        ))}
      </Box>
      {(label.evidence.matchRatio !== undefined || label.evidence.sampleSize !== undefined) && (
        <Typography variant="body2" className={classes.muted}>
          {label.evidence.matchRatio !== undefined &&
            `${Math.round(label.evidence.matchRatio * 100)}% of distinct values matched`}
          {label.evidence.matchRatio !== undefined &&
            label.evidence.sampleSize !== undefined &&
            ' · '}
          {label.evidence.sampleSize !== undefined && `${label.evidence.sampleSize} values sampled`}
        </Typography>
      )}
      {label.evidence.maskedExamples.length > 0 && (
        <Box className={classes.chips} mt={1} data-testid="masked-examples">
          {label.evidence.maskedExamples.map(x => (
            <Chip key={x} size="small" variant="outlined" label={x} className={classes.mono} />
          ))}
        </Box>
      )}
      {label.decision && (
        <Typography
          variant="caption"
          className={classes.muted}
          component="div"
          style={{ marginTop: 8 }}
        >
          {label.decision.replace('_', ' ')} by {shortActor(label.decidedBy)}{' '}
          {formatRelative(label.decidedAt)}
          {label.reason ? `: ${label.reason}` : ''}
        </Typography>
      )}
    </Box>
  );
}

const EVENT_TEXT: Record<LabelHistoryEntry['event'], string> = {
  approved: 'approved',
  auto_approved: 'approved automatically',
  rejected: 'rejected',
  relabelled: 'relabelled',
  added: 'added by hand',
  resuggested: 'suggested again (evidence changed)',
};

export interface LabelEvidencePanelProps {
  /** Data catalog ref of the column (or any asset). */
  assetRef: string;
  /** Heading; "Classification" by default. */
  title?: string;
}

type Pending = { kind: 'reject' | 'relabel'; label: ReviewLabel } | { kind: 'add' };

/**
 * A column's classification labels with their evidence, the decisions people can take on
 * them (with classification.approve) and the full history. Meant for the data catalog's
 * column page: `<LabelEvidencePanel assetRef={ref} />`.
 */
export function LabelEvidencePanel(props: LabelEvidencePanelProps) {
  const classes = useSharedStyles();
  const client = useClassificationsClient();
  const abilities = useAbilities();
  const labels = useAsyncResource(
    signal => client.assetLabels(props.assetRef, signal),
    [client, props.assetRef],
  );
  const library = useAsyncResource(
    signal => (abilities.view ? client.classifiers({}, signal) : Promise.resolve(undefined)),
    [client, abilities.view],
  );
  const rules = useAsyncResource(
    signal => (abilities.view ? client.rules(signal) : Promise.resolve([])),
    [client, abilities.view],
  );
  const [pending, setPending] = useState<Pending | null>(null);
  const [reason, setReason] = useState('');
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const c of library.value?.items ?? []) map.set(c.id, c.name);
    for (const r of rules.value ?? []) map.set(r.id, r.name);
    return map;
  }, [library.value, rules.value]);

  // Without the classifications group (404) or the permission (403) there is nothing to show.
  if (
    labels.error instanceof RacineApiError &&
    (labels.error.status === 404 || labels.error.status === 403) &&
    !labels.value
  )
    return null;

  const decide = async (decision: LabelDecisionRequest) => {
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await client.decide([decision]);
      const failed = outcome.results.find(r => !r.ok);
      if (failed) setError(failed.error ?? 'The decision failed');
      setPending(null);
      setReason('');
      setTarget('');
      labels.reload();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = () => {
    if (!pending) return;
    if (pending.kind === 'reject')
      void decide({
        action: 'reject',
        assetRef: props.assetRef,
        classifierId: pending.label.classifierId,
        reason: reason.trim(),
      });
    else if (pending.kind === 'relabel')
      void decide({
        action: 'relabel',
        assetRef: props.assetRef,
        classifierId: pending.label.classifierId,
        newClassifierId: target,
        reason: reason.trim(),
      });
    else
      void decide({
        action: 'add',
        assetRef: props.assetRef,
        classifierId: target,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
  };

  const items = labels.value?.labels ?? [];
  const history = labels.value?.history ?? [];
  return (
    <Paper variant="outlined" className={classes.section} data-testid="label-evidence-panel">
      <Box display="flex" alignItems="center" mb={1}>
        <Typography className={classes.sectionTitle} style={{ flex: 1, marginBottom: 0 }}>
          {props.title ?? 'Classification'}
        </Typography>
        {abilities.approve && (
          <Button size="small" onClick={() => setPending({ kind: 'add' })} data-testid="add-label">
            Add label
          </Button>
        )}
      </Box>
      {labels.loading && !labels.value && <LinearProgress />}
      {labels.error && !labels.value && (
        <Typography variant="body2" color="error">
          Could not load labels: {labels.error.message}
        </Typography>
      )}
      {error && (
        <Typography variant="body2" color="error" data-testid="label-error">
          {error}
        </Typography>
      )}
      {labels.value && items.length === 0 && (
        <Typography variant="body2" className={classes.muted}>
          No classification label: no classifier found sensitive data here.
        </Typography>
      )}
      {items.map(label => (
        <Box
          key={label.id}
          py={1.5}
          data-testid="asset-label"
          data-classifier={label.classifierId}
          data-status={label.status}
        >
          <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={0.5}>
            <Typography variant="body2" style={{ fontWeight: 600 }}>
              {names.get(label.classifierId) ?? label.classifierId}
            </Typography>
            <Typography variant="caption" className={`${classes.mono} ${classes.muted}`}>
              {label.classifierId}
            </Typography>
            <Box flex={1} />
            <StatusChip status={label.status} auto={label.decision === 'auto_approved'} />
          </Box>
          <EvidenceDetails label={label} />
          {abilities.approve && (
            <Box display="flex" style={{ gap: 8 }} mt={1}>
              {label.status !== 'approved' && label.status !== 'manual' && (
                <Button
                  size="small"
                  variant="outlined"
                  color="primary"
                  disabled={busy}
                  onClick={() =>
                    decide({
                      action: 'approve',
                      assetRef: props.assetRef,
                      classifierId: label.classifierId,
                    })
                  }
                  data-testid="label-approve"
                >
                  Approve
                </Button>
              )}
              {label.status !== 'rejected' && (
                <Button
                  size="small"
                  variant="outlined"
                  disabled={busy}
                  onClick={() => setPending({ kind: 'reject', label })}
                  data-testid="label-reject"
                >
                  Reject
                </Button>
              )}
              <Button
                size="small"
                disabled={busy}
                onClick={() => setPending({ kind: 'relabel', label })}
                data-testid="label-relabel"
              >
                Relabel
              </Button>
            </Box>
          )}
          <Divider style={{ marginTop: 12 }} />
        </Box>
      ))}
      {history.length > 0 && (
        <Box mt={1} data-testid="label-history">
          <Typography variant="caption" className={classes.muted}>
            History
          </Typography>
          {history.map(h => (
            <Typography key={h.id} variant="body2" data-testid="label-history-entry">
              <span className={classes.muted}>{formatRelative(h.createdAt)}</span>{' '}
              {names.get(h.classifierId) ?? h.classifierId} {EVENT_TEXT[h.event]} by{' '}
              {shortActor(h.actor)}
              {h.reason ? `: ${h.reason}` : ''}
            </Typography>
          ))}
        </Box>
      )}
      <Dialog open={pending !== null} onClose={() => setPending(null)} fullWidth maxWidth="xs">
        <DialogTitle>
          {pending?.kind === 'reject'
            ? 'Reject label'
            : pending?.kind === 'relabel'
              ? 'Relabel'
              : 'Add a label'}
        </DialogTitle>
        <DialogContent>
          {pending?.kind !== 'reject' && (
            <TextField
              select
              fullWidth
              margin="dense"
              variant="outlined"
              size="small"
              label={pending?.kind === 'relabel' ? 'The right classifier' : 'Classifier'}
              value={target}
              onChange={e => setTarget(e.target.value)}
              SelectProps={{ SelectDisplayProps: { 'data-testid': 'label-target' } as object }}
            >
              {[...names.entries()]
                .sort((a, b) => a[0].localeCompare(b[0]))
                .map(([id, name]) => (
                  <MenuItem key={id} value={id}>
                    {name} ({id})
                  </MenuItem>
                ))}
            </TextField>
          )}
          <TextField
            fullWidth
            margin="dense"
            variant="outlined"
            size="small"
            label={pending?.kind === 'add' ? 'Reason (optional)' : 'Reason'}
            value={reason}
            onChange={e => setReason(e.target.value)}
            inputProps={{ 'data-testid': 'label-reason' }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPending(null)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={
              busy ||
              (pending?.kind !== 'add' && !reason.trim()) ||
              (pending?.kind !== 'reject' && !target)
            }
            onClick={confirm}
            data-testid="label-confirm"
          >
            Confirm
          </Button>
        </DialogActions>
      </Dialog>
    </Paper>
  );
}
