import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import { guestApi, RacineProcess, scanDemoSource, startRacine } from './support/server';

/*
 * Classifications end to end: the classifier library (search, details with examples, a
 * threshold and enabled change), a custom rule written and tested live (pasted values, then
 * a column of the demo data source), saved and versioned, the review queue after a scan of the
 * demo source (keyboard approve and reject), and the accuracy view.
 */
describe('Classifications', () => {
  let server: RacineProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    server = await startRacine();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    pageErrors = collectPageErrors(page);
    await signInAsGuest(page, server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens from the sidebar and searches the classifier library', async () => {
    await page
      .getByTestId('sidebar')
      .getByRole('link', { name: 'Classifications', exact: true })
      .click();
    await page.waitForURL(url => url.pathname.startsWith('/classifications'));
    await page.getByTestId('tab-library').click();
    await page.getByTestId('classifier-row').first().waitFor();
    expect(await page.getByTestId('classifier-row').count()).toBe(48);
    await page.getByTestId('classifier-search').fill('iban');
    await expect.poll(() => page.getByTestId('classifier-row').count()).toBe(1);
    expect(await page.getByTestId('classifier-row').getAttribute('data-id')).toBe('FIN.IBAN');
    await screenshot(page, 'classifications-library');
  });

  it('shows a classifier with examples and changes its threshold and enabled state', async () => {
    await page.locator('[data-testid="classifier-row"][data-id="FIN.IBAN"] a').click();
    await page.getByTestId('classifier-details').waitFor();
    const examples = await page.getByTestId('classifier-examples').textContent();
    expect(examples).toMatch(/GB\d\d/);
    expect(examples).toContain('****');
    await page.getByTestId('setting-threshold').fill('0.75');
    await page.getByTestId('setting-enabled').uncheck();
    await page.getByTestId('save-classifier').click();
    await page.getByTestId('classifier-saved').waitFor();
    await screenshot(page, 'classifications-classifier');
    await page.getByRole('button', { name: 'Classifier library' }).click();
    await page.getByTestId('classifier-search').fill('FIN.IBAN');
    const row = page.locator('[data-testid="classifier-row"][data-id="FIN.IBAN"]');
    await expect.poll(() => row.getAttribute('data-enabled')).toBe('false');
    expect(await row.textContent()).toContain('0.75');
  });

  it('writes a rule, tests it on pasted values and on a live column, and saves it', async () => {
    await page.getByTestId('tab-rules').click();
    await page.getByTestId('new-rule').click();
    await page.getByTestId('rule-editor').waitFor();
    await page.getByTestId('rule-id-input').fill('RETAIL.SKU');
    await page.getByTestId('rule-name').fill('Retail SKU');
    await page.getByTestId('rule-pattern').fill('^SR-\\d{6}$');
    await page.getByTestId('test-values').fill('SR-000123\nSR-998877\nSR-123456\nSR-12\nwidget');
    const result = page.getByTestId('test-result');
    await expect.poll(() => result.getAttribute('data-fired')).toBe('false');
    expect(await page.getByTestId('test-summary').textContent()).toContain(
      '3 of 5 distinct values match',
    );
    expect(await page.locator('[data-testid="test-match"][data-matched="true"]').count()).toBe(3);
    await page.getByTestId('rule-threshold').fill('0.6');
    await expect.poll(() => result.getAttribute('data-fired')).toBe('true');
    await screenshot(page, 'classifications-rule-test');

    // The demo data source: its products' SKUs, sampled on the server; only masked examples return.
    await page.getByTestId('test-mode-live').click();
    await page.getByTestId('test-datasource').click();
    await page.getByRole('option', { name: /sample-retail/ }).click();
    await page.getByTestId('test-schema').fill('main');
    await page.getByTestId('test-table').fill('products');
    await page.getByTestId('test-column').fill('sku');
    await page.getByTestId('run-live-test').click();
    await expect
      .poll(() => page.getByTestId('test-summary').textContent())
      .toMatch(/of \d+ distinct values match .*\(100%\)/);
    expect(await result.getAttribute('data-fired')).toBe('true');
    expect(await result.textContent()).toMatch(/SR-\*\*\*\*\d\d/);
    await screenshot(page, 'classifications-rule-live');

    await page.getByTestId('save-rule').click();
    await page.waitForURL(url => url.pathname === '/classifications/rules/RETAIL.SKU');
    await expect.poll(() => page.getByTestId('rule-id').textContent()).toContain('version 1');

    await page.getByTestId('rule-threshold').fill('0.9');
    await page.getByTestId('save-rule').click();
    await expect.poll(() => page.getByTestId('rule-id').textContent()).toContain('version 2');
    await expect.poll(() => page.getByTestId('rule-version').count()).toBe(2);
    await page.getByTestId('tab-rules').click();
    await expect
      .poll(() => page.locator('[data-testid="rule-row"][data-id="RETAIL.SKU"]').count())
      .toBe(1);
    await screenshot(page, 'classifications-rules');
  });

  it('reviews the labels a scan of the demo source suggested, with the keyboard', async () => {
    await scanDemoSource(await guestApi(server.baseUrl), 90_000);

    await page.getByTestId('tab-review').click();
    await page.getByTestId('review-row').first().waitFor();
    const rows = page.getByTestId('review-row');
    const before = await rows.count();
    expect(before).toBeGreaterThan(3);
    expect(await page.getByTestId('focused-evidence').textContent()).toMatch(/\*\*\*/);
    await screenshot(page, 'classifications-review');

    // a approves the focused label; j moves down; r rejects with a reason.
    const first = await rows.first().getAttribute('data-column');
    await page.locator('body').press('a');
    await expect
      .poll(() => page.getByTestId('review-message').textContent())
      .toContain('Approved 1 label');
    await expect.poll(() => rows.count()).toBe(before - 1);
    expect(await rows.first().getAttribute('data-column')).not.toBe(first);
    await page.locator('body').press('j');
    await expect.poll(() => rows.nth(1).getAttribute('data-focused')).toBe('true');
    await page.locator('body').press('r');
    await page.getByTestId('reject-reason').fill('Test data');
    await page.getByTestId('reject-reason').press('Enter');
    await expect
      .poll(() => page.getByTestId('review-message').textContent())
      .toContain('Rejected 1 label');
    await expect.poll(() => rows.count()).toBe(before - 2);

    // Bulk: select two with x and approve them.
    await page.locator('body').press('k');
    await page.locator('body').press('x');
    await page.locator('body').press('j');
    await page.locator('body').press('x');
    await page.getByTestId('approve-selected').click();
    await expect
      .poll(() => page.getByTestId('review-message').textContent())
      .toContain('Approved 2 label');
    await expect.poll(() => rows.count()).toBe(before - 4);
  });

  it("shows a column's labels with evidence and history, and relabels there", async () => {
    await page.getByTestId('tab-review').click();
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: 'approved' }).click();
    await page.getByTestId('review-row').first().waitFor();
    await page.getByTestId('open-column-labels').click();
    const panel = page.getByTestId('label-evidence-panel');
    await panel.waitFor();
    const approved = page.locator('[data-testid="asset-label"][data-status="approved"]').first();
    await approved.waitFor();
    expect(await page.getByTestId('masked-examples').first().textContent()).toContain('*');
    await expect
      .poll(() => page.getByTestId('label-history-entry').first().textContent())
      .toContain('approved by guest');
    await screenshot(page, 'classifications-column-labels');

    // A steward relabels it: the old label is rejected, the new one added by hand.
    const classifier = await approved.getAttribute('data-classifier');
    await approved.getByTestId('label-relabel').click();
    await page.getByTestId('label-target').click();
    await page.getByRole('option', { name: /\(PII\.USERNAME\)/ }).click();
    await page.getByTestId('label-reason').fill('Logins, not addresses');
    await page.getByTestId('label-confirm').click();
    await page
      .locator('[data-testid="asset-label"][data-classifier="PII.USERNAME"][data-status="manual"]')
      .waitFor();
    expect(
      await page
        .locator(`[data-testid="asset-label"][data-classifier="${classifier}"]`)
        .getAttribute('data-status'),
    ).toBe('rejected');
    await expect
      .poll(() => page.getByTestId('label-history').textContent())
      .toContain('Logins, not addresses');

    // The catalog's column page shows the labels with their evidence and leads back here.
    const panelUrl = page.url();
    await page.getByRole('link', { name: 'open in the data catalog' }).click();
    const catalogLabels = page.getByTestId('asset-labels');
    await catalogLabels.getByTestId('label-chip').first().waitFor();
    await catalogLabels.getByTestId('review-column-labels').click();
    await page.waitForURL(panelUrl);
    await page
      .locator('[data-testid="asset-label"][data-classifier="PII.USERNAME"][data-status="manual"]')
      .waitFor();
  });

  it('shows the accuracy view and automatic approval', async () => {
    await page.getByTestId('tab-accuracy').click();
    await page.getByTestId('auto-approve').waitFor();
    await page.getByTestId('accuracy-table').waitFor();
    await expect.poll(() => page.getByTestId('overall-precision').textContent()).toBe('50%');
    await screenshot(page, 'classifications-accuracy');
    expect(pageErrors).toEqual([]);
  });
});
