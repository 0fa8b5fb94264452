import { Box, Button, IconButton, makeStyles, Tooltip } from '@material-ui/core';
import FlashOnIcon from '@material-ui/icons/FlashOn';
import MenuIcon from '@material-ui/icons/Menu';
import { GlobalSearch } from './GlobalSearch';
import { TOP_BAR_HEIGHT, useShell } from './ShellContext';
import { UserMenu } from './UserMenu';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';

const useStyles = makeStyles(theme => ({
  bar: {
    height: TOP_BAR_HEIGHT,
    flexShrink: 0,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0, 2),
    background: theme.palette.background.paper,
    borderBottom: `1px solid ${theme.palette.divider}`,
    [theme.breakpoints.up('md')]: { padding: theme.spacing(0, 3), gap: theme.spacing(2) },
  },
  search: { flex: 1, minWidth: 0, maxWidth: 640 },
  // margin-left:auto keeps the actions right-aligned while the search takes what is left.
  actions: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginLeft: 'auto',
    flexShrink: 0,
  },
  kbd: {
    marginLeft: theme.spacing(1),
    padding: theme.spacing(0, 0.75),
    borderRadius: 4,
    border: `1px solid ${theme.palette.divider}`,
    fontSize: 11,
    lineHeight: '18px',
    color: theme.palette.text.secondary,
    fontFamily: 'inherit',
  },
}));

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function TopBar() {
  const classes = useStyles();
  const shell = useShell();
  return (
    <header className={classes.bar} data-testid="top-bar">
      {!shell.isDesktop && (
        <IconButton
          edge="start"
          aria-label="Open navigation"
          onClick={() => shell.setDrawerOpen(true)}
          data-testid="sidebar-open"
        >
          <MenuIcon />
        </IconButton>
      )}
      <Box className={classes.search}>
        <GlobalSearch />
      </Box>
      <Box className={classes.actions}>
        <Tooltip title="Quick actions">
          {shell.isDesktop ? (
            <Button
              variant="outlined"
              size="small"
              onClick={() => shell.setPaletteOpen(true)}
              startIcon={<FlashOnIcon fontSize="small" />}
              data-testid="command-palette-open"
            >
              Actions
              <kbd className={classes.kbd}>{isMac ? '⌘K' : 'Ctrl K'}</kbd>
            </Button>
          ) : (
            <IconButton
              size="small"
              onClick={() => shell.setPaletteOpen(true)}
              aria-label="Quick actions"
              data-testid="command-palette-open"
            >
              <FlashOnIcon />
            </IconButton>
          )}
        </Tooltip>
        <WorkspaceSwitcher />
        <UserMenu />
      </Box>
    </header>
  );
}
