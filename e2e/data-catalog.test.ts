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
 * The data catalog end to end: the demo data source is scanned (default rule set) through the
 * scans API, then the catalog browser shows it: the tree down to a table, its columns with
 * keys, labels (with their evidence) and profiles, a column page, a view's definition, and
 * an asset opened from the global search.
 */
describe('Data catalog', () => {
  let server: RacineProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let api: ApiCall;

  const treeLabel = (type: string, name?: string) => {
    const node = page.locator(`[data-testid="tree-node"][data-type="${type}"]`);
    return (name ? node.filter({ hasText: name }) : node)
      .first()
      .locator('> .MuiTreeItem-content .MuiTreeItem-label');
  };

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

  it('opens the catalog from the sidebar and lists the scanned data source', async () => {
    await page
      .getByTestId('sidebar')
      .getByRole('link', { name: 'Data catalog', exact: true })
      .click();
    await page.waitForURL(url => url.pathname === '/catalog');
    await page.getByTestId('asset-tree').waitFor();
    await expect
      .poll(() => page.getByTestId('catalog-sources').textContent())
      .toContain('sample-retail');
    await screenshot(page, 'catalog-home');
  });

  it('walks the tree down to a table and shows its columns, keys, labels and profiles', async () => {
    await treeLabel('datasource', 'sample-retail').click();
    await expect.poll(() => page.getByTestId('asset-name').textContent()).toBe('sample-retail');
    await treeLabel('database').click();
    await treeLabel('schema', 'main').click();
    await expect.poll(() => page.getByTestId('asset-name').textContent()).toBe('main');
    expect(await page.getByTestId('children-table').textContent()).toContain('customers');
    await treeLabel('table', 'customers').click();

    await expect.poll(() => page.getByTestId('asset-name').textContent()).toBe('customers');
    const overview = page.getByTestId('asset-overview');
    await expect.poll(() => overview.textContent()).toContain('main.customers');
    expect(await overview.textContent()).toContain('customer_id');
    expect(await page.getByTestId('breadcrumb').allTextContents()).toEqual(
      expect.arrayContaining(['sample-retail', 'main']),
    );

    const idRow = page.locator('[data-testid="column-row"][data-name="customer_id"]');
    await idRow.getByTestId('pk-chip').waitFor();
    const email = page.locator('[data-testid="column-row"][data-name="email"]');
    await email.getByTestId('label-chip').first().waitFor();
    expect(await email.getByTestId('label-chip').first().getAttribute('data-classifier')).toMatch(
      /EMAIL/i,
    );
    expect(await email.getByTestId('label-chip').first().textContent()).toMatch(/\d+%/);
    expect(await email.getByTestId('column-profile').textContent()).toMatch(/null/);
    await screenshot(page, 'catalog-table');
  });

  it('shows the evidence of a label with masked examples only', async () => {
    const email = page.locator('[data-testid="column-row"][data-name="email"]');
    await email.getByTestId('label-chip').first().click();
    const evidence = page.getByTestId('label-evidence');
    await evidence.waitFor();
    await expect.poll(() => evidence.getByTestId('evidence-signal').count()).toBeGreaterThan(0);
    const examples = await evidence.getByTestId('evidence-example').allTextContents();
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(example).toContain('*');
    await page.waitForTimeout(300); // let the popover finish appearing for the screenshot
    await screenshot(page, 'catalog-evidence');
    await page.keyboard.press('Escape');
    await evidence.waitFor({ state: 'hidden' });
  });

  it('opens a column page with its classification and profile statistics', async () => {
    await page.locator('[data-testid="column-row"][data-name="email"] a').first().click();
    await expect.poll(() => page.getByTestId('asset-name').textContent()).toBe('email');
    await page.getByTestId('asset-labels').getByTestId('label-chip').first().waitFor();
    const stats = page.getByTestId('profile-stats');
    await stats.waitFor();
    expect(await stats.textContent()).toContain('Distinct');
    await screenshot(page, 'catalog-column');
  });

  it('shows the definition of a view', async () => {
    await treeLabel('view').click();
    const sql = page.getByTestId('view-sql');
    await sql.waitFor();
    expect((await sql.textContent())?.toLowerCase()).toContain('select');
    await screenshot(page, 'catalog-view');
  });

  it('opens a table found by the global search', async () => {
    const input = page.getByTestId('global-search-input');
    await input.click();
    await input.fill('order_items');
    const hit = page
      .locator('[data-testid="search-hit"][data-ref^="racine:data-catalog:table/"]')
      .first();
    await hit.waitFor();
    await hit.click();
    await page.waitForURL(url => url.pathname.startsWith('/catalog/asset/'));
    await expect.poll(() => page.getByTestId('asset-name').textContent()).toBe('order_items');
    // The database of the demo source is a file path: its `/` and `.` survive the round trip.
    await expect.poll(() => page.getByTestId('breadcrumb').count()).toBe(3);
    await page.getByTestId('columns-table').waitFor();
    await page.locator('[data-testid="fk-chip"]').first().waitFor();
    await screenshot(page, 'catalog-search-hit');
    expect(pageErrors).toEqual([]);
  });
});
