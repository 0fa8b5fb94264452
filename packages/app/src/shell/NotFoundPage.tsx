import { Box, Button, makeStyles, Typography } from '@material-ui/core';
import type { NotFoundErrorPageProps } from '@backstage/frontend-plugin-api';
import { Link, useLocation } from 'react-router-dom';

const useStyles = makeStyles(theme => ({
  root: {
    minHeight: '70vh',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(4),
    textAlign: 'center',
  },
  code: {
    fontSize: 72,
    fontWeight: 800,
    lineHeight: 1,
    color: theme.palette.primary.main,
    letterSpacing: '-0.04em',
  },
  path: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 13,
  },
}));

/** Swapped in for Backstage's not-found page (unknown routes and disabled groups' routes). */
export function NotFoundPage(props: NotFoundErrorPageProps) {
  const classes = useStyles();
  const { pathname } = useLocation();
  return (
    <Box className={classes.root} data-testid="not-found">
      <Typography className={classes.code}>404</Typography>
      <Typography variant="h5" component="h1" style={{ fontWeight: 700 }}>
        Page not found
      </Typography>
      <Typography variant="body2" color="textSecondary">
        Nothing lives at <span className={classes.path}>{pathname}</span>, or its feature is
        switched off.
      </Typography>
      {props.children}
      <Button component={Link} to="/" color="primary" variant="contained" disableElevation>
        Go to home
      </Button>
    </Box>
  );
}
