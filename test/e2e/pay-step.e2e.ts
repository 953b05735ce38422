// The pay step in a real Chromium: amounts at each step of underpay → top-up → paid, the wallet
// link on phones, paying with another coin, cancelling, and an overpayment told to the buyer.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orders, payments, senders } from '../../src/db/schema.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

describe('the pay step', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
  const until = (check: () => Promise<unknown>) => vi.waitFor(check, { timeout: 15_000, interval: 100 });
  const simulate = (page: Page, name: string) => page.getByTestId('simulate-panel').getByRole('button', { name, exact: true }).click();
  const orderOf = async (orderNumber: number) => (await t.ctx.db.select().from(orders).where(eq(orders.orderNumber, orderNumber)))[0]!;

  async function startCheckout(page: Page, plan: string, email: string, coin: string) {
    await page.goto(`${t.url}/checkout?plan=${plan}&email=${encodeURIComponent(email)}`);
    await page.getByTestId(`coin-${coin}`).click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('payment-qr').waitFor();
    const orderNumber = Number((await text(page, 'pay-order-number')).replace('Order #', ''));
    expect(orderNumber).toBeGreaterThan(0);
    return { orderNumber, address: await text(page, 'pay-address') };
  }

  it('underpay → top-up → paid, with the right amounts at each step', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Bronze is $30; the sandbox quotes LTC at $80: 0.375 LTC.
    const { orderNumber, address } = await startCheckout(page, 'bronze', 'underpay@example.com', 'ltc');
    expect(await text(page, 'order-summary')).toContain(`#${orderNumber}`);
    expect(await text(page, 'pay-amount')).toBe('0.375 LTC');
    expect(await page.getByTestId('payment-qr').getAttribute('data-uri')).toBe(`litecoin:${address}?amount=0.375`);
    expect(await text(page, 'pay-network')).toContain('Litecoin');
    // A desktop has no wallet app to hand the link to.
    expect(await page.getByTestId('open-in-wallet').isVisible()).toBe(false);

    await simulate(page, 'Underpaid');
    await page.getByTestId('payment-underpaid').waitFor();
    await until(async () => expect(await text(page, 'received-amount')).toBe('0.1875 LTC'));
    expect(await text(page, 'missing-amount')).toBe('0.1875 LTC');
    expect(await text(page, 'payment-underpaid')).toContain('of 0.375 LTC');
    // A fresh QR and amount for what is missing, to the same address.
    expect(await text(page, 'pay-amount')).toBe('0.1875 LTC');
    expect(await text(page, 'pay-address')).toBe(address);
    expect(await page.getByTestId('payment-qr').getAttribute('data-uri')).toBe(`litecoin:${address}?amount=0.1875`);
    // Money was seen: no more cancelling or changing coin.
    expect(await page.getByTestId('pay-actions').count()).toBe(0);
    await screenshot(page, 'pay-step-underpaid');

    // The rest arrives as NOWPayments records it: a new child payment of the invoice.
    await simulate(page, 'Send the rest — seen');
    await until(async () => expect(await page.getByTestId('deposit').count()).toBe(2));
    const [invoice] = await t.ctx.db.select().from(payments).where(eq(payments.payAddress, address));
    const [child] = await t.ctx.db.select().from(payments).where(eq(payments.parentProviderPaymentId, invoice!.providerPaymentId!));
    expect(child?.providerPaymentId).not.toBe(invoice!.providerPaymentId);
    expect(await page.getByTestId('deposit').nth(1).textContent()).toContain('0.1875 LTC · top-up');
    expect(await page.getByTestId('deposit').nth(1).getAttribute('data-status')).toBe('confirming');
    expect(await text(page, 'payment-status-line')).toBe('Payment seen, confirming');
    expect(await text(page, 'payment-underpaid')).toContain('The rest is on its way');
    await screenshot(page, 'pay-step-top-up-confirming');

    await simulate(page, 'Send the rest — paid');
    await page.getByTestId('payment-ready').waitFor({ timeout: 30_000 });
    expect((await orderOf(orderNumber)).status).toBe('fulfilled');
    expect(await page.getByTestId('payment-overpaid').count()).toBe(0);
    await page.close();
  });

  it('changes coin, cancels, and tells the buyer about an overpayment (on a phone)', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 }, hasTouch: true, isMobile: true });
    const first = await startCheckout(page, 'bronze', 'switcher@example.com', 'btc');
    const wallet = page.getByTestId('open-in-wallet');
    expect(await wallet.isVisible()).toBe(true);
    expect(await wallet.getAttribute('href')).toMatch(new RegExp(`^bitcoin:${first.address}\\?amount=0\\.\\d+$`));
    expect(await noHorizontalOverflow(page)).toBe(true);

    await page.getByRole('button', { name: 'Pay with another coin' }).click();
    await page.getByTestId('change-coin-eth').click();
    await page.getByTestId('replaces-order').waitFor();
    expect(await text(page, 'replaces-order')).toContain(`replaces order #${first.orderNumber}`);
    const second = Number((await text(page, 'pay-order-number')).replace('Order #', ''));
    expect(second).not.toBe(first.orderNumber);
    // $30 at the sandbox's $3,200 per ETH: 0.009375 ETH, in wei for EIP-681.
    expect(await text(page, 'pay-amount')).toBe('0.009375 ETH');
    const ethAddress = await text(page, 'pay-address');
    expect(await page.getByTestId('payment-qr').getAttribute('data-uri')).toBe(`ethereum:${ethAddress}?value=9375000000000000`);
    expect((await orderOf(first.orderNumber)).status).toBe('cancelled');
    await screenshot(page, 'pay-step-changed-coin-mobile');

    await page.getByRole('button', { name: 'Cancel this payment' }).click();
    await page.getByRole('button', { name: 'Yes, cancel' }).click();
    await page.getByTestId('cancelled-notice').waitFor();
    expect(await text(page, 'cancelled-notice')).toContain(`Order #${second} is cancelled`);
    expect(await page.getByLabel('Email address').inputValue()).toBe('switcher@example.com');
    const cancelled = await orderOf(second);
    expect(cancelled.status).toBe('cancelled');
    expect(await t.ctx.db.select().from(senders).where(eq(senders.orderId, cancelled.id))).toHaveLength(0);
    // The plan's page shows the form again instead of resuming the cancelled invoice.
    await page.reload();
    await page.getByRole('button', { name: 'Continue to payment' }).waitFor();
    expect(await page.getByTestId('pay-step').count()).toBe(0);

    await page.getByTestId('coin-ltc').click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('payment-qr').waitFor();
    await simulate(page, 'Overpaid');
    await page.getByTestId('payment-overpaid').waitFor({ timeout: 30_000 });
    expect(await text(page, 'payment-overpaid')).toContain('You sent 0.0375 LTC more than the price');
    expect(await text(page, 'payment-overpaid')).toContain('Your plan is activated');
    await screenshot(page, 'pay-step-overpaid-mobile');
    await page.close();
  });
});
