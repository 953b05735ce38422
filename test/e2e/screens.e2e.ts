// Issue 12: every screen, as each role sees it, at a laptop and a phone width — saved under
// test-results/screens-*.png for a human look, and checked for what a screenshot alone would
// hide: the page rendered its heading and nothing scrolls sideways.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orders } from '../../src/db/schema.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

const ADMIN_CODE = 'ADMIN-E2E-SCREENS-CODE-42';
const WIDTHS = [1366, 390] as const;

async function logIn(page: Page, t: TestApp, code: string, landing: RegExp): Promise<void> {
  await page.goto(`${t.url}/login`);
  await page.getByLabel('Access code').fill(code);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(landing);
}

async function look(page: Page, t: TestApp, path: string, name: string, width: number): Promise<void> {
  await page.goto(`${t.url}${path}`);
  await page.locator('h1, h2').first().waitFor();
  // Settled: no list still loading.
  await vi.waitFor(async () => expect(await page.locator('[aria-busy="true"]').count(), `${path} to finish loading`).toBe(0), {
    timeout: 15_000,
    interval: 100,
  });
  await screenshot(page, `screens-${name}-${width}`);
  expect(await noHorizontalOverflow(page), `${path} scrolls sideways at ${width} px`).toBe(true);
}

describe('every screen at 1366 and 390 px', () => {
  let t: TestApp;
  let browser: Browser;
  let customerCode: string;
  let resellerCode: string;
  let orderId: string;
  let orderNumber: number;
  beforeAll(async () => {
    ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } }));
    const admin = { authorization: `Bearer ${(await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE })).body.token}` };
    const reseller = await t.api(
      'POST',
      '/api/admin/resellers',
      { email: 'screens-partner@example.com', commissionPercent: 10, referralCode: 'screens' },
      admin,
    );
    resellerCode = reseller.body.accessCode;
    const created = await t.api('POST', '/api/payment/create', { email: 'screens@example.com', slug: 'silver', currency: 'btc', ref: 'screens' });
    orderId = created.body.orderId;
    await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
    customerCode = await accessCodeOfCheckout(t, created.body.checkoutSecret);
    orderNumber = (await t.ctx.db.select({ n: orders.orderNumber }).from(orders).where(eq(orders.id, orderId)))[0]!.n;
  });
  afterAll(() => closeAppInBrowser(t, browser));

  /** The screen as it is now (a state reached by clicking, not by a URL), after its heading. */
  async function snap(page: Page, testId: string, name: string, width: number): Promise<void> {
    await page.getByTestId(testId).waitFor({ timeout: 30_000 });
    await screenshot(page, `screens-${name}-${width}`);
    expect(await noHorizontalOverflow(page), `${name} scrolls sideways at ${width} px`).toBe(true);
  }

  async function startCheckout(page: Page, plan: string, email: string, coin: string): Promise<void> {
    await page.goto(`${t.url}/checkout?plan=${plan}&email=${encodeURIComponent(email)}`);
    await page.getByTestId(`coin-${coin}`).click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
  }

  const simulate = (page: Page, name: string) => page.getByTestId('simulate-panel').getByRole('button', { name, exact: true }).click();

  for (const width of WIDTHS) {
    it(`public, customer, reseller and admin screens at ${width} px`, async () => {
      const visitor = await browser.newPage({ viewport: { width, height: 900 } });
      await look(visitor, t, '/', 'pricing', width);
      await look(visitor, t, '/checkout?plan=gold', 'checkout', width);
      await look(visitor, t, '/login', 'login', width);
      await look(visitor, t, '/no-such-page', 'not-found', width);
      await visitor.close();

      const customer = await browser.newPage({ viewport: { width, height: 900 } });
      await logIn(customer, t, customerCode, /\/dashboard/);
      await look(customer, t, '/dashboard', 'dashboard', width);
      await look(customer, t, '/dashboard/orders', 'orders', width);
      await look(customer, t, '/dashboard/log', 'delivery-log', width);
      await look(customer, t, `/dashboard/orders/${orderNumber}`, 'receipt', width);
      await look(customer, t, '/', 'pricing-signed-in', width);
      await customer.close();

      const reseller = await browser.newPage({ viewport: { width, height: 900 } });
      await logIn(reseller, t, resellerCode, /\/reseller/);
      await look(reseller, t, '/reseller', 'reseller', width);
      await reseller.close();

      const admin = await browser.newPage({ viewport: { width, height: 900 } });
      await logIn(admin, t, ADMIN_CODE, /\/admin/);
      for (const screen of ['', '/orders', `/orders/${orderId}`, '/customers', '/stock', '/plans', '/resellers', '/emails', '/activity']) {
        await look(admin, t, `/admin${screen}`, `admin${screen.replace(/\//g, '-').replace(orderId, 'order') || '-overview'}`, width);
      }
      await admin.close();
    });
  }

  for (const width of WIDTHS) {
    it(`the pay step in each state, and a dashboard with an ad and chats, at ${width} px`, async () => {
      // Waiting → underpaid → paid (the ready panel) → the access code, as pay-step.e2e.ts reaches them.
      const buyer = await browser.newPage({ viewport: { width, height: 900 } });
      await startCheckout(buyer, 'bronze', `screens-pay-${width}@example.com`, 'ltc');
      await snap(buyer, 'payment-qr', 'pay-waiting', width);
      await simulate(buyer, 'Underpaid');
      await snap(buyer, 'payment-underpaid', 'pay-underpaid', width);
      await simulate(buyer, 'Send the rest — paid');
      await snap(buyer, 'payment-ready', 'pay-ready', width);
      await buyer.getByRole('button', { name: 'Open my dashboard' }).click();
      await snap(buyer, 'access-code-panel', 'pay-access-code', width);
      const code = ((await buyer.getByTestId('access-code').textContent()) ?? '').trim();
      expect(code).not.toBe('');

      // The dashboard once the ad is written and chats are listed.
      const token = (await t.api('POST', '/api/auth/login', { accessCode: code })).body.token as string;
      const put = await t.api(
        'PUT',
        '/api/user/bot',
        {
          post: {
            type: 'text',
            text: '<b>New drop today</b> — 20% off for members. Tap below to shop.',
            buttons: [{ text: 'Shop now', url: 'https://example.com/shop' }],
          },
          chats: ['@screens_traders', '@screens_deals', 'https://t.me/screens_channel'],
        },
        { authorization: `Bearer ${token}` },
      );
      expect(put.status).toBe(200);
      await buyer.getByRole('button', { name: 'Continue to my dashboard' }).click();
      await buyer.waitForURL(/\/dashboard/);
      await look(buyer, t, '/dashboard', 'dashboard-ad-chats', width);
      expect(await buyer.getByText('@screens_traders').count()).toBeGreaterThan(0);
      await buyer.close();

      // An invoice that lapsed unpaid (checkout.e2e.ts).
      const late = await browser.newPage({ viewport: { width, height: 900 } });
      await startCheckout(late, 'bronze', `screens-late-${width}@example.com`, 'btc');
      await late.getByTestId('payment-qr').waitFor();
      await simulate(late, 'Expire');
      await snap(late, 'payment-expired', 'pay-expired', width);
      await late.close();
    });
  }
});
