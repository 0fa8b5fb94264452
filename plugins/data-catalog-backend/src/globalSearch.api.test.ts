import crypto from 'node:crypto';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import type { SearchHit } from '@racine/kernel-common';
import { tableRef, type GlossaryTerm } from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, tableBatch } from './__fixtures__/batches';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const PASSWORD = 'correct horse battery staple';
const scansToken = crypto.randomBytes(24).toString('hex');

const customers = tableRef('ds-1', 'crm', 'public', 'customers');

const DESCRIPTION = [
  '## Customers',
  '',
  'One row per **customer**, see [the CRM docs](https://crm.example.com/docs "Docs").',
  '',
  '| column | meaning |',
  '|:---|---|',
  '| `id` | _the_ key |',
  '',
  '- active',
  '* churned',
  '',
  '```sql',
  'select * from customers',
  '```',
  '> <b>Note</b>: ~~old~~ data is kept.',
].join('\n');

const DEFINITION =
  'Any **information** relating to an *identified or identifiable* natural person ' +
  '([GDPR Art. 4](https://gdpr.eu/article-4-definitions/)).\n\n- names\n- e-mail addresses';

describe(`global search over the catalog and the glossary (${engine})`, () => {
  let server: RacineTestServer;
  let stewardToken: string;
  let viewerToken: string;
  let outsiderToken: string;
  let term: GlossaryTerm;

  const call = async <T>(
    path: string,
    init: { method?: string; json?: unknown; token?: string | null } = {},
  ) => {
    const res = await server.request(path, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const globalSearch = async (q: string, options: { token?: string; types?: string } = {}) => {
    const types = options.types ? `&types=${encodeURIComponent(options.types)}` : '';
    const res = await call<{ hits: SearchHit[] }>(
      `/api/kernel/search?q=${encodeURIComponent(q)}${types}&limit=50`,
      { token: options.token },
    );
    expect(res.status).toBe(200);
    return res.body.hits;
  };
  const termHits = async (q: string, token?: string) =>
    (await globalSearch(q, { token })).filter(h => h.type === 'glossary-term');
  const admin = async (path: string, json: unknown) => {
    const res = await server.request(path, { method: 'POST', json });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  const user = async (username: string, role?: string) => {
    await admin('/api/rbac/users', { username, password: PASSWORD, displayName: username });
    if (role) {
      await admin('/api/rbac/grants', {
        subject: `user:default/${username}`,
        role,
        workspace: '*',
      });
    }
    return server.signIn(username, PASSWORD);
  };

  beforeAll(async () => {
    server = await startRacineServer({
      config: {
        backend: {
          auth: {
            externalAccess: [
              { type: 'static', options: { token: scansToken, subject: 'plugin:scans' } },
            ],
          },
        },
      },
    });
    const ingest = await server.request('/api/data-catalog/ingest/tables', {
      method: 'POST',
      json: {
        batches: [
          tableBatch({
            columns: [column('id', 1, { dataType: 'integer' }), column('email', 2)],
          }),
        ],
      },
      token: scansToken,
    });
    expect(ingest.status).toBe(200);
    const described = await call(`/api/data-catalog/assets/${encodeURIComponent(customers)}`, {
      method: 'PATCH',
      json: { description: DESCRIPTION },
    });
    expect(described.status).toBe(200);
    // A role that can search other groups but not read the catalog or its glossary.
    await admin('/api/rbac/roles', {
      name: 'classifier-reader',
      permissions: ['classification.view'],
    });
    [stewardToken, viewerToken, outsiderToken] = await Promise.all([
      user('stella', 'data-steward'),
      user('vic', 'viewer'),
      user('otto', 'classifier-reader'),
    ]);
    const created = await call<GlossaryTerm>('/api/data-catalog/glossary', {
      method: 'POST',
      json: {
        name: 'Personal Data',
        definition: DEFINITION,
        synonyms: ['PII', 'personal information'],
      },
    });
    expect(created.status).toBe(201);
    term = created.body;
    // Another term that a name-only search for "personal" would also find.
    await admin('/api/data-catalog/glossary', {
      name: 'Personnel file',
      definition: 'What HR keeps about an employee.',
    });
  }, 180_000);
  afterAll(() => server?.stop());

  it('finds a glossary term by name, with its status, plain definition and page', async () => {
    const hits = await termHits('Personal Data');
    expect(hits).toEqual([
      {
        ref: `racine:data-catalog:glossary-term/${term.id}`,
        type: 'glossary-term',
        title: 'Personal Data',
        snippet:
          'Draft · Any information relating to an identified or identifiable natural person ' +
          '(GDPR Art. 4). names e-mail addresses',
        score: 1,
        url: `/catalog/glossary/${encodeURIComponent(term.id)}`,
      },
    ]);
    // Among every group's hits, the exact term name ranks first.
    expect((await globalSearch('personal data'))[0]).toMatchObject({ type: 'glossary-term' });
    expect((await termHits('PERSONAL')).map(h => h.title)).toEqual(['Personal Data']);
    expect((await termHits('person')).map(h => h.title)).toEqual([
      'Personal Data',
      'Personnel file',
    ]);
  });

  it('finds a term by a synonym and says which one matched', async () => {
    const [exact] = await termHits('pii');
    expect(exact).toMatchObject({ title: 'Personal Data', score: 0.95 });
    expect(exact.snippet).toMatch(/^Draft · also “PII” · Any information/);
    const [partial] = await termHits('personal info');
    expect(partial).toMatchObject({ title: 'Personal Data', score: 0.65 });
    expect(partial.snippet).toContain('also “personal information”');
  });

  it('finds a term by the words of its definition, in any order', async () => {
    expect((await termHits('identifiable')).map(h => h.title)).toEqual(['Personal Data']);
    expect((await termHits('person natural')).map(h => h.title)).toEqual(['Personal Data']);
    expect((await termHits('employee')).map(h => h.title)).toEqual(['Personnel file']);
    expect(await termHits('identifiable employee')).toEqual([]);
  });

  it('treats LIKE wildcards in the query as text', async () => {
    expect(await termHits('%')).toEqual([]);
    expect(await termHits('_')).toEqual([]);
    expect(await termHits('per%data')).toEqual([]);
  });

  it('answers the glossary-term type alone and leaves it out of other types', async () => {
    const only = await globalSearch('personal', { types: 'glossary-term' });
    expect(only.length).toBeGreaterThan(0);
    expect(only.every(h => h.type === 'glossary-term')).toBe(true);
    expect(
      (await globalSearch('personal', { types: 'table,column' })).some(
        h => h.type === 'glossary-term',
      ),
    ).toBe(false);
  });

  it('shows the approved status once the term is approved', async () => {
    const approved = await call(`/api/data-catalog/glossary/${term.id}/approve`, {
      method: 'POST',
      token: stewardToken,
    });
    expect(approved.status).toBe(200);
    const [hit] = await termHits('Personal Data', viewerToken);
    expect(hit.snippet).toMatch(/^Approved · Any information relating/);
  });

  it('shows terms only to callers who may read the glossary', async () => {
    // The viewer reads the glossary (catalog.view) and finds the term.
    expect((await call('/api/data-catalog/glossary', { token: viewerToken })).status).toBe(200);
    expect((await termHits('Personal Data', viewerToken)).map(h => h.title)).toEqual([
      'Personal Data',
    ]);
    // Without catalog.view, neither the glossary nor its terms in the global search.
    expect((await call('/api/data-catalog/glossary', { token: outsiderToken })).status).toBe(403);
    const outsider = await globalSearch('Personal Data', { token: outsiderToken });
    expect(outsider.some(h => h.type === 'glossary-term')).toBe(false);
    expect(await termHits('pii', outsiderToken)).toEqual([]);
    expect(await termHits('identifiable', outsiderToken)).toEqual([]);
    expect(
      await globalSearch('personal', { token: outsiderToken, types: 'glossary-term' }),
    ).toEqual([]);
  });

  it('shows asset descriptions as plain text in snippets', async () => {
    const hit = (await globalSearch('customers', { types: 'table' })).find(
      h => h.ref === customers,
    );
    expect(hit).toBeDefined();
    expect(hit!.snippet).toBe(
      'Table public.customers in CRM production — Customers One row per customer, see the CRM ' +
        'docs. column · meaning id · the key active churned select * from customers…',
    );
    for (const syntax of ['#', '**', '](', '|', '`', '<b>', '~~', '- ', '> ', 'https://']) {
      expect(hit!.snippet).not.toContain(syntax);
    }
  });
});
