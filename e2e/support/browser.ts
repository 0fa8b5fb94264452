import fs from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';

/** Where screenshots go, to look at the UI after a run. */
export const SCREENSHOT_DIR = process.env.RACINE_SCREENSHOT_DIR ?? '/tmp/racine-e2e';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Opens the app, signs in as guest on Backstage's sign-in page, and waits for the shell. */
export async function signInAsGuest(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.getByTestId('sidebar').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = `${SCREENSHOT_DIR}/${name}.png`;
  await page.screenshot({ path: file });
  return file;
}

/** Collects uncaught page errors so a test can assert the UI ran cleanly. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(error.message));
  return errors;
}
