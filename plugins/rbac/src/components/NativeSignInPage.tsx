import {
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  makeStyles,
  TextField,
  Typography,
} from '@material-ui/core';
import type {
  BackstageUserIdentity,
  IdentityApi,
  ProfileInfo,
} from '@backstage/frontend-plugin-api';
import { MFA_REQUIRED_HEADER, NATIVE_PROVIDER_ID, OTP_HEADER } from '@racine/plugin-rbac-common';
import { FormEvent, useEffect, useState } from 'react';

const LAST_PROVIDER_KEY = 'racine:signInProvider';
const REFRESH_MARGIN_MS = 5 * 60_000;

interface RefreshResponse {
  profile: ProfileInfo;
  backstageIdentity: { token: string; expiresInSeconds?: number; identity: BackstageUserIdentity };
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** The auth environment (`auth.environment`), which OAuth providers' routes need. */
let authEnvironment = 'development';

async function refresh(provider: string, headers: Record<string, string> = {}): Promise<Response> {
  const query =
    provider === 'oidc' ? `?env=${encodeURIComponent(authEnvironment)}&optional=true` : '';
  return fetch(`/api/auth/${provider}/refresh${query}`, {
    method: 'POST',
    credentials: 'include',
    headers: { 'X-Requested-With': 'XMLHttpRequest', ...headers },
  });
}

/**
 * A signed-in session of a provider whose refresh endpoint authenticates from the request
 * (native: the HttpOnly session cookie; guest: nothing), refreshed before the token expires.
 */
class RefreshingIdentity implements IdentityApi {
  private expiresAt: number;

  constructor(
    private readonly provider: string,
    private response: RefreshResponse,
  ) {
    this.expiresAt = Date.now() + (response.backstageIdentity.expiresInSeconds ?? 3600) * 1000;
  }

  private async current(): Promise<RefreshResponse> {
    if (Date.now() + REFRESH_MARGIN_MS > this.expiresAt) {
      const res = await refresh(this.provider);
      if (!res.ok) {
        window.localStorage.removeItem(LAST_PROVIDER_KEY);
        window.location.assign('/');
        throw new Error('The session has ended; sign in again');
      }
      this.response = await res.json();
      this.expiresAt =
        Date.now() + (this.response.backstageIdentity.expiresInSeconds ?? 3600) * 1000;
    }
    return this.response;
  }

  async getProfileInfo() {
    return (await this.current()).profile;
  }
  async getBackstageIdentity() {
    return (await this.current()).backstageIdentity.identity;
  }
  async getCredentials() {
    return { token: (await this.current()).backstageIdentity.token };
  }
  async signOut() {
    window.localStorage.removeItem(LAST_PROVIDER_KEY);
    if (this.provider === NATIVE_PROVIDER_ID) {
      await fetch(`/api/auth/${NATIVE_PROVIDER_ID}/logout`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
    }
    window.location.assign('/');
  }
}

const useStyles = makeStyles(theme => ({
  page: {
    minHeight: '100vh',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    gap: theme.spacing(3),
    flexWrap: 'wrap',
    background: theme.palette.background.default,
  },
  card: { width: 360 },
  form: { display: 'flex', flexDirection: 'column', gap: theme.spacing(2) },
}));

/**
 * Racine's sign-in page: a username/password form (then a one-time code when the account has
 * MFA), and the guest option where the backend allows it. The browser keeps the native
 * session in an HttpOnly cookie, so a reload signs in silently.
 */
export function NativeSignInPage(props: {
  onSignInSuccess(identityApi: IdentityApi): void;
  providers: string[];
  title: string;
  /** `auth.environment`, for OIDC single sign-on. */
  environment?: string;
}) {
  const classes = useStyles();
  authEnvironment = props.environment ?? 'development';
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [checking, setChecking] = useState(true);

  const finish = async (provider: string, res: Response) => {
    window.localStorage.setItem(LAST_PROVIDER_KEY, provider);
    props.onSignInSuccess(new RefreshingIdentity(provider, await res.json()));
  };

  // Silent sign-in: the last provider's session (cookie) still being valid.
  useEffect(() => {
    const last = window.localStorage.getItem(LAST_PROVIDER_KEY);
    if (!last || !props.providers.includes(last)) {
      setChecking(false);
      return;
    }
    refresh(last).then(
      res => (res.ok ? finish(last, res) : setChecking(false)),
      () => setChecking(false),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const headers: Record<string, string> = {
        Authorization: `Basic ${base64(`${username.trim().toLowerCase()}:${password}`)}`,
        'X-Racine-Session': 'create',
      };
      if (needCode && code) headers[OTP_HEADER] = code.trim();
      const res = await refresh(NATIVE_PROVIDER_ID, headers);
      if (res.ok) {
        await finish(NATIVE_PROVIDER_ID, res);
        return;
      }
      if (res.status === 401 && res.headers.get(MFA_REQUIRED_HEADER) === 'required') {
        setNeedCode(true);
        setError(needCode ? 'That code did not work.' : undefined);
      } else {
        setError('Wrong username, password or code, or the account is locked.');
      }
    } catch {
      setError('Could not reach Racine.');
    } finally {
      setBusy(false);
    }
  };

  /** OIDC: Backstage's popup flow; the response arrives by postMessage from the handler frame. */
  const sso = () => {
    const url = `/api/auth/oidc/start?env=${encodeURIComponent(authEnvironment)}&scope=${encodeURIComponent('openid email profile offline_access')}&origin=${encodeURIComponent(window.location.origin)}&flow=popup`;
    const popup = window.open(url, 'racine-sso', 'width=520,height=720');
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin || event.data?.type !== 'authorization_response')
        return;
      window.removeEventListener('message', onMessage);
      popup?.close();
      if (event.data.error) {
        setError(`Single sign-on failed: ${event.data.error.message ?? 'unknown error'}`);
        return;
      }
      window.localStorage.setItem(LAST_PROVIDER_KEY, 'oidc');
      props.onSignInSuccess(new RefreshingIdentity('oidc', event.data.response));
    };
    window.addEventListener('message', onMessage);
  };

