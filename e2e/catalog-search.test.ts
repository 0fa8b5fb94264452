import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import {
  guestApi,
  scanDemoSource,
  type ApiCall,
  type RacineProcess,
  startRacine,
} from './support/server';

/*
 * Catalog search end to end: the demo data source is scanned, then a steward searches the
 * catalog (results and facets name the data source), narrows the results with a facet, opens
 * a table, edits its description and sensitivity override and finds the change in the asset's
 * history; filters the catalog by a label typed in any case; proposes a glossary term it may
 * not approve itself (four eyes), which a second steward approves, and finds the term by name
 * in the history of the asset it was attached to.
 */
describe('Catalog search and curation', () => {
  let server: RacineProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let api: ApiCall;

  beforeAll(async () => {
    server = await startRacine();
    api = await guestApi(server.baseUrl);
    await scanDemoSource(api);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    pageErrors = collectPageErrors(page);
    await signInAsGuest(page, server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('searches the catalog and narrows the results with a facet', async () => {
    await page.goto(`${server.baseUrl}/catalog`);
    await page.getByTestId('open-catalog-search').click();
    await page.waitForURL(url => url.pathname === '/catalog/search');
    await page.getByTestId('search-input').fill('customers');
    await page.locator('[data-testid="search-result"]').first().waitFor();
    // the exact name comes first
    await expect
      .poll(() => page.locator('[data-testid="search-result"] a').first().textContent())
      .toBe('customers');
    // Results and the data source facet name the data source, not its id.
    await expect
      .poll(() => page.getByTestId('result-datasource').first().textContent())
      .toBe('sample-retail');
    const sourceFacet = page.getByTestId('facet-dataSourceId').getByTestId('facet-value');
    await expect.poll(() => sourceFacet.first().textContent()).toMatch(/^sample-retail\d+$/);
    await sourceFacet.first().locator('input[type="checkbox"]').check();
    await expect
      .poll(() => page.getByTestId('active-filter').first().textContent())
      .toBe('Data source: sample-retail');
    await page.getByTestId('active-filter').first().locator('.MuiChip-deleteIcon').click();
    await expect.poll(() => page.getByTestId('active-filter').count()).toBe(0);
    const tableFacet = page
      .getByTestId('facet-type')
      .locator('[data-testid="facet-value"][data-value="table"]');
    await tableFacet.waitFor();
    const tables = Number(await tableFacet.getByTestId('facet-count').textContent());
    expect(tables).toBeGreaterThan(0);
    await tableFacet.locator('input[type="checkbox"]').check();
    await page.waitForURL(url => url.searchParams.get('type') === 'table');
    await expect
      .poll(() => page.getByTestId('search-total').textContent())
      .toBe(`${tables} asset${tables === 1 ? '' : 's'}`);
    await expect
      .poll(async () =>
        (
          await page
            .locator('[data-testid="search-result"]')
            .evaluateAll(rows => rows.map(r => r.getAttribute('data-ref') ?? ''))
        ).every(ref => ref.startsWith('racine:data-catalog:table/')),
      )
      .toBe(true);
    await screenshot(page, 'catalog-search-facets');
  });

  it('opens an asset, edits its description and finds the change in its history', async () => {
    await page
      .locator('[data-testid="search-result"] a', { hasText: /^customers$/ })
      .first()
      .click();
    await page.waitForURL(url => url.pathname.startsWith('/catalog/asset/'));
    await expect.poll(() => page.getByTestId('asset-name').textContent()).toBe('customers');
    await page.getByTestId('edit-curation').click();
    await page.getByTestId('description-input').fill('Everyone who **bought** from the shop');
    // A code with leading zeros stays text; a plain number is saved as a number.
    await page.getByTestId('properties-input').fill('cost_center=00123\nretention_days=365');
    await page.getByTestId('save-curation').click();
    await expect
      .poll(() => page.getByTestId('asset-description').textContent())
      .toContain('Everyone who bought from the shop');
    const curated = await api<{ properties: Record<string, unknown> }>(
      `/api/data-catalog/assets/${new URL(page.url()).pathname.split('/').pop()}`,
    );
    expect(curated.properties).toEqual({ cost_center: '00123', retention_days: 365 });
    await screenshot(page, 'catalog-curated');
    await page.getByTestId('tab-history').click();
    const entry = page.getByTestId('history-entry').first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain('description');
    expect(await entry.textContent()).toContain('Everyone who **bought** from the shop');
    await screenshot(page, 'catalog-history');
    await page.getByTestId('tab-overview').click();
    // the new words are searchable
    const found = await api<{ items: { name: string }[] }>(
      '/api/data-catalog/search?q=bought%20shop',
    );
    expect(found.items.map(i => i.name)).toEqual(['customers']);
    expect(pageErrors).toEqual([]);
  });

  it('edits the sensitivity override, never pre-filled with the level the labels give', async () => {
    const ref = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const before = await api<{ sensitivity: string | null; sensitivityOverride: string | null }>(
      `/api/data-catalog/assets/${encodeURIComponent(ref)}`,
    );
    expect(before.sensitivityOverride).toBeNull();
    const source = page.getByTestId('asset-curation').getByTestId('sensitivity-source');
    if (before.sensitivity) await expect.poll(() => source.textContent()).toBe('(from the labels)');
    await page.getByTestId('edit-curation').click();
    const select = page.getByTestId('curation-form').locator('[aria-haspopup="listbox"]');
    // No override: the field is empty (the labels decide), whatever level they give.
    expect((await select.textContent())?.replace(/[\s\u200b]/g, '')).toBe('');
    await select.click();
    await page.getByRole('option', { name: 'RESTRICTED', exact: true }).click();
    await page.getByTestId('save-curation').click();
    await expect.poll(() => source.textContent()).toBe('(set by a steward)');
    expect(
      await page.getByTestId('asset-curation').getByTestId('sensitivity-chip').textContent(),
    ).toBe('RESTRICTED');
    await page.getByTestId('edit-curation').click();
    await expect.poll(async () => (await select.textContent())?.trim()).toBe('RESTRICTED');
    await screenshot(page, 'catalog-sensitivity-override');
    await page.getByRole('button', { name: 'Cancel' }).click();
    const after = await api<{ sensitivityOverride: string | null }>(
      `/api/data-catalog/assets/${encodeURIComponent(ref)}`,
    );
    expect(after.sensitivityOverride).toBe('RESTRICTED');
    expect(pageErrors).toEqual([]);
  });

  it('filters the catalog by a label typed in any case, and suggests the real ids', async () => {
    const facets = await api<{ facets: { label?: { value: string }[] } }>(
      '/api/data-catalog/search?type=column&limit=1',
    );
    const ids = (facets.facets.label ?? []).map(v => v.value);
    const id = ids.find(v => /EMAIL/i.test(v)) ?? ids[0];
    expect(id).toBeTruthy();
    await page.goto(`${server.baseUrl}/catalog`);
    const box = page.getByTestId('catalog-label-filter');
    // The placeholder is a label the catalog holds.
    await expect.poll(() => box.getAttribute('placeholder')).toMatch(/\S/);
    expect(ids).toContain(await box.getAttribute('placeholder'));
    // Part of the id, in lower case: the box offers the id, and a search for it suggests it.
    const partial = id.toLowerCase().slice(0, -3);
    await box.fill(partial);
    await page.getByTestId('label-option').filter({ hasText: id }).first().waitFor();
    await page.keyboard.press('Escape');
    await page.waitForURL(url => url.searchParams.get('label') === partial);
    await page.getByTestId('catalog-no-match').waitFor();
    const suggestion = page.getByTestId('label-suggestion').filter({ hasText: id });
    await suggestion.first().waitFor();
    await screenshot(page, 'catalog-label-suggestion');
    await suggestion.first().click();
    await page.waitForURL(url => url.searchParams.get('label') === id);
    await page.getByTestId('asset-row').first().waitFor();
    const exact = await page.getByTestId('asset-row').count();
    expect(exact).toBeGreaterThan(0);
    // The id typed in lower case finds the same assets.
    await box.fill(id.toLowerCase());
    await page.keyboard.press('Escape');
    await page.waitForURL(url => url.searchParams.get('label') === id.toLowerCase());
    await expect.poll(() => page.getByTestId('asset-row').count()).toBe(exact);
    expect(pageErrors).toEqual([]);
  });

  it('keeps the author of a glossary term from approving it; the history names the term', async () => {
    const suffix = Date.now().toString(36).slice(-5);
    const term = await api<{ id: string; name: string }>('/api/data-catalog/glossary', {
      method: 'POST',
      json: { name: `Shop customer ${suffix}`, definition: 'Someone who **bought** once' },
    });
    await page.goto(`${server.baseUrl}/catalog/glossary/${encodeURIComponent(term.id)}`);
    await expect.poll(() => page.getByTestId('term-title').textContent()).toBe(term.name);
    // The guest wrote this version: the button is there, disabled, and says why.
    const approve = page.getByTestId('approve-term');
    await approve.waitFor();
    expect(await approve.isDisabled()).toBe(true);
    expect(await page.getByTestId('approve-term-blocked').textContent()).toBe(
      'Another steward must approve: you wrote this version',
    );
    await screenshot(page, 'glossary-approve-own-term');

    // A second steward (a native account allowed to approve) approves it.
    const username = `stella-${suffix}`;
    const password = 'a long steward passphrase';
    await api('/api/rbac/users', { method: 'POST', json: { username, password } });
    await api('/api/rbac/grants', {
      method: 'POST',
      json: { subject: `user:default/${username}`, permission: 'catalog.glossary.approve' },
    });
    const signIn = await fetch(`${server.baseUrl}/api/auth/native/refresh`, {
      method: 'POST',
      headers: {
        'X-Requested-With': 'XMLHttpRequest',
        Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      },
    });
    expect(signIn.status).toBe(200);
    const { token } = ((await signIn.json()) as { backstageIdentity: { token: string } })
      .backstageIdentity;
    const approved = await fetch(
      `${server.baseUrl}/api/data-catalog/glossary/${encodeURIComponent(term.id)}/approve`,
      { method: 'POST', headers: { Authorization: `Bearer ${token}` } },
    );
    expect(approved.status).toBe(200);
    await page.reload();
    await expect.poll(() => page.getByTestId('term-title').textContent()).toBe(term.name);
    expect(await page.getByTestId('approve-term').count()).toBe(0);

    // Attached to a table, the term shows by name in the table's history.
    const found = await api<{ items: { ref: string; name: string }[] }>(
      '/api/data-catalog/search?q=customers&type=table',
    );
    const customers = found.items.find(i => i.name === 'customers')!;
    await api(`/api/data-catalog/assets/${encodeURIComponent(customers.ref)}`, {
      method: 'PATCH',
      json: { terms: [term.id] },
    });
    await page.goto(`${server.baseUrl}/catalog/asset/${encodeURIComponent(customers.ref)}`);
    await page.getByTestId('tab-history').click();
    const entry = page.getByTestId('history-entry').first();
    await expect.poll(() => entry.textContent()).toContain(`terms: — → ${term.name}`);
    expect(await entry.textContent()).not.toContain(term.id);
    await screenshot(page, 'catalog-history-term');
    expect(pageErrors).toEqual([]);
  });
});
