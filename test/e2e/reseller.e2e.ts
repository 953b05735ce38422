import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orders } from '../../src/db/schema.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const ADMIN_CODE = 'ADMIN-E2E-RESELLER-CODE-42';

describe('reseller page', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } })));
  afterAll(() => closeAppInBrowser(t, browser));

  it('shows the referral link, the attributed order and the balance; fits a phone; logs out', async () => {
    const adminLogin = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    const admin = { authorization: `Bearer ${adminLogin.body.token}` };
    const created = await t.api('POST', '/api/admin/resellers', { email: 'partner@example.com', commissionPercent: 12.5, referralCode: 'partner-jo' }, admin);
    expect(created.status).toBe(201);
    const { reseller, accessCode } = created.body;

    // The referral link lands on pricing, which carries ?ref= into the checkout link.
    const visitor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await visitor.goto(`${t.url}/?ref=partner-jo`);
    const getStarted = visitor.getByTestId('plan-bronze').getByRole('link', { name: 'Get started' });
    expect(await getStarted.getAttribute('href')).toContain('ref=partner-jo');
    await visitor.close();

    const buy = await t.api('POST', '/api/payment/create', { email: 'alice.buyer@example.com', slug: 'bronze', currency: 'btc', ref: 'partner-jo' });
    expect(buy.status).toBe(201);
    await t.api('POST', '/api/payment/simulate', { paymentId: buy.body.paymentId, status: 'finished' });
    await vi.waitFor(
      async () =>
        expect((await t.api('GET', `/api/payment/status?paymentId=${buy.body.paymentId}`)).body.orderStatus, 'the referred order to be fulfilled').toBe(
          'fulfilled',
        ),
      { timeout: 30_000, interval: 100 },
    );
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, buy.body.orderId));
    const pending = await t.api('POST', '/api/payment/create', { email: 'bob@example.com', slug: 'silver', currency: 'eth', ref: 'partner-jo' });
    expect(pending.status).toBe(201);
    const paid = await t.api('POST', `/api/admin/resellers/${reseller.id}/payouts`, { amountUsd: 1, note: 'Bank transfer, Nov' }, admin);
    expect(paid.status).toBe(200);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/reseller`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Access code').fill(accessCode);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/reseller$/);

    await page.getByTestId('referral-link').waitFor();
    expect(await page.getByTestId('referral-link').textContent()).toBe(`${t.ctx.config.publicUrl}/?ref=partner-jo`);
    expect(await page.getByTestId('commission-percent').textContent()).toBe('12.5%');
    expect(await page.getByTestId('earned').textContent()).toBe('$3.75');
    expect(await page.getByTestId('paid').textContent()).toBe('$1.00');
    expect(await page.getByTestId('due').textContent()).toBe('$2.75');
    expect(await page.getByTestId('customers').textContent()).toBe('2');

    await page.getByRole('button', { name: 'Copy referral link' }).click();
    await page
      .getByRole('button', { name: 'Copy referral link' })
      .getByText(/Copied|Select and copy/)
      .waitFor();

    const ordersTable = page.getByTestId('reseller-orders');
    await ordersTable.waitFor();
    const fulfilledRow = ordersTable.locator('tr', { hasText: `#${order!.orderNumber}` });
    expect(await fulfilledRow.textContent()).toContain('a***@example.com');
    expect(await fulfilledRow.textContent()).toContain('$3.75');
    expect(await fulfilledRow.textContent()).toContain('Completed');
    expect(await ordersTable.locator('tr', { hasText: 'Silver' }).textContent()).toContain('Awaiting payment');
    expect(await page.content()).not.toContain('alice.buyer@example.com');

    expect(await page.getByTestId('orders-showing').textContent()).toBe('Showing 2 of 2');
    await page.getByTestId('reseller-customers').waitFor();
    expect(await page.getByTestId('reseller-customers').textContent()).toContain('a***@example.com');
    // The Plan column names the plan, with its state beside it (it used to say only "Active").
    const alice = page.getByTestId('reseller-customers').locator('tr', { hasText: 'a***@example.com' });
    expect(await alice.locator('td[data-label="Plan"]').textContent()).toBe('Bronze Active');
    expect(await page.getByTestId('customers-showing').textContent()).toBe('Showing 2 of 2');
    await page.getByTestId('reseller-payouts').getByText('Bank transfer, Nov').waitFor();
    await screenshot(page, 'reseller');

    await page.setViewportSize({ width: 360, height: 780 });
    await page.getByTestId('reseller-orders').waitFor();
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'reseller-mobile');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${t.url}/reseller`);
    await page.waitForURL(/\/login$/);
    await page.close();
  });

  it('explains the empty states to a new reseller', async () => {
    const adminLogin = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    const created = await t.api(
      'POST',
      '/api/admin/resellers',
      { email: 'fresh.partner@example.com', commissionPercent: 5 },
      { authorization: `Bearer ${adminLogin.body.token}` },
    );
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(`${t.url}/login`);
    await page.getByLabel('Access code').fill(created.body.accessCode);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/reseller$/);
    await page.getByText('No orders yet.', { exact: false }).waitFor();
    await page.getByText('No customers yet.', { exact: false }).waitFor();
    await page.getByText('No payouts yet.', { exact: false }).waitFor();
    expect(await page.getByTestId('due').textContent()).toBe('$0.00');
    expect(await page.getByTestId('referral-link').textContent()).toBe(`${t.ctx.config.publicUrl}/?ref=${created.body.reseller.referralCode}`);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'reseller-empty');
    await page.close();
  });
});
