import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import { guestToken, RacineProcess, startRacine } from './support/server';

/*
 * Access control end to end, in headless Chromium against the real server: an administrator
 * (the development guest) creates a user and a role and grants it in a workspace; the user
 * signs in with the native form and sees exactly the nav items the policy allows; an access
 * request is approved in the inbox and the access works.
 */
describe('Racine access control', () => {
  let server: RacineProcess;
  let browser: Browser;
  let admin: Page;
  let user: Page;
  let adminErrors: string[];
  const suffix = Date.now().toString(36).slice(-5);
  const username = `sally-${suffix}`;
  const password = 'sally long passphrase';
  const role = `sales-lead-${suffix}`;

  const navIds = async (page: Page) => {
    await page.getByTestId('sidebar').waitFor();
    return (
      (
        await page
          .locator('[data-testid^="nav-item-"]')
          .evaluateAll(els =>
            els.map(el => el.getAttribute('data-testid')!.slice('nav-item-'.length)),
          )
      )
        // The shell's own Home link is always there.
        .filter(id => id !== 'home')
        .sort()
    );
  };
  const api = async (path: string, init: RequestInit & { token: string }) => {
    const res = await fetch(`${server.baseUrl}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${init.token}`,
        'Content-Type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    return res;
  };

  beforeAll(async () => {
    server = await startRacine();
    browser = await launchBrowser();
    admin = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    admin.setDefaultTimeout(20_000);
    adminErrors = collectPageErrors(admin);
    user = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    user.setDefaultTimeout(20_000);
    const token = await guestToken(server.baseUrl);
    const ws = await api('/api/kernel/workspaces', {
      method: 'POST',
      token,
      body: JSON.stringify({ name: `sales-${suffix}`, title: 'Sales' }),
    });
    expect(ws.status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an admin creates a user, a role with a permission, and grants it in a workspace', async () => {
    await signInAsGuest(admin, server.baseUrl);
    // The shell draws the sidebar before the navigation the caller may see has arrived.
    await expect
      .poll(() => navIds(admin), { timeout: 15_000 })
      .toEqual(
        expect.arrayContaining([
          'rbac.users',
          'rbac.roles',
          'rbac.grants',
          'rbac.explain',
          'rbac.accessRequests',
          'rbac.myAccess',
        ]),
      );

    await admin.getByTestId('nav-item-rbac.users').click();
    await admin.getByTestId('new-user').click();
    await admin.getByTestId('user-username').fill(username);
    await admin.getByTestId('user-displayName').fill('Sally Sales');
    await admin.getByTestId('user-password').fill(password);
    await admin.getByTestId('dialog-submit').click();
    await admin.locator(`[data-testid="user-row"][data-name="${username}"]`).waitFor();
    await screenshot(admin, 'rbac-users');

    await admin.getByTestId('nav-item-rbac.roles').click();
    await admin.getByTestId('new-role').click();
    await admin.getByTestId('role-name').fill(role);
    await admin.getByTestId('dialog-submit').click();
    const cell = admin.getByTestId(`cell-${role}-workspace.manage`);
    await cell.waitFor();
    await cell.click();
    await expect.poll(() => cell.isChecked(), { timeout: 15_000 }).toBe(true);
    await screenshot(admin, 'rbac-roles');

    await admin.getByTestId('nav-item-rbac.grants').click();
    await admin.getByTestId('new-grant').click();
    await admin.getByTestId('grant-subject').fill(`user:default/${username}`);
    await admin.getByTestId('grant-role').click();
    await admin.getByRole('option', { name: role, exact: true }).click();
    await admin.getByTestId('grant-workspace').click();
    await admin.getByRole('option', { name: 'Sales', exact: true }).click();
    await admin.getByTestId('dialog-submit').click();
    await expect
      .poll(() => admin.getByTestId('grant-row').filter({ hasText: username }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await screenshot(admin, 'rbac-grants');
  });

  it('the user signs in with the native form and sees exactly the allowed nav items', async () => {
    await user.goto(`${server.baseUrl}/`);
    await user.getByTestId('sign-in-username').waitFor();
    await screenshot(user, 'rbac-sign-in');
    await user.getByTestId('sign-in-username').fill(username);
    await user.getByTestId('sign-in-password').fill('wrong password here');
    await user.getByTestId('sign-in-submit').click();
    await user.getByRole('alert').waitFor();
    await user.getByTestId('sign-in-password').fill(password);
    await user.getByTestId('sign-in-submit').click();
    // workspace.manage in one workspace: the access-request inbox, and My access; nothing else.
    await expect
      .poll(() => navIds(user), { timeout: 15_000 })
      .toEqual(['rbac.accessRequests', 'rbac.myAccess']);
    await screenshot(user, 'rbac-user-nav');
    // The session survives a reload (HttpOnly cookie).
    await user.reload();
    await expect
      .poll(() => navIds(user), { timeout: 15_000 })
      .toEqual(['rbac.accessRequests', 'rbac.myAccess']);
  });

  it('an access request is approved and the access works', async () => {
    await user.getByTestId('nav-item-rbac.myAccess').click();
    await user.getByTestId('my-access').waitFor();
    await user.getByTestId('request-role').click();
    await user.getByRole('option', { name: 'auditor', exact: true }).click();
    await user.getByTestId('request-reason').fill('Quarterly audit of the sales trail');
    await user.getByTestId('request-submit').click();
    await user.locator('[data-testid="my-request"][data-status="pending"]').waitFor();
    await screenshot(user, 'rbac-my-access');

    await admin.getByTestId('nav-item-rbac.accessRequests').click();
    const row = admin
      .locator('[data-testid="request-row"][data-status="pending"]')
      .filter({ hasText: username });
    await row.getByTestId('approve').click();
    await admin
      .locator('[data-testid="request-row"][data-status="approved"]')
      .filter({ hasText: username })
      .waitFor();
    await screenshot(admin, 'rbac-requests');

    await user.reload();
    await user.locator('[data-testid="my-request"][data-status="approved"]').waitFor();
    await expect
      .poll(() => navIds(user), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['kernel.activity', 'rbac.myAccess']));
    await user.getByTestId('nav-item-kernel.activity').click();
    await expect.poll(() => user.url(), { timeout: 15_000 }).toContain('/activity');
    await screenshot(user, 'rbac-user-activity');
    expect(adminErrors).toEqual([]);
  });
});
