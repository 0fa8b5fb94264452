import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import { guestToken, RacineProcess, startRacine } from './support/server';

/*
 * Scans end to end: from the sidebar, run "Quick PII scan" on the demo data source, watch the
 * live progress (Server-Sent Events) reach 100 %, read the per-table statuses and logs, find the
 * classified columns in the catalog, then schedule, pause, resume and delete a schedule.
 */
describe('Scans', () => {
  let server: RacineProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let runId: string;

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

  it('opens Scans from the sidebar', async () => {
    await page.getByTestId('sidebar').getByRole('link', { name: 'Scans', exact: true }).click();
    await page.waitForURL(url => url.pathname === '/scans');
    await page.getByTestId('runs-table').waitFor();
    await page.getByTestId('schedules-table').waitFor();
  });

  it('runs "Quick PII scan" on the demo source and follows it live to 100 %', async () => {
    await page.getByTestId('run-scan').click();
    await page.getByTestId('run-data-source').click();
    await page
      .locator('[data-testid="run-data-source-option"]', { hasText: 'sample-retail' })
      .click();
    await page.getByTestId('run-rule-set').click();
    await page.locator('[data-testid="run-rule-set-option"][data-id="quick-pii"]').click();
    await page.locator('[data-testid="run-rule-set-option"]').first().waitFor({ state: 'hidden' });
    await screenshot(page, 'scans-run-dialog');
    await page.getByTestId('run-scan-start').click();

    await page.waitForURL(url => url.pathname.startsWith('/scans/runs/'));
    runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await expect.poll(() => page.getByTestId('run-title').textContent()).toBe('sample-retail');
    // The bar moves with the SSE stream; a run of a few tables may already be done.
    await expect
      .poll(() => page.getByTestId('run-progress').getAttribute('data-percent'), {
        timeout: 90_000,
      })
      .toBe('100');
    await expect
      .poll(() => page.getByTestId('run-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('succeeded');
    await expect.poll(() => page.getByTestId('run-table-row').count()).toBeGreaterThan(1);
    const statuses = await page
      .getByTestId('run-table-row')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-status')));
    expect(statuses.every(s => s === 'succeeded')).toBe(true);
    const tables = await page
      .getByTestId('run-table-row')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-table')));
    expect(tables).toContain('main.customers');
    expect(await page.getByTestId('run-progress-text').textContent()).toMatch(
      /^\d+ of \d+ tables \(100 %\)/,
    );
    expect(await page.getByTestId('run-log').textContent()).toMatch(/Planned \d+ table/);
    await screenshot(page, 'scans-run-done');

    // The table opens in the data catalog, with its classified columns.
    await page
      .locator('[data-testid="run-table-row"][data-table="main.customers"]')
      .getByTestId('catalog-link')
      .click();
    await page.waitForURL(url => url.pathname.startsWith('/catalog/asset/'));
    await expect.poll(() => page.getByTestId('asset-name').textContent()).toBe('customers');
    await page
      .locator('[data-testid="column-row"][data-name="email"]')
      .getByRole('link', { name: 'email' })
      .click();
    await expect.poll(() => page.getByTestId('asset-name').textContent()).toBe('email');
    await expect.poll(() => page.getByText('PII.EMAIL_ADDRESS').count()).toBeGreaterThan(0);
    await screenshot(page, 'scans-catalog-column');
    await page.goBack();
    await page.goBack();
    await page.waitForURL(url => url.pathname.startsWith('/scans/runs/'));
    await page.getByTestId('run-table-row').first().waitFor();

    // A table's own log lines open under its row.
    await page
      .locator('[data-testid="run-table-row"][data-table="main.customers"]')
      .getByRole('button', { name: 'Show log' })
      .click();
    await expect
      .poll(() => page.getByText(/Scanned main\.customers: \d+ rows sampled/).count())
      .toBe(1);
  });

  it('published classified columns to the data catalog', async () => {
    const token = await guestToken(server.baseUrl);
    const run = await (
      await fetch(`${server.baseUrl}/api/scans/runs/${runId}`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json();
    const res = await fetch(
      `${server.baseUrl}/api/data-catalog/assets?dataSourceId=${encodeURIComponent(run.dataSourceId)}&type=column&label=PII.EMAIL_ADDRESS`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    expect(res.status).toBe(200);
    const { items } = await res.json();
    expect(items.map((c: { qualifiedName: string }) => c.qualifiedName)).toContain(
      'main.customers.email',
    );
  });

  it('lists the run and manages a schedule: create, pause, resume, delete', async () => {
    await page.getByRole('link', { name: '← All scans' }).click();
    await page.waitForURL(url => url.pathname === '/scans');
    await expect
      .poll(() =>
        page.locator(`[data-testid="run-row"][data-id="${runId}"]`).getAttribute('data-status'),
      )
      .toBe('succeeded');

    await page.getByTestId('new-schedule').click();
    await page.getByTestId('schedule-data-source').click();
    await page
      .locator('[data-testid="schedule-data-source-option"]', { hasText: 'sample-retail' })
      .click();
    await page.getByTestId('schedule-rule-set').click();
    await page.locator('[data-testid="schedule-rule-set-option"][data-id="quick-pii"]').click();
    await page.getByTestId('schedule-cron').fill('0 3 * * 1-5');
    await page.getByTestId('schedule-timezone').fill('Europe/Paris');
    await page.getByTestId('schedule-name').fill('Nightly PII');
    await page.getByTestId('schedule-save').click();
    const row = page.locator('[data-testid="schedule-row"]', { hasText: 'Nightly PII' });
    await row.waitFor();
    expect(await row.textContent()).toContain('0 3 * * 1-5');
    await screenshot(page, 'scans-list');

    await row.getByTestId('pause-schedule').click();
    await expect.poll(() => row.getAttribute('data-paused')).toBe('true');
    await row.getByTestId('resume-schedule').click();
    await expect.poll(() => row.getAttribute('data-paused')).toBe('false');
    page.once('dialog', dialog => void dialog.accept());
    await row.getByTestId('delete-schedule').click();
    await expect
      .poll(() => page.locator('[data-testid="schedule-row"]', { hasText: 'Nightly PII' }).count())
      .toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