  const guest = async () => {
    const res = await refresh('guest');
    if (res.ok) await finish('guest', res);
    else setError('Guest sign-in is not available.');
  };

  if (checking) return null;
  return (
    <Box className={classes.page}>
      {props.providers.includes(NATIVE_PROVIDER_ID) && (
        <Card
          className={classes.card}
          component="form"
          onSubmit={signIn}
          data-testid="native-sign-in"
        >
          <CardContent className={classes.form}>
            <Typography variant="h5">{props.title}</Typography>
            {!needCode ? (
              <>
                <TextField
                  label="Username"
                  autoComplete="username"
                  value={username}
                  onChange={e => setUsername(e.target.value)}
                  inputProps={{ 'data-testid': 'sign-in-username' }}
                  autoFocus
                />
                <TextField
                  label="Password"
                  type="password"
                  autoComplete="current-password"
                  value={password}
                  onChange={e => setPassword(e.target.value)}
                  inputProps={{ 'data-testid': 'sign-in-password' }}
                />
              </>
            ) : (
              <TextField
                label="One-time code (or a recovery code)"
                autoComplete="one-time-code"
                value={code}
                onChange={e => setCode(e.target.value)}
                inputProps={{ 'data-testid': 'sign-in-code' }}
                autoFocus
              />
            )}
            {error && (
              <Typography color="error" variant="body2" role="alert">
                {error}
              </Typography>
            )}
          </CardContent>
          <CardActions>
            <Button
              type="submit"
              color="primary"
              variant="contained"
              disabled={busy}
              data-testid="sign-in-submit"
            >
              {needCode ? 'Verify' : 'Sign in'}
            </Button>
          </CardActions>
        </Card>
      )}
      {props.providers.includes('oidc') && (
        <Card className={classes.card}>
          <CardContent>
            <Typography variant="h6">Single sign-on</Typography>
            <Typography variant="body2" color="textSecondary">
              Sign in with your organisation&apos;s identity provider.
            </Typography>
          </CardContent>
          <CardActions>
            <Button color="primary" variant="outlined" onClick={sso} data-testid="sign-in-sso">
              Continue with SSO
            </Button>
          </CardActions>
        </Card>
      )}
      {props.providers.includes('guest') && (
        <Card className={classes.card}>
          <CardContent>
            <Typography variant="h6">Guest</Typography>
            <Typography variant="body2" color="textSecondary">
              Enter as a guest user (development only).
            </Typography>
          </CardContent>
          <CardActions>
            <Button color="primary" variant="outlined" onClick={guest}>
              Enter
            </Button>
          </CardActions>
        </Card>
      )}
    </Box>
  );
}
