import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type BackstagePrincipalTypes,
  type HttpAuthService,
} from '@backstage/backend-plugin-api';
import { DefaultHttpAuthService } from '@backstage/backend-defaults/httpAuth';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { API_KEY_PREFIX } from '@racine/plugin-rbac-common';
import type { Request, Response } from 'express';
import { apiKeyScopes } from '../policy/inProcessPermissions';
import type { ApiKeyService } from '../services/ApiKeyService';
import { apiKeyServiceRef } from '../services/serviceRefs';

function apiKeyOf(req: Request): string | undefined {
  const match = req.headers.authorization?.match(/^Bearer[ ]+(\S+)$/i);
  return match?.[1]?.startsWith(API_KEY_PREFIX) ? match[1] : undefined;
}

/**
 * Backstage's httpAuth, plus personal API keys: `Authorization: Bearer rk_…` authenticates as
 * the key's owner, with the key's scope attached to the credentials for the permissions
 * service to intersect every decision with. Everything else is Backstage's own handling.
 */
export class ApiKeyHttpAuthService implements HttpAuthService {
  private readonly cache = new WeakMap<Request, Promise<BackstageCredentials>>();

  constructor(
    private readonly inner: HttpAuthService,
    private readonly keys: ApiKeyService,
  ) {}

  private async fromKey(secret: string): Promise<BackstageCredentials> {
    const key = await this.keys.authenticate(secret);
    if (!key) throw new AuthenticationError('Invalid, expired or revoked API key');
    const credentials = {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: key.owner },
      ...(key.expiresAt ? { expiresAt: key.expiresAt } : {}),
    } as BackstageCredentials;
    apiKeyScopes.set(credentials, key.scopes);
    return credentials;
  }

  async credentials<TAllowed extends keyof BackstagePrincipalTypes = 'unknown'>(
    req: Request,
    options?: { allow?: Array<TAllowed>; allowLimitedAccess?: boolean },
  ): Promise<BackstageCredentials<BackstagePrincipalTypes[TAllowed]>> {
    const secret = apiKeyOf(req);
    if (!secret) return this.inner.credentials(req, options);
    let pending = this.cache.get(req);
    if (!pending) {
      pending = this.fromKey(secret);
      this.cache.set(req, pending);
    }
    const credentials = await pending;
    if (options?.allow && !options.allow.includes('user' as TAllowed)) {
      throw new NotAllowedError(`This endpoint does not allow 'user' credentials`);
    }
    return credentials as BackstageCredentials<BackstagePrincipalTypes[TAllowed]>;
  }

  async issueUserCookie(res: Response, options?: { credentials?: BackstageCredentials }) {
    if (apiKeyOf(res.req) || (options?.credentials && apiKeyScopes.has(options.credentials))) {
      throw new NotAllowedError('An API key cannot open a browser session');
    }
    return this.inner.issueUserCookie(res, options);
  }
}

/** Replaces Backstage's httpAuth for every plugin, so every API accepts API keys. */
export const apiKeyHttpAuthServiceFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: {
    auth: coreServices.auth,
    discovery: coreServices.discovery,
    plugin: coreServices.pluginMetadata,
    keys: apiKeyServiceRef,
  },
  factory: ({ auth, discovery, plugin, keys }) =>
    new ApiKeyHttpAuthService(
      DefaultHttpAuthService.create({ auth, discovery, pluginId: plugin.getId() }),
      keys,
    ),
});
