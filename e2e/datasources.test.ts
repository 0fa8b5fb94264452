import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import { RacineProcess, startRacine } from './support/server';

/*
 * The datasources group end to end: the demo source registered on first start, its detail
 * page and connection test, and adding, editing and deleting a PostgreSQL source through the
 * form generated from the connector's JSON Schema. Runs against the machine's PostgreSQL
 * (127.0.0.1:5432), like the API tests.
 */
describe('Data sources', () => {
  let server: RacineProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  const name = `E2E warehouse ${Date.now().toString(36)}`;
  const password = `e2e-pw-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    server = await startRacine();
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    pageErrors = collectPageErrors(page);
    await signInAsGuest(page, server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the demo source from the sidebar', async () => {
    await page
      .getByTestId('sidebar')
      .getByRole('link', { name: 'Data sources', exact: true })
      .click();
    await page.waitForURL(url => url.pathname === '/datasources');
    const demo = page.locator('[data-testid="datasource-row"][data-name="sample-retail"]');
    await demo.waitFor();
    await expect.poll(() => demo.textContent()).toContain('SQLite');
    await screenshot(page, 'datasources-list');
  });

  it('opens the demo source and tests its connection', async () => {
    await page.getByRole('link', { name: 'sample-retail', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('datasource-name').textContent())
      .toBe('sample-retail');
    expect(await page.getByTestId('datasource-config').textContent()).toContain(
      'sample-retail.sqlite',
    );
    await page.getByTestId('test-connection').click();
    const result = page.getByTestId('test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toMatch(/Connected in .*SQLite 3/);
    await expect.poll(() => page.getByTestId('health-row').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('health-row').first().getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('health-chip').first().getAttribute('data-state')).toBe('ok');
    await screenshot(page, 'datasources-detail');
  });

  it('adds a PostgreSQL source through the generated form, with the password as a password input', async () => {
    await page.getByRole('link', { name: 'All data sources' }).click();
    await page.getByTestId('add-datasource').click();
    await page.getByTestId('connector-picker').waitFor();
    await screenshot(page, 'datasources-picker');
    await page.getByTestId('connector-postgres').click();
    await page.getByTestId('datasource-form').waitFor();

    expect(await page.getByTestId('secret-password').getAttribute('type')).toBe('password');
    expect(await page.getByTestId('config-port').inputValue()).toBe('5432');

    // Saving an empty form names the missing fields without calling the server.
    await page.getByTestId('save-datasource').click();
    await expect
      .poll(() => page.getByTestId('datasource-form').textContent())
      .toContain('Required');

    await page.getByTestId('general-name').fill(name);
    await page.getByTestId('general-environment').fill('prod');
    await page.getByTestId('general-tags').fill('warehouse,');
    await page.getByTestId('config-host').fill('127.0.0.1');
    await page.getByTestId('config-database').fill('no_such_database_e2e');
    await page.getByTestId('config-user').fill('postgres');
    await page.getByTestId('secret-password').fill(password);

    await page.getByTestId('form-test-connection').click();
    await expect.poll(() => page.getByTestId('test-result').getAttribute('data-ok')).toBe('false');
    expect(await page.getByTestId('test-result').textContent()).toContain(
      'database "no_such_database_e2e" does not exist',
    );

    await page.getByTestId('config-database').fill('postgres');
    await page.getByTestId('form-test-connection').click();
    await expect.poll(() => page.getByTestId('test-result').getAttribute('data-ok')).toBe('true');
    expect(await page.getByTestId('test-result').textContent()).toContain('PostgreSQL');
    await screenshot(page, 'datasources-form');

    await page.getByTestId('save-datasource').click();
    await expect.poll(() => page.getByTestId('datasource-name').textContent()).toBe(name);
    const config = await page.getByTestId('datasource-config').textContent();
    expect(config).toContain('stored encrypted');
    expect(await page.content()).not.toContain(password);
  });

  it('edits the source and keeps the stored password', async () => {
    await page.getByTestId('edit-datasource').click();
    await page.getByTestId('datasource-form').waitFor();
    expect(await page.getByTestId('general-name').inputValue()).toBe(name);
    expect(await page.getByTestId('secret-password').inputValue()).toBe('');
    await page.getByTestId('general-environment').fill('staging');
    await screenshot(page, 'datasources-edit');
    await page.getByTestId('save-datasource').click();
    await expect.poll(() => page.getByTestId('datasource-details').count()).toBe(1);
    await expect
      .poll(() => page.locator('[data-testid="secret-field"]').textContent())
      .toContain('stored encrypted');
    expect(await page.getByText('staging', { exact: true }).count()).toBeGreaterThan(0);
    await page.getByTestId('test-connection').click();
    await expect.poll(() => page.getByTestId('test-result').getAttribute('data-ok')).toBe('true');
  });

  it('deletes the source after confirmation', async () => {
    await page.getByTestId('delete-datasource').click();
    await page.getByTestId('confirm-delete').waitFor();
    await page.waitForTimeout(400); // let the dialog finish fading in for the screenshot
    await screenshot(page, 'datasources-delete');
    await page.getByTestId('confirm-delete').click();
    await page.waitForURL(url => url.pathname === '/datasources');
    await page.locator('[data-testid="datasource-row"][data-name="sample-retail"]').waitFor();
    expect(await page.locator(`[data-testid="datasource-row"][data-name="${name}"]`).count()).toBe(
      0,
    );
    expect(pageErrors).toEqual([]);
  });
});
