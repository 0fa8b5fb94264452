import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import { guestApi, RacineProcess, scanDemoSource, startRacine } from './support/server';

/*
 * Compliance end to end: after a scan of the demo source labels PII, an evaluation from the
 * frameworks overview scores the frameworks; the GDPR drill-down leads to the requirement's
 * findings; findings are acknowledged and a waiver requested in bulk and approved; a custom
 * rule is written with its live test against the catalog; a report is downloaded.
 */
describe('Compliance', () => {
  let server: RacineProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    server = await startRacine();
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    pageErrors = collectPageErrors(page);
    await signInAsGuest(page, server.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('scans the demo source so the catalog holds labelled columns', async () => {
    await scanDemoSource(await guestApi(server.baseUrl), 90_000);
  });

  it('evaluates from the frameworks overview and shows the scores', async () => {
    await page
      .getByTestId('sidebar')
      .getByRole('link', { name: 'Compliance', exact: true })
      .click();
    await page.waitForURL(url => url.pathname.startsWith('/compliance/frameworks'));
    for (const id of ['gdpr', 'ccpa', 'hipaa', 'pci-dss', 'soc2', 'iso27001'])
      await page.getByTestId(`framework-${id}`).waitFor();
    await page.getByTestId('evaluate').click();
    await expect
      .poll(() => page.getByTestId('last-evaluation').textContent(), { timeout: 60_000 })
      .toMatch(/Last evaluation: succeeded, \d+ assets, 6 rules/);
    await expect.poll(() => page.getByTestId('score-gdpr').textContent()).toMatch(/^\d+(\.\d)?%$/);
    await screenshot(page, 'compliance-overview');
  });

  it('drills down from a requirement to its findings, and acts on them in bulk', async () => {
    await page.getByTestId('framework-gdpr').click();
    await page.getByTestId('requirements').waitFor();
    expect(await page.getByTestId('framework-title').textContent()).toContain('GDPR');
    await screenshot(page, 'compliance-framework');
    await page.getByTestId('requirement-art-5-2').getByRole('link', { name: 'art-5-2' }).click();
    await page.waitForURL(url => url.pathname === '/compliance/findings');
    const rows = page.getByTestId('finding-row');
    await rows.first().waitFor();
    const before = await rows.count();
    expect(before).toBeGreaterThan(1);
    expect(await rows.first().textContent()).toContain('Every column labelled PII has an owner');

    // Evidence and history of one finding.
    await rows.first().getByRole('button').click();
    await expect.poll(() => page.getByTestId('finding-evidence').textContent()).toContain('PII');
    await page.getByRole('button', { name: 'Close' }).click();

    // Acknowledge one: it leaves the open inbox.
    await rows.first().getByRole('checkbox').check();
    await page.getByTestId('bulk-acknowledge').click();
    await expect.poll(() => rows.count()).toBe(before - 1);

    // Request a waiver for another.
    await rows.first().getByRole('checkbox').check();
    await page.getByTestId('bulk-waiver').click();
    await page.getByTestId('waiver-reason').fill('Demo data, no real customers');
    await page.getByTestId('waiver-submit').click();
    await screenshot(page, 'compliance-findings');
  });

  it('approves the waiver, which waives the finding', async () => {
    await page.getByTestId('tab-waivers').click();
    const row = page.getByTestId('waiver-row').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('Demo data, no real customers');
    await page.getByTestId('approve-waiver').first().click();
    await expect.poll(() => page.getByTestId('waiver-row').count()).toBe(0);
    await page.getByTestId('tab-findings').click();
    await page.getByTestId('filter-status').click();
    await page.getByRole('option', { name: 'waived' }).click();
    await expect.poll(() => page.getByTestId('finding-row').count()).toBe(1);
    await screenshot(page, 'compliance-waived');
  });

  it('writes a custom rule with a live test against the catalog and saves it', async () => {
    await page.getByTestId('tab-rules').click();
    await page.getByTestId('rule-pii-has-owner').waitFor();
    await page.getByTestId('new-rule').click();
    const editor = page.getByTestId('rule-json');
    await editor.waitFor();
    const rule = {
      id: 'pii-described',
      name: 'PII columns are described',
      description: '',
      severity: 'low',
      subject: 'asset',
      scope: { some: 'labels', where: { field: 'categories', op: 'contains', value: 'PII' } },
      assert: { field: 'asset.description', op: 'notEmpty' },
      labelStatuses: null,
      slaDays: null,
      remediation: 'Describe the column',
      enabled: true,
    };
    await editor.fill(JSON.stringify(rule, null, 2));
    await expect
      .poll(() => page.getByTestId('rule-test-summary').textContent(), { timeout: 30_000 })
      .toMatch(/\d+ assets evaluated: [1-9]\d* in scope, [1-9]\d* failing/);
    await screenshot(page, 'compliance-rule-test');
    await page.getByTestId('save-rule').click();
    await page.getByTestId('rule-pii-described').waitFor();
  });

  it('downloads a framework report and the audit trail', async () => {
    await page.getByTestId('tab-reports').click();
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-csv').click(),
    ]);
    const text = fs.readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toMatch(/^framework,framework_version,as_of,requirement_id/);
    expect(text).toContain('pii-has-owner');
    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-pdf').click(),
    ]);
    expect(
      fs
        .readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const [trail] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-audit').click(),
    ]);
    expect(fs.readFileSync((await trail.path())!, 'utf8')).toContain('waiver.approved');
    await screenshot(page, 'compliance-reports');
    expect(pageErrors).toEqual([]);
  });
});
