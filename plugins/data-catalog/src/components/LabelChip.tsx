import { Box, Chip, Divider, makeStyles, Popover, Typography } from '@material-ui/core';
import type {
  AssetLabel,
  AssetLabelSummary,
  LabelStatus,
} from '@racine/plugin-data-catalog-common';
import { useState } from 'react';
import { formatCount, formatPercent } from './format';

const useStyles = makeStyles(theme => ({
  chips: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) },
  chip: { fontWeight: 500 },
  suggested: {
    borderStyle: 'dashed',
    borderColor: theme.palette.primary.main,
    color: theme.palette.primary.main,
  },
  approved: { borderColor: theme.palette.success.main, color: theme.palette.success.main },
  manual: { borderColor: theme.palette.info.main, color: theme.palette.info.main },
  rejected: { textDecoration: 'line-through', color: theme.palette.text.disabled },
  uncertain: { borderColor: theme.palette.warning.main, color: theme.palette.warning.dark },
  popover: { padding: theme.spacing(2), maxWidth: 420, display: 'grid', gap: theme.spacing(1.25) },
  heading: { display: 'flex', alignItems: 'baseline', gap: theme.spacing(1), flexWrap: 'wrap' },
  signal: { display: 'flex', gap: theme.spacing(1), alignItems: 'baseline' },
  kind: {
    fontSize: 11,
    textTransform: 'uppercase',
    letterSpacing: '0.04em',
    color: theme.palette.text.secondary,
    minWidth: 96,
  },
  example: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 12,
    background: theme.palette.type === 'dark' ? 'rgba(255,255,255,0.06)' : 'rgba(0,0,0,0.04)',
    padding: theme.spacing(0.25, 0.75),
    borderRadius: 4,
  },
  examples: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.75) },
}));

const statusTitles: Record<LabelStatus, string> = {
  suggested: 'Suggested by a scan',
  approved: 'Approved',
  rejected: 'Rejected',
  manual: 'Added by hand',
  propagated: 'Propagated along lineage',
};

function hasEvidence(label: AssetLabel | AssetLabelSummary): label is AssetLabel {
  return 'evidence' in label;
}

/**
 * A classification label as a chip showing its confidence; with evidence (asset pages), a
 * click opens what the classifier saw: its signals and masked examples, never raw values.
 */
export function LabelChip(props: { label: AssetLabel | AssetLabelSummary }) {
  const classes = useStyles();
  const { label } = props;
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const tone =
    label.status === 'rejected'
      ? classes.rejected
      : label.status === 'approved'
        ? classes.approved
        : label.status === 'manual'
          ? classes.manual
          : label.confidence < 0.7
            ? classes.uncertain
            : '';
  const withEvidence = hasEvidence(label);
  return (
    <>
      <Chip
        size="small"
        variant="outlined"
        className={`${classes.chip} ${tone} ${label.status === 'suggested' ? classes.suggested : ''}`}
        label={`${label.classifierId} · ${formatPercent(label.confidence)}`}
        title={`${statusTitles[label.status]}, confidence ${formatPercent(label.confidence)}`}
        onClick={withEvidence ? event => setAnchor(event.currentTarget) : undefined}
        data-testid="label-chip"
        data-classifier={label.classifierId}
        data-status={label.status}
      />
      {withEvidence && (
        <Popover
          open={Boolean(anchor)}
          anchorEl={anchor}
          onClose={() => setAnchor(null)}
          anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}
          transformOrigin={{ vertical: 'top', horizontal: 'left' }}
        >
          <Box className={classes.popover} data-testid="label-evidence">
            <Box className={classes.heading}>
              <Typography variant="subtitle2">{label.classifierId}</Typography>
              <Typography variant="body2" color="textSecondary">
                {statusTitles[label.status]} · confidence {formatPercent(label.confidence)}
              </Typography>
            </Box>
            {(label.evidence.matchRatio !== undefined ||
              label.evidence.sampleSize !== undefined) && (
              <Typography variant="body2">
                {label.evidence.matchRatio !== undefined && (
                  <>{formatPercent(label.evidence.matchRatio)} of </>
                )}
                {label.evidence.sampleSize !== undefined
                  ? `${formatCount(label.evidence.sampleSize)} sampled values`
                  : 'sampled values'}
                {label.evidence.matchRatio !== undefined && ' matched'}
              </Typography>
            )}
            <Divider />
            <Typography variant="overline" color="textSecondary">
              Signals
            </Typography>
            {label.evidence.signals.length === 0 && (
              <Typography variant="body2" color="textSecondary">
                No signals recorded.
              </Typography>
            )}
            {label.evidence.signals.map((signal, i) => (
              <Box key={i} className={classes.signal} data-testid="evidence-signal">
                <span className={classes.kind}>{signal.kind}</span>
                <Typography variant="body2">
                  {signal.description}
                  {signal.weight !== undefined && (
                    <Typography component="span" variant="caption" color="textSecondary">
                      {' '}
                      (weight {signal.weight.toFixed(2)})
                    </Typography>
                  )}
                </Typography>
              </Box>
            ))}
            {label.evidence.maskedExamples.length > 0 && (
              <>
                <Typography variant="overline" color="textSecondary">
                  Masked examples
                </Typography>
                <Box className={classes.examples}>
                  {label.evidence.maskedExamples.map((example, i) => (
                    <span key={i} className={classes.example} data-testid="evidence-example">
                      {example}
                    </span>
                  ))}
                </Box>
              </>
            )}
            {label.runId && (
              <Typography variant="caption" color="textSecondary">
                From scan run {label.runId}
              </Typography>
            )}
          </Box>
        </Popover>
      )}
    </>
  );
}

export function LabelChips(props: { labels: (AssetLabel | AssetLabelSummary)[]; empty?: string }) {
  const classes = useStyles();
  if (props.labels.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        {props.empty ?? '—'}
      </Typography>
    );
  }
  return (
    <Box className={classes.chips}>
      {props.labels.map(label => (
        <LabelChip key={label.classifierId} label={label} />
      ))}
    </Box>
  );
}
