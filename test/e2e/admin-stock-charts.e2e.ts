import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

const ADMIN_CODE = 'E2E-ADMIN-CODE-STOCK-CHARTS-01';

async function adminLogin(page: Page, url: string) {
  await page.goto(`${url}/admin`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel('Access code').fill(ADMIN_CODE);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/admin$/);
  await page.getByTestId('overview').waitFor();
}

const shortDate = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Every label of the chart's axes lies inside the chart: nothing clipped at 390 px. */
async function axesInside(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((chart) => {
    const card = (chart.closest('.card') ?? chart).getBoundingClientRect();
    return [...chart.querySelectorAll('.axis-y-tick, .axis-x span')].every((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.left >= card.left - 0.5 && r.right <= card.right + 0.5;
    });
  });
}

describe('admin stock results and chart axes', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } })));
  afterAll(() => closeAppInBrowser(t, browser));

  it('lists the results of a stock paste in the order of the pasted lines', async () => {
    for (const width of [1366, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await adminLogin(page, t.url);
      await page.goto(`${t.url}/admin/stock`);
      await page.getByTestId('senders-table').waitFor();
      // Refusals and additions interleaved: the old screen listed every refusal first.
      const tag = `w${width}`;
      await page.getByLabel('Bot tokens, one per line').fill(`not-a-token\nsandbox:ord_a_${tag}\n\nalso-bad\nsandbox:ord_b_${tag}\n`);
      await page.getByRole('button', { name: 'Add 4 senders' }).click();
      const result = page.getByTestId('add-result');
      await result.waitFor();
      const items = (await result.locator('li').allTextContents()).map((s) => s.trim());
      expect(items).toHaveLength(4);
      expect(items[0]).toMatch(/^✗ Line 1: no… — Not a bot token/);
      expect(items[1]).toMatch(new RegExp(`^✓ Line 2: @\\S*ord_a_${tag}\\S* added`));
      expect(items[2]).toMatch(/^✗ Line 4: al… — Not a bot token/);
      expect(items[3]).toMatch(new RegExp(`^✓ Line 5: @\\S*ord_b_${tag}\\S* added`));
      expect(await page.getByLabel('Bot tokens, one per line').inputValue()).toBe('not-a-token\nalso-bad');
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `admin-stock-results-${width}`);
      await page.close();
    }
  });

  it('shows values and dates on the axes of the revenue, posts and dashboard charts', async () => {
    const created = await t.api('POST', '/api/payment/create', { email: 'charts-e2e@example.com', slug: 'silver', currency: 'btc' });
    expect(created.status).toBe(201);
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' })).status).toBe(200);
    const code = await accessCodeOfCheckout(t, created.body.checkoutSecret);
    const today = shortDate(new Date());
    for (const width of [1366, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await adminLogin(page, t.url);
      // One $55 order: the scale tops at a round $60 with $30 half way.
      await vi.waitFor(async () => expect(await page.getByTestId('overview').textContent(), 'revenue').toContain('$55.00'), { timeout: 10_000, interval: 100 });
      expect(await page.getByTestId('revenue-chart-y').locator('.axis-y-tick').allTextContents()).toEqual(['$60', '$30', '$0']);
      const revenueDates = await page.getByTestId('revenue-chart-x').locator('span').allTextContents();
      expect(revenueDates).toHaveLength(5);
      expect(revenueDates[0]).toBe(shortDate(new Date(Date.now() - 29 * 86_400_000)));
      expect(revenueDates[4]).toBe(today);
      expect(await page.getByTestId('posts-chart-y').locator('.axis-y-tick').allTextContents()).toEqual(['2', '1', '0']);
      expect(await page.getByTestId('posts-chart-x').locator('span').count()).toBe(4);
      expect(await axesInside(page, 'revenue-chart')).toBe(true);
      expect(await axesInside(page, 'posts-chart')).toBe(true);
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `admin-overview-axes-${width}`);
      await page.close();

      const dash = await browser.newPage({ viewport: { width, height: 900 } });
      await dash.goto(`${t.url}/login`);
      await dash.getByLabel('Access code').fill(code);
      await dash.getByRole('button', { name: 'Log in' }).click();
      await dash.waitForURL(/\/dashboard$/);
      await dash.getByTestId('stats-chart').waitFor();
      expect(await dash.getByTestId('stats-chart-y').locator('.axis-y-tick').allTextContents()).toEqual(['2', '1', '0']);
      const days = await dash.getByTestId('stats-chart-x').locator('span').allTextContents();
      expect(days).toHaveLength(7);
      expect(days[6]).toContain(today);
      expect(await axesInside(dash, 'stats-chart')).toBe(true);
      expect(await noHorizontalOverflow(dash)).toBe(true);
      await dash.getByTestId('stats').scrollIntoViewIfNeeded();
      await screenshot(dash, `dashboard-stats-axes-${width}`);
      await dash.close();
    }
  });
});
