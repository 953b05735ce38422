import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyPlan } from '../factories/orders.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const ADMIN_CODE = 'E2E-ADMIN-ACCESS-CODE-012345';

describe('admin panel: on a phone, and to someone who is not an admin', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } }));
    // Rows in the tables, so a phone screen has something wide to fit.
    await buyPlan(t, { email: 'phone-admin-buyer@example.com', plan: 'silver' });
  });
  afterAll(() => closeAppInBrowser(t, browser));

  it('fits a phone: the navigation becomes a top menu', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(`${t.url}/login`);
    await page.getByLabel('Access code').fill(ADMIN_CODE);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('overview').waitFor();
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'admin-overview-mobile');
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByTestId('orders-table').waitFor();
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'admin-orders-mobile');
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Customers & bots' }).click();
    await page.getByTestId('customers').waitFor();
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'admin-customers-mobile');
    // Wide tables scroll inside their card; the page itself never scrolls sideways.
    const screens: [string, () => Promise<unknown>][] = [
      ['Stock', () => page.getByTestId('senders-table').waitFor()],
      ['Plans', () => page.getByTestId('plans-table').waitFor()],
      ['Resellers', () => page.getByRole('heading', { name: 'Resellers', level: 1 }).waitFor()],
      ['Emails', () => page.getByTestId('emails').waitFor()],
      ['Activity log', () => page.getByTestId('activity-table').waitFor()],
    ];
    for (const [name, ready] of screens) {
      await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name, exact: true }).click();
      await ready();
      expect({ name, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ name, width: 360 });
      await screenshot(page, `admin-${name.toLowerCase().replace(/\W+/g, '-')}-mobile`);
    }
    // A reseller made on the phone (this test needs nothing from the others): the one-time
    // access code and the table with its row both fit the screen.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Resellers', exact: true }).click();
    await page.getByLabel('Email').fill('phone-partner@example.com');
    await page.getByLabel('Commission (%)').fill('10');
    await page.getByRole('button', { name: 'Create reseller' }).click();
    await page.getByTestId('reseller-code').waitFor();
    await page
      .getByRole('cell', { name: /phone-partner@example\.com/ })
      .first()
      .waitFor();
    expect(await noHorizontalOverflow(page)).toBe(true);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.close();
  });

  it('tells a logged-in customer they are not an admin', async () => {
    const { token } = await buyPlan(t, { email: 'not-admin@example.com', plan: 'gold' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'hqadz_session', value: token, url: t.url }]);
    const page = await context.newPage();
    await page.goto(`${t.url}/admin/orders`);
    await page.getByTestId('not-admin').waitFor();
    await context.close();
  });
});
