// Issue 9: a signed payment no order claims is answered 200, stored, and an admin sees it on
// the overview: a count among the KPIs and a "Payments we can't match" list with its raw IPNs.
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIpn } from '../../src/modules/payments/ipn-signature.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const ADMIN_CODE = 'E2E-ADMIN-UNMATCHED-0123456789';

describe("admin: payments we can't match", () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } })));
  afterAll(() => closeAppInBrowser(t, browser));

  it('lists the unknown payment with its amount, coin and raw IPN', async () => {
    const paymentId = `${Date.now()}77`;
    const body = {
      payment_id: paymentId,
      parent_payment_id: null,
      payment_status: 'finished',
      actually_paid: 0.52,
      pay_amount: 0.5,
      pay_currency: 'ltc',
      order_id: randomUUID(),
      price_amount: 40,
      price_currency: 'usd',
    };
    const res = await t.api('POST', '/api/payment/webhook', JSON.stringify(body), {
      'content-type': 'application/json',
      'x-nowpayments-sig': signIpn(body, t.ctx.config.nowpayments.ipnSecret),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    for (const width of [1366, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${t.url}/login`);
      await page.getByLabel('Access code').fill(ADMIN_CODE);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin$/);
      const kpi = page.getByTestId('kpi-unmatched');
      await kpi.getByRole('link', { name: '1' }).waitFor();
      await kpi.getByRole('link', { name: '1' }).click();
      const item = page.getByTestId('unmatched-payment').filter({ hasText: paymentId });
      await item.waitFor();
      expect(await item.getByTestId('unmatched-amount').textContent()).toBe('Received 0.52 of 0.5 LTC');
      expect(await item.textContent()).toContain('Finished');
      await item.locator('summary').click();
      expect(await item.getByTestId('unmatched-raw').first().textContent()).toContain(`"payment_id":"${paymentId}"`);
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `admin-unmatched-${width}`);
      await page.close();
    }
  });
});
