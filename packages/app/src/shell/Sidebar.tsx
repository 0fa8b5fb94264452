import {
  Box,
  ButtonBase,
  Collapse,
  Divider,
  Drawer,
  IconButton,
  makeStyles,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { iconsApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { NavContentComponentProps } from '@backstage/plugin-app-react';
import ChevronLeftIcon from '@material-ui/icons/ChevronLeft';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ExtensionIcon from '@material-ui/icons/Extension';
import HomeIcon from '@material-ui/icons/Home';
import Skeleton from '@material-ui/lab/Skeleton';
import { KernelNavItem, useNavigation } from '@racine/kernel-react';
import { ReactElement, useEffect, useMemo, useState } from 'react';
import { NavLink, useLocation } from 'react-router-dom';
import { activeNavItemId, groupNavItems } from './navModel';
import { SIDEBAR_COLLAPSED_WIDTH, SIDEBAR_WIDTH, TOP_BAR_HEIGHT, useShell } from './ShellContext';
import { readUserPreference, writeUserPreference } from './useUserEntityRef';
import { RacineLogo } from './RacineLogo';

const useStyles = makeStyles(theme => ({
  nav: {
    height: '100%',
    display: 'flex',
    flexDirection: 'column',
    background: theme.palette.background.paper,
    borderRight: `1px solid ${theme.palette.divider}`,
    transition: theme.transitions.create('width', { duration: theme.transitions.duration.shorter }),
    overflow: 'hidden',
    flexShrink: 0,
  },
  brand: {
    height: TOP_BAR_HEIGHT,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    padding: theme.spacing(0, 2),
    flexShrink: 0,
    color: theme.palette.text.primary,
  },
  brandName: { fontWeight: 700, fontSize: 18, letterSpacing: '-0.01em' },
  scroll: { flex: 1, overflowY: 'auto', overflowX: 'hidden', padding: theme.spacing(1, 1.5) },
  groupHeader: {
    width: '100%',
    justifyContent: 'space-between',
    padding: theme.spacing(2, 1.5, 0.5),
    color: theme.palette.text.secondary,
    fontSize: 11,
    fontWeight: 700,
    letterSpacing: '0.08em',
    textTransform: 'uppercase',
    borderRadius: 6,
    '&:hover': { color: theme.palette.text.primary },
  },
  groupChevron: { fontSize: 16, transition: theme.transitions.create('transform') },
  groupChevronClosed: { transform: 'rotate(-90deg)' },
  groupDivider: { margin: theme.spacing(1, 1) },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    height: 40,
    padding: theme.spacing(0, 1.5),
    margin: theme.spacing(0.25, 0),
    borderRadius: 8,
    color: theme.palette.text.secondary,
    fontSize: 14,
    fontWeight: 500,
    whiteSpace: 'nowrap',
    textDecoration: 'none',
    '& svg': { fontSize: 20, flexShrink: 0 },
    '&:hover': { background: theme.palette.action.hover, color: theme.palette.text.primary },
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}`, outlineOffset: -2 },
  },
  itemCollapsed: { justifyContent: 'center', padding: 0 },
  child: { paddingLeft: theme.spacing(5.5), height: 34, fontSize: 13 },
  active: {
    color: theme.palette.primary.main,
    background: theme.palette.type === 'dark' ? 'rgba(142,162,255,0.14)' : 'rgba(52,81,209,0.09)',
    fontWeight: 600,
    '&:hover': {
      color: theme.palette.primary.main,
      background: theme.palette.type === 'dark' ? 'rgba(142,162,255,0.2)' : 'rgba(52,81,209,0.13)',
    },
  },
  label: { overflow: 'hidden', textOverflow: 'ellipsis' },
  footer: {
    flexShrink: 0,
    borderTop: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1),
    display: 'flex',
    justifyContent: 'flex-end',
  },
  footerCollapsed: { justifyContent: 'center' },
  error: { padding: theme.spacing(1.5), color: theme.palette.error.main },
}));

function NavIcon(props: { name: string }) {
  const iconsApi = useApi(iconsApiRef);
  return iconsApi.icon(props.name) ?? <ExtensionIcon />;
}

function SidebarLink(props: {
  id: string;
  to: string;
  title: string;
  icon: ReactElement;
  active: boolean;
  collapsed: boolean;
  child?: boolean;
  onNavigate?: () => void;
}) {
  const classes = useStyles();
  const link = (
    <NavLink
      to={props.to}
      end
      data-testid={`nav-item-${props.id}`}
      aria-current={props.active ? 'page' : undefined}
      onClick={props.onNavigate}
      className={[
        classes.item,
        props.active ? classes.active : '',
        props.collapsed ? classes.itemCollapsed : '',
        props.child && !props.collapsed ? classes.child : '',
      ].join(' ')}
    >
      {props.child && !props.collapsed ? null : props.icon}
      {!props.collapsed && <span className={classes.label}>{props.title}</span>}
    </NavLink>
  );
  // Icon-only items need their title somewhere: a tooltip.
  return props.collapsed ? (
    <Tooltip title={props.title} placement="right">
      {link}
    </Tooltip>
  ) : (
    link
  );
}

function SidebarContent() {
  const classes = useStyles();
  const shell = useShell();
  const { pathname } = useLocation();
  const { value: items, loading, error } = useNavigation();
  const groups = useMemo(() => groupNavItems(items ?? []), [items]);
  const activeId = useMemo(
    () => (pathname === '/' ? 'home' : activeNavItemId(items ?? [], pathname)),
    [items, pathname],
  );
  const collapsed = shell.collapsed;
  const [closedGroups, setClosedGroups] = useState<Set<string>>(new Set());
  const onNavigate = shell.isDesktop ? undefined : () => shell.setDrawerOpen(false);

  // Open/closed groups are remembered per user, like the collapsed sidebar.
  useEffect(() => {
    if (!shell.userEntityRef) return;
    const userRef = shell.userEntityRef;
    setClosedGroups(
      new Set(
        groups
          .filter(g => readUserPreference(userRef, `nav-group-closed:${g.name}`))
          .map(g => g.name),
      ),
    );
  }, [shell.userEntityRef, groups]);

  const toggleGroup = (name: string) => {
    setClosedGroups(previous => {
      const next = new Set(previous);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      if (shell.userEntityRef)
        writeUserPreference(shell.userEntityRef, `nav-group-closed:${name}`, next.has(name));
      return next;
    });
  };

  const renderItem = (item: KernelNavItem, child = false): ReactElement => (
    <Box key={item.id}>
      <SidebarLink
        id={item.id}
        to={item.path}
        title={item.title}
        icon={<NavIcon name={item.icon} />}
        active={activeId === item.id}
        collapsed={collapsed}
        child={child}
        onNavigate={onNavigate}
      />
      {!collapsed && item.children?.map(c => renderItem(c, true))}
    </Box>
  );

  return (
    <>
      <Box className={classes.brand}>
        <RacineLogo size={28} />
        {!collapsed && <Typography className={classes.brandName}>Racine</Typography>}
      </Box>
      <Box className={classes.scroll}>
        <SidebarLink
          id="home"
          to="/"
          title="Home"
          icon={<HomeIcon />}
          active={activeId === 'home'}
          collapsed={collapsed}
          onNavigate={onNavigate}
        />
        {loading && !items && (
          <Box px={1} pt={2}>
            {[0, 1, 2, 3].map(i => (
              <Skeleton key={i} height={36} />
            ))}
          </Box>
        )}
        {error && !items && (
          <Typography variant="caption" component="div" className={classes.error} role="alert">
            Navigation unavailable: {error.message}
          </Typography>
        )}
        {groups.map(group => {
          const open = collapsed || !closedGroups.has(group.name);
          return (
            <Box key={group.name} data-testid={`nav-group-${group.name}`}>
              {collapsed ? (
                <Divider className={classes.groupDivider} />
              ) : (
                <ButtonBase
                  className={classes.groupHeader}
                  onClick={() => toggleGroup(group.name)}
                  aria-expanded={open}
                  data-testid={`nav-group-toggle-${group.name}`}
                >
                  <span>{group.name}</span>
                  <ExpandMoreIcon
                    className={`${classes.groupChevron} ${open ? '' : classes.groupChevronClosed}`}
                  />
                </ButtonBase>
              )}
              <Collapse in={open} timeout="auto">
                {group.items.map(item => renderItem(item))}
              </Collapse>
            </Box>
          );
        })}
      </Box>
      {shell.isDesktop && (
        <Box className={`${classes.footer} ${collapsed ? classes.footerCollapsed : ''}`}>
          <Tooltip title={collapsed ? 'Expand sidebar' : 'Collapse sidebar'} placement="right">
            <IconButton
              size="small"
              onClick={shell.toggleCollapsed}
              data-testid="sidebar-toggle"
              aria-label={collapsed ? 'Expand sidebar' : 'Collapse sidebar'}
            >
              {collapsed ? <ChevronRightIcon /> : <ChevronLeftIcon />}
            </IconButton>
          </Tooltip>
        </Box>
      )}
    </>
  );
}

/**
 * The sidebar, installed through NavContentBlueprint. Its items come from the kernel's
 * navigation registry (filtered by permissions and enabled groups on the server), not from
 * the page extensions Backstage would auto-discover, so it ignores `navItems`.
 */
export function KernelSidebar(_props: NavContentComponentProps) {
  const classes = useStyles();
  const shell = useShell();
  if (shell.isDesktop) {
    return (
      <nav
        className={classes.nav}
        style={{ width: shell.collapsed ? SIDEBAR_COLLAPSED_WIDTH : SIDEBAR_WIDTH }}
        data-testid="sidebar"
        data-collapsed={shell.collapsed}
        aria-label="Main navigation"
      >
        <SidebarContent />
      </nav>
    );
  }
  return (
    <Drawer
      open={shell.drawerOpen}
      onClose={() => shell.setDrawerOpen(false)}
      ModalProps={{ keepMounted: true }}
    >
      <nav
        className={classes.nav}
        style={{ width: SIDEBAR_WIDTH }}
        data-testid="sidebar"
        aria-label="Main navigation"
      >
        <SidebarContent />
      </nav>
    </Drawer>
  );
}
