// Issue 12: every screen, as each role sees it, at a laptop and a phone width — saved under
// test-results/screens-*.png for a human look, and checked for what a screenshot alone would
// hide: the page rendered its heading, nothing scrolls sideways, and the tab names the page
// ("Checkout — Silver · HQAdz"), each checkout state its own.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orders, senders } from '../../src/db/schema.js';
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

/** The tab title, once the page has set it (pages set it after their data arrives). */
async function expectTitle(page: Page, want: string | RegExp, where: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const title = await page.title();
      if (typeof want === 'string') expect(title, `${where}'s tab title`).toBe(want);
      else expect(title, `${where}'s tab title`).toMatch(want);
    },
    { timeout: 10_000, interval: 100 },
  );
}

async function look(page: Page, t: TestApp, path: string, name: string, width: number, title: string | RegExp): Promise<void> {
  await page.goto(`${t.url}${path}`);
  await page.locator('h1, h2').first().waitFor();
  // Settled: no list still loading.
  await vi.waitFor(async () => expect(await page.locator('[aria-busy="true"]').count(), `${path} to finish loading`).toBe(0), {
    timeout: 15_000,
    interval: 100,
  });
  await expectTitle(page, title, path);
  await screenshot(page, `screens-${name}-${width}`);
  expect(await noHorizontalOverflow(page), `${path} scrolls sideways at ${width} px`).toBe(true);
  expect(await cutOff(page), `${path} at ${width} px: text running out of its box, or header links broken over two lines`).toEqual([]);
}

/**
 * What a screenshot shows as broken but the page's width does not: text wider than the box
 * that clips it (a long address in a notification), and header links wrapped onto two lines.
 */
function cutOff(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.topnav .btn')) {
      const r = document.createRange();
      r.selectNodeContents(el);
      const lines = new Set([...r.getClientRects()].map((x) => Math.round(x.top)));
      if (lines.size > 1) out.push(`header "${el.textContent}" on ${lines.size} lines`);
    }
    for (const el of document.querySelectorAll<HTMLElement>('.card p, .card li, .card dd')) {
      if (el.closest('.table-wrap, pre, code, .copy-row, .bars, .axis-chart')) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`"${(el.textContent ?? '').slice(0, 60)}" is ${el.scrollWidth - el.clientWidth} px too wide`);
    }
    return out;
  });
}

