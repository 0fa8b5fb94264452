import { InputError } from '@backstage/errors';

/**
 * HTTP calls the engine makes for `core.http` tasks and webhook notifications, only to hosts
 * an administrator allowed (`racine.pipelines.http.allowedHosts`), never following redirects,
 * so a job cannot reach internal services it was not meant to.
 */
export interface OutboundResponse {
  status: number;
  body: unknown;
}

const MAX_BODY_BYTES = 256 * 1024;

export class OutboundHttp {
  private readonly allowed: Set<string>;

  constructor(allowedHosts: string[]) {
    this.allowed = new Set(allowedHosts.map(h => h.toLowerCase()));
  }

  get allowedHosts(): string[] {
    return [...this.allowed];
  }

  /** Throws an InputError naming why the URL is refused. */
  check(url: string, what = 'url'): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(`${what}: '${url}' is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new InputError(`${what}: only http and https URLs are allowed`);
    }
    const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    const hostPort = parsed.port ? `${host}:${parsed.port}` : host;
    if (!this.allowed.has(host) && !this.allowed.has(hostPort)) {
      throw new InputError(
        `${what}: host '${host}' is not allowed (racine.pipelines.http.allowedHosts: ${this.allowed.size ? [...this.allowed].join(', ') : 'none'})`,
      );
    }
    return parsed;
  }

  async request(options: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    body?: unknown;
    signal?: AbortSignal;
    timeoutMs?: number;
  }): Promise<OutboundResponse> {
    const url = this.check(options.url);
    const headers = new Headers(options.headers ?? {});
    let body: string | undefined;
    if (options.body !== undefined && options.method !== 'GET' && options.method !== 'HEAD') {
      if (typeof options.body === 'string') body = options.body;
      else {
        body = JSON.stringify(options.body);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
    }
    const signals = [AbortSignal.timeout(options.timeoutMs ?? 30_000)];
    if (options.signal) signals.push(options.signal);
    const response = await fetch(url, {
      method: options.method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
    const buffer = Buffer.from(await response.arrayBuffer());
    const text = buffer.subarray(0, MAX_BODY_BYTES).toString('utf8');
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed };
  }
}
