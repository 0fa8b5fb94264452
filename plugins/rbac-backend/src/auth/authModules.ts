import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import {
  authProvidersExtensionPoint,
  createOAuthProviderFactory,
} from '@backstage/plugin-auth-node';
import { auditServiceRef } from '@racine/kernel-node';
import { NATIVE_PROVIDER_ID } from '@racine/plugin-rbac-common';
import { accountServiceRef } from '../services/serviceRefs';
import { createNativeAuthProviderFactory, issueIdentity } from './nativeProvider';

/** The `native` sign-in provider (enable it with `auth.providers.native: {}`). */
export const nativeAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'racine-native-provider',
  register(env) {
    env.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        accounts: accountServiceRef,
        audit: auditServiceRef,
      },
      async init({ providers, accounts, audit }) {
        providers.registerProvider({
          providerId: NATIVE_PROVIDER_ID,
          factory: createNativeAuthProviderFactory(accounts, audit),
        });
      },
    });
  },
});

/**
 * OIDC single sign-on (`auth.providers.oidc.<env>`: metadataUrl, clientId, clientSecret),
 * signing in to Racine accounts: an identity is matched by its issuer and subject, then by
 * email, and provisioned as a new account (with no grants) unless
 * `racine.auth.oidc.autoProvision` is false.
 */
export const oidcAuthModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'racine-oidc-provider',
  register(env) {
    env.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        accounts: accountServiceRef,
        config: coreServices.rootConfig,
      },
      async init({ providers, accounts, config }) {
        const provision = config.getOptionalBoolean('racine.auth.oidc.autoProvision') ?? true;
        providers.registerProvider({
          providerId: 'oidc',
          factory: createOAuthProviderFactory({
            authenticator: oidcAuthenticator,
            async signInResolver({ result, profile }, ctx) {
              const claims = result.fullProfile.userinfo as Record<string, unknown>;
              const issuer = String(result.fullProfile.tokenset.claims().iss ?? '');
              const user = await accounts.ssoAccount({
                subject: `${issuer}|${String(claims.sub)}`,
                email:
                  typeof claims.email === 'string' && claims.email_verified !== false
                    ? claims.email
                    : undefined,
                preferredUsername:
                  typeof claims.preferred_username === 'string'
                    ? claims.preferred_username
                    : undefined,
                displayName: profile.displayName,
                provision,
              });
              return issueIdentity(ctx, user);
            },
          }),
        });
      },
    });
  },
});
