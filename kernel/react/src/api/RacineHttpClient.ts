import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { WORKSPACE_HEADER } from '@racine/kernel-common';
import { RacineApiError } from './errors';

/** Query string values; `undefined` and empty strings are left out. */
export type QueryParams = Record<string, string | number | boolean | string[] | undefined>;

export interface RequestOptions {
  query?: QueryParams;
  /** Serialized as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the current workspace for this one request. */
  workspace?: string;
}

/**
 * Calls one backend plugin's routes (`/api/<pluginId>/...`) with the signed-in user's
 * Backstage token (injected by `fetchApi`) and the current workspace header. Plugins use
 * it for their own routes so every Racine request is authenticated the same way.
 */
export class RacineHttpClient {
  readonly pluginId: string;
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private readonly getWorkspace: () => string | undefined;

  constructor(options: {
    pluginId: string;
    discoveryApi: DiscoveryApi;
    fetchApi: FetchApi;
    getWorkspace?: () => string | undefined;
  }) {
    this.pluginId = options.pluginId;
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.getWorkspace = options.getWorkspace ?? (() => undefined);
  }

  get<T>(path: string, options?: Omit<RequestOptions, 'body'>): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  put<T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>): Promise<T> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  delete<T>(path: string, options?: Omit<RequestOptions, 'body'>): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    // Discovery is asked on every call, as Backstage recommends, so routing can change at runtime.
    const baseUrl = await this.discoveryApi.getBaseUrl(this.pluginId);
    const url = `${baseUrl}${path.startsWith('/') ? path : `/${path}`}${toQueryString(options.query)}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const workspace = options.workspace ?? this.getWorkspace();
    if (workspace) headers[WORKSPACE_HEADER] = workspace;

    const response = await this.fetchApi.fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    if (!response.ok) throw await RacineApiError.fromResponse(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export function toQueryString(query: QueryParams | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
