import { Chip, makeStyles } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';

const useStyles = makeStyles(theme => ({
  ok: { color: theme.palette.success.main, borderColor: theme.palette.success.main },
  bad: { color: theme.palette.error.main, borderColor: theme.palette.error.main },
  off: { color: theme.palette.text.secondary },
  icon: { color: 'inherit' },
}));

export function StatusChip(props: {
  state: 'ok' | 'bad' | 'off';
  label: string;
  'data-testid'?: string;
}) {
  const classes = useStyles();
  const Icon =
    props.state === 'ok'
      ? CheckCircleIcon
      : props.state === 'bad'
        ? ErrorIcon
        : RemoveCircleOutlineIcon;
  return (
    <Chip
      size="small"
      variant="outlined"
      className={classes[props.state]}
      icon={<Icon className={classes.icon} fontSize="small" />}
      label={props.label}
      data-testid={props['data-testid']}
      data-state={props.state}
    />
  );
}
