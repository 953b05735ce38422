import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const ADMIN_CODE = 'E2E-ADMIN-CODE-STOCK-CHARTS-01';

async function adminLogin(page: Page, url: string) {
  await page.goto(`${url}/admin`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel('Access code').fill(ADMIN_CODE);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/admin$/);
  await page.getByTestId('overview').waitFor();
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
});
