import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signInAsGuest } from './support/browser';
import { RacineProcess, startRacine } from './support/server';

/*
 * The Job Workflow Space end to end: build a three-task job by dragging steps from the palette
 * onto the canvas and connecting them, fill their forms (with a dynamic value), save it, run it
 * and watch the live run view finish (its check fails on a non-number parameter), then repair
 * the failed task with a new parameter and watch the run succeed. Also: the templates gallery.
 */
describe('Jobs and pipelines', () => {
  let server: RacineProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    server = await startRacine();
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

  const node = (key: string) => page.locator(`[data-testid="task-node"][data-key="${key}"]`);

  it('opens Jobs from the sidebar', async () => {
    await page.getByTestId('sidebar').getByRole('link', { name: 'Jobs', exact: true }).click();
    await page.waitForURL(url => url.pathname === '/jobs');
    await page.getByTestId('jobs-table').waitFor();
  });

  it('builds a three-task job by dragging steps onto the canvas and connecting them', async () => {
    await page.getByTestId('new-job').click();
    await page.waitForURL(url => url.pathname === '/jobs/new');
    const canvas = page.getByTestId('builder-canvas');
    await canvas.waitFor();
    const drop = async (step: string, x: number, y: number) =>
      page.dragAndDrop(
        `[data-testid="palette-step"][data-step="${step}"]`,
        '[data-testid="builder-canvas"]',
        {
          targetPosition: { x, y },
        },
      );
    await drop('core.setValues', 160, 90);
    await node('set_values').waitFor();
    await drop('core.condition', 320, 260);
    await node('condition').waitFor();
    await drop('core.setValues', 160, 430);
    await node('set_values_2').waitFor();

    // Dependencies: drag from a task's right handle to another task's left handle.
    const connect = async (from: string, to: string) => {
      const a = (await page.getByTestId(`handle-out-${from}`).boundingBox())!;
      const b = (await page.getByTestId(`handle-in-${to}`).boundingBox())!;
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
      await page.mouse.up();
    };
    await connect('set_values', 'condition');
    await connect('condition', 'set_values_2');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);
    // A dependency that would close a cycle is refused.
    await connect('set_values_2', 'set_values');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('cycle');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2);

    // Job settings (nothing selected): a name and a parameter.
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 400 } });
    await page.getByTestId('job-name').fill('E2E three tasks');
    await page.getByLabel('Add parameter').click();
    await page.getByTestId('parameter-name-0').fill('n');
    await page.getByTestId('parameter-default-0').fill('abc');

    // The forms come from each step's input schema.
    await node('set_values').click();
    await page.getByTestId('input-values').fill('{"n": "{{job.parameters.n}}"}');
    await node('condition').click();
    const left = page.getByTestId('input-left');
    await left.fill('{{tasks.set');
    // Typing {{ offers the names the task may use.
    await page
      .getByTestId('reference-suggestions')
      .getByText('{{tasks.set_values.values.n}}')
      .click();
    await expect.poll(() => left.inputValue()).toBe('{{tasks.set_values.values.n}}');
    await page.getByTestId('input-op').click();
    await page.getByRole('option', { name: 'GREATER_THAN', exact: true }).click();
    await page.getByTestId('input-right').fill('1');
    // A reference to a name that does not exist is flagged as you build.
    await node('set_values_2').click();
    await page.getByTestId('input-values').fill('{"outcome": "{{tasks.condition.values.nope}}"}');
    await expect.poll(() => node('set_values_2').getAttribute('data-invalid')).toBe('true');
    expect(await page.getByTestId('save-job').isDisabled()).toBe(true);
    await page
      .getByTestId('input-values')
      .fill('{"outcome": "{{tasks.condition.values.outcome}}"}');
    await expect.poll(() => page.getByTestId('builder-valid').isVisible()).toBe(true);
    await screenshot(page, 'pipelines-builder');

    await page.getByTestId('save-job').click();
    await page.waitForURL(
      url => /^\/jobs\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'),
    );
    await expect.poll(() => page.getByTestId('job-title').textContent()).toBe('E2E three tasks');
  });

  it('runs the job and watches it finish in the live run view', async () => {
    await page.getByTestId('run-now').click();
    await expect.poll(() => page.getByTestId('param-n').inputValue()).toBe('abc');
    await page.getByTestId('confirm-run').click();
    await page.waitForURL(url => url.pathname.includes('/runs/'));
    try {
      await expect
        .poll(() => page.getByTestId('run-state').getAttribute('data-state'), { timeout: 30_000 })
        .toBe('FAILED');
    } catch (error) {
      console.error('Racine output (run did not end):', server.output().slice(-6000));
      throw error;
    }
    await expect.poll(() => node('set_values').getAttribute('data-state')).toBe('SUCCESS');
    await expect.poll(() => node('condition').getAttribute('data-state')).toBe('FAILED');
    await expect
      .poll(() => node('set_values_2').getAttribute('data-state'))
      .toBe('UPSTREAM_FAILED');
    await page.getByTestId('run-timeline').waitFor();
    await expect
      .poll(() => page.getByTestId('run-logs').textContent())
      .toContain('Run ended: FAILED');
    await node('condition').click();
    await expect
      .poll(() => page.getByTestId('task-error').textContent())
      .toContain("'abc' is not a number");
    // The logs follow the selected task.
    await expect
      .poll(() => page.getByTestId('run-logs').textContent())
      .toContain('[condition] Attempt 1 (core.condition) ended FAILED');
    await screenshot(page, 'pipelines-run-failed');
  });

  it('repairs the failed task with a new parameter', async () => {
    // The value comes from set_values: rerun it and its dependents with n = 5.
    await node('set_values').click();
    await page.getByTestId('rerun-task').click();
    await page.getByTestId('param-n').fill('5');
    await page.getByTestId('confirm-run').click();
    await expect
      .poll(() => page.getByTestId('run-state').getAttribute('data-state'), { timeout: 30_000 })
      .toBe('SUCCESS');
    await expect.poll(() => node('condition').getAttribute('data-state')).toBe('SUCCESS');
    await expect.poll(() => node('set_values_2').getAttribute('data-state')).toBe('SUCCESS');
    await page
      .locator('.react-flow__pane')
      .first()
      .click({ position: { x: 10, y: 10 } });
    await expect.poll(() => page.getByTestId('repair-entry').count()).toBe(1);
    // The live stream has delivered the end of the repaired run.
    await expect
      .poll(() => page.getByTestId('run-logs').textContent())
      .toContain('Run ended: SUCCESS');
    // The graph is drawn again for the repaired run; on a busy machine the node can stay
    // hidden while React Flow measures it, so the click goes to the node itself.
    await node('set_values_2').dispatchEvent('click');
    await expect
      .poll(() => page.getByTestId('task-values').textContent())
      .toContain('"outcome": "true"');
    await screenshot(page, 'pipelines-run-repaired');
  });

  it('lists the job with its last runs, and shows the templates gallery', async () => {
    await page.getByTestId('sidebar').getByRole('link', { name: 'Jobs', exact: true }).click();
    const row = page.locator('[data-testid="job-row"][data-name="E2E three tasks"]');
    await row.waitFor();
    await expect.poll(() => row.getByTestId('success-rate').getAttribute('data-rate')).toBe('1');
    await screenshot(page, 'pipelines-jobs');

    await page.getByTestId('sidebar').getByRole('link', { name: 'Pipelines', exact: true }).click();
    await page.waitForURL(url => url.pathname === '/pipelines');
    const onboard = page.locator(
      '[data-testid="template-card"][data-name="Onboard a data source"]',
    );
    await onboard.waitFor();
    // Every group the onboarding template orchestrates (scans, classifications, compliance) is
    // installed, so the gallery lists no missing step and offers to instantiate it.
    await expect.poll(() => onboard.getByTestId('instantiate').isDisabled()).toBe(false);
    expect(await onboard.getByTestId('missing-steps').count()).toBe(0);
    await screenshot(page, 'pipelines-templates');
    expect(pageErrors).toEqual([]);
  });
});
