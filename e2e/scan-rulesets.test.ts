import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import { RacineProcess, startRacine } from './support/server';

/*
 * Scan rule sets end to end: the built-ins listed from the sidebar, editing "Quick PII scan"
 * with a live preview against the demo data source, saving a new version, comparing versions
 * and rolling back.
 */
describe('Scan rule sets', () => {
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

  const previewCount = async (testId: string) =>
    Number(await page.getByTestId(testId).textContent());

  it('lists the built-in rule sets from the sidebar', async () => {
    await page
      .getByTestId('sidebar')
      .getByRole('link', { name: 'Scan rule sets', exact: true })
      .click();
    await page.waitForURL(url => url.pathname === '/scan-rulesets');
    await page.getByTestId('rule-set-row').first().waitFor();
    const ids = await page
      .getByTestId('rule-set-row')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-id')));
    expect(ids).toEqual(
      expect.arrayContaining(['default', 'quick-pii', 'full-profile', 'pci-focus']),
    );
    await screenshot(page, 'scan-rulesets-list');
  });

  it('opens "Quick PII scan" and previews it against the demo data source', async () => {
    await page.getByRole('link', { name: 'Quick PII scan', exact: true }).click();
    await page.waitForURL(url => url.pathname === '/scan-rulesets/quick-pii');
    await expect
      .poll(() => page.getByTestId('rule-set-title').textContent())
      .toBe('Quick PII scan');
    expect(await page.getByTestId('rule-set-version').textContent()).toBe('Version 1');
    expect(await page.getByTestId('sample-size').inputValue()).toBe('100');

    // The demo source is registered on first start; pick it when the panel has not already.
    const picker = page.getByTestId('preview-data-source');
    if (!(await picker.textContent())?.includes('sample-retail')) {
      await picker.click();
      await page
        .getByTestId('preview-data-source-option')
        .filter({ hasText: 'sample-retail' })
        .click();
    }
    await page.getByTestId('preview-result').waitFor();
    await expect.poll(() => previewCount('preview-tables')).toBeGreaterThan(1);
    const tables = await page
      .getByTestId('preview-table')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-table')));
    expect(tables).toContain('main.orders');
    await screenshot(page, 'scan-rulesets-preview');
  });

  it('edits the rule set, previews the unsaved change live, and saves it as version 2', async () => {
    const before = await previewCount('preview-tables');
    const input = page.getByTestId('exclude-tables');
    await input.fill('order*');
    await input.press('Enter');
    await page.getByTestId('sample-size').fill('250');
    // The preview follows the unsaved definition: the order tables drop out.
    await expect
      .poll(() => previewCount('preview-tables'), { timeout: 15_000 })
      .toBeLessThan(before);
    const tables = await page
      .getByTestId('preview-table')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-table')));
    expect(tables).not.toContain('main.orders');
    expect(tables).not.toContain('main.order_items');

    // An out-of-range value is named before anything is sent, and blocks saving.
    await page.getByTestId('table-timeout').fill('99999');
    await expect.poll(() => page.getByTestId('section-limits').textContent()).toContain('Too big');
    expect(await page.getByTestId('save-rule-set').isDisabled()).toBe(true);
    await page.getByTestId('table-timeout').fill('120');

    await page.getByTestId('version-note').fill('Skip order tables, bigger sample');
    await page.getByTestId('save-rule-set').click();
    await expect
      .poll(() => page.getByTestId('save-status').textContent())
      .toBe('Saved as version 2');
    expect(await page.getByTestId('rule-set-version').textContent()).toBe('Version 2');
    await screenshot(page, 'scan-rulesets-saved');
  });

  it('shows the version history with a field-by-field diff', async () => {
    await page.getByTestId('tab-history').click();
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2);
    expect(
      await page.locator('[data-testid="version-row"][data-version="2"]').textContent(),
    ).toContain('Skip order tables, bigger sample');
    await page.getByTestId('diff-table').waitFor();
    const paths = await page
      .getByTestId('diff-row')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-path')));
    expect(paths).toEqual(['definition.exclude.tables', 'definition.sampling.size']);
    const size = page.locator('[data-testid="diff-row"][data-path="definition.sampling.size"]');
    expect(await size.textContent()).toContain('100');
    expect(await size.textContent()).toContain('250');
    await screenshot(page, 'scan-rulesets-history');
  });

  it('rolls back to version 1 as version 3', async () => {
    await page
      .locator('[data-testid="version-row"][data-version="1"]')
      .getByTestId('rollback')
      .click();
    await page.getByTestId('confirm-rollback').click();
    await expect.poll(() => page.getByTestId('rule-set-version').textContent()).toBe('Version 3');
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(3);
    expect(
      await page.locator('[data-testid="version-row"][data-version="3"]').textContent(),
    ).toContain('Rolled back to version 1');
    await page.getByTestId('tab-edit').click();
    expect(await page.getByTestId('sample-size').inputValue()).toBe('100');
    expect(pageErrors).toEqual([]);
  });
});
