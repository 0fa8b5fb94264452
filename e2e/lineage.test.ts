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
 * Lineage end to end: the demo data source is scanned, its view `customer_order_totals` gets
 * lineage from its SQL definition at ingest; the view's Lineage tab draws the graph (the view
 * and the two tables it reads), the column toggle shows column-level lineage, the filter
 * narrows the graph, and a node opens its details. The impact panel lists what a change to a
 * table affects (every hop, not only those drawn) and whom to notify; an OpenLineage dataset's
 * page opens the tree at its data source without asking for containers it does not have.
 */
describe('Lineage', () => {
  let server: RacineProcess;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let api: ApiCall;
  let viewRef: string;

  const nodes = () => page.getByTestId('lineage-graph').getByTestId('lineage-node');

  beforeAll(async () => {
    server = await startRacine();
    api = await guestApi(server.baseUrl);
    await scanDemoSource(api);
    const views = await api<{ items: { ref: string; name: string }[] }>(
      '/api/data-catalog/assets?type=view&q=customer_order_totals',
    );
    viewRef = views.items[0]!.ref;

    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1500, height: 1000 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    pageErrors = collectPageErrors(page);
    await signInAsGuest(page, server.baseUrl);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("opens a view's Lineage tab and sees the graph of the tables it reads", async () => {
    await page.goto(`${server.baseUrl}/catalog/asset/${encodeURIComponent(viewRef)}`);
    await page.getByTestId('asset-name').waitFor();
    await page.getByTestId('tab-lineage').click();
    await page.getByTestId('lineage-tab').waitFor();
    await expect.poll(() => nodes().count()).toBe(3);
    const refs = await nodes().evaluateAll(elements =>
      elements.map(e => e.getAttribute('data-ref')),
    );
    expect(refs).toContain(viewRef);
    expect(refs.some(ref => ref?.endsWith('.main.customers'))).toBe(true);
    expect(refs.some(ref => ref?.endsWith('.main.orders'))).toBe(true);
    expect(await page.locator('.react-flow__edge').count()).toBe(2);
    expect(await page.getByTestId('lineage-impact').textContent()).toContain(
      '0 downstream asset(s)',
    );
    await screenshot(page, 'lineage-view');
  });

  it('shows column-level lineage, filters by name and opens a node', async () => {
    await page.getByTestId('lineage-columns-toggle').locator('input').check();
    await expect.poll(() => page.getByTestId('lineage-column').count()).toBeGreaterThan(8);
    const viewNode = page.locator(`[data-testid="lineage-node"][data-ref="${viewRef}"]`);
    expect(await viewNode.textContent()).toContain('total_spent');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBeGreaterThan(6);
    await screenshot(page, 'lineage-columns');

    // A column edge: labels propagate along it until a steward blocks it.
    await page.locator('.react-flow__edge').first().dispatchEvent('click');
    const edgeDetails = page.getByTestId('lineage-edge-details');
    await edgeDetails.waitFor();
    expect(await edgeDetails.textContent()).toContain('column edge');
    const toggle = page.getByTestId('lineage-propagation-toggle').locator('input');
    expect(await toggle.isChecked()).toBe(true);
    // The switch follows the server's answer (controlled), so click and wait.
    await toggle.click();
    await expect
      .poll(() => page.getByTestId('lineage-message').textContent())
      .toContain('no longer propagate');
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await toggle.click();
    await expect
      .poll(() => page.getByTestId('lineage-message').textContent())
      .toContain('propagate along this edge again');
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });

    await page.getByTestId('lineage-filter').fill('orders');
    await expect.poll(() => nodes().count()).toBe(2);
    await page.getByTestId('lineage-filter').fill('');
    await expect.poll(() => nodes().count()).toBe(3);

    await page.locator('[data-testid="lineage-node"][data-ref$=".main.orders"]').click();
    const details = page.getByTestId('lineage-details');
    await expect.poll(() => details.textContent()).toContain('main.orders');
    await page.getByTestId('lineage-expand').click();
    await expect.poll(() => page.getByTestId('lineage-expand').isDisabled()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('lists the assets a change to a table impacts and the owners to notify', async () => {
    await api(`/api/data-catalog/assets/${encodeURIComponent(viewRef)}`, {
      method: 'PATCH',
      json: { owners: ['user:default/ada', 'group:default/retail-analytics'] },
    });
    const tables = await api<{ items: { ref: string; name: string }[] }>(
      '/api/data-catalog/assets?type=table&q=orders',
    );
    const ordersRef = tables.items.find(t => t.name === 'orders')!.ref;
    await page.goto(`${server.baseUrl}/catalog/asset/${encodeURIComponent(ordersRef)}?tab=lineage`);
    await page.getByTestId('lineage-tab').waitFor();

    const impact = page.getByTestId('lineage-impact');
    await expect
      .poll(() => impact.getByTestId('lineage-impact-summary').textContent())
      .toContain('1 downstream asset(s) within 1 hop, 2 owner(s) to notify');
    const impacted = impact.getByTestId('lineage-impact-asset');
    expect(await impacted.count()).toBe(1);
    expect(await impacted.first().getAttribute('data-ref')).toBe(viewRef);
    const row = await impacted.first().textContent();
    expect(row).toContain('customer_order_totals');
    expect(row).toContain('View · 1 hop');
    expect(row).toContain('user:default/ada');

    const owners = impact.getByTestId('lineage-impact-owner');
    expect(await owners.evaluateAll(chips => chips.map(c => c.textContent))).toEqual([
      'group:default/retail-analytics · 1',
      'user:default/ada · 1',
    ]);
    expect(await impact.getByTestId('lineage-impact-unowned').count()).toBe(0);
    await screenshot(page, 'lineage-impact');

    // The impacted asset links to its page.
    await impacted.first().getByRole('link', { name: 'customer_order_totals' }).click();
    await expect
      .poll(() => page.getByTestId('asset-name').textContent())
      .toBe('customer_order_totals');
    expect(pageErrors).toEqual([]);
  });

  it('stays usable with 1,200 downstream datasets: a wide layer folds, then opens', async () => {
    // Two OpenLineage jobs read one dataset and write 600 datasets each.
    for (const job of [0, 1]) {
      await api('/api/data-catalog/openlineage', {
        method: 'POST',
        json: {
          eventType: 'COMPLETE',
          eventTime: '2026-11-20T10:00:00Z',
          run: { runId: `e2e-fanout-${job}` },
          job: { namespace: 'e2e', name: `fanout_${job}` },
          inputs: [{ namespace: 'warehouse://e2e', name: 'events.source' }],
          outputs: Array.from({ length: 600 }, (_, i) => ({
            namespace: 'warehouse://e2e',
            name: `events.derived_${String(job * 600 + i).padStart(4, '0')}`,
          })),
          producer: 'https://github.com/racine/e2e',
        },
      });
    }
    const source = 'racine:data-catalog:table/warehouse:%2F%2Fe2e.events%2Esource';
    const dataSource = 'racine:data-catalog:datasource/warehouse:%2F%2Fe2e';
    const treeCalls: { parentRef: string | null; status: number }[] = [];
    const onResponse = (response: { url(): string; status(): number }) => {
      const url = new URL(response.url());
      if (url.pathname === '/api/data-catalog/tree')
        treeCalls.push({ parentRef: url.searchParams.get('parentRef'), status: response.status() });
    };
    page.on('response', onResponse);
    await page.goto(`${server.baseUrl}/catalog/asset/${encodeURIComponent(source)}?tab=lineage`);
    await expect
      .poll(() => page.getByTestId('asset-name').textContent(), { timeout: 30_000 })
      .toBe('events.source');
    // The tree opens the dataset's data source (its only container) and asks for nothing else.
    await expect
      .poll(() => treeCalls.some(c => c.parentRef === dataSource && c.status === 200))
      .toBe(true);
    await page
      .locator(
        '[data-testid="tree-node"][data-ref^="racine:data-catalog:table/warehouse:%2F%2Fe2e."]',
      )
      .first()
      .waitFor();
    expect(treeCalls.filter(c => c.status !== 200)).toEqual([]);
    expect(treeCalls.map(c => c.parentRef).filter(ref => ref && ref !== dataSource)).toEqual([]);
    page.off('response', onResponse);

    // Impact covers all 1,200 datasets, without owner: the first 50 are listed, then all.
    const impact = page.getByTestId('lineage-impact');
    await expect
      .poll(() => impact.getByTestId('lineage-impact-summary').textContent(), { timeout: 30_000 })
      .toMatch(/1,?200 downstream asset\(s\) within 1 hop, 0 owner\(s\) to notify, 1,?200 without/);
    expect(await impact.getByTestId('lineage-impact-unowned').textContent()).toMatch(
      /Without owner · 1,?200/,
    );
    const impacted = impact.getByTestId('lineage-impact-asset');
    expect(await impacted.count()).toBe(50);
    expect(await impacted.first().textContent()).toContain('No owner');
    await impact.getByTestId('lineage-impact-filter').fill('derived_0042');
    await expect.poll(() => impacted.count()).toBe(1);
    expect(await impacted.first().textContent()).toContain('events.derived_0042');
    await impact.getByTestId('lineage-impact-filter').fill('');
    await impact.getByTestId('lineage-impact-show-all').click();
    await expect.poll(() => impacted.count()).toBe(1200);
    const summary = page.getByTestId('lineage-summary');
    await expect
      .poll(() => summary.textContent(), { timeout: 30_000 })
      .toContain('26 node(s) shown, 1175 folded');
    await page.getByTestId('lineage-more').click();
    await expect.poll(() => summary.textContent()).toContain('1201 node(s) shown');
    await screenshot(page, 'lineage-fanout');
    await page.getByTestId('lineage-filter').fill('derived_0042');
    await expect.poll(() => nodes().count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
