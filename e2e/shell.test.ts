import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import { guestToken, RacineProcess, startRacine } from './support/server';

/*
 * The Racine shell end to end: the real server (as `npm start` runs it), the real built app,
 * headless Chromium, guest sign-in. Tests run in order and share one signed-in page.
 */
describe('Racine shell', () => {
  let server: RacineProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  const suffix = Date.now().toString(36);
  const apiWorkspace = `e2e-search-${suffix}`;
  const paletteWorkspace = `e2e-palette-${suffix}`;

  beforeAll(async () => {
    server = await startRacine();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    pageErrors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in as guest and shows the navigation from the kernel', async () => {
    await signInAsGuest(page, server.baseUrl);
    const sidebar = page.getByTestId('sidebar');
    for (const title of ['System', 'Activity', 'Workspaces']) {
      await expect
        .poll(() => sidebar.getByRole('link', { name: title, exact: true }).count())
        .toBe(1);
    }
    await page.getByTestId('home').waitFor();
    await screenshot(page, 'light-home');
  });

  it('highlights the active route and navigates through the sidebar', async () => {
    await page.getByTestId('sidebar').getByRole('link', { name: 'System', exact: true }).click();
    await page.getByTestId('system-health').waitFor();
    await expect
      .poll(() => page.getByTestId('health-status').textContent())
      .toContain('operational');
    const active = page.getByTestId('sidebar').locator('[aria-current="page"]');
    expect(await active.textContent()).toBe('System');
    await screenshot(page, 'light-system');
  });

  it('finds a workspace by name with the global search and opens it', async () => {
    const token = await guestToken(server.baseUrl);
    const created = await fetch(`${server.baseUrl}/api/kernel/workspaces`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: apiWorkspace,
        title: 'E2E search target',
        description: 'Created by the shell e2e test',
      }),
    });
    expect(created.status).toBe(201);

    const input = page.getByTestId('global-search-input');
    await input.click();
    await input.fill(apiWorkspace);
    const hit = page.locator(`[data-testid="search-hit"][data-ref$="/${apiWorkspace}"]`);
    await hit.waitFor();
    await screenshot(page, 'light-search');
    // Keyboard path: the first hit is active; Enter opens it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    const url = await hit.getAttribute('data-url');
    await page.keyboard.press('Enter');
    await page.waitForURL(u => `${u.pathname}${u.search}` === url);
    await page.locator(`[data-testid="workspace-row"][data-name="${apiWorkspace}"]`).waitFor();
  });

  it('runs platform.createWorkspace from the Ctrl+K palette through its generated form', async () => {
    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await palette.waitFor();
    await page.getByTestId('command-palette-input').fill('create work');
    await screenshot(page, 'light-palette');
    await page.getByTestId('action-item-platform.createWorkspace').click();
    await page.getByTestId('action-form').waitFor();

    // Client-side validation of the JSON Schema: required fields are reported, nothing is sent.
    await page.getByTestId('action-run').click();
    await expect.poll(() => page.getByTestId('action-form').textContent()).toContain('Required');

    await page.getByTestId('action-field-name').fill(paletteWorkspace);
    await page.getByTestId('action-field-title').fill('E2E palette workspace');
    await page
      .getByTestId('action-field-description')
      .fill('Created through the quick-action palette');
    await screenshot(page, 'light-action-form');
    await page.getByTestId('action-run').click();
    const result = page.getByTestId('action-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(paletteWorkspace);
    await screenshot(page, 'light-action-result');

    // Running it again is a conflict: the server's error is shown, not a crash.
    await page.getByTestId('action-run').click();
    await page.getByTestId('action-error').waitFor();
    // The error holds the keyboard focus (the Run button, disabled while running, dropped
    // it), so Escape reaches the palette.
    expect(
      await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null),
    ).toBe('action-error');
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });
  });

  it('lists the new workspace on /workspaces and in the workspace switcher', async () => {
    await page
      .getByTestId('sidebar')
      .getByRole('link', { name: 'Workspaces', exact: true })
      .click();
    const row = page.locator(`[data-testid="workspace-row"][data-name="${paletteWorkspace}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('E2E palette workspace');
    await screenshot(page, 'light-workspaces');

    await page.getByTestId('workspace-switcher').click();
    await page.getByTestId(`workspace-option-${paletteWorkspace}`).click();
    await expect
      .poll(() => page.getByTestId('workspace-switcher').getAttribute('data-workspace'))
      .toBe(paletteWorkspace);
    // The choice survives a reload (localStorage) and is what requests are scoped to.
    await page.reload();
    await expect
      .poll(() => page.getByTestId('workspace-switcher').getAttribute('data-workspace'))
      .toBe(paletteWorkspace);
  });

  it('shows the invocation on the Activity page, filters it and verifies the chain', async () => {
    await page.getByTestId('sidebar').getByRole('link', { name: 'Activity', exact: true }).click();
    await page.getByTestId('activity-table').waitFor();
    const invocation = page.locator(
      '[data-testid="activity-row"][data-verb="platform.createWorkspace"]',
    );
    await invocation.first().waitFor();
    expect(await invocation.first().textContent()).toContain(paletteWorkspace);

    await page.getByTestId('activity-filter-verb').fill('platform.createWorkspace');
    await page.getByTestId('activity-apply').click();
    await page.waitForURL(u => u.searchParams.get('verb') === 'platform.createWorkspace');
    await expect
      .poll(async () => {
        const verbs = await page
          .getByTestId('activity-row')
          .evaluateAll(rows => rows.map(r => r.getAttribute('data-verb')));
        return verbs.length > 0 && verbs.every(v => v === 'platform.createWorkspace');
      })
      .toBe(true);

    await page.getByTestId('verify-chain').click();
    const verdict = page.getByTestId('verify-result');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-ok')).toBe('true');
    await screenshot(page, 'light-activity');
  });

  it('renders the not-found page for unknown routes', async () => {
    await page.goto(`${server.baseUrl}/no-such-page`);
    await page.getByTestId('not-found').waitFor();
  });

  it('switches to the dark theme from the user menu and keeps it', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('theme-toggle').click();
    await page.keyboard.press('Escape');
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .toBe('rgb(14, 17, 22)');
    await page.reload();
    await page.getByTestId('home').waitFor();
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .toBe('rgb(14, 17, 22)');
    await screenshot(page, 'dark-home');
    for (const [path, testId] of [
      ['/system', 'system-health'],
      ['/workspaces', 'workspaces-table'],
      ['/activity', 'activity-table'],
    ] as const) {
      await page.goto(`${server.baseUrl}${path}`);
      await page.getByTestId(testId).waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, `dark${path.replace('/', '-')}`);
    }
    await page.keyboard.press('Control+k');
    await page.getByTestId('action-item-platform.createWorkspace').click();
    await screenshot(page, 'dark-action-form');
    await page.keyboard.press('Escape');
  });

  it('remembers the collapsed sidebar per user', async () => {
    await page.getByTestId('sidebar-toggle').click();
    await expect
      .poll(() => page.getByTestId('sidebar').getAttribute('data-collapsed'))
      .toBe('true');
    await page.reload();
    await page.getByTestId('sidebar').waitFor();
    await expect
      .poll(() => page.getByTestId('sidebar').getAttribute('data-collapsed'))
      .toBe('true');
    await screenshot(page, 'dark-collapsed');
    await page.getByTestId('sidebar-toggle').click();
    await expect
      .poll(() => page.getByTestId('sidebar').getAttribute('data-collapsed'))
      .toBe('false');
  });

  it('signs out back to the sign-in page', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('sign-out').click();
    await page.getByRole('button', { name: 'Enter' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});

describe('Racine shell with a group switched off', () => {
  let server: RacineProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startRacine({
      extraConfigYaml: 'racine:\n  groups:\n    platform:\n      enabled: false\n',
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('does not install the group pages: their routes 404 and the sidebar omits them', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await signInAsGuest(page, server.baseUrl);
    await page.getByTestId('home').waitFor();
    await page.waitForLoadState('networkidle');
    const sidebar = page.getByTestId('sidebar');
    expect(await sidebar.getByRole('link', { name: 'System', exact: true }).count()).toBe(0);
    expect(await sidebar.getByRole('link', { name: 'Workspaces', exact: true }).count()).toBe(0);
    await page.goto(`${server.baseUrl}/system`);
    await page.getByTestId('not-found').waitFor();
    await page.goto(`${server.baseUrl}/workspaces`);
    await page.getByTestId('not-found').waitFor();
  });
});