describe('every screen at 1366 and 390 px', () => {
  let t: TestApp;
  let browser: Browser;
  let customerCode: string;
  let resellerCode: string;
  let orderId: string;
  let orderNumber: number;
  let admin: Record<string, string>;
  beforeAll(async () => {
    ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } }));
    admin = { authorization: `Bearer ${(await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE })).body.token}` };
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
  async function snap(page: Page, testId: string, name: string, width: number, title: string | RegExp): Promise<void> {
    await page.getByTestId(testId).waitFor({ timeout: 30_000 });
    await expectTitle(page, title, name);
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
      await look(visitor, t, '/', 'pricing', width, 'Plans and prices · HQAdz');
      await look(visitor, t, '/checkout?plan=gold', 'checkout', width, 'Checkout — Gold · HQAdz');
      await look(visitor, t, '/login', 'login', width, 'Log in · HQAdz');
      await look(visitor, t, '/no-such-page', 'not-found', width, 'Page not found · HQAdz');
      await look(visitor, t, '/checkout', 'checkout-no-plan', width, 'Pick a plan first · HQAdz');
      await look(visitor, t, '/checkout?plan=platinum-x', 'checkout-unknown-plan', width, "That plan doesn't exist · HQAdz");
      await visitor.close();

      const customer = await browser.newPage({ viewport: { width, height: 900 } });
      await logIn(customer, t, customerCode, /\/dashboard/);
      await look(customer, t, '/dashboard', 'dashboard', width, 'Dashboard · HQAdz');
      await look(customer, t, '/dashboard/orders', 'orders', width, 'Orders · HQAdz');
      await look(customer, t, '/dashboard/log', 'delivery-log', width, 'Delivery log · HQAdz');
      await look(customer, t, `/dashboard/orders/${orderNumber}`, 'receipt', width, `Receipt #${orderNumber} · HQAdz`);
      await look(customer, t, '/', 'pricing-signed-in', width, 'Plans and prices · HQAdz');
      await customer.close();

      const reseller = await browser.newPage({ viewport: { width, height: 900 } });
      await logIn(reseller, t, resellerCode, /\/reseller/);
      await look(reseller, t, '/reseller', 'reseller', width, 'Reseller · HQAdz');
      await reseller.close();

      const admin = await browser.newPage({ viewport: { width, height: 900 } });
      await logIn(admin, t, ADMIN_CODE, /\/admin/);
      for (const [screen, title] of [
        ['', 'Admin · HQAdz'],
        ['/orders', 'Orders — Admin · HQAdz'],
        [`/orders/${orderId}`, `Order #${orderNumber} — Admin · HQAdz`],
        ['/customers', 'Customers & bots — Admin · HQAdz'],
        ['/stock', 'Stock — Admin · HQAdz'],
        ['/plans', 'Plans — Admin · HQAdz'],
        ['/resellers', 'Resellers — Admin · HQAdz'],
        ['/emails', 'Emails — Admin · HQAdz'],
        ['/activity', 'Activity log — Admin · HQAdz'],
      ] as const) {
        await look(admin, t, `/admin${screen}`, `admin${screen.replace(/\//g, '-').replace(orderId, 'order') || '-overview'}`, width, title);
      }
      await admin.close();
    });
  }

  for (const width of WIDTHS) {
    it(`the pay step in each state, and a dashboard with an ad and chats, at ${width} px`, async () => {
      // Waiting → underpaid → paid (the ready panel) → the access code, as pay-step.e2e.ts reaches them.
      const buyer = await browser.newPage({ viewport: { width, height: 900 } });
      await startCheckout(buyer, 'bronze', `screens-pay-${width}@example.com`, 'ltc');
      await snap(buyer, 'payment-qr', 'pay-waiting', width, 'Pay — Bronze · HQAdz');
      await simulate(buyer, 'Underpaid');
      await snap(buyer, 'payment-underpaid', 'pay-underpaid', width, 'Underpaid — Bronze · HQAdz');
      await simulate(buyer, 'Send the rest — paid');
      await snap(buyer, 'payment-ready', 'pay-ready', width, 'Paid — Bronze · HQAdz');
      await buyer.getByRole('button', { name: 'Open my dashboard' }).click();
      await snap(buyer, 'access-code-panel', 'pay-access-code', width, 'Paid — Bronze · HQAdz');
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
      // Reloaded once the code was shown: "You're all set", the code not shown again.
      await buyer.reload();
      await snap(buyer, 'order-finished', 'checkout-finished', width, "You're all set · HQAdz");
      expect(await buyer.content()).not.toContain(code);
      await buyer.getByTestId('order-finished').getByRole('link', { name: 'Open my dashboard' }).click();
      await buyer.waitForURL(/\/dashboard/);
      await look(buyer, t, '/dashboard', 'dashboard-ad-chats', width, 'Dashboard · HQAdz');
      expect(await buyer.getByText('@screens_traders').count()).toBeGreaterThan(0);
      await buyer.close();

      // An invoice that lapsed unpaid (checkout.e2e.ts).
      const late = await browser.newPage({ viewport: { width, height: 900 } });
      await startCheckout(late, 'bronze', `screens-late-${width}@example.com`, 'btc');
      await late.getByTestId('payment-qr').waitFor();
      await simulate(late, 'Expire');
      await snap(late, 'payment-expired', 'pay-expired', width, 'Payment expired — Bronze · HQAdz');
      await late.close();
    });
  }
  for (const width of WIDTHS) {
    it(`checkout failed, refunded and finished, and the login's other states, at ${width} px`, async () => {
      // A payment the provider reports failed.
      const failed = await browser.newPage({ viewport: { width, height: 900 } });
      await startCheckout(failed, 'bronze', `screens-failed-${width}@example.com`, 'btc');
      await failed.getByTestId('payment-qr').waitFor();
      // Seen on the chain, confirming — then the provider gives up on it.
      await simulate(failed, 'Payment seen');
      await failed.getByTestId('simulate-panel').getByRole('button', { name: 'Paid', exact: true }).waitFor({ timeout: 30_000 });
      await snap(failed, 'pay-step', 'pay-confirming', width, 'Pay — Bronze · HQAdz');
      await simulate(failed, 'Fail');
      await snap(failed, 'payment-failed', 'pay-failed', width, 'Payment failed — Bronze · HQAdz');
      await failed.close();

      // Underpaid, lapsed, and refunded by the operator (admin.e2e.ts): the buyer's page says so.
      const refunded = await browser.newPage({ viewport: { width, height: 900 } });
      await startCheckout(refunded, 'silver', `screens-refunded-${width}@example.com`, 'ltc');
      await refunded.getByTestId('payment-qr').waitFor();
      await simulate(refunded, 'Underpaid');
      await refunded.getByTestId('payment-underpaid').waitFor({ timeout: 30_000 });
      await simulate(refunded, 'Expire');
      await refunded.getByTestId('payment-expired').waitFor({ timeout: 30_000 });
      const number = Number(((await refunded.getByTestId('order-summary').textContent()) ?? '').match(/#(\d+)/)?.[1]);
      const [order] = await t.ctx.db.select({ id: orders.id }).from(orders).where(eq(orders.orderNumber, number));
      const detail = await t.api('GET', `/api/admin/orders/${order!.id}`, undefined, admin);
      const refund = await t.api('POST', `/api/admin/orders/${order!.id}/refund`, { expectedPaymentStatus: detail.body.payment.status }, admin);
      expect(refund.status, JSON.stringify(refund.body)).toBe(200);
      await refunded.reload();
      await snap(refunded, 'payment-failed', 'pay-refunded', width, 'Payment refunded — Silver · HQAdz');
      expect(await refunded.getByTestId('payment-failed').textContent()).toContain('refunded');
      await refunded.close();

      // Login: "Lost your code?" open, a wrong code, and a recovery link that no longer works.
      const login = await browser.newPage({ viewport: { width, height: 900 } });
      await look(login, t, '/login', 'login-lost-code', width, 'Log in · HQAdz');
      await login.getByText('Lost your code?').click();
      await login.getByTestId('recover-form').waitFor();
      await snap(login, 'recover-form', 'login-lost-code', width, 'Log in · HQAdz');
      await login.getByLabel('Access code').fill('NOT-A-REAL-CODE');
      await login.getByRole('button', { name: 'Log in' }).click();
      await login.locator('#login-error.notice').waitFor();
      await snap(login, 'login-hint', 'login-wrong-code', width, 'Log in · HQAdz');
      // Too many wrong codes from one address: when to try again.
      const guesser = await browser.newPage({ viewport: { width, height: 900 }, extraHTTPHeaders: { 'x-forwarded-for': `203.0.113.${width % 250}` } });
      await guesser.goto(`${t.url}/login`);
      for (let i = 0; i < 12 && (await guesser.locator('#login-error.notice-warning').count()) === 0; i++) {
        await guesser.getByLabel('Access code').fill(`WRONG-CODE-${i}`);
        const answered = guesser.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
        await guesser.getByRole('button', { name: 'Log in' }).click();
        await answered;
      }
      await guesser.locator('#login-error.notice-warning').waitFor();
      expect(await guesser.locator('#login-error').textContent()).toMatch(/Try again in \d+ minutes?/);
      await snap(guesser, 'login-hint', 'login-too-many-tries', width, 'Log in · HQAdz');
      await guesser.close();

      await login.goto(`${t.url}/login?recover=not-a-real-token`);
      await login.locator('h1, h2').first().waitFor();
      await expectTitle(login, 'Recover your access code · HQAdz', 'the recovery link');
      await login.getByRole('alert').first().waitFor();
      await screenshot(login, `screens-login-recover-failed-${width}`);
      expect(await noHorizontalOverflow(login)).toBe(true);
      await login.close();
    });
  }

  it('the dashboard header running, suspended and expired, at 1366 and 390 px', async () => {
    const token = (await t.api('POST', '/api/auth/login', { accessCode: customerCode })).body.token as string;
    const botId = (await t.api('GET', '/api/user/bot', undefined, { authorization: `Bearer ${token}` })).body.id as string;
    const states = [
      ['running', { status: 'running' }, 'Running'],
      ['suspended', { status: 'suspended' }, 'Suspended'],
      ['expired', { status: 'stopped', expiresAt: new Date(Date.now() - 86_400_000).toISOString() }, 'Expired'],
    ] as const;
    for (const [state, patch, pill] of states) {
      expect((await t.api('PATCH', `/api/admin/adbots/${botId}`, patch, admin)).status).toBe(200);
      for (const width of WIDTHS) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await logIn(page, t, customerCode, /\/dashboard/);
        await look(page, t, '/dashboard', `dashboard-${state}`, width, 'Dashboard · HQAdz');
        await vi.waitFor(async () => expect(await page.getByTestId('bot-status').textContent()).toBe(pill), { timeout: 10_000, interval: 100 });
        await page.close();
      }
    }
  });

  // Runs last: it empties the sender stock.
  it('sold out on pricing and checkout, at 1366 and 390 px', async () => {
    await t.ctx.db.update(senders).set({ state: 'banned' }).where(eq(senders.state, 'unused'));
    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await look(page, t, '/', 'pricing-sold-out', width, 'Plans and prices · HQAdz');
      expect(await page.getByText('Sold out — check back soon').count()).toBeGreaterThan(0);
      await look(page, t, '/checkout?plan=bronze', 'checkout-sold-out', width, 'Sold out · HQAdz');
      await page.getByTestId('sold-out').waitFor();
      await page.close();
    }
  });
});
