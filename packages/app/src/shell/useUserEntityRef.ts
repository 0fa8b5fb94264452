import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { useEffect, useState } from 'react';

/** The signed-in user's entity ref (`user:default/alice`), undefined until known. */
export function useUserEntityRef(): string | undefined {
  const identityApi = useApi(identityApiRef);
  const [ref, setRef] = useState<string>();
  useEffect(() => {
    let cancelled = false;
    identityApi.getBackstageIdentity().then(
      identity => !cancelled && setRef(identity.userEntityRef),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [identityApi]);
  return ref;
}

/** A boolean preference in localStorage, scoped to a user so shared browsers keep theirs apart. */
export function readUserPreference(userRef: string, name: string): boolean | undefined {
  try {
    const value = window.localStorage.getItem(`racine:${name}:${userRef}`);
    return value === null ? undefined : value === 'true';
  } catch {
    return undefined;
  }
}

export function writeUserPreference(userRef: string, name: string, value: boolean): void {
  try {
    window.localStorage.setItem(`racine:${name}:${userRef}`, String(value));
  } catch {
    // Storage unavailable: the preference lasts for this page only.
  }
}
