import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const db = process.env.RACINE_TEST_DB ?? 'sqlite';
const PASSWORD = 'correct horse battery staple';

interface Activity {
  verb: string;
  outcome: string;
  actor: string;
  resource: string;
  summary: string;
}

function basic(username: string, password: string) {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function totpFor(secret: string) {
  return new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  });
}

describe(`rbac API (${db})`, () => {
  let server: RacineTestServer;
  const refresh = (headers: Record<string, string>) =>
    fetch(`${server.baseUrl}/api/auth/native/refresh`, {
      method: 'POST',
      headers: { 'X-Requested-With': 'XMLHttpRequest', ...headers },
    });
  const createUser = async (username: string, extra: Record<string, unknown> = {}) => {
    const res = await server.request('/api/rbac/users', {
      method: 'POST',
      json: { username, password: PASSWORD, displayName: username, ...extra },
    });
    expect(res.status).toBe(201);
    return res.json();
  };
  const grant = async (body: Record<string, unknown>) => {
    const res = await server.request('/api/rbac/grants', { method: 'POST', json: body });
    expect(res.status, await res.clone().text()).toBe(201);
    return res.json();
  };
  const activity = async (verb: string): Promise<Activity[]> =>
    (await (await server.request(`/api/kernel/activity?verb=${verb}&limit=20`)).json()).items;

  beforeAll(async () => {
    server = await startRacineServer();
  });
  afterAll(() => server?.stop());

  it('needs a signed-in caller', async () => {
    for (const path of [
      '/api/rbac/me',
      '/api/rbac/users',
      '/api/rbac/roles',
      '/api/rbac/notifications',
    ]) {
      expect((await server.request(path, { token: null })).status).toBe(401);
    }
  });

  describe('users and native sign-in', () => {
    it('creates accounts with a password policy and rejects duplicates', async () => {
      const weak = await server.request('/api/rbac/users', {
        method: 'POST',
        json: { username: 'weak', password: 'short' },
      });
      expect(weak.status).toBe(400);
      expect((await weak.json()).error.message).toMatch(/password: must be at least 12 characters/);
      const bad = await server.request('/api/rbac/users', {
        method: 'POST',
        json: { username: 'Bad Name!', password: PASSWORD, email: 'nope' },
      });
      expect(bad.status).toBe(400);
      const message = (await bad.json()).error.message;
      expect(message).toMatch(/username:/);
      expect(message).toMatch(/email:/);
      const alice = await createUser('alice', { email: 'alice@example.com' });
      expect(alice).toMatchObject({
        username: 'alice',
        userEntityRef: 'user:default/alice',
        mfaEnabled: false,
      });
      expect(JSON.stringify(alice)).not.toMatch(/scrypt|password/);
      expect(
        (
          await server.request('/api/rbac/users', {
            method: 'POST',
            json: { username: 'alice', password: PASSWORD },
          })
        ).status,
      ).toBe(409);
      const created = (await activity('user.create')).find(a => a.outcome === 'success');
      expect(created).toMatchObject({
        outcome: 'success',
        resource: 'racine:rbac:user/alice',
        actor: 'user:development/guest',
      });
    });

    it('signs in with Basic credentials and returns a Backstage identity', async () => {
      const res = await refresh({ Authorization: basic('alice', PASSWORD) });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.profile).toMatchObject({ displayName: 'alice', email: 'alice@example.com' });
      expect(body.backstageIdentity.identity).toMatchObject({
        userEntityRef: 'user:default/alice',
      });
      const me = await server.request('/api/kernel/me', { token: body.backstageIdentity.token });
      expect((await me.json()).userEntityRef).toBe('user:default/alice');
      expect((await refresh({ Authorization: basic('alice', 'wrong password!!') })).status).toBe(
        401,
      );
      expect((await refresh({ Authorization: basic('nobody', PASSWORD) })).status).toBe(401);
      expect((await refresh({})).status).toBe(401);
    });

    it('locks an account after 5 failures for 15 minutes, even for the right password', async () => {
      await createUser('lock');
      for (let i = 0; i < 5; i++) {
        expect(
          (await refresh({ Authorization: basic('lock', `wrong password ${i}`) })).status,
        ).toBe(401);
      }
      expect((await refresh({ Authorization: basic('lock', PASSWORD) })).status).toBe(401);
      const user = await (await server.request('/api/rbac/users/lock')).json();
      expect(Date.parse(user.lockedUntil) - Date.now()).toBeGreaterThan(14 * 60_000);
      const signIns = await activity('auth.signin');
      expect(
        signIns.some(a => a.outcome === 'failure' && a.resource === 'racine:rbac:user/lock'),
      ).toBe(true);
      expect((await server.request('/api/rbac/users/lock/unlock', { method: 'POST' })).status).toBe(
        200,
      );
      expect((await refresh({ Authorization: basic('lock', PASSWORD) })).status).toBe(200);
    });

    it('keeps a browser session in an HttpOnly cookie until sign-out', async () => {
      const res = await refresh({
        Authorization: basic('alice', PASSWORD),
        'X-Racine-Session': 'create',
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/racine-native-session=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/Path=\/api\/auth\/native/);
      const session = cookie.split(';')[0];
      const silent = await refresh({ Cookie: session });
      expect(silent.status).toBe(200);
      expect((await silent.json()).backstageIdentity.identity.userEntityRef).toBe(
        'user:default/alice',
      );
      const logout = await fetch(`${server.baseUrl}/api/auth/native/logout`, {
        method: 'POST',
        headers: { 'X-Requested-With': 'XMLHttpRequest', Cookie: session },
      });
      expect(logout.status).toBe(200);
      expect((await refresh({ Cookie: session })).status).toBe(401);
    });

    it('requires a TOTP code once MFA is enrolled, with single-use codes and recovery codes', async () => {
      await createUser('mfa');
      const token = await server.signIn('mfa', PASSWORD);
      const enroll = await (
        await server.request('/api/rbac/me/mfa', { method: 'POST', token })
      ).json();
      expect(enroll.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
      expect(enroll.qrCode).toMatch(/^data:image\/png;base64,/);
      const totp = totpFor(enroll.secret);
      const bad = await server.request('/api/rbac/me/mfa/confirm', {
        method: 'POST',
        token,
        json: { code: '000000' },
      });
      expect(bad.status).toBe(400);
      const confirmed = await server.request('/api/rbac/me/mfa/confirm', {
        method: 'POST',
        token,
        json: { code: totp.generate({ timestamp: Date.now() - 30_000 }) },
      });
      expect(confirmed.status).toBe(200);
      const { recoveryCodes } = await confirmed.json();
      expect(recoveryCodes).toHaveLength(10);

      const withoutCode = await refresh({ Authorization: basic('mfa', PASSWORD) });
      expect(withoutCode.status).toBe(401);
      expect(withoutCode.headers.get('x-racine-mfa')).toBe('required');
      expect(
        (await refresh({ Authorization: basic('mfa', PASSWORD), 'X-Racine-OTP': '123456' })).status,
      ).toBe(401);
      const code = totp.generate();
      expect(
        (await refresh({ Authorization: basic('mfa', PASSWORD), 'X-Racine-OTP': code })).status,
      ).toBe(200);
      // The same code cannot be replayed.
      expect(
        (await refresh({ Authorization: basic('mfa', PASSWORD), 'X-Racine-OTP': code })).status,
      ).toBe(401);
      expect(
        (await refresh({ Authorization: basic('mfa', PASSWORD), 'X-Racine-OTP': recoveryCodes[0] }))
          .status,
      ).toBe(200);
      expect(
        (await refresh({ Authorization: basic('mfa', PASSWORD), 'X-Racine-OTP': recoveryCodes[0] }))
          .status,
      ).toBe(401);
      const me = await (await server.request('/api/rbac/me', { token })).json();
      expect(me.account).toMatchObject({ mfaEnabled: true, recoveryCodesLeft: 9 });
    });

    it('lets users change their password and admins disable accounts', async () => {
      await createUser('dis');
      const token = await server.signIn('dis', PASSWORD);
      const wrong = await server.request('/api/rbac/me/password', {
        method: 'PUT',
        token,
        json: { currentPassword: 'nope nope nope', newPassword: 'another long passphrase' },
      });
      expect(wrong.status).toBe(400);
      const changed = await server.request('/api/rbac/me/password', {
        method: 'PUT',
        token,
        json: { currentPassword: PASSWORD, newPassword: 'another long passphrase' },
      });
      expect(changed.status).toBe(204);
      await grant({ subject: 'user:default/dis', role: 'auditor', workspace: '*' });
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(200);
      const disabled = await server.request('/api/rbac/users/dis', {
        method: 'PUT',
        json: { disabled: true },
      });
      expect((await disabled.json()).disabled).toBe(true);
      // A token issued before is worthless for authorization at once.
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(403);
      expect(
        (await refresh({ Authorization: basic('dis', 'another long passphrase') })).status,
      ).toBe(401);
    });
  });

  describe('roles, grants and explain', () => {
    it('manages roles with inheritance and rejects cycles', async () => {
      const created = await server.request('/api/rbac/roles', {
        method: 'POST',
        json: {
          name: 'reader',
          description: 'Reads the trail',
          permissions: [
            'activity.view',
            { permission: 'datasource.edit', resource: 'racine:datasources:datasource/prod-*' },
          ],
          inherits: ['viewer'],
        },
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({
        name: 'reader',
        builtin: false,
        inherits: ['viewer'],
        permissions: [
          { permission: 'activity.view', resource: '*', effect: 'allow' },
          {
            permission: 'datasource.edit',
            resource: 'racine:datasources:datasource/prod-*',
            effect: 'allow',
          },
        ],
      });
      expect(
        (await server.request('/api/rbac/roles', { method: 'POST', json: { name: 'reader' } }))
          .status,
      ).toBe(409);
      const bad = await server.request('/api/rbac/roles', {
        method: 'POST',
        json: { name: 'x y', permissions: ['Not A Permission'], inherits: ['nope'] },
      });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message).toMatch(/name:.*permissions\.0/);
      expect(
        (
          await server.request('/api/rbac/roles/viewer', {
            method: 'PUT',
            json: { inherits: ['reader'] },
          })
        ).status,
      ).toBe(400);
      const roles = (await (await server.request('/api/rbac/roles')).json()).items.map(
        (r: { name: string }) => r.name,
      );
      expect(roles).toEqual(
        expect.arrayContaining([
          'platform-admin',
          'data-steward',
          'data-owner',
          'data-analyst',
          'compliance-officer',
          'auditor',
          'viewer',
          'workspace-owner',
          'reader',
        ]),
      );
      expect((await server.request('/api/rbac/roles/auditor', { method: 'DELETE' })).status).toBe(
        409,
      );
    });

    it('grants, explains and revokes', async () => {
      await createUser('gina');
      const token = await server.signIn('gina', PASSWORD);
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(403);
      const g = await grant({
        subject: 'user:default/gina',
        role: 'reader',
        workspace: '*',
        reason: 'audit week',
      });
      expect(g).toMatchObject({
        subject: 'user:default/gina',
        role: 'reader',
        workspace: '*',
        resource: '*',
        effect: 'allow',
        source: 'admin',
        active: true,
      });
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(200);

      const explained = await (
        await server.request('/api/rbac/explain?subject=user:default/gina&permission=activity.view')
      ).json();
      expect(explained.result).toBe('ALLOW');
      expect(explained.reasons[0]).toMatchObject({
        effect: 'allow',
        line: 'p, role:reader, *, *, activity.view, allow',
        chain: [
          { subject: 'user:default/gina' },
          { subject: 'role:reader', via: 'g, user:default/gina, role:reader, *' },
        ],
        applies: 'yes',
        origin: { kind: 'role', role: 'reader' },
      });
      const inWorkspace = await (
        await server.request(
          '/api/rbac/explain?subject=user:default/gina&permission=datasource.edit&workspace=default&resource=racine:datasources:datasource/prod-1',
        )
      ).json();
      expect(inWorkspace).toMatchObject({ result: 'ALLOW', casbin: true });
      const outside = await (
        await server.request(
          '/api/rbac/explain?subject=user:default/gina&permission=datasource.edit&workspace=default&resource=racine:datasources:datasource/dev-1',
        )
      ).json();
      expect(outside).toMatchObject({ result: 'DENY', casbin: false });

      // A deny wins over the role's allow.
      const deny = await grant({
        subject: 'user:default/gina',
        permission: 'activity.view',
        effect: 'deny',
      });
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(403);
      expect(
        (
          await (
            await server.request(
              '/api/rbac/explain?subject=user:default/gina&permission=activity.view',
            )
          ).json()
        ).result,
      ).toBe('DENY');
      expect(
        (await server.request(`/api/rbac/grants/${deny.id}`, { method: 'DELETE' })).status,
      ).toBe(204);
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(200);

      expect((await server.request(`/api/rbac/grants/${g.id}`, { method: 'DELETE' })).status).toBe(
        204,
      );
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(403);
      expect((await server.request('/api/rbac/grants/config-0', { method: 'DELETE' })).status).toBe(
        409,
      );
      expect((await server.request('/api/rbac/grants/nope', { method: 'DELETE' })).status).toBe(
        404,
      );
      // Anyone may explain their own access; only admins someone else's.
      expect(
        (
          await server.request(
            '/api/rbac/explain?subject=user:default/gina&permission=activity.view',
            { token },
          )
        ).status,
      ).toBe(200);
      expect(
        (
          await server.request(
            '/api/rbac/explain?subject=user:default/alice&permission=activity.view',
            { token },
          )
        ).status,
      ).toBe(403);
    });

    it('stops honouring an expired grant without a restart', async () => {
      await createUser('temp');
      const token = await server.signIn('temp', PASSWORD);
      await grant({
        subject: 'user:default/temp',
        role: 'auditor',
        expiresAt: new Date(Date.now() + 2500).toISOString(),
      });
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(200);
      await expect
        .poll(async () => (await server.request('/api/kernel/activity', { token })).status, {
          timeout: 5000,
          interval: 250,
        })
        .toBe(403);
      const grants = (
        await (await server.request('/api/rbac/grants?subject=user:default/temp')).json()
      ).items;
      expect(grants[0].active).toBe(false);
    });

    it('validates grants, naming the fields', async () => {
      const res = await server.request('/api/rbac/grants', {
        method: 'POST',
        json: { subject: 'alice', workspace: 'Bad!', expiresAt: 'tomorrow' },
      });
      expect(res.status).toBe(400);
      const { message } = (await res.json()).error;
      expect(message).toMatch(/subject:/);
      expect(message).toMatch(/workspace:/);
      expect(message).toMatch(/expiresAt:/);
      expect(
        (
          await server.request('/api/rbac/grants', {
            method: 'POST',
            json: { subject: 'user:default/x', role: 'no-such-role' },
          })
        ).status,
      ).toBe(400);
    });

    it('manages groups whose members inherit the group grants', async () => {
      await createUser('gus');
      const token = await server.signIn('gus', PASSWORD);
      const created = await server.request('/api/rbac/groups', {
        method: 'POST',
        json: { name: 'auditors', title: 'Auditors', members: [] },
      });
      expect(created.status).toBe(201);
      await grant({ subject: 'group:default/auditors', role: 'auditor' });
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(403);
      const added = await server.request('/api/rbac/groups/auditors/members', {
        method: 'POST',
        json: { member: 'user:default/gus' },
      });
      expect((await added.json()).members).toEqual(['user:default/gus']);
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(200);
      expect(
        (
          await server.request(
            `/api/rbac/groups/auditors/members/${encodeURIComponent('user:default/gus')}`,
            { method: 'DELETE' },
          )
        ).status,
      ).toBe(200);
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(403);
    });
  });

  describe('API keys', () => {
    it('authenticate as their owner within their scope, and stop at once when revoked', async () => {
      await createUser('kim');
      await grant({ subject: 'user:default/kim', role: 'auditor' });
      const token = await server.signIn('kim', PASSWORD);
      const outside = await server.request('/api/rbac/me/api-keys', {
        method: 'POST',
        token,
        json: { name: 'ci', scopes: ['rbac.admin'] },
      });
      expect(outside.status).toBe(400);
      const created = await server.request('/api/rbac/me/api-keys', {
        method: 'POST',
        token,
        json: { name: 'ci', scopes: ['workspace.view'] },
      });
      expect(created.status).toBe(201);
      const key = await created.json();
      expect(key.secret).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
      expect(key.prefix).toBe(key.secret.slice(0, 10));

      expect((await server.request('/api/kernel/workspaces', { token: key.secret })).status).toBe(
        200,
      );
      // kim may read the activity trail, but the key is scoped to workspace.view.
      expect((await server.request('/api/kernel/activity', { token })).status).toBe(200);
      expect((await server.request('/api/kernel/activity', { token: key.secret })).status).toBe(
        403,
      );
      const me = await (await server.request('/api/kernel/me', { token: key.secret })).json();
      expect(me).toMatchObject({
        userEntityRef: 'user:default/kim',
        permissions: ['workspace.view'],
      });
      // A key cannot mint keys.
      expect(
        (
          await server.request('/api/rbac/me/api-keys', {
            method: 'POST',
            token: key.secret,
            json: { name: 'x', scopes: ['workspace.view'] },
          })
        ).status,
      ).toBe(403);

      const listed = (await (await server.request('/api/rbac/me/api-keys', { token })).json())
        .items;
      expect(listed).toHaveLength(1);
      expect(JSON.stringify(listed)).not.toContain(key.secret);
      expect(
        (await server.request(`/api/rbac/me/api-keys/${key.id}`, { method: 'DELETE', token }))
          .status,
      ).toBe(204);
      expect((await server.request('/api/kernel/workspaces', { token: key.secret })).status).toBe(
        401,
      );
      expect((await server.request('/api/kernel/workspaces', { token: 'rk_forged' })).status).toBe(
        401,
      );
    });

    it('expire', async () => {
      const token = await server.signIn('kim', PASSWORD);
      const key = await (
        await server.request('/api/rbac/me/api-keys', {
          method: 'POST',
          token,
          json: {
            name: 'short',
            scopes: ['workspace.*'],
            expiresAt: new Date(Date.now() + 2000).toISOString(),
          },
        })
      ).json();
      expect((await server.request('/api/kernel/workspaces', { token: key.secret })).status).toBe(
        200,
      );
      await new Promise(resolve => setTimeout(resolve, 2100));
      expect((await server.request('/api/kernel/workspaces', { token: key.secret })).status).toBe(
        401,
      );
    });
  });

  describe('workspaces and access requests', () => {
    it('lets a workspace owner manage members without escalating', async () => {
      expect(
        (
          await server.request('/api/kernel/workspaces', {
            method: 'POST',
            json: { name: 'sales', title: 'Sales' },
          })
        ).status,
      ).toBe(201);
      await createUser('olga');
      await createUser('max');
      await grant({ subject: 'user:default/olga', role: 'workspace-owner', workspace: 'sales' });
      await grant({ subject: 'user:default/olga', role: 'viewer', workspace: 'sales' });
      const olga = await server.signIn('olga', PASSWORD);
      const mine = (await (await server.request('/api/rbac/workspaces', { token: olga })).json())
        .items;
      expect(mine.map((w: { name: string }) => w.name)).toEqual(['sales']);
      expect(mine[0].roles).toEqual(expect.arrayContaining(['workspace-owner', 'viewer']));

      const nav = (
        await (await server.request('/api/kernel/navigation', { token: olga })).json()
      ).items.map((i: { id: string }) => i.id);
      expect(nav).toContain('rbac.accessRequests');
      expect(nav).not.toContain('rbac.users');

      const add = await server.request('/api/rbac/workspaces/sales/members', {
        method: 'POST',
        token: olga,
        json: { subject: 'user:default/max', role: 'viewer' },
      });
      expect(add.status).toBe(201);
      expect(
        (
          await server.request('/api/rbac/workspaces/sales/members', {
            method: 'POST',
            token: olga,
            json: { subject: 'user:default/max', role: 'data-steward' },
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await server.request('/api/rbac/workspaces/default/members', {
            method: 'POST',
            token: olga,
            json: { subject: 'user:default/max', role: 'viewer' },
          })
        ).status,
      ).toBe(403);
      const members = (
        await (await server.request('/api/rbac/workspaces/sales/members', { token: olga })).json()
      ).items;
      expect(members.map((m: { subject: string }) => m.subject)).toEqual([
        'user:default/max',
        'user:default/olga',
      ]);
      const max = await server.signIn('max', PASSWORD);
      expect(
        (await (await server.request('/api/rbac/workspaces', { token: max })).json()).items.map(
          (w: { name: string }) => w.name,
        ),
      ).toEqual(['sales']);
      expect(
        (
          await server.request(
            `/api/rbac/workspaces/sales/members/${encodeURIComponent('user:default/max')}`,
            { method: 'DELETE', token: olga },
          )
        ).status,
      ).toBe(204);
      expect(
        (await (await server.request('/api/rbac/workspaces', { token: max })).json()).items,
      ).toEqual([]);
      const denied = await activity('workspace.member.add');
      expect(denied.map(a => a.outcome)).toEqual(expect.arrayContaining(['denied', 'success']));
    });

    it('approves a request into a time-bound grant, with notifications', async () => {
      await createUser('rita');
      const rita = await server.signIn('rita', PASSWORD);
      expect((await server.request('/api/kernel/activity', { token: rita })).status).toBe(403);
      const bad = await server.request('/api/rbac/access-requests', {
        method: 'POST',
        token: rita,
        json: { workspace: '*', reason: 'x' },
      });
      expect(bad.status).toBe(400);
      const created = await server.request('/api/rbac/access-requests', {
        method: 'POST',
        token: rita,
        json: { workspace: '*', role: 'auditor', reason: 'Quarterly audit', durationHours: 48 },
      });
      expect(created.status).toBe(201);
      const request = await created.json();
      expect(request).toMatchObject({
        status: 'pending',
        requester: 'user:default/rita',
        role: 'auditor',
      });
      // The requester cannot decide (no approver permission) and sees it in their own list.
      expect(
        (
          await server.request(`/api/rbac/access-requests/${request.id}/approve`, {
            method: 'POST',
            token: rita,
            json: {},
          })
        ).status,
      ).toBe(403);
      expect(
        (await (await server.request('/api/rbac/me/access-requests', { token: rita })).json())
          .items[0].id,
      ).toBe(request.id);
      const inbox = (
        await (await server.request('/api/rbac/access-requests?status=pending')).json()
      ).items;
      expect(inbox.map((r: { id: string }) => r.id)).toContain(request.id);
      const guestNotes = (await (await server.request('/api/rbac/notifications')).json()).items;
      expect(guestNotes[0]).toMatchObject({ title: 'Access request' });

      const approved = await server.request(`/api/rbac/access-requests/${request.id}/approve`, {
        method: 'POST',
        json: { comment: 'ok for the audit' },
      });
      expect(approved.status).toBe(200);
      const decided = await approved.json();
      expect(decided).toMatchObject({
        status: 'approved',
        decidedBy: 'user:development/guest',
        decisionComment: 'ok for the audit',
      });
      expect(
        (
          await server.request(`/api/rbac/access-requests/${request.id}/deny`, {
            method: 'POST',
            json: {},
          })
        ).status,
      ).toBe(409);
      expect((await server.request('/api/kernel/activity', { token: rita })).status).toBe(200);
      const g = await (await server.request(`/api/rbac/grants/${decided.grantId}`)).json();
      expect(g).toMatchObject({
        source: 'access-request',
        role: 'auditor',
        subject: 'user:default/rita',
      });
      expect(Date.parse(g.expiresAt) - Date.now()).toBeGreaterThan(47 * 3600_000);
      const notes = await (await server.request('/api/rbac/notifications', { token: rita })).json();
      expect(notes.unread).toBe(1);
      expect(notes.items[0]).toMatchObject({ title: 'Access request approved' });
      expect(
        (
          await (
            await server.request('/api/rbac/notifications/read', { method: 'POST', token: rita })
          ).json()
        ).marked,
      ).toBe(1);
      const verbs = (await activity('access-request.approve')).map(a => a.outcome);
      expect(verbs).toContain('success');
    });
  });

  describe('as a user without rbac.admin', () => {
    it('denies administration with 403 and audits the denial', async () => {
      await createUser('nina');
      const token = await server.signIn('nina', PASSWORD);
      for (const [method, path] of [
        ['GET', '/api/rbac/users'],
        ['POST', '/api/rbac/users'],
        ['POST', '/api/rbac/roles'],
        ['POST', '/api/rbac/grants'],
        ['DELETE', '/api/rbac/grants/x'],
        ['GET', '/api/rbac/access-requests'],
      ]) {
        expect(
          (await server.request(path, { method, token, json: method === 'GET' ? undefined : {} }))
            .status,
          `${method} ${path}`,
        ).toBe(403);
      }
      const [denied] = await activity('grant.create');
      expect(denied).toMatchObject({ outcome: 'denied', actor: 'user:default/nina' });
      const nav = (
        await (await server.request('/api/kernel/navigation', { token })).json()
      ).items.map((i: { id: string }) => i.id);
      expect(nav).toEqual(['rbac.myAccess']);
    });
  });
});

describe(`bootstrap administrator (${db})`, () => {
  let server: RacineTestServer;
  beforeAll(async () => {
    server = await startRacineServer({
      guestUser: 'user:default/visitor',
      config: {
        racine: {
          rbac: { grants: [] },
          auth: { bootstrapAdmin: { username: 'root', password: 'first admin passphrase' } },
        },
      },
    });
  });
  afterAll(() => server?.stop());

  it('is created on first start and administers', async () => {
    const token = await server.signIn('root', 'first admin passphrase');
    const users = await server.request('/api/rbac/users', { token });
    expect(users.status).toBe(200);
    expect((await users.json()).items.map((u: { username: string }) => u.username)).toEqual([
      'root',
    ]);
    expect((await server.request('/api/rbac/users')).status).toBe(403);
  });
});
