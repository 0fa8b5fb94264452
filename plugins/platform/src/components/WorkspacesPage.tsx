import {
  Box,
  Button,
  Chip,
  LinearProgress,
  makeStyles,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { DEFAULT_WORKSPACE } from '@racine/kernel-common';
import { ActionButton, useCurrentWorkspace, useWorkspaces } from '@racine/kernel-react';
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The kernel action that creates a workspace; the button shows only if the caller may run it. */
const CREATE_WORKSPACE_ACTION = 'platform.createWorkspace';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
    flexWrap: 'wrap',
  },
  name: {
    fontFamily: '"JetBrains Mono", "SFMono-Regular", Menlo, Consolas, monospace',
    fontSize: 13,
  },
  empty: { padding: theme.spacing(6, 2), textAlign: 'center' },
  error: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
}));

/** Workspaces of the installation; selecting one scopes every request the UI makes. */
export function WorkspacesPage() {
  const classes = useStyles();
  const { value: workspaces, loading, error } = useWorkspaces();
  const [current, setCurrent] = useCurrentWorkspace();
  const active = current ?? DEFAULT_WORKSPACE;
  // Search hits link here as `/workspaces?selected=<name>`: highlight that row.
  const [params] = useSearchParams();
  const selected = params.get('selected');
  const selectedRowRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    selectedRowRef.current?.scrollIntoView({ block: 'center' });
  }, [selected, workspaces]);

  return (
    <Box>
      <Box className={classes.toolbar}>
        <Typography variant="body2" color="textSecondary">
          Workspaces scope governance work: actions run and activity is recorded in the workspace
          you select.
        </Typography>
        <ActionButton
          actionId={CREATE_WORKSPACE_ACTION}
          label="New workspace"
          closeOnSuccess
          data-testid="create-workspace"
        />
      </Box>
      {error && (
        <Paper variant="outlined" className={classes.error} role="alert">
          <Typography variant="body2">Could not load workspaces: {error.message}</Typography>
        </Paper>
      )}
      <Paper variant="outlined">
        {loading && <LinearProgress />}
        <TableContainer>
          <Table size="small" data-testid="workspaces-table">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Title</TableCell>
                <TableCell>Description</TableCell>
                <TableCell>Created by</TableCell>
                <TableCell>Created</TableCell>
                <TableCell align="right" />
              </TableRow>
            </TableHead>
            <TableBody>
              {workspaces?.map(workspace => (
                <TableRow
                  key={workspace.name}
                  hover
                  selected={workspace.name === selected}
                  ref={workspace.name === selected ? selectedRowRef : undefined}
                  data-testid="workspace-row"
                  data-name={workspace.name}
                  data-selected={workspace.name === selected}
                >
                  <TableCell className={classes.name}>{workspace.name}</TableCell>
                  <TableCell>{workspace.title}</TableCell>
                  <TableCell>{workspace.description}</TableCell>
                  <TableCell>{workspace.createdBy}</TableCell>
                  <TableCell title={workspace.createdAt}>
                    {new Date(workspace.createdAt).toLocaleString()}
                  </TableCell>
                  <TableCell align="right">
                    {workspace.name === active ? (
                      <Chip size="small" color="primary" label="Current" />
                    ) : (
                      <Button
                        size="small"
                        color="primary"
                        onClick={() => setCurrent(workspace.name)}
                      >
                        Switch
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
        {workspaces && workspaces.length === 0 && (
          <Box className={classes.empty}>
            <Typography variant="body2" color="textSecondary">
              No workspaces yet.
            </Typography>
          </Box>
        )}
      </Paper>
    </Box>
  );
}
