import crypto from 'node:crypto';
import { startRacineServer, type RacineTestServer } from '@racine/backend/testing';
import {
  assetRef,
  columnRef,
  tableRef,
  type AssetDetailsResponse,
  type AssetFactsResponse,
  type AssetHistoryResponse,
  type GlossaryTerm,
  type GlossaryTermDetails,
  type ListAssetsResponse,
  type SearchAssetsResponse,
  type TreeResponse,
} from '@racine/plugin-data-catalog-common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, emailLabel, tableBatch } from './__fixtures__/batches';

const engine = process.env.RACINE_TEST_DB ?? 'sqlite';
const PASSWORD = 'correct horse battery staple';

const scansToken = crypto.randomBytes(24).toString('hex');
const complianceToken = crypto.randomBytes(24).toString('hex');
const classificationsToken = crypto.randomBytes(24).toString('hex');
const serviceTokens = {
  backend: {
    auth: {
      externalAccess: [
        { type: 'static', options: { token: scansToken, subject: 'plugin:scans' } },
        { type: 'static', options: { token: complianceToken, subject: 'plugin:compliance' } },
        {
          type: 'static',
          options: { token: classificationsToken, subject: 'plugin:classifications' },
        },
      ],
    },
  },
};

const customers = tableRef('ds-1', 'crm', 'public', 'customers');
const customersEmail = columnRef('ds-1', 'crm', 'public', 'customers', 'email');
const companies = tableRef('ds-1', 'crm', 'public', 'companies');
const payroll = tableRef('ds-2', 'hr', 'people', 'payroll');
const payrollSsn = columnRef('ds-2', 'hr', 'people', 'payroll', 'ssn');
const customerNotes = tableRef('ds-1', 'crm', 'sales', 'customer_notes');

function batches() {
  const ssnLabel = {
    classifierId: 'pii.national_id',
    confidence: 0.95,
    sensitivity: 'RESTRICTED' as const,
    categories: ['PII', 'Government ID'],
    evidence: {
      signals: [{ kind: 'value-pattern', description: 'SSN shaped' }],
      maskedExamples: [],
    },
  };
  return [
    // customers.email is CONFIDENTIAL (its label says so), so the table is too.
    tableBatch({
      columns: [
        column('id', 1, { dataType: 'integer', nullable: false, isPrimaryKey: true }),
        column('email', 2, {
          dataType: 'varchar(255)',
          labels: [
            { ...emailLabel(), sensitivity: 'CONFIDENTIAL', categories: ['PII', 'Contact'] },
          ],
        }),
        column('company_id', 3, { dataType: 'integer' }),
      ],
    }),
    tableBatch({
      table: { name: 'companies', foreignKeys: [], comment: 'Firms we sell to' },
      columns: [column('id', 1, { dataType: 'integer' }), column('legal_name', 2)],
    }),
    tableBatch({
      schema: 'sales',
      table: { name: 'customer_notes', foreignKeys: [], primaryKey: [] },
      columns: [column('note', 1)],
    }),
    tableBatch({
      dataSourceId: 'ds-2',
      dataSourceName: 'HR',
      database: 'hr',
      schema: 'people',
      table: { name: 'payroll', foreignKeys: [], primaryKey: [] },
      columns: [column('ssn', 1, { labels: [ssnLabel] }), column('salary', 2)],
    }),
  ];
}

