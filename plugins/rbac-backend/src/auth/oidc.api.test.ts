import http from 'node:http';
import { freePort, startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * OIDC single sign-on against a real OpenID provider (the `oidc-provider` library, on
 * loopback): the authorization-code flow through Backstage's oidc authenticator into a
 * Racine account, provisioned on first sign-in and reused (linked by issuer+subject) after.
 */
const db = process.env.RACINE_TEST_DB ?? 'sqlite';

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

describe(`OIDC sign-in (${db})`, () => {
  let server: RacineTestServer;
  let idp: http.Server;
  let baseUrl: string;
  let issuer: string;

  beforeAll(async () => {
    const [port, idpPort] = [await freePort(), await freePort()];
    baseUrl = `http://127.0.0.1:${port}`;
    issuer = `http://127.0.0.1:${idpPort}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'racine',
          client_secret: 'racine-test-secret',
          redirect_uris: [`${baseUrl}/api/auth/oidc/handler/frame`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      async findAccount(_ctx, id) {
        return {
          accountId: id,
          async claims() {
            return {
              sub: id,
              email: `${id}@example.com`,
              email_verified: true,
              preferred_username: id,
              name: `Olivia ${id}`,
            };
          },
        };
      },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name', 'preferred_username'],
      },
      features: { devInteractions: { enabled: true } },
      pkce: { required: () => false },
    });
    idp = provider.listen(idpPort);
    server = await startRacineServer({
      port,
      config: {
        auth: {
          // The OIDC strategy keeps its state in a session between start and callback.
          session: { secret: 'oidc-test-session-secret' },
          providers: {
            oidc: {
              development: {
                metadataUrl: `${issuer}/.well-known/openid-configuration`,
                clientId: 'racine',
                clientSecret: 'racine-test-secret',
                prompt: 'auto',
              },
            },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise(resolve => idp?.close(resolve));
  });

  async function signInWithIdp(login: string) {
    const backend = new CookieJar();
    const idpJar = new CookieJar();
    const start = await fetch(
      `${baseUrl}/api/auth/oidc/start?env=development&scope=${encodeURIComponent('openid email profile')}`,
      { redirect: 'manual' },
    );
    expect(start.status).toBe(302);
    backend.take(start);
    let location = start.headers.get('location')!;
    expect(location.startsWith(issuer)).toBe(true);
    // Follow the IdP: login, then consent, until it redirects back to Racine.
    for (let hop = 0; hop < 12 && location.startsWith(issuer); hop++) {
      const res = await fetch(location, {
        redirect: 'manual',
        headers: { cookie: idpJar.header() },
      });
      idpJar.take(res);
      if (res.status === 200 && location.includes('/interaction/')) {
        const html = await res.text();
        const prompt = html.includes('name="login"') ? 'login' : 'consent';
        const submit = await fetch(location, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: idpJar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(
            prompt === 'login' ? { prompt, login, password: 'any' } : { prompt },
          ).toString(),
        });
        idpJar.take(submit);
        location = new URL(submit.headers.get('location')!, issuer).toString();
      } else {
        location = new URL(res.headers.get('location')!, issuer).toString();
      }
    }
    expect(location.startsWith(`${baseUrl}/api/auth/oidc/handler/frame`)).toBe(true);
    const frame = await fetch(location, { headers: { cookie: backend.header() } });
    const html = await frame.text();
    const encoded = html.match(/var authResponse = decodeURIComponent\('([^']*)'\)/)![1];
    return JSON.parse(decodeURIComponent(encoded));
  }

  it('provisions a Racine account on first sign-in and reuses it', async () => {
    const first = await signInWithIdp('olivia');
    expect(first.type).toBe('authorization_response');
    const { backstageIdentity } = first.response;
    expect(backstageIdentity.identity.userEntityRef).toBe('user:default/olivia');
    const me = await fetch(`${baseUrl}/api/rbac/me`, {
      headers: { Authorization: `Bearer ${backstageIdentity.token}` },
    });
    expect((await me.json()).account).toMatchObject({
      username: 'olivia',
      email: 'olivia@example.com',
      displayName: 'Olivia olivia',
    });
    // No grants yet: signed in, but nothing is allowed.
    const activity = await fetch(`${baseUrl}/api/kernel/activity`, {
      headers: { Authorization: `Bearer ${backstageIdentity.token}` },
    });
    expect(activity.status).toBe(403);

    const again = await signInWithIdp('olivia');
    expect(again.response.backstageIdentity.identity.userEntityRef).toBe('user:default/olivia');
    const users = await (await server.request('/api/rbac/users')).json();
    expect(
      users.items.filter((u: { username: string }) => u.username.startsWith('olivia')),
    ).toHaveLength(1);
  });
});
