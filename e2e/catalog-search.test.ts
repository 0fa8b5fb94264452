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
 * catalog, narrows the results with a facet, opens a table, edits its description and finds
 * the change in the asset's history.
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
    // the new words are searchable
    const found = await api<{ items: { name: string }[] }>(
      '/api/data-catalog/search?q=bought%20shop',
    );
    expect(found.items.map(i => i.name)).toEqual(['customers']);
    expect(pageErrors).toEqual([]);
  });
});