describe(`catalog search, curation, glossary and facts (${engine})`, () => {
  let server: RacineTestServer;
  let stewardToken: string;
  let limitedToken: string;
  let viewerToken: string;

  const call = async <T>(
    path: string,
    init: { method?: string; json?: unknown; token?: string | null } = {},
  ) => {
    const res = await server.request(path, init);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  const search = (query: string, token?: string) =>
    call<SearchAssetsResponse>(`/api/data-catalog/search?${query}`, { token });
  const enc = encodeURIComponent;
  const patch = (ref: string, json: unknown, token?: string) =>
    call<{ version: number; changed: string[] }>(`/api/data-catalog/assets/${enc(ref)}`, {
      method: 'PATCH',
      json,
      token,
    });
  const admin = async (path: string, json: unknown) => {
    const res = await server.request(path, { method: 'POST', json });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  const user = async (username: string, role: string) => {
    await admin('/api/rbac/users', { username, password: PASSWORD, displayName: username });
    await admin('/api/rbac/grants', { subject: `user:default/${username}`, role, workspace: '*' });
    return server.signIn(username, PASSWORD);
  };

  beforeAll(async () => {
    server = await startRacineServer({ config: serviceTokens });
    const ingest = await server.request('/api/data-catalog/ingest/tables', {
      method: 'POST',
      json: { batches: batches() },
      token: scansToken,
    });
    expect(ingest.status).toBe(200);
    // A conditional grant: the catalog, up to INTERNAL only.
    await admin('/api/rbac/roles', {
      name: 'internal-reader',
      permissions: [
        {
          permission: 'catalog.view',
          condition: { rule: 'HAS_SENSITIVITY_AT_MOST', params: { level: 'INTERNAL' } },
        },
      ],
    });
    [stewardToken, limitedToken, viewerToken] = await Promise.all([
      user('stella', 'data-steward'),
      user('lena', 'internal-reader'),
      user('vic', 'viewer'),
    ]);
  }, 180_000);
  afterAll(() => server?.stop());

  describe('search', () => {
    it('finds tables by their column names and ranks the exact name first', async () => {
      const { status, body } = await search('q=legal_name');
      expect(status).toBe(200);
      expect(body.items.map(i => i.ref)).toEqual(
        expect.arrayContaining([
          companies,
          columnRef('ds-1', 'crm', 'public', 'companies', 'legal_name'),
        ]),
      );
      expect(body.fuzzy).toBe(false);
      const exact = await search('q=customers');
      expect(exact.body.items[0].ref).toBe(customers);
      // a comment found by the scan is searchable too
      expect((await search('q=firms%20sell')).body.items.map(i => i.ref)).toEqual([companies]);
    });

    it('counts facets with every other filter applied, and filters combine', async () => {
      const all = await search('q=&type=table,view');
      expect(all.body.total).toBe(4);
      expect(all.body.facets.dataSourceId).toEqual([
        { value: 'ds-1', count: 3, title: 'CRM production' },
        { value: 'ds-2', count: 1, title: 'HR' },
      ]);
      expect(all.body.facets.schema).toEqual([
        { value: 'public', count: 2 },
        { value: 'people', count: 1 },
        { value: 'sales', count: 1 },
      ]);
      expect(all.body.facets.sensitivity).toEqual([
        { value: 'CONFIDENTIAL', count: 1 },
        { value: 'RESTRICTED', count: 1 },
      ]);
      // the type facet ignores the type filter, so other types stay visible with their counts
      expect(all.body.facets.type).toEqual(
        expect.arrayContaining([
          { value: 'column', count: 8 },
          { value: 'table', count: 4 },
        ]),
      );
      const narrowed = await search('type=column&dataSourceId=ds-1&label=PII.EMAIL');
      expect(narrowed.body.items.map(i => i.ref)).toEqual([customersEmail]);
      expect(narrowed.body.facets.label).toEqual([{ value: 'pii.email', count: 1 }]);
      const restricted = await search('sensitivity=RESTRICTED');
      expect(restricted.body.items.map(i => i.ref).sort()).toEqual([payroll, payrollSsn].sort());
      // Enumerated filter values in any case.
      expect((await search('sensitivity=restricted&type=Table&status=ACTIVE')).body.items).toEqual(
        (await search('sensitivity=RESTRICTED&type=table')).body.items,
      );
      expect(
        (await search('q=customer&schema=sales&type=table')).body.items.map(i => i.ref),
      ).toEqual([customerNotes]);
    });

    it('tolerates typos through trigrams', async () => {
      const { body } = await search('q=custmers&type=table');
      expect(body.fuzzy).toBe(true);
      expect(body.items[0].ref).toBe(customers);
      expect(body.items.map(i => i.ref)).not.toContain(payroll);
      expect((await search('q=zzqqxxyy')).body).toMatchObject({ items: [], total: 0 });
      // A typo of one word of a snake_case name; one letter dropped from a short word.
      const inName = await search('q=compny&type=column');
      expect(inName.body.fuzzy).toBe(true);
      expect(inName.body.items[0].ref).toBe(
        columnRef('ds-1', 'crm', 'public', 'customers', 'company_id'),
      );
      const dropped = await search('q=salry&type=column');
      expect(dropped.body.items.map(i => i.ref)).toEqual([
        columnRef('ds-2', 'hr', 'people', 'payroll', 'salary'),
      ]);
    });

    it('pages with a cursor and rejects bad input with a 400', async () => {
      const first = await search('type=column&limit=3');
      expect(first.body.items).toHaveLength(3);
      expect(first.body.total).toBe(8);
      const second = await search(`type=column&limit=3&cursor=${first.body.nextCursor}`);
      expect(second.body.items).toHaveLength(3);
      expect(second.body.items.map(i => i.ref)).not.toContain(first.body.items[0].ref);
      for (const bad of ['type=bogus', 'limit=0', 'sensitivity=SECRET', 'cursor=garbage']) {
        expect((await search(bad)).status, bad).toBe(400);
      }
      expect((await call('/api/data-catalog/search', { token: null })).status).toBe(401);
    });
  });

  describe('curation', () => {
    it('edits description, owners, stewards, tags and properties, versioned with history', async () => {
      const res = await patch(companies, {
        description: 'Companies **we sell to**, one row per legal entity',
        owners: ['group:default/sales-ops'],
        stewards: ['user:default/stella'],
        tags: ['gold', 'crm'],
        properties: { retentionDays: 365, source: 'salesforce' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ version: 1 });
      expect(res.body.changed.sort()).toEqual(
        ['description', 'owners', 'properties', 'stewards', 'tags'].sort(),
      );
      // A value given twice is kept once: the same tags again change nothing.
      const again = await patch(companies, { tags: ['gold', 'crm', 'gold'] });
      expect(again.body).toMatchObject({ version: 1, changed: [] });
      expect((await patch(companies, { tags: ['gold'] }, stewardToken)).body.version).toBe(2);

      const details = await call<AssetDetailsResponse>(
        `/api/data-catalog/assets/${enc(companies)}`,
      );
      expect(details.body).toMatchObject({
        description: 'Companies **we sell to**, one row per legal entity',
        owner: 'group:default/sales-ops',
        owners: ['group:default/sales-ops'],
        stewards: ['user:default/stella'],
        tags: ['gold'],
        properties: { retentionDays: 365, source: 'salesforce' },
        version: 2,
      });
      const history = await call<AssetHistoryResponse>(
        `/api/data-catalog/assets/${enc(companies)}/history`,
      );
      expect(history.body.items.map(h => [h.version, h.actor])).toEqual([
        [2, 'user:default/stella'],
        [1, 'user:development/guest'],
      ]);
      expect(history.body.items[0].changes).toEqual({
        tags: { from: ['gold', 'crm'], to: ['gold'] },
      });
      const activity = await call<{ items: { resource: string; actor: string }[] }>(
        '/api/kernel/activity?verb=asset.curate&outcome=success',
      );
      expect(activity.body.items.filter(a => a.resource === companies)).toHaveLength(2);

      // curated words are searchable, and the owner and tag facets count them
      expect((await search('q=legal%20entity')).body.items.map(i => i.ref)).toEqual([companies]);
      expect((await search('q=sales-ops')).body.items.map(i => i.ref)).toEqual([companies]);
      const byTag = await search('tag=gold');
      expect(byTag.body.items.map(i => i.ref)).toEqual([companies]);
      expect(byTag.body.facets.owner).toEqual([{ value: 'group:default/sales-ops', count: 1 }]);
    });

    it('ranks well-described, owned assets before bare ones', async () => {
      // both match "customer" in their names; the described and owned one comes first
      await patch(customerNotes, {
        description: 'Free-text notes about customer calls',
        owners: ['user:default/stella'],
      });
      const { body } = await search('q=customer&type=table');
      expect(body.items.map(i => i.ref)).toEqual([customerNotes, customers]);
    });

    it('refuses stale versions, unknown assets, bad fields and editors without catalog.edit', async () => {
      expect((await patch(companies, { description: 'x', expectedVersion: 0 })).status).toBe(409);
      expect((await patch(tableRef('ds-1', 'crm', 'public', 'nope'), { tags: ['a'] })).status).toBe(
        404,
      );
      for (const bad of [
        { owners: ['ada'] },
        { tags: ['two words'] },
        { sensitivity: 'SECRET' },
        { colour: 'red' },
        {},
      ]) {
        expect((await patch(companies, bad)).status, JSON.stringify(bad)).toBe(400);
      }
      expect((await patch(companies, { tags: ['x'] }, viewerToken)).status).toBe(403);
      const bulk = await call('/api/data-catalog/assets/bulk', {
        method: 'POST',
        json: { refs: [companies], addTags: ['x'] },
        token: viewerToken,
      });
      expect(bulk.status).toBe(403);
      const contradictory = await call('/api/data-catalog/assets/bulk', {
        method: 'POST',
        json: { refs: [companies], addTags: ['x'], removeTags: ['x'] },
      });
      expect(contradictory.status).toBe(400);
      expect(JSON.stringify(contradictory.body)).toContain(
        "addTags: 'x' is both added and removed (removeTags)",
      );
    });

    it('bulk-edits many assets, each versioned, and announces curation facts', async () => {
      const refs = [customers, customerNotes, companies];
      const res = await call<{ changed: { ref: string }[]; unchanged: string[] }>(
        '/api/data-catalog/assets/bulk',
        {
          method: 'POST',
          json: {
            refs,
            addTags: ['reviewed'],
            removeTags: ['gold'],
            set: { properties: { tier: 1 } },
          },
        },
      );
      expect(res.status).toBe(200);
      expect(res.body.changed.map(c => c.ref).sort()).toEqual([...refs].sort());
      const tagged = await search('tag=reviewed');
      expect(tagged.body.total).toBe(3);
      expect(tagged.body.facets.tag).toEqual([{ value: 'reviewed', count: 3 }]);
      const history = await call<AssetHistoryResponse>(
        `/api/data-catalog/assets/${enc(customers)}/history`,
      );
      expect(history.body.items[0]).toMatchObject({
        summary: 'Bulk edit of 3 asset(s)',
        changes: { tags: { from: [], to: ['reviewed'] } },
      });
    });

    it('lets a sensitivity override beat the labels, and removing it hands back to them', async () => {
      expect((await patch(companies, { sensitivity: 'INTERNAL' })).status).toBe(200);
      expect((await search('sensitivity=INTERNAL')).body.items.map(i => i.ref)).toEqual([
        companies,
      ]);
      await patch(customers, { sensitivity: 'PUBLIC' });
      expect((await search('sensitivity=PUBLIC')).body.items.map(i => i.ref)).toEqual([customers]);
      // The details tell the override apart from the effective level.
      const overridden = await call<AssetDetailsResponse>(
        `/api/data-catalog/assets/${enc(customers)}`,
      );
      expect(overridden.body).toMatchObject({
        sensitivity: 'PUBLIC',
        sensitivityOverride: 'PUBLIC',
      });
      expect(overridden.body.columns!.every(c => c.sensitivityOverride === null)).toBe(true);
      await patch(customers, { sensitivity: null });
      const details = await call<AssetDetailsResponse>(
        `/api/data-catalog/assets/${enc(customers)}`,
      );
      expect(details.body.sensitivity).toBe('CONFIDENTIAL');
      expect(details.body.sensitivityOverride).toBeNull();
    });
  });

  describe('glossary', () => {
    let revenue: GlossaryTerm;
    let customerTerm: GlossaryTerm;

    it('takes terms from draft to approved, by someone other than their author', async () => {
      const created = await call<GlossaryTerm>('/api/data-catalog/glossary', {
        method: 'POST',
        json: { name: 'Revenue', definition: 'Money **earned**', synonyms: ['Turnover'] },
      });
      expect(created.status).toBe(201);
      revenue = created.body;
      expect(revenue).toMatchObject({ status: 'draft', version: 1, parentId: null });
      const child = await call<GlossaryTerm>('/api/data-catalog/glossary', {
        method: 'POST',
        json: {
          name: 'Customer lifetime value',
          definition: 'Revenue from one customer over time',
          parentId: revenue.id,
          related: [revenue.id],
        },
      });
      customerTerm = child.body;
      expect(child.status).toBe(201);
      const duplicate = await call('/api/data-catalog/glossary', {
        method: 'POST',
        json: { name: 'revenue' },
      });
      expect(duplicate.status).toBe(409);
      expect(
        (
          await call('/api/data-catalog/glossary', {
            method: 'POST',
            json: { name: 'Orphan', parentId: 'missing' },
          })
        ).status,
      ).toBe(400);
      // A draft term cannot be attached yet.
      expect((await patch(customers, { terms: [customerTerm.id] })).status).toBe(400);
      // Four eyes: the author does not approve; a viewer may not.
      const own = await call(`/api/data-catalog/glossary/${customerTerm.id}/approve`, {
        method: 'POST',
      });
      expect(own.status).toBe(409);
      const byViewer = await call(`/api/data-catalog/glossary/${customerTerm.id}/approve`, {
        method: 'POST',
        token: viewerToken,
      });
      expect(byViewer.status).toBe(403);
      const approved = await call<GlossaryTerm>(
        `/api/data-catalog/glossary/${customerTerm.id}/approve`,
        { method: 'POST', token: stewardToken },
      );
      expect(approved.body).toMatchObject({
        status: 'approved',
        approvedBy: 'user:default/stella',
      });
      const tree = await call<GlossaryTermDetails>(`/api/data-catalog/glossary/${revenue.id}`);
      expect(tree.body.children.map(c => c.name)).toEqual(['Customer lifetime value']);
      const leaf = await call<GlossaryTermDetails>(`/api/data-catalog/glossary/${customerTerm.id}`);
      expect(leaf.body.ancestors).toEqual([{ id: revenue.id, name: 'Revenue' }]);
      expect(leaf.body.relatedTerms).toEqual([
        { id: revenue.id, name: 'Revenue', status: 'draft' },
      ]);
      expect(
        (
          await call<{ items: GlossaryTerm[] }>('/api/data-catalog/glossary?status=approved')
        ).body.items.map(t => t.name),
      ).toEqual(['Customer lifetime value']);
    });

    it('attaches approved terms to assets; search finds assets by term, and rewording needs re-approval', async () => {
      expect((await patch(customers, { terms: [customerTerm.id] })).status).toBe(200);
      const found = await search('q=lifetime');
      expect(found.body.items.map(i => i.ref)).toEqual([customers]);
      const byTerm = await search(`term=${customerTerm.id}`);
      expect(byTerm.body.facets.term).toEqual([
        { value: customerTerm.id, count: 1, title: 'Customer lifetime value' },
      ]);
      const reworded = await call<GlossaryTerm>(`/api/data-catalog/glossary/${customerTerm.id}`, {
        method: 'PATCH',
        json: { name: 'Customer value', definition: 'Revenue per customer' },
      });
      expect(reworded.body).toMatchObject({ status: 'draft', approvedBy: null });
      expect((await search('q=lifetime')).body.total).toBe(0);
      expect((await search('q=customer%20value&type=table')).body.items.map(i => i.ref)).toContain(
        customers,
      );
      const cycle = await call(`/api/data-catalog/glossary/${revenue.id}`, {
        method: 'PATCH',
        json: { parentId: customerTerm.id },
      });
      expect(cycle.status).toBe(400);
      // An asset keeps a term back in draft and can still be edited; it cannot gain one.
      const revenueApproved = await call(`/api/data-catalog/glossary/${revenue.id}/approve`, {
        method: 'POST',
        token: stewardToken,
      });
      expect(revenueApproved.status).toBe(200);
      const both = await patch(customers, { terms: [customerTerm.id, revenue.id] });
      expect(both.status).toBe(200);
      const gained = await patch(companies, { terms: [customerTerm.id] });
      expect(gained.status).toBe(400);
      expect(JSON.stringify(gained.body)).toContain(
        `terms: ${customerTerm.id} is not an approved glossary term`,
      );
      const bulkGained = await call('/api/data-catalog/assets/bulk', {
        method: 'POST',
        json: { refs: [customers, companies], addTerms: [customerTerm.id] },
      });
      expect(bulkGained.status).toBe(400);
      // All or nothing: the asset that already had it was not edited either.
      const kept = await call<AssetDetailsResponse>(`/api/data-catalog/assets/${enc(customers)}`);
      expect([...kept.body.terms].sort()).toEqual([customerTerm.id, revenue.id].sort());
      expect((await patch(customers, { terms: [customerTerm.id] })).status).toBe(200);
    });

    it('deletes leaf terms only, detaching them from their assets', async () => {
      expect(
        (await call(`/api/data-catalog/glossary/${revenue.id}`, { method: 'DELETE' })).status,
      ).toBe(409);
      expect(
        (await call(`/api/data-catalog/glossary/${customerTerm.id}`, { method: 'DELETE' })).status,
      ).toBe(204);
      const details = await call<AssetDetailsResponse>(
        `/api/data-catalog/assets/${enc(customers)}`,
      );
      expect(details.body.terms).toEqual([]);
      expect((await call(`/api/data-catalog/glossary/${customerTerm.id}`)).status).toBe(404);
    });
  });

  describe('facts feed', () => {
    it('serves every asset with curated fields and labels of all statuses to plugins only', async () => {
      expect((await call('/api/data-catalog/facts')).status).toBe(403);
      const { status, body } = await call<AssetFactsResponse>(
        `/api/data-catalog/facts?refs=${enc(`${customersEmail},${companies}`)}`,
        { token: complianceToken },
      );
      expect(status).toBe(200);
      expect(body.items.map(i => i.ref).sort()).toEqual([companies, customersEmail].sort());
      const email = body.items.find(i => i.ref === customersEmail)!;
      expect(email).toMatchObject({
        type: 'column',
        sensitivity: 'CONFIDENTIAL',
        labels: [
          {
            classifierId: 'pii.email',
            status: 'suggested',
            sensitivity: 'CONFIDENTIAL',
            categories: ['PII', 'Contact'],
          },
        ],
      });
      const company = body.items.find(i => i.ref === companies)!;
      expect(company).toMatchObject({
        owners: ['group:default/sales-ops'],
        stewards: ['user:default/stella'],
        tags: ['reviewed'],
        properties: { retentionDays: 365, source: 'salesforce', tier: 1 },
        sensitivity: 'INTERNAL',
      });
    });

    it('pages by ref and narrows to recent changes', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: AssetFactsResponse } = await call<AssetFactsResponse>(
          `/api/data-catalog/facts?limit=5${cursor ? `&cursor=${enc(cursor)}` : ''}`,
          { token: complianceToken },
        );
        seen.push(...page.body.items.map(i => i.ref));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(19);
      expect(seen).toContain(payrollSsn);
      const since = new Date(Date.now() - 60_000).toISOString();
      const recent = await call<AssetFactsResponse>(
        `/api/data-catalog/facts?changedSince=${enc(since)}&limit=5000`,
        { token: complianceToken },
      );
      expect(recent.body.items.length).toBeGreaterThan(0);
      const future = await call<AssetFactsResponse>(
        `/api/data-catalog/facts?changedSince=${enc('2999-01-01T00:00:00Z')}`,
        { token: complianceToken },
      );
      expect(future.body.items).toEqual([]);
      expect(
        (await call('/api/data-catalog/facts?limit=5001', { token: complianceToken })).status,
      ).toBe(400);
    });
  });

  describe('ABAC: catalog.view up to INTERNAL', () => {
    it('filters lists, search and facets in SQL', async () => {
      const list = await call<ListAssetsResponse>('/api/data-catalog/assets?type=table&limit=50', {
        token: limitedToken,
      });
      expect(list.status).toBe(200);
      const refs = list.body.items.map(i => i.ref);
      expect(refs).toContain(companies); // INTERNAL
      expect(refs).toContain(customerNotes); // unclassified
      expect(refs).not.toContain(customers); // CONFIDENTIAL
      expect(refs).not.toContain(payroll); // RESTRICTED
      const found = await search('q=&type=table', limitedToken);
      expect(found.body.items.map(i => i.ref).sort()).toEqual([companies, customerNotes].sort());
      expect(found.body.total).toBe(2);
      expect(found.body.facets.sensitivity).toEqual([{ value: 'INTERNAL', count: 1 }]);
      expect((await search('q=ssn', limitedToken)).body.items).toEqual([]);
      // the unrestricted caller still sees all four
      expect((await search('q=&type=table')).body.total).toBe(4);
    });

    it('hides asset pages, history, columns and tree children above the ceiling', async () => {
      expect(
        (await call(`/api/data-catalog/assets/${enc(customers)}`, { token: limitedToken })).status,
      ).toBe(404);
      expect(
        (await call(`/api/data-catalog/assets/${enc(customers)}/history`, { token: limitedToken }))
          .status,
      ).toBe(404);
      // a CONFIDENTIAL column of a visible table is left out of the table's page
      const legalName = columnRef('ds-1', 'crm', 'public', 'companies', 'legal_name');
      expect((await patch(legalName, { sensitivity: 'CONFIDENTIAL' })).status).toBe(200);
      const open = await call<AssetDetailsResponse>(`/api/data-catalog/assets/${enc(companies)}`, {
        token: limitedToken,
      });
      expect(open.status).toBe(200);
      expect(open.body.columns!.map(c => c.name)).toEqual(['id']);
      const full = await call<AssetDetailsResponse>(`/api/data-catalog/assets/${enc(companies)}`);
      expect(full.body.columns!.map(c => c.name)).toEqual(['id', 'legal_name']);
      const schema = assetRef('schema', ['ds-1', 'crm', 'public']);
      const tree = await call<TreeResponse>(`/api/data-catalog/tree?parentRef=${enc(schema)}`, {
        token: limitedToken,
      });
      expect(tree.body.items.map(i => i.ref)).toEqual([companies]);
      // Hidden children are not even counted.
      expect(tree.body.items[0].childCount).toBe(1);
      const fullTree = await call<TreeResponse>(`/api/data-catalog/tree?parentRef=${enc(schema)}`);
      expect(fullTree.body.items.find(i => i.ref === companies)?.childCount).toBe(2);
      const global = await call<{ hits: { ref: string }[] }>('/api/kernel/search?q=customer', {
        token: limitedToken,
      });
      const hits = global.body.hits.map(h => h.ref);
      expect(hits).not.toContain(customers);
      expect(hits).not.toContain(customersEmail);
      expect(hits).toContain(customerNotes);
    });
  });

  describe('ownership grants', () => {
    it('IS_OWNED_BY sees an asset whichever of its owners the caller is, in lists and pages', async () => {
      await admin('/api/rbac/roles', {
        name: 'owned-reader',
        permissions: [
          {
            permission: 'catalog.view',
            condition: { rule: 'IS_OWNED_BY', params: { owners: '$caller' } },
          },
        ],
      });
      const ownerToken = await user('olga', 'owned-reader');
      const before = await call<AssetDetailsResponse>(`/api/data-catalog/assets/${enc(payroll)}`);
      // Olga is the second owner: lists (SQL) and the asset page (in memory) agree.
      expect(
        (await patch(payroll, { owners: ['group:default/hr', 'user:default/olga'] })).status,
      ).toBe(200);
      try {
        const listed = await search('q=&type=table', ownerToken);
        expect(listed.status).toBe(200);
        expect(listed.body.items.map(i => i.ref)).toEqual([payroll]);
        expect(listed.body.total).toBe(1);
        const page = await call(`/api/data-catalog/assets/${enc(payroll)}`, { token: ownerToken });
        expect(page.status).toBe(200);
        const other = await call(`/api/data-catalog/assets/${enc(companies)}`, {
          token: ownerToken,
        });
        expect(other.status).toBe(404);
      } finally {
        await patch(payroll, { owners: before.body.owners ?? [] });
      }
    });
  });

  describe('sensitivity follows label review', () => {
    it('drops when the only sensitive label is rejected, and the facts keep the rejected label', async () => {
      const decided = await call<{ results: { ok: boolean }[] }>(
        '/api/data-catalog/review/decisions',
        {
          method: 'POST',
          token: classificationsToken,
          json: {
            actor: 'user:default/stella',
            decisions: [
              {
                action: 'reject',
                assetRef: customersEmail,
                classifierId: 'pii.email',
                reason: 'test data only',
              },
            ],
          },
        },
      );
      expect(decided.status).toBe(200);
      expect(decided.body.results[0].ok).toBe(true);
      const table = await call<AssetDetailsResponse>(`/api/data-catalog/assets/${enc(customers)}`);
      expect(table.body.sensitivity).toBeNull();
      expect(
        (await call(`/api/data-catalog/assets/${enc(customers)}`, { token: limitedToken })).status,
      ).toBe(200);
      const facts = await call<AssetFactsResponse>(
        `/api/data-catalog/facts?refs=${enc(customersEmail)}`,
        { token: complianceToken },
      );
      expect(facts.body.items[0]).toMatchObject({
        sensitivity: null,
        labels: [{ classifierId: 'pii.email', status: 'rejected', sensitivity: 'CONFIDENTIAL' }],
      });
    });
  });
});
