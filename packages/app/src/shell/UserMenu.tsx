import {
  Avatar,
  Box,
  Divider,
  IconButton,
  ListItemIcon,
  ListItemText,
  makeStyles,
  Menu,
  MenuItem,
  Switch,
  Typography,
  useTheme,
} from '@material-ui/core';
import { appThemeApiRef, identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import Brightness4Icon from '@material-ui/icons/Brightness4';
import ExitToAppIcon from '@material-ui/icons/ExitToApp';
import { useMe } from '@racine/kernel-react';
import { useEffect, useState } from 'react';

const useStyles = makeStyles(theme => ({
  avatar: {
    width: 32,
    height: 32,
    fontSize: 14,
    fontWeight: 600,
    background: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
  },
  header: {
    padding: theme.spacing(1.5, 2),
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
  },
  ref: { color: theme.palette.text.secondary, fontSize: 12 },
  icon: { minWidth: 36 },
}));

/** "user:default/jane.doe" → "jane.doe". */
function nameFromRef(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

function initials(name: string): string {
  const parts = name.split(/[\s._-]+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[1][0] : name.slice(0, 2)).toUpperCase();
}

/** Who is signed in, the light/dark switch (saved by the app theme API), and sign-out. */
export function UserMenu() {
  const classes = useStyles();
  const theme = useTheme();
  const identityApi = useApi(identityApiRef);
  const appThemeApi = useApi(appThemeApiRef);
  const { value: me } = useMe();
  const [profileName, setProfileName] = useState<string>();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);

  useEffect(() => {
    identityApi.getProfileInfo().then(
      profile => setProfileName(profile.displayName),
      () => undefined,
    );
  }, [identityApi]);

  const userRef = me?.userEntityRef;
  const displayName = me?.displayName ?? profileName ?? (userRef ? nameFromRef(userRef) : '');
  const dark = theme.palette.type === 'dark';

  return (
    <>
      <IconButton
        size="small"
        onClick={e => setAnchor(e.currentTarget)}
        data-testid="user-menu"
        aria-label="User menu"
        aria-haspopup="menu"
      >
        <Avatar className={classes.avatar}>{displayName ? initials(displayName) : ''}</Avatar>
      </IconButton>
      <Menu
        anchorEl={anchor}
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
        getContentAnchorEl={null}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        PaperProps={{ style: { minWidth: 260 } }}
      >
        <Box className={classes.header}>
          <Avatar className={classes.avatar}>{displayName ? initials(displayName) : ''}</Avatar>
          <Box minWidth={0}>
            <Typography variant="subtitle2" noWrap data-testid="user-name">
              {displayName}
            </Typography>
            {userRef && (
              <Typography className={classes.ref} noWrap>
                {userRef}
              </Typography>
            )}
          </Box>
        </Box>
        <Divider />
        <MenuItem
          onClick={() => appThemeApi.setActiveThemeId(dark ? 'light' : 'dark')}
          data-testid="theme-toggle"
        >
          <ListItemIcon className={classes.icon}>
            <Brightness4Icon fontSize="small" />
          </ListItemIcon>
          <ListItemText primary="Dark theme" />
          <Switch
            size="small"
            color="primary"
            checked={dark}
            tabIndex={-1}
            inputProps={{ 'aria-hidden': true }}
          />
        </MenuItem>
        <Divider />
        <MenuItem onClick={() => identityApi.signOut()} data-testid="sign-out">
          <ListItemIcon className={classes.icon}>
            <ExitToAppIcon fontSize="small" />
          </ListItemIcon>
          <ListItemText primary="Sign out" />
        </MenuItem>
      </Menu>
    </>
  );
}
