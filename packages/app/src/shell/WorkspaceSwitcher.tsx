import {
  Button,
  Divider,
  ListItemIcon,
  ListItemText,
  makeStyles,
  Menu,
  MenuItem,
  Typography,
} from '@material-ui/core';
import CheckIcon from '@material-ui/icons/Check';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import FolderOpenIcon from '@material-ui/icons/FolderOpen';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import { useCurrentWorkspace, useWorkspaces } from '@racine/kernel-react';
import { useState } from 'react';

const useStyles = makeStyles(theme => ({
  button: { maxWidth: 220, justifyContent: 'flex-start' },
  label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  hideSmall: { [theme.breakpoints.down('xs')]: { display: 'none' } },
  menuHeader: { padding: theme.spacing(1, 2), color: theme.palette.text.secondary },
  check: { minWidth: 32 },
}));

/** Picks the workspace every request acts in (persisted; sent as `x-racine-workspace`). */
export function WorkspaceSwitcher() {
  const classes = useStyles();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { value: workspaces, error } = useWorkspaces();
  const [current, setCurrent] = useCurrentWorkspace();
  const active = current ?? DEFAULT_WORKSPACE;
  const activeTitle = workspaces?.find(w => w.name === active)?.title ?? active;
  // The default workspace always exists for the kernel, listed or not.
  const options = [
    ...(workspaces?.some(w => w.name === DEFAULT_WORKSPACE)
      ? []
      : [{ name: DEFAULT_WORKSPACE, title: 'Default' }]),
    ...(workspaces ?? []),
  ];

  const choose = (name: string) => {
    setCurrent(name === DEFAULT_WORKSPACE ? undefined : name);
    setAnchor(null);
  };

  return (
    <>
      <Button
        size="small"
        className={classes.button}
        startIcon={<FolderOpenIcon fontSize="small" />}
        endIcon={<ExpandMoreIcon fontSize="small" />}
        onClick={e => setAnchor(e.currentTarget)}
        data-testid="workspace-switcher"
        data-workspace={active}
        aria-haspopup="menu"
        title={`Workspace: ${activeTitle}`}
      >
        <span className={`${classes.label} ${classes.hideSmall}`}>{activeTitle}</span>
      </Button>
      <Menu
        anchorEl={anchor}
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
        getContentAnchorEl={null}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        PaperProps={{ style: { minWidth: 240, maxHeight: 420 } }}
      >
        <Typography variant="overline" component="div" className={classes.menuHeader}>
          Workspace
        </Typography>
        <Divider />
        {error && (
          <MenuItem disabled>
            <ListItemText primary="Could not load workspaces" secondary={error.message} />
          </MenuItem>
        )}
        {options.map(workspace => (
          <MenuItem
            key={workspace.name}
            selected={workspace.name === active}
            onClick={() => choose(workspace.name)}
            data-testid={`workspace-option-${workspace.name}`}
          >
            <ListItemIcon className={classes.check}>
              {workspace.name === active ? (
                <CheckIcon fontSize="small" color="primary" />
              ) : (
                <span />
              )}
            </ListItemIcon>
            <ListItemText primary={workspace.title} secondary={workspace.name} />
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
