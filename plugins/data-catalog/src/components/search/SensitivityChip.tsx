import { Chip, makeStyles } from '@material-ui/core';
import type { SensitivityLevel } from '@racine/plugin-data-catalog-common';

const colours: Record<SensitivityLevel, string> = {
  PUBLIC: '#2e7d32',
  INTERNAL: '#1565c0',
  CONFIDENTIAL: '#ef6c00',
  RESTRICTED: '#c62828',
};

const useStyles = makeStyles({ chip: { fontWeight: 600, fontSize: 11 } });

/** The effective sensitivity of an asset (override or highest label); a dash when unclassified. */
export function SensitivityChip(props: { level: SensitivityLevel | null }) {
  const classes = useStyles();
  if (!props.level) return <span>—</span>;
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes.chip}
      style={{ color: colours[props.level], borderColor: colours[props.level] }}
      label={props.level}
      data-testid="sensitivity-chip"
    />
  );
}
