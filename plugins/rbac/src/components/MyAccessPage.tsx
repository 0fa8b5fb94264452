import {
  Box,
  Button,
  Chip,
  FormControl,
  InputLabel,
  MenuItem,
  Paper,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { useWorkspaces } from '@racine/kernel-react';
import type {
  AccessRequest,
  ApiKey,
  Grant,
  MfaEnrollment,
  MyAccess,
  Notification,
  Role,
  User,
} from '@racine/plugin-rbac-common';
import { useState } from 'react';
import { ErrorNote, Loading, useRbac, useRbacClient, useStyles } from './common';

type Me = MyAccess & { account?: User & { recoveryCodesLeft: number }; viaApiKey: boolean };

function AccessSection(props: { me: Me }) {
  const classes = useStyles();
  const { me } = props;
  return (
    <Paper variant="outlined" className={classes.section} data-testid="my-access">
      <Typography variant="h6" gutterBottom>
        My access
      </Typography>
      <Typography variant="body2" gutterBottom>
        Signed in as <span className={classes.mono}>{me.userEntityRef}</span>
        {me.groups.length > 0 && <> · groups {me.groups.join(', ')}</>}
      </Typography>
      <Typography variant="subtitle2">Everywhere</Typography>
      <Box className={classes.chips} mb={2} data-testid="permissions-everywhere">
        {me.permissions.everywhere.length === 0 && (
          <Typography variant="body2">Nothing yet: request access below.</Typography>
        )}
        {me.permissions.everywhere.map(p => (
          <Chip key={p} size="small" label={p} />
        ))}
      </Box>
      {Object.entries(me.permissions.byWorkspace).map(([workspace, names]) => (
        <Box key={workspace} mb={2}>
          <Typography variant="subtitle2">In {workspace}</Typography>
          <Box className={classes.chips}>
            {names.map(p => (
              <Chip key={p} size="small" variant="outlined" label={p} />
            ))}
          </Box>
        </Box>
      ))}
      <Typography variant="subtitle2">Grants</Typography>
      <Table size="small">
        <TableBody>
          {me.grants.map((g: Grant) => (
            <TableRow key={g.id}>
              <TableCell className={classes.mono}>{g.subject}</TableCell>
              <TableCell>{g.role ?? g.permission}</TableCell>
              <TableCell>{g.workspace === '*' ? 'every workspace' : g.workspace}</TableCell>
              <TableCell>{g.effect}</TableCell>
              <TableCell>
                {g.expiresAt ? `until ${new Date(g.expiresAt).toLocaleString()}` : ''}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

function RequestsSection() {
  const classes = useStyles();
  const client = useRbacClient();
  const roles = useRbac<{ items: Role[] }>('/roles');
  const workspaces = useWorkspaces();
  const mine = useRbac<{ items: AccessRequest[] }>('/me/access-requests');
  const [form, setForm] = useState({ role: '', workspace: '*', reason: '', durationHours: '168' });
  const [error, setError] = useState<unknown>();
  const submit = async () => {
    setError(undefined);
    try {
      await client.post('/access-requests', { ...form, durationHours: Number(form.durationHours) });
      setForm({ ...form, reason: '' });
      mine.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Paper variant="outlined" className={classes.section} data-testid="my-requests">
      <Typography variant="h6" gutterBottom>
        Request access
      </Typography>
      <ErrorNote error={error ?? mine.error} />
      <Box className={classes.row} mb={2}>
        <FormControl style={{ minWidth: 180 }}>
          <InputLabel>Role</InputLabel>
          <Select
            value={form.role}
            onChange={e => setForm({ ...form, role: String(e.target.value) })}
            data-testid="request-role"
          >
            {roles.value?.items.map(r => (
              <MenuItem key={r.name} value={r.name}>
                {r.name}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl style={{ minWidth: 160 }}>
          <InputLabel>Workspace</InputLabel>
          <Select
            value={form.workspace}
            onChange={e => setForm({ ...form, workspace: String(e.target.value) })}
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
          label="Hours"
          type="number"
          value={form.durationHours}
          onChange={e => setForm({ ...form, durationHours: e.target.value })}
          style={{ width: 100 }}
        />
        <TextField
          label="Reason"
          value={form.reason}
          onChange={e => setForm({ ...form, reason: e.target.value })}
          style={{ minWidth: 280 }}
          inputProps={{ 'data-testid': 'request-reason' }}
        />
        <Button color="primary" variant="contained" onClick={submit} data-testid="request-submit">
          Request
        </Button>
      </Box>
      <Loading loading={mine.loading} />
      <Table size="small">
        <TableBody>
          {mine.value?.items.map(r => (
            <TableRow key={r.id} data-testid="my-request" data-status={r.status}>
              <TableCell>{r.role ? `role ${r.role}` : `permission ${r.permission}`}</TableCell>
              <TableCell>{r.workspace}</TableCell>
              <TableCell>{r.reason}</TableCell>
              <TableCell>{r.status}</TableCell>
              <TableCell>{r.decisionComment}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}

function SecuritySection(props: { me: Me; reload: () => void }) {
  const classes = useStyles();
  const client = useRbacClient();
  const account = props.me.account;
  const [passwords, setPasswords] = useState({ currentPassword: '', newPassword: '' });
  const [profile, setProfile] = useState({
    displayName: account?.displayName ?? '',
    email: account?.email ?? '',
  });
  const [enrollment, setEnrollment] = useState<MfaEnrollment>();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[]>();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<unknown>();
  const run = (fn: () => Promise<void>) => {
    setError(undefined);
    setMessage(undefined);
    fn().catch(setError);
  };
  if (!account) return null;
  return (
    <Paper variant="outlined" className={classes.section} data-testid="security">
      <Typography variant="h6" gutterBottom>
        Sign-in and security
      </Typography>
      <ErrorNote error={error} />
      {message && <Typography variant="body2">{message}</Typography>}
      <Box className={classes.row} mb={2}>
        <TextField
          label="Display name"
          value={profile.displayName}
          onChange={e => setProfile({ ...profile, displayName: e.target.value })}
        />
        <TextField
          label="Email"
          value={profile.email}
          onChange={e => setProfile({ ...profile, email: e.target.value })}
        />
        <Button
          onClick={() =>
            run(async () => {
              await client.put('/me/profile', {
                displayName: profile.displayName,
                email: profile.email || null,
              });
              setMessage('Profile saved.');
              props.reload();
            })
          }
        >
          Save profile
        </Button>
      </Box>
      <Box className={classes.row} mb={2}>
        <TextField
          label="Current password"
          type="password"
          value={passwords.currentPassword}
          onChange={e => setPasswords({ ...passwords, currentPassword: e.target.value })}
        />
        <TextField
          label="New password"
          type="password"
          value={passwords.newPassword}
          onChange={e => setPasswords({ ...passwords, newPassword: e.target.value })}
        />
        <Button
          onClick={() =>
            run(async () => {
              await client.put('/me/password', passwords);
              setPasswords({ currentPassword: '', newPassword: '' });
              setMessage('Password changed.');
            })
          }
        >
          Change password
        </Button>
      </Box>
      {account.mfaEnabled ? (
        <Typography variant="body2">
          Multi-factor sign-in is on ({account.recoveryCodesLeft} recovery codes left). An
          administrator can reset it.
        </Typography>
      ) : enrollment ? (
        <Box className={classes.row}>
          <img src={enrollment.qrCode} alt="Authenticator QR code" width={160} height={160} />
          <Box>
            <Typography variant="body2">Scan with an authenticator app, or enter</Typography>
            <Typography className={classes.mono}>{enrollment.secret}</Typography>
            <Box className={classes.row} mt={1}>
              <TextField label="Code" value={code} onChange={e => setCode(e.target.value)} />
              <Button
                color="primary"
                onClick={() =>
                  run(async () => {
                    const result = await client.post<{ recoveryCodes: string[] }>(
                      '/me/mfa/confirm',
                      { code },
                    );
                    setRecovery(result.recoveryCodes);
                    setEnrollment(undefined);
                    props.reload();
                  })
                }
              >
                Turn on
              </Button>
            </Box>
          </Box>
        </Box>
      ) : (
        <Button
          onClick={() =>
            run(async () => setEnrollment(await client.post<MfaEnrollment>('/me/mfa')))
          }
        >
          Set up multi-factor sign-in
        </Button>
      )}
      {recovery && (
        <Box mt={2}>
          <Typography variant="subtitle2">Recovery codes (shown once; each works once)</Typography>
          <Typography className={classes.mono}>{recovery.join('  ')}</Typography>
        </Box>
      )}
    </Paper>
  );
}

function ApiKeysSection() {
  const classes = useStyles();
  const client = useRbacClient();
  const keys = useRbac<{ items: ApiKey[] }>('/me/api-keys');
  const [form, setForm] = useState({ name: '', scopes: '', expiresAt: '' });
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<unknown>();
  const create = async () => {
    setError(undefined);
    try {
      const key = await client.post<ApiKey & { secret: string }>('/me/api-keys', {
        name: form.name,
        scopes: form.scopes.split(/[\s,]+/).filter(Boolean),
        expiresAt: form.expiresAt ? new Date(form.expiresAt).toISOString() : undefined,
      });
      setSecret(key.secret);
      keys.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Paper variant="outlined" className={classes.section}>
      <Typography variant="h6" gutterBottom>
        API keys
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Use a key as <span className={classes.mono}>Authorization: Bearer rk_…</span> on any API. It
        acts as you, limited to its scopes.
      </Typography>
      <ErrorNote error={error ?? keys.error} />
      <Box className={classes.row} mb={2}>
        <TextField
          label="Name"
          value={form.name}
          onChange={e => setForm({ ...form, name: e.target.value })}
        />
        <TextField
          label="Scopes"
          placeholder="datasource.view, catalog.*"
          value={form.scopes}
          onChange={e => setForm({ ...form, scopes: e.target.value })}
          style={{ minWidth: 260 }}
        />
        <TextField
          label="Expires"
          type="date"
          InputLabelProps={{ shrink: true }}
          value={form.expiresAt}
          onChange={e => setForm({ ...form, expiresAt: e.target.value })}
        />
        <Button onClick={create}>Create key</Button>
      </Box>
      {secret && (
        <Box mb={2}>
          <Typography variant="subtitle2">Copy it now; it is not shown again:</Typography>
          <Typography className={classes.mono}>{secret}</Typography>
        </Box>
      )}
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Key</TableCell>
            <TableCell>Scopes</TableCell>
            <TableCell>Expires</TableCell>
            <TableCell>Last used</TableCell>
            <TableCell align="right" />
          </TableRow>
        </TableHead>
        <TableBody>
          {keys.value?.items.map(k => (
            <TableRow key={k.id}>
              <TableCell>{k.name}</TableCell>
              <TableCell className={classes.mono}>{k.prefix}…</TableCell>
              <TableCell>{k.scopes.join(', ')}</TableCell>
              <TableCell>
                {k.expiresAt ? new Date(k.expiresAt).toLocaleDateString() : 'never'}
              </TableCell>
              <TableCell>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : ''}</TableCell>
              <TableCell align="right">
                {k.revokedAt ? (
                  'revoked'
                ) : (
                  <Button
                    size="small"
                    onClick={() => client.delete(`/me/api-keys/${k.id}`).then(keys.reload)}
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
  );
}

function NotificationsSection() {
  const classes = useStyles();
  const client = useRbacClient();
  const notes = useRbac<{ items: Notification[]; unread: number }>('/notifications');
  if (!notes.value?.items.length) return null;
  return (
    <Paper variant="outlined" className={classes.section} data-testid="notifications">
      <Box className={classes.toolbar}>
        <Typography variant="h6">Notifications ({notes.value.unread} unread)</Typography>
        <Button size="small" onClick={() => client.post('/notifications/read').then(notes.reload)}>
          Mark all read
        </Button>
      </Box>
      {notes.value.items.map(n => (
        <Box key={n.id} mb={1}>
          <Typography variant="subtitle2">{n.title}</Typography>
          <Typography variant="body2" color={n.readAt ? 'textSecondary' : 'textPrimary'}>
            {n.body}
          </Typography>
        </Box>
      ))}
    </Paper>
  );
}

/** The signed-in user's own page: access, requests, notifications, sign-in security, API keys. */
export function MyAccessPage() {
  const me = useRbac<Me>('/me');
  return (
    <Box>
      <ErrorNote error={me.error} />
      <Loading loading={me.loading} />
      {me.value && (
        <>
          <NotificationsSection />
          <AccessSection me={me.value} />
          <RequestsSection />
          <SecuritySection me={me.value} reload={me.reload} />
          {!me.value.viaApiKey && <ApiKeysSection />}
        </>
      )}
    </Box>
  );
}
