// The customer's Orders page and a receipt in a real Chromium: the list with a paid and an
// unpaid order, the receipt of the paid one (and how it prints), and an unpaid one refused.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

describe('orders and receipts', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('lists the orders, opens the paid one’s receipt, prints it without the app around it', async () => {
    const email = 'orders.e2e@example.com';
    const bought = await t.api('POST', '/api/payment/create', { email, slug: 'bronze', currency: 'btc' });
    expect(bought.status).toBe(201);
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: bought.body.paymentId, status: 'finished' })).status).toBe(200);
    const code = await accessCodeOfCheckout(t, bought.body.checkoutSecret);
    const waiting = await t.api('POST', '/api/payment/create', { email, slug: 'silver', currency: 'ltc' });
    expect(waiting.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/login`);
    await page.getByLabel('Access code').fill(code);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/dashboard$/);
    await page.getByTestId('orders-link').click();
    await page.waitForURL(/\/dashboard\/orders$/);

    const table = page.getByTestId('customer-orders');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    // Newest first: the waiting Silver order, then the paid Bronze one.
    expect(await rows.nth(0).textContent()).toContain('Silver');
    expect(await rows.nth(0).textContent()).toContain('Awaiting payment');
    expect(await rows.nth(0).getByRole('link').count()).toBe(0);
    const paidRow = rows.nth(1);
    expect(await paidRow.textContent()).toContain('Bronze');
    expect(await paidRow.textContent()).toContain('$30.00');
    expect(await paidRow.textContent()).toContain('BTC');
    expect(await paidRow.textContent()).toMatch(/Paid/);
    await screenshot(page, 'orders-list');

    await paidRow.getByRole('link', { name: /Receipt for order/ }).click();
    await page.waitForURL(/\/dashboard\/orders\/\d+$/);
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    expect(await receipt.textContent()).toContain('HQAdz');
    expect(await page.getByTestId('receipt-plan').textContent()).toBe('Bronze — 1 sender, posts every hour');
    expect(await page.getByTestId('receipt-bought').textContent()).toBe('a new Bronze plan, 30 days');
    expect(await page.getByTestId('receipt-price').textContent()).toBe('$30.00');
    expect(await page.getByTestId('receipt-received').textContent()).toContain(`${bought.body.payAmount} BTC`);
    expect(await page.getByTestId('receipt-payments').textContent()).toContain(String(bought.body.paymentId));
    await screenshot(page, 'receipt');

    // Printed: the receipt alone, no header, footer, test banner or buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(false);
    expect(await receipt.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await page.setViewportSize({ width: 360, height: 800 });
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'receipt-phone');
    await page.goto(`${t.url}/dashboard/orders`);
    await table.waitFor();
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'orders-list-phone');

    // The waiting order has no receipt yet: said so, not an error page.
    const list = await t.api('GET', '/api/user/orders', undefined, {
      authorization: `Bearer ${(await t.api('POST', '/api/auth/login', { accessCode: code })).body.token}`,
    });
    const unpaid = list.body.orders.find((o: { planSlug: string }) => o.planSlug === 'silver');
    await page.goto(`${t.url}/dashboard/orders/${unpaid.orderNumber}`);
    await page.getByTestId('receipt-problem').waitFor();
    expect(await page.getByTestId('receipt-problem').textContent()).toContain('Not paid yet');
    await page.close();
  });
});
