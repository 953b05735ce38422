import { and, eq, like } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emails, payments, senders } from '../../src/db/schema.js';
import { maskSecret } from '../../src/platform/notifications/mask-secret.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

describe('checkout', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('buys Bronze from the pricing page, survives a refresh, and opens the dashboard once paid', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(t.url);
    await page.getByTestId('plan-bronze').getByRole('link', { name: 'Get started' }).click();
    await page.waitForURL(/\/checkout\?plan=bronze/);
    await page.getByTestId('order-summary').waitFor();
    expect(await page.getByTestId('summary-price').textContent()).toBe('$30.00');
    expect(await page.getByTestId('order-summary').textContent()).toContain('Posts every hour');

    // An incomplete email is flagged while typing and nothing is created.
    await page.getByLabel('Email address').fill('buyer@');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByText('That email looks incomplete.').waitFor();
    await page.getByLabel('Email address').fill('buyer@example.com');
    await page.getByTestId('coin-btc').click();
    await screenshot(page, 'checkout-form');
    await page.getByRole('button', { name: 'Continue to payment' }).click();

    const address = page.getByTestId('pay-address');
    await address.waitFor();
    const addr = (await address.textContent())!.trim();
    expect(addr.length).toBeGreaterThan(10);
    const amount = (await page.getByTestId('pay-amount').textContent())!;
    expect(amount).toMatch(/^[\d.]+ BTC$/);
    const qr = page.getByTestId('payment-qr');
    await qr.waitFor();
    expect(await qr.getAttribute('data-uri')).toBe(`bitcoin:${addr}?amount=${amount.replace(' BTC', '')}`);
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await page.getByTestId('payment-status-line').textContent()).toBe('Waiting for payment');
    expect(await page.getByTestId('payment-countdown').textContent()).toMatch(/^\d+:\d\d/);
    await page.getByText('Send exactly this amount on the').waitFor();
    await page.getByTestId('simulate-panel').waitFor();
    await screenshot(page, 'checkout-pay');

    // A refresh comes back to the same payment instead of opening a second invoice.
    await page.reload();
    await address.waitFor();
    expect((await address.textContent())!.trim()).toBe(addr);
    const rows = await t.ctx.db.select().from(payments);
    expect(rows).toHaveLength(1);

    await page.getByTestId('simulate-panel').getByRole('button', { name: 'Payment seen' }).click();
    await vi.waitFor(async () => expect(await page.getByTestId('payment-status-line').textContent(), 'confirming').toBe('Payment seen, confirming'), {
      timeout: 10_000,
      interval: 100,
    });

    await page.getByTestId('simulate-panel').getByRole('button', { name: 'Paid', exact: true }).click();
    await page.getByTestId('payment-ready').waitFor({ timeout: 30_000 });
    await screenshot(page, 'checkout-ready');

    await page.getByRole('button', { name: 'Open my dashboard' }).click();
    const code = (await page.getByTestId('access-code').textContent())!.trim();
    // The fulfilment email (the receipt went to the same address with the payment).
    const [mail] = await t.ctx.db
      .select()
      .from(emails)
      .where(and(eq(emails.toAddress, 'buyer@example.com'), like(emails.dedupeKey, '%:fulfilled')));
    // The stored copy holds the code masked; the customer's own email has it in full.
    expect(mail?.bodyText).toContain(`Access code: ${maskSecret(code)}`);
    expect(mail?.bodyText).not.toContain(code);
    await page.getByText("Save it — it's also in your email.").waitFor();
    await screenshot(page, 'checkout-access-code');

    await page.getByRole('button', { name: 'Continue to my dashboard' }).click();
    await page.waitForURL(/\/dashboard$/);
    await page.getByTestId('plan-name').waitFor();
    expect(await page.getByTestId('plan-name').textContent()).toContain('Bronze');
    await page.close();
  });

  it('shows the pay step on a phone, with a plain address in the QR for USDT, and handles an expired invoice', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(`${t.url}/checkout?plan=silver&email=${encodeURIComponent('phone@example.com')}`);
    expect(await page.getByLabel('Email address').inputValue()).toBe('phone@example.com');
    await page.getByTestId('coin-usdttrc20').click();
    expect(await page.getByTestId('coin-usdttrc20').textContent()).toContain('TRON');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('payment-qr').waitFor();
    const addr = (await page.getByTestId('pay-address').textContent())!.trim();
    expect(await page.getByTestId('payment-qr').getAttribute('data-uri')).toBe(addr);
    const fullAmount = Number((await page.getByTestId('pay-amount').textContent())!.replace(' USDT', ''));
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'checkout-pay-mobile');

    await page.getByTestId('simulate-panel').getByRole('button', { name: 'Underpaid' }).click();
    await page.getByTestId('payment-underpaid').waitFor();
    expect((await page.getByTestId('pay-address').textContent())!.trim()).toBe(addr);
    // The simulator paid half: what is left to send is the other half, to the same address.
    const missing = Number((await page.getByTestId('pay-amount').textContent())!.replace(' USDT', ''));
    expect(missing).toBeCloseTo(fullAmount / 2, 6);
    // USDT reads as money: at least two decimals.
    expect((await page.getByTestId('pay-amount').textContent())!).toMatch(/^\d+\.\d{2,} USDT$/);
    await screenshot(page, 'checkout-underpaid-mobile');

    await page.getByTestId('simulate-panel').getByRole('button', { name: 'Expire' }).click();
    await page.getByTestId('payment-expired').waitFor();
    expect(await page.getByTestId('payment-expired').getByRole('link', { name: 'support@hqadz.example' }).count()).toBe(1);
    await screenshot(page, 'checkout-expired-mobile');
    await page.getByRole('button', { name: 'Start again' }).click();
    // Starting again keeps the plan and the email.
    expect(await page.getByLabel('Email address').inputValue()).toBe('phone@example.com');
    expect(await page.getByTestId('order-summary').textContent()).toContain('Silver');
    await page.close();
  });

  it('renews and upgrades for a signed-in customer without asking for the access code', async () => {
    const created = await t.api('POST', '/api/payment/create', { email: 'renewer@example.com', slug: 'bronze', currency: 'btc' });
    await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
    const code = await accessCodeOfCheckout(t, created.body.checkoutSecret);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/login`);
    await page.getByLabel('Access code').fill(code);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('plan-name').waitFor();

    await page.getByRole('link', { name: 'Renew' }).click();
    await page.waitForURL(/\/checkout\?plan=bronze/);
    const what = page.getByTestId('purchase-kind');
    await what.waitFor();
    const renewal = (await what.textContent()) ?? '';
    expect(renewal).toMatch(/^Renewal: adds 30 days → until \d/);
    const renewedUntil = renewal.split('→ until ')[1]!;
    expect(await page.getByTestId('header-account-link').textContent()).toBe('My dashboard');
    await page.getByTestId('coin-btc').click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('simulate-panel').getByRole('button', { name: 'Paid', exact: true }).click();
    await page.getByTestId('payment-ready').waitFor({ timeout: 30_000 });
    // The new end date once the status is refetched, never the cached old one before it.
    const renewed = `Renewed — your plan now runs until ${renewedUntil}`;
    expect(['Renewed — your plan now runs until …', renewed]).toContain(await page.getByTestId('ready-heading').textContent());
    await vi.waitFor(async () => expect(await page.getByTestId('ready-heading').textContent(), 'renewed until the new date').toBe(renewed), {
      timeout: 10_000,
      interval: 100,
    });
    expect(await page.getByTestId('payment-ready').textContent()).not.toContain('Next: add your bots');
    expect(await page.getByText('Log in with your access code').count()).toBe(0);
    await screenshot(page, 'checkout-renewed');

    await page.goto(`${t.url}/checkout?plan=gold&email=renewer%40example.com`);
    await what.waitFor();
    expect(await what.textContent()).toBe('Upgrade to Gold: 3 bots, posts every 20 minutes, +30 days');
    await page.getByTestId('coin-ltc').click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('simulate-panel').getByRole('button', { name: 'Paid', exact: true }).click();
    await page.getByTestId('payment-ready').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('ready-heading').textContent()).toBe('Upgraded to Gold');
    await page.getByRole('link', { name: 'Back to my dashboard' }).click();
    await page.waitForURL(/\/dashboard$/);
    await vi.waitFor(async () => expect(await page.getByTestId('plan-name').textContent(), 'gold plan').toContain('Gold'), { timeout: 10_000, interval: 100 });
    await page.close();
  });

  // Runs last: it empties the sender stock.
  it('says sold out, before any address, when the stock runs out during checkout', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/checkout?plan=gold`);
    // The stock runs out after the page has loaded its products, not before.
    await page.getByTestId('order-summary').waitFor();
    await page.getByLabel('Email address').fill('late@example.com');
    await page.getByTestId('coin-ltc').click();
    await t.ctx.db.update(senders).set({ state: 'banned' }).where(eq(senders.state, 'unused'));
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('sold-out').waitFor();
    expect(await page.getByTestId('pay-address').count()).toBe(0);
    await screenshot(page, 'checkout-sold-out');
    await page.close();
  });
});
