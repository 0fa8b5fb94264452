import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { describe, expect, it } from 'vitest';
import { RacineApiError } from './errors';
import { RacineHttpClient, toQueryString } from './RacineHttpClient';

function recordingFetch(response: Response): {
  fetchApi: FetchApi;
  calls: Array<{ url: string; init?: RequestInit }>;
} {
  const calls: Array<{ url: string; init?: RequestInit }> = [];
  const fetchApi: FetchApi = {
    fetch: async (input, init) => {
      calls.push({ url: String(input), init });
      return response;
    },
  };
  return { fetchApi, calls };
}

const discoveryApi: DiscoveryApi = {
  getBaseUrl: async pluginId => `http://racine.test/api/${pluginId}`,
};

describe('RacineHttpClient', () => {
  it('calls the plugin route with the query, JSON body and workspace header', async () => {
    const { fetchApi, calls } = recordingFetch(
      new Response(JSON.stringify({ ok: true }), { status: 200 }),
    );
    const client = new RacineHttpClient({
      pluginId: 'kernel',
      discoveryApi,
      fetchApi,
      getWorkspace: () => 'finance',
    });
    await expect(
      client.post('/actions/x', { a: 1 }, { query: { dry: true, empty: '' } }),
    ).resolves.toEqual({ ok: true });
    expect(calls[0].url).toBe('http://racine.test/api/kernel/actions/x?dry=true');
    const headers = calls[0].init?.headers as Record<string, string>;
    expect(headers['x-racine-workspace']).toBe('finance');
    expect(headers['Content-Type']).toBe('application/json');
    expect(calls[0].init?.body).toBe('{"a":1}');
  });

  it('turns Backstage error bodies into RacineApiError with status, name and message', async () => {
    const body = {
      error: { name: 'InputError', message: 'name: must match pattern' },
      response: { statusCode: 400 },
    };
    const { fetchApi } = recordingFetch(new Response(JSON.stringify(body), { status: 400 }));
    const client = new RacineHttpClient({ pluginId: 'kernel', discoveryApi, fetchApi });
    const error = await client.get('/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RacineApiError);
    expect(error).toMatchObject({
      status: 400,
      errorName: 'InputError',
      message: 'name: must match pattern',
    });
  });

  it('encodes arrays as comma lists and leaves out empty values', () => {
    expect(
      toQueryString({
        q: 'a b',
        types: ['workspace', 'asset'],
        limit: 5,
        none: undefined,
        empty: [],
      }),
    ).toBe('?q=a+b&types=workspace%2Casset&limit=5');
    expect(toQueryString({})).toBe('');
  });
});
