import { Chip, makeStyles } from '@material-ui/core';
import { useMe } from '@racine/kernel-react';
import type { FindingStatus, Severity } from '@racine/plugin-compliance-common';
import { useMemo } from 'react';

export const useSharedStyles = makeStyles(theme => ({
  mono: { fontFamily: '"JetBrains Mono", Menlo, Consolas, monospace', fontSize: 12 },
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  filter: { minWidth: 160 },
  spacer: { flex: 1 },
  section: { padding: theme.spacing(2), marginBottom: theme.spacing(2) },
  sectionTitle: { fontSize: 15, fontWeight: 600, marginBottom: theme.spacing(1.5) },
  muted: { color: theme.palette.text.secondary },
  empty: { padding: theme.spacing(4, 2), textAlign: 'center', color: theme.palette.text.secondary },
  error: { color: theme.palette.error.main, marginBottom: theme.spacing(2) },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
    gap: theme.spacing(2),
  },
}));

export interface ComplianceAbilities {
  view: boolean;
  edit: boolean;
  evaluate: boolean;
  approve: boolean;
}

/** What the signed-in user may do here (the server enforces it regardless). */
export function useAbilities(): ComplianceAbilities {
  const { value: me } = useMe();
  return useMemo(() => {
    const granted = new Set(me?.permissions ?? []);
    return {
      view: granted.has('compliance.view'),
      edit: granted.has('compliance.edit'),
      evaluate: granted.has('compliance.evaluate'),
      approve: granted.has('compliance.approve'),
    };
  }, [me]);
}

const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#e65100',
  medium: '#f9a825',
  low: '#607d8b',
};

export function SeverityChip(props: { severity: Severity }) {
  return (
    <Chip
      size="small"
      variant="outlined"
      label={props.severity}
      style={{
        color: SEVERITY_COLORS[props.severity],
        borderColor: SEVERITY_COLORS[props.severity],
      }}
    />
  );
}

const STATUS_COLORS: Record<FindingStatus, string> = {
  open: '#c62828',
  acknowledged: '#ef6c00',
  waived: '#6a1b9a',
  resolved: '#2e7d32',
};

export function FindingStatusChip(props: { status: FindingStatus }) {
  return (
    <Chip
      size="small"
      label={props.status}
      data-testid="finding-status"
      style={{ color: '#fff', background: STATUS_COLORS[props.status] }}
    />
  );
}

export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${Math.round(score * 1000) / 10}%`;
}

export function scoreColor(score: number | null): string {
  if (score === null) return '#9e9e9e';
  if (score >= 0.9) return '#2e7d32';
  if (score >= 0.7) return '#f9a825';
  return '#c62828';
}
