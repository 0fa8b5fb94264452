import {
  Box,
  Button,
  Checkbox,
  Chip,
  FormControl,
  InputLabel,
  MenuItem,
  Paper,
  Select,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import type { PermissionDescriptor } from '@racine/kernel-common';
import { useAsyncResource, useWorkspaces, racineKernelApiRef } from '@racine/kernel-react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  AccessRequest,
  ExplainResponse,
  Grant,
  Group,
  Role,
  User,
  WorkspaceMember,
} from '@racine/plugin-rbac-common';
import { useState } from 'react';
import { ErrorNote, FormDialog, Loading, useRbac, useRbacClient, useStyles } from './common';

export function UsersPage() {
  const classes = useStyles();
  const client = useRbacClient();
  const { value, loading, error, reload } = useRbac<{ items: User[] }>('/users');
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ username: '', displayName: '', email: '', password: '' });
  const [actionError, setActionError] = useState<unknown>();
  const act = (run: () => Promise<unknown>) => run().then(reload, setActionError);
  return (
    <Box>
      <Box className={classes.toolbar}>
        <Typography variant="body2" color="textSecondary">
          Racine accounts sign in with a username and password (and a code once MFA is on); five
          failures lock an account for 15 minutes.
        </Typography>
        <Button
          color="primary"
          variant="contained"
          onClick={() => setOpen(true)}
          data-testid="new-user"
        >
          New user
        </Button>
      </Box>
      <ErrorNote error={error ?? actionError} />
      <Paper variant="outlined">
        <Loading loading={loading} />
        <TableContainer>
          <Table size="small" data-testid="users-table">
            <TableHead>
              <TableRow>
                <TableCell>Username</TableCell>
                <TableCell>Name</TableCell>
                <TableCell>Email</TableCell>
                <TableCell>Groups</TableCell>
                <TableCell>Status</TableCell>
                <TableCell align="right" />
              </TableRow>
            </TableHead>
            <TableBody>
              {value?.items.map(user => (
                <TableRow key={user.username} data-testid="user-row" data-name={user.username}>
                  <TableCell className={classes.mono}>{user.username}</TableCell>
                  <TableCell>{user.displayName}</TableCell>
                  <TableCell>{user.email}</TableCell>
                  <TableCell>{user.groups.join(', ')}</TableCell>
                  <TableCell>
                    <Box className={classes.chips}>
                      {user.disabled && <Chip size="small" label="Disabled" />}
                      {user.lockedUntil && <Chip size="small" color="secondary" label="Locked" />}
                      {user.mfaEnabled && <Chip size="small" label="MFA" />}
                    </Box>
                  </TableCell>
                  <TableCell align="right">
                    {user.lockedUntil && (
                      <Button
                        size="small"
                        onClick={() => act(() => client.post(`/users/${user.username}/unlock`))}
                      >
                        Unlock
                      </Button>
                    )}
                    {user.mfaEnabled && (
                      <Button
                        size="small"
                        onClick={() => act(() => client.delete(`/users/${user.username}/mfa`))}
                      >
                        Reset MFA
                      </Button>
                    )}
                    <Button
                      size="small"
                      onClick={() =>
                        act(() =>
                          client.put(`/users/${user.username}`, { disabled: !user.disabled }),
                        )
                      }
                    >
                      {user.disabled ? 'Enable' : 'Disable'}
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </Paper>
      <FormDialog
        title="New user"
        open={open}
        onClose={() => setOpen(false)}
        submitLabel="Create"
        testId="user-dialog"
        onSubmit={async () => {
          await client.post('/users', {
            ...form,
            email: form.email || undefined,
            displayName: form.displayName || undefined,
          });
          setForm({ username: '', displayName: '', email: '', password: '' });
          reload();
        }}
      >
        {(['username', 'displayName', 'email', 'password'] as const).map(field => (
          <TextField
            key={field}
            label={
              {
                username: 'Username',
                displayName: 'Display name',
                email: 'Email',
                password: 'Initial password (12+ characters)',
              }[field]
            }
            type={field === 'password' ? 'password' : 'text'}
            value={form[field]}
            onChange={e => setForm({ ...form, [field]: e.target.value })}
            inputProps={{ 'data-testid': `user-${field}` }}
          />
        ))}
      </FormDialog>
    </Box>
  );
}

export function GroupsPage() {
  const classes = useStyles();
  const client = useRbacClient();
  const { value, loading, error, reload } = useRbac<{ items: Group[] }>('/groups');
  const [actionError, setActionError] = useState<unknown>();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ name: '', title: '', members: '' });
  return (
    <Box>
      <Box className={classes.toolbar}>
        <Typography variant="body2" color="textSecondary">
          Members of a group hold every grant made to it (group:default/&lt;name&gt;).
        </Typography>
        <Button color="primary" variant="contained" onClick={() => setOpen(true)}>
          New group
        </Button>
      </Box>
      <ErrorNote error={error ?? actionError} />
      <Paper variant="outlined">
        <Loading loading={loading} />
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Group</TableCell>
              <TableCell>Title</TableCell>
              <TableCell>Members</TableCell>
              <TableCell align="right" />
            </TableRow>
          </TableHead>
          <TableBody>
            {value?.items.map(group => (
              <TableRow key={group.name}>
                <TableCell className={classes.mono}>{group.ref}</TableCell>
                <TableCell>{group.title}</TableCell>
                <TableCell>
                  <Box className={classes.chips}>
                    {group.members.map(member => (
                      <Chip
                        key={member}
                        size="small"
                        label={member}
                        onDelete={() =>
                          client
                            .delete(`/groups/${group.name}/members/${encodeURIComponent(member)}`)
                            .then(reload, setActionError)
                        }
                      />
                    ))}
                  </Box>
                </TableCell>
                <TableCell align="right">
                  <Button
                    size="small"
                    onClick={() => {
                      const member = window.prompt(`Add a member to ${group.ref} (user:default/…)`);
                      if (member) {
                        client
                          .post(`/groups/${group.name}/members`, { member })
                          .then(reload, setActionError);
                      }
                    }}
                  >
                    Add member
                  </Button>
                  <Button
                    size="small"
                    onClick={() => client.delete(`/groups/${group.name}`).then(reload)}
                  >
                    Delete
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      <FormDialog
        title="New group"
        open={open}
        onClose={() => setOpen(false)}
        submitLabel="Create"
        onSubmit={async () => {
          await client.post('/groups', {
            name: form.name,
            title: form.title || undefined,
            members: form.members.split(/[\s,]+/).filter(Boolean),
          });
          reload();
        }}
      >
        <TextField
          label="Name"
          value={form.name}
          onChange={e => setForm({ ...form, name: e.target.value })}
        />
        <TextField
          label="Title"
          value={form.title}
          onChange={e => setForm({ ...form, title: e.target.value })}
        />
        <TextField
          label="Members (entity refs, comma-separated)"
          value={form.members}
          onChange={e => setForm({ ...form, members: e.target.value })}
          helperText="e.g. user:default/alice, group:default/stewards"
        />
      </FormDialog>
    </Box>
  );
}

function usePermissions() {
  const kernel = useApi(racineKernelApiRef);
  return useAsyncResource(async () => {
    const client = kernel.pluginClient('kernel');
    return (await client.get<{ permissions: PermissionDescriptor[] }>('/permissions')).permissions;
  }, [kernel]);
}

/** Roles with a permission matrix: one column per role, one row per permission. */
export function RolesPage() {
  const classes = useStyles();
  const client = useRbacClient();
  const roles = useRbac<{ items: Role[] }>('/roles');
  const permissions = usePermissions();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ name: '', description: '', inherits: '' });
  const [error, setError] = useState<unknown>();
  const simple = (role: Role, name: string) =>
    role.permissions.some(
      p => p.permission === name && p.resource === '*' && p.effect === 'allow' && !p.condition,
    );
  const toggle = async (role: Role, name: string) => {
    setError(undefined);
    const permissionsOf = simple(role, name)
      ? role.permissions.filter(
          p =>
            !(p.permission === name && p.resource === '*' && p.effect === 'allow' && !p.condition),
        )
      : [...role.permissions, { permission: name, resource: '*', effect: 'allow' as const }];
    try {
      await client.put(`/roles/${role.name}`, { permissions: permissionsOf });
      roles.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Box>
      <Box className={classes.toolbar}>
        <Typography variant="body2" color="textSecondary">
          Tick a cell to give a role a permission everywhere it is granted. Entries narrowed to
          resources, denying, or with conditions are set through the API (PUT /api/rbac/roles/:name)
          and show no tick.
        </Typography>
        <Button
          color="primary"
          variant="contained"
          onClick={() => setOpen(true)}
          data-testid="new-role"
        >
          New role
        </Button>
      </Box>
      <ErrorNote error={roles.error ?? permissions.error ?? error} />
      <Paper variant="outlined">
        <Loading loading={roles.loading || permissions.loading} />
        <TableContainer style={{ maxHeight: '70vh' }}>
          <Table size="small" stickyHeader data-testid="role-matrix">
            <TableHead>
              <TableRow>
                <TableCell className={classes.stickyHead}>Permission</TableCell>
                {roles.value?.items.map(role => (
                  <TableCell
                    key={role.name}
                    align="center"
                    title={`${role.description}${role.inherits.length ? ` (inherits ${role.inherits.join(', ')})` : ''}`}
                  >
                    {role.name}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {permissions.value?.map(permission => (
                <TableRow key={permission.name} hover>
                  <TableCell
                    className={`${classes.mono} ${classes.sticky}`}
                    title={permission.description}
                  >
                    {permission.name}
                  </TableCell>
                  {roles.value?.items.map(role => (
                    <TableCell key={role.name} align="center" padding="checkbox">
                      <Checkbox
                        size="small"
                        checked={
                          simple(role, permission.name) ||
                          role.permissions.some(p => p.permission === '*')
                        }
                        disabled={role.permissions.some(p => p.permission === '*')}
                        onChange={() => toggle(role, permission.name)}
                        inputProps={
                          {
                            'aria-label': `${role.name} ${permission.name}`,
                            'data-testid': `cell-${role.name}-${permission.name}`,
                          } as object
                        }
                      />
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      </Paper>
      <FormDialog
        title="New role"
        open={open}
        onClose={() => setOpen(false)}
        submitLabel="Create"
        testId="role-dialog"
        onSubmit={async () => {
          await client.post('/roles', {
            name: form.name,
            description: form.description,
            inherits: form.inherits.split(/[\s,]+/).filter(Boolean),
            permissions: [],
          });
          roles.reload();
        }}
      >
        <TextField
          label="Name"
          value={form.name}
          onChange={e => setForm({ ...form, name: e.target.value })}
          inputProps={{ 'data-testid': 'role-name' }}
        />
        <TextField
          label="Description"
          value={form.description}
          onChange={e => setForm({ ...form, description: e.target.value })}
        />
        <TextField
          label="Inherits (role names)"
          value={form.inherits}
          onChange={e => setForm({ ...form, inherits: e.target.value })}
        />
      </FormDialog>
    </Box>
  );
}

export function GrantsPage() {
  const classes = useStyles();
  const client = useRbacClient();
  const { value, loading, error, reload } = useRbac<{ items: Grant[] }>('/grants');
  const roles = useRbac<{ items: Role[] }>('/roles');
  const workspaces = useWorkspaces();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    subject: '',
    role: '',
    workspace: '*',
    resource: '*',
    effect: 'allow',
    expiresAt: '',
  });
  return (
    <Box>
      <Box className={classes.toolbar}>
        <Typography variant="body2" color="textSecondary">
          A grant gives a subject a role (or denies it) in a workspace, optionally on matching
          resources and for a while. Deny wins.
        </Typography>
        <Button
          color="primary"
          variant="contained"
          onClick={() => setOpen(true)}
          data-testid="new-grant"
        >
          New grant
        </Button>
      </Box>
      <ErrorNote error={error} />
      <Paper variant="outlined">
        <Loading loading={loading} />
        <Table size="small" data-testid="grants-table">
          <TableHead>
            <TableRow>
              <TableCell>Subject</TableCell>
              <TableCell>Role / permission</TableCell>
              <TableCell>Workspace</TableCell>
              <TableCell>Resource</TableCell>
              <TableCell>Effect</TableCell>
              <TableCell>Valid</TableCell>
              <TableCell>Source</TableCell>
              <TableCell align="right" />
            </TableRow>
          </TableHead>
          <TableBody>
            {value?.items.map(grant => (
              <TableRow key={grant.id} data-testid="grant-row">
                <TableCell className={classes.mono}>{grant.subject}</TableCell>
                <TableCell>{grant.role ?? grant.permission}</TableCell>
                <TableCell>{grant.workspace}</TableCell>
                <TableCell className={classes.mono}>{grant.resource}</TableCell>
                <TableCell>{grant.effect}</TableCell>
                <TableCell>
                  {grant.active ? 'active' : 'inactive'}
                  {grant.expiresAt ? ` until ${new Date(grant.expiresAt).toLocaleString()}` : ''}
                </TableCell>
                <TableCell>{grant.source}</TableCell>
                <TableCell align="right">
                  {grant.source !== 'config' && (
                    <Button
                      size="small"
                      onClick={() => client.delete(`/grants/${grant.id}`).then(reload)}
                    >
                      Revoke
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      <FormDialog
        title="New grant"
        open={open}
        onClose={() => setOpen(false)}
        submitLabel="Grant"
        testId="grant-dialog"
        onSubmit={async () => {
          await client.post('/grants', {
            subject: form.subject,
            role: form.role,
            workspace: form.workspace,
            resource: form.resource || '*',
            effect: form.effect,
            expiresAt: form.expiresAt ? new Date(form.expiresAt).toISOString() : undefined,
          });
          reload();
        }}
      >
        <TextField
          label="Subject"
          placeholder="user:default/alice"
          value={form.subject}
          onChange={e => setForm({ ...form, subject: e.target.value })}
          inputProps={{ 'data-testid': 'grant-subject' }}
        />
        <FormControl>
          <InputLabel>Role</InputLabel>
          <Select
            value={form.role}
            onChange={e => setForm({ ...form, role: String(e.target.value) })}
            data-testid="grant-role"
          >
            {roles.value?.items.map(r => (
              <MenuItem key={r.name} value={r.name}>
                {r.name}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl>
          <InputLabel>Workspace</InputLabel>
          <Select
            value={form.workspace}
            onChange={e => setForm({ ...form, workspace: String(e.target.value) })}
            data-testid="grant-workspace"
          >
            <MenuItem value="*">Every workspace</MenuItem>
            {workspaces.value?.map(w => (
              <MenuItem key={w.name} value={w.name}>
                {w.title}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          label="Resource pattern"
          value={form.resource}
          onChange={e => setForm({ ...form, resource: e.target.value })}
          helperText="* or e.g. racine:datasources:datasource/prod-*"
        />
        <FormControl>
          <InputLabel>Effect</InputLabel>
          <Select
            value={form.effect}
            onChange={e => setForm({ ...form, effect: String(e.target.value) })}
          >
            <MenuItem value="allow">allow</MenuItem>
            <MenuItem value="deny">deny</MenuItem>
          </Select>
        </FormControl>
        <TextField
          label="Expires"
          type="datetime-local"
          InputLabelProps={{ shrink: true }}
          value={form.expiresAt}
          onChange={e => setForm({ ...form, expiresAt: e.target.value })}
        />
      </FormDialog>
    </Box>
  );
}

/** Members of the workspaces the caller manages (administrators: any workspace). */
function WorkspaceMembers() {
  const classes = useStyles();
  const client = useRbacClient();
  const mine = useRbac<{ items: Array<{ name: string; title: string; roles: string[] }> }>(
    '/workspaces',
  );
  const roles = useRbac<{ items: Role[] }>('/roles');
  const [workspace, setWorkspace] = useState('');
  const members = useAsyncResource(
    signal =>
      workspace
        ? client.get<{ items: WorkspaceMember[] }>(`/workspaces/${workspace}/members`, { signal })
        : Promise.resolve({ items: [] }),
    [client, workspace],
  );
  const [form, setForm] = useState({ subject: '', role: '' });
  const [error, setError] = useState<unknown>();
  const run = (fn: () => Promise<unknown>) => {
    setError(undefined);
    fn().then(members.reload, setError);
  };
  return (
    <Paper variant="outlined" className={classes.section} data-testid="workspace-members">
      <Typography variant="h6" gutterBottom>
        Workspace members
      </Typography>
      <ErrorNote error={error ?? members.error} />
      <Box className={classes.row} mb={2}>
        <FormControl style={{ minWidth: 200 }}>
          <InputLabel>Workspace</InputLabel>
          <Select value={workspace} onChange={e => setWorkspace(String(e.target.value))}>
            {mine.value?.items.map(w => (
              <MenuItem key={w.name} value={w.name}>
                {w.title}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        {workspace && (
          <>
            <TextField
              label="Member"
              placeholder="user:default/alice"
              value={form.subject}
              onChange={e => setForm({ ...form, subject: e.target.value })}
            />
            <FormControl style={{ minWidth: 180 }}>
              <InputLabel>Role</InputLabel>
              <Select
                value={form.role}
                onChange={e => setForm({ ...form, role: String(e.target.value) })}
              >
                {roles.value?.items.map(r => (
                  <MenuItem key={r.name} value={r.name}>
                    {r.name}
                  </MenuItem>
                ))}
              </Select>
            </FormControl>
            <Button
              onClick={() => run(() => client.post(`/workspaces/${workspace}/members`, form))}
            >
              Add member
            </Button>
          </>
        )}
      </Box>
      {workspace && (
        <Table size="small">
          <TableBody>
            {members.value?.items.map(m => (
              <TableRow key={m.subject}>
                <TableCell className={classes.mono}>{m.subject}</TableCell>
                <TableCell>{m.roles.map(r => r.role).join(', ')}</TableCell>
                <TableCell align="right">
                  <Button
                    size="small"
                    onClick={() =>
                      run(() =>
                        client.delete(
                          `/workspaces/${workspace}/members/${encodeURIComponent(m.subject)}`,
                        ),
                      )
                    }
                  >
                    Remove
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Paper>
  );
}

export function AccessRequestsPage() {
  const classes = useStyles();
  const client = useRbacClient();
  const { value, loading, error, reload } = useRbac<{ items: AccessRequest[] }>('/access-requests');
  const [actionError, setActionError] = useState<unknown>();
  const decide = (id: string, decision: 'approve' | 'deny') =>
    client.post(`/access-requests/${id}/${decision}`, {}).then(reload, setActionError);
  return (
    <Box>
      <ErrorNote error={error ?? actionError} />
      <Paper variant="outlined" className={classes.section}>
        <Loading loading={loading} />
        <Table size="small" data-testid="requests-table">
          <TableHead>
            <TableRow>
              <TableCell>Requester</TableCell>
              <TableCell>Asks for</TableCell>
              <TableCell>Workspace</TableCell>
              <TableCell>For</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Status</TableCell>
              <TableCell align="right" />
            </TableRow>
          </TableHead>
          <TableBody>
            {value?.items.length === 0 && (
              <TableRow>
                <TableCell colSpan={7}>No access requests.</TableCell>
              </TableRow>
            )}
            {value?.items.map(r => (
              <TableRow key={r.id} data-testid="request-row" data-status={r.status}>
                <TableCell className={classes.mono}>{r.requester}</TableCell>
                <TableCell>{r.role ? `role ${r.role}` : `permission ${r.permission}`}</TableCell>
                <TableCell>{r.workspace}</TableCell>
                <TableCell>{r.durationHours} h</TableCell>
                <TableCell>{r.reason}</TableCell>
                <TableCell>{r.status}</TableCell>
                <TableCell align="right">
                  {r.status === 'pending' && (
                    <>
                      <Button
                        size="small"
                        color="primary"
                        onClick={() => decide(r.id, 'approve')}
                        data-testid="approve"
                      >
                        Approve
                      </Button>
                      <Button size="small" onClick={() => decide(r.id, 'deny')}>
                        Deny
                      </Button>
                    </>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      <WorkspaceMembers />
    </Box>
  );
}

export function ExplainPage() {
  const classes = useStyles();
  const client = useRbacClient();
  const [q, setQ] = useState({ subject: '', permission: '', workspace: '', resource: '' });
  const [answer, setAnswer] = useState<ExplainResponse>();
  const [error, setError] = useState<unknown>();
  const ask = async () => {
    setError(undefined);
    try {
      setAnswer(
        await client.get<ExplainResponse>('/explain', {
          query: {
            subject: q.subject,
            permission: q.permission,
            workspace: q.workspace || undefined,
            resource: q.resource || undefined,
          },
        }),
      );
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Box>
      <Paper variant="outlined" className={classes.section}>
        <Box className={classes.row}>
          <TextField
            label="Who"
            placeholder="user:default/alice"
            value={q.subject}
            onChange={e => setQ({ ...q, subject: e.target.value })}
          />
          <TextField
            label="Permission"
            placeholder="datasource.edit"
            value={q.permission}
            onChange={e => setQ({ ...q, permission: e.target.value })}
          />
          <TextField
            label="Workspace (blank: everywhere)"
            value={q.workspace}
            onChange={e => setQ({ ...q, workspace: e.target.value })}
          />
          <TextField
            label="Resource (optional)"
            value={q.resource}
            onChange={e => setQ({ ...q, resource: e.target.value })}
          />
          <Button color="primary" variant="contained" onClick={ask}>
            Explain
          </Button>
        </Box>
      </Paper>
      <ErrorNote error={error} />
      {answer && (
        <Paper variant="outlined" className={classes.section} data-testid="explain-result">
          <Typography variant="h6">{answer.result}</Typography>
          <Typography variant="body2" gutterBottom>
            {answer.summary}
          </Typography>
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Applies</TableCell>
                <TableCell>Policy line</TableCell>
                <TableCell>Chain</TableCell>
                <TableCell>Workspace</TableCell>
                <TableCell>Origin</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {answer.reasons.map((r, i) => (
                <TableRow key={i}>
                  <TableCell>{r.applies}</TableCell>
                  <TableCell className={classes.mono}>{r.line}</TableCell>
                  <TableCell className={classes.mono}>
                    {r.chain.map(c => c.subject).join(' → ')}
                  </TableCell>
                  <TableCell>{r.workspace}</TableCell>
                  <TableCell>
                    {r.origin.kind}
                    {r.origin.role ? ` ${r.origin.role}` : ''}
                    {r.origin.expiresAt ? ` until ${r.origin.expiresAt}` : ''}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
    </Box>
  );
}
