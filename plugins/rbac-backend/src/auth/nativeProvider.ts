import { AuthenticationError, NotImplementedError } from '@backstage/errors';
import {
  prepareBackstageIdentityResponse,
  type AuthProviderFactory,
  type AuthProviderRouteHandlers,
  type AuthResolverContext,
} from '@backstage/plugin-auth-node';
import { MFA_REQUIRED_HEADER, OTP_HEADER, type User } from '@racine/plugin-rbac-common';
import type { Request, Response } from 'express';
import type { AuditService } from '@racine/kernel-node';
import { MfaRequiredError, type AccountService } from '../services/AccountService';

export const NATIVE_SESSION_COOKIE = 'racine-native-session';
/** Header a browser sends with Basic credentials to open a session (an HttpOnly cookie). */
export const SESSION_REQUEST_HEADER = 'x-racine-session';

function parseCookies(header: string): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!(name in cookies)) {
      try {
        cookies[name] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        cookies[name] = part.slice(eq + 1).trim();
      }
    }
  }
  return cookies;
}

function basicCredentials(req: Request): { username: string; password: string } | undefined {
  const match = req.headers.authorization?.match(/^Basic\s+(\S+)$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    username: decoded.slice(0, colon).trim().toLowerCase(),
    password: decoded.slice(colon + 1),
  };
}

/** Issues a Backstage identity for a native (or SSO) account: the user and its groups. */
export async function issueIdentity(resolverContext: AuthResolverContext, user: User) {
  return resolverContext.issueToken({
    claims: { sub: user.userEntityRef, ent: [user.userEntityRef, ...user.groups] },
  });
}

/**
 * The `native` sign-in provider. `refresh` authenticates every call from the request itself:
 * `Authorization: Basic` (plus `X-Racine-OTP` once MFA is on) for scripts and the sign-in
 * form, or the HttpOnly session cookie the form opened, for the browser's silent refresh.
 */
export function createNativeAuthProviderFactory(
  accounts: AccountService,
  audit?: AuditService,
): AuthProviderFactory {
  return ({ resolverContext, appUrl }): AuthProviderRouteHandlers => {
    const secure = appUrl.startsWith('https:');
    const cookieOptions = (expires?: Date) => ({
      httpOnly: true,
      secure,
      sameSite: 'lax' as const,
      path: '/api/auth/native',
      ...(expires ? { expires } : {}),
    });

    async function userOf(req: Request, res: Response): Promise<User> {
      const basic = basicCredentials(req);
      if (basic) {
        try {
          const otp = req.header(OTP_HEADER) || undefined;
          const user = await accounts.signIn({ ...basic, otp });
          await audit?.record({
            actor: user.userEntityRef,
            verb: 'auth.signin',
            resource: `racine:rbac:user/${user.username}`,
            summary: `Signed in with a password${otp ? ' and a one-time code' : ''}`,
          });
          if (req.header(SESSION_REQUEST_HEADER) === 'create') {
            const session = await accounts.createSession(user.username);
            res.cookie(NATIVE_SESSION_COOKIE, session.token, cookieOptions(session.expiresAt));
          }
          return user;
        } catch (error) {
          if (error instanceof MfaRequiredError) res.setHeader(MFA_REQUIRED_HEADER, 'required');
          else {
            await audit?.record({
              actor: 'anonymous',
              verb: 'auth.signin',
              outcome: 'failure',
              resource: `racine:rbac:user/${basic.username.slice(0, 64)}`,
              summary: `Failed sign-in for '${basic.username.slice(0, 64)}'`,
            });
          }
          throw error;
        }
      }
      const token = req.headers.cookie
        ? parseCookies(req.headers.cookie)[NATIVE_SESSION_COOKIE]
        : undefined;
      if (token) {
        const user = await accounts.sessionUser(token);
        if (user) return user;
        res.clearCookie(NATIVE_SESSION_COOKIE, cookieOptions());
        throw new AuthenticationError('The session has ended; sign in again');
      }
      throw new AuthenticationError('Sign in with a username and password');
    }

    return {
      async start() {
        throw new NotImplementedError(
          'Native sign-in has no redirect flow; POST /refresh with Basic credentials',
        );
      },
      async frameHandler() {
        throw new NotImplementedError('Native sign-in has no redirect flow');
      },
      async refresh(req, res) {
        const user = await userOf(req, res);
        const identity = await issueIdentity(resolverContext, user);
        res.status(200).json({
          profile: { displayName: user.displayName, ...(user.email ? { email: user.email } : {}) },
          providerInfo: {},
          backstageIdentity: prepareBackstageIdentityResponse(identity),
        });
      },
      async logout(req, res) {
        const token = req.headers.cookie
          ? parseCookies(req.headers.cookie)[NATIVE_SESSION_COOKIE]
          : undefined;
        if (token) await accounts.endSession(token);
        res.clearCookie(NATIVE_SESSION_COOKIE, cookieOptions());
        res.status(200).end();
      },
    };
  };
}
