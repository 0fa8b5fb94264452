import { Box, ButtonBase, makeStyles, Paper, Typography } from '@material-ui/core';
import { iconsApiRef, identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import ExtensionIcon from '@material-ui/icons/Extension';
import Skeleton from '@material-ui/lab/Skeleton';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import { useCurrentWorkspace, useMe, useNavigation } from '@racine/kernel-react';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { flattenNavItems, groupNavItems } from '../shell/navModel';

const useStyles = makeStyles(theme => ({
  page: {
    padding: theme.spacing(3, 2),
    [theme.breakpoints.up('md')]: { padding: theme.spacing(5, 4) },
    maxWidth: 1440,
    margin: '0 auto',
  },
  hero: { marginBottom: theme.spacing(5) },
  greeting: { fontSize: 30, fontWeight: 700, letterSpacing: '-0.02em', lineHeight: 1.25 },
  lead: {
    marginTop: theme.spacing(1),
    color: theme.palette.text.secondary,
    fontSize: 15,
    maxWidth: 680,
  },
  tips: { display: 'flex', gap: theme.spacing(1), flexWrap: 'wrap', marginTop: theme.spacing(2) },
  tip: {
    fontSize: 12.5,
    color: theme.palette.text.secondary,
    padding: theme.spacing(0.5, 1.25),
    borderRadius: 999,
    border: `1px solid ${theme.palette.divider}`,
  },
  kbd: { fontFamily: 'inherit', fontWeight: 600, color: theme.palette.text.primary },
  group: { marginBottom: theme.spacing(4) },
  groupTitle: {
    fontSize: 12,
    fontWeight: 700,
    letterSpacing: '0.08em',
    textTransform: 'uppercase',
    color: theme.palette.text.secondary,
    marginBottom: theme.spacing(1.5),
  },
  grid: {
    display: 'grid',
    gap: theme.spacing(2),
    gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
  },
  card: { height: '100%' },
  link: {
    width: '100%',
    height: '100%',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'flex-start',
    gap: theme.spacing(2),
    padding: theme.spacing(2),
    borderRadius: 10,
    textAlign: 'left',
    transition: theme.transitions.create(['box-shadow', 'border-color']),
    '&:hover': { background: theme.palette.action.hover },
  },
  linkIcon: {
    width: 40,
    height: 40,
    borderRadius: 10,
    flexShrink: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    color: theme.palette.primary.main,
    background: theme.palette.type === 'dark' ? 'rgba(142,162,255,0.14)' : 'rgba(52,81,209,0.09)',
  },
  linkTitle: { fontWeight: 600, fontSize: 15 },
  linkPath: { fontSize: 12.5, color: theme.palette.text.secondary },
}));

function greeting(now: Date): string {
  const hour = now.getHours();
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

/** The landing page: who you are, where you act, and a way into every section you may use. */
export function HomePage() {
  const classes = useStyles();
  const iconsApi = useApi(iconsApiRef);
  const identityApi = useApi(identityApiRef);
  const { value: items, loading } = useNavigation();
  const { value: me } = useMe();
  const [workspace] = useCurrentWorkspace();
  const [profileName, setProfileName] = useState<string>();
  const groups = useMemo(() => groupNavItems(items ?? []), [items]);

  useEffect(() => {
    identityApi.getProfileInfo().then(
      p => setProfileName(p.displayName),
      () => undefined,
    );
  }, [identityApi]);

  const name = me?.displayName ?? profileName;
  return (
    <Box className={classes.page} data-testid="home">
      <Box className={classes.hero}>
        <Typography component="h1" className={classes.greeting}>
          {greeting(new Date())}
          {name ? `, ${name}` : ''}
        </Typography>
        <Typography className={classes.lead}>
          Racine governs your data estate: sources, scans, classifications, the catalog and
          compliance, with every action authorized and recorded. You are working in the{' '}
          <strong>{workspace ?? DEFAULT_WORKSPACE}</strong> workspace.
        </Typography>
        <Box className={classes.tips}>
          <span className={classes.tip}>
            <kbd className={classes.kbd}>/</kbd> search everything
          </span>
          <span className={classes.tip}>
            <kbd className={classes.kbd}>Ctrl K</kbd> run an action
          </span>
        </Box>
      </Box>

      {loading && !items && (
        <Box className={classes.grid}>
          {[0, 1, 2].map(i => (
            <Skeleton key={i} variant="rect" height={72} style={{ borderRadius: 10 }} />
          ))}
        </Box>
      )}

      {groups.map(group => (
        <Box key={group.name} className={classes.group} component="section">
          <Typography component="h2" className={classes.groupTitle}>
            {group.name}
          </Typography>
          <Box className={classes.grid}>
            {flattenNavItems(group.items).map(item => (
              <Paper key={item.id} variant="outlined" className={classes.card}>
                <ButtonBase
                  component={Link}
                  to={item.path}
                  className={classes.link}
                  data-testid={`quick-link-${item.id}`}
                >
                  <Box className={classes.linkIcon}>
                    {iconsApi.icon(item.icon) ?? <ExtensionIcon />}
                  </Box>
                  <Box minWidth={0}>
                    <div className={classes.linkTitle}>{item.title}</div>
                    <div className={classes.linkPath}>{item.path}</div>
                  </Box>
                </ButtonBase>
              </Paper>
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}
