import { Box, makeStyles, Tab, Tabs, Typography } from '@material-ui/core';
import type { PageLayoutProps } from '@backstage/frontend-plugin-api';
import { Link, useLocation } from 'react-router-dom';

const useStyles = makeStyles(theme => ({
  page: {
    padding: theme.spacing(2),
    [theme.breakpoints.up('md')]: { padding: theme.spacing(3, 4) },
    maxWidth: 1440,
    margin: '0 auto',
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    marginBottom: theme.spacing(3),
    flexWrap: 'wrap',
  },
  icon: {
    width: 40,
    height: 40,
    borderRadius: 10,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    color: theme.palette.primary.main,
    background: theme.palette.type === 'dark' ? 'rgba(142,162,255,0.14)' : 'rgba(52,81,209,0.09)',
    '& svg': { fontSize: 22 },
  },
  title: { fontSize: 24, fontWeight: 700, letterSpacing: '-0.01em', lineHeight: 1.3, margin: 0 },
  actions: { marginLeft: 'auto', display: 'flex', gap: theme.spacing(1) },
  tabs: {
    marginTop: theme.spacing(-1.5),
    marginBottom: theme.spacing(3),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
}));

/**
 * Swapped in for Backstage's PageLayout, so every PageBlueprint page (ours and the group
 * plugins') gets the same header, spacing and tabs in MUI v4 styling.
 */
export function RacinePageLayout(props: PageLayoutProps) {
  const classes = useStyles();
  const { pathname } = useLocation();
  if (props.noHeader) return <>{props.children}</>;
  const tabs = props.tabs ?? [];
  const activeTab =
    tabs.find(tab => pathname === tab.href || pathname.startsWith(`${tab.href}/`))?.id ?? false;
  return (
    <Box className={classes.page} data-testid="page">
      {props.title && (
        <Box className={classes.header}>
          {props.icon && <Box className={classes.icon}>{props.icon}</Box>}
          <Typography variant="h1" className={classes.title} data-testid="page-title">
            {props.title}
          </Typography>
          {props.headerActions && props.headerActions.length > 0 && (
            <Box className={classes.actions}>{props.headerActions}</Box>
          )}
        </Box>
      )}
      {tabs.length > 0 && (
        <Tabs
          value={activeTab}
          indicatorColor="primary"
          textColor="primary"
          className={classes.tabs}
          variant="scrollable"
        >
          {tabs.map(tab => (
            <Tab key={tab.id} value={tab.id} label={tab.label} component={Link} to={tab.href} />
          ))}
        </Tabs>
      )}
      {props.children}
    </Box>
  );
}
