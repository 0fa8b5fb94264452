import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import { IdentityProviders, SignInPage } from '@backstage/core-components';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import { NativeSignInPage } from '@racine/plugin-rbac';

type IdentityProvider = IdentityProviders[number];

/**
 * Sign-in providers the shell can offer, by the id the backend lists in
 * `auth.providers`. Adding a provider (e.g. RBAC's `native` one) is one entry here.
 */
export const signInProviders: Record<string, IdentityProvider> = {
  guest: 'guest',
};

/** Backstage's own SignInPage, offering the providers the backend enables. */
export function RacineSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const configured = config.getOptionalStringArray('auth.providers') ?? [];
  const providers = configured.flatMap(id => (signInProviders[id] ? [signInProviders[id]] : []));
  const title = config.getOptionalString('app.title') ?? 'Racine';
  // Racine accounts: a username/password form (and MFA step), with guest beside it if allowed.
  if (configured.includes('native')) {
    return (
      <NativeSignInPage
        onSignInSuccess={props.onSignInSuccess}
        providers={configured}
        title={`Sign in to ${title}`}
        environment={config.getOptionalString('auth.environment')}
      />
    );
  }
  return (
    <SignInPage
      onSignInSuccess={props.onSignInSuccess}
      providers={providers.length > 0 ? providers : ['guest']}
      title={`Sign in to ${title}`}
      align="center"
    />
  );
}
