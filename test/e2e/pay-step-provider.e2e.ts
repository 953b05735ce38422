// The pay step against the NOWPayments fake (the real client, signed IPNs), issue 9: a memo coin
// shows its memo prominently with a copy button, and the buyer watches the provider's stages
// (waiting → confirming → confirmed → finished) arrive, each with when it was reached.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { payments } from '../../src/db/schema.js';
import { sandboxSenders } from '../factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../fakes/nowpayments.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

describe('the pay step with NOWPayments', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    // The merchant enabled XRP (a memo coin) besides the usual ones.
    np = await startFakeNowPayments({ currencies: ['btc', 'eth', 'sol', 'ltc', 'usdttrc20', 'xrp'] });
    ({ t, browser } = await openAppInBrowser({ env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '100' } }));
    await sandboxSenders(t, 5);
  });
  afterAll(async () => {
    await closeAppInBrowser(t, browser);
    await np?.close();
  });

  const text = async (page: Page, testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();
  const until = (check: () => Promise<unknown>, timeout = 15_000) => vi.waitFor(check, { timeout, interval: 100 });

  async function startCheckout(page: Page, email: string, coin: string) {
    await page.goto(`${t.url}/checkout?plan=bronze&email=${encodeURIComponent(email)}`);
    await page.getByTestId(`coin-${coin}`).click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('pay-address').waitFor();
    const address = await text(page, 'pay-address');
    const [payment] = await t.ctx.db.select().from(payments).where(eq(payments.payAddress, address));
    return payment!;
  }

  it('shows the memo of a memo coin (XRP) before the address, with a copy button', async () => {
    for (const width of [1366, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const payment = await startCheckout(page, `memo-${width}@example.com`, 'xrp');
      const memo = np.payments.get(payment.providerPaymentId!)!.payin_extra_id;
      expect(memo).toMatch(/^\d+$/);
      const box = page.getByTestId('pay-memo');
      expect(await box.isVisible()).toBe(true);
      expect(await text(page, 'pay-extra-id')).toBe(memo);
      expect(await box.textContent()).toContain('Memo / destination tag — required');
      // Prominent: a warning box, above the address.
      expect(await box.getAttribute('class')).toContain('notice-warning');
      const memoTop = (await box.boundingBox())!.y;
      const addressTop = (await page.getByTestId('pay-address').boundingBox())!.y;
      expect(memoTop).toBeLessThan(addressTop);
      expect(await text(page, 'pay-network')).toContain('with the memo');
      // The QR carries the bare address (no standard carries the memo), so the amount is typed.
      expect(await page.getByTestId('payment-qr').getAttribute('data-uri')).toBe(payment.payAddress);
      const copy = box.getByRole('button', { name: 'Copy memo' });
      await copy.click();
      await until(async () => expect(await copy.textContent()).toMatch(/Copied|Select and copy/));
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `pay-step-memo-${width}`);
      await page.close();
    }
  });

  it('walks waiting → confirming → confirmed → finished, each stage shown with its time as it arrives', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const payment = await startCheckout(page, 'stages@example.com', 'btc');
    const id = payment.providerPaymentId!;
    const stage = (name: string) => page.getByTestId('payment-stages').locator(`[data-stage="${name}"]`);
    const reached = (name: string) => until(async () => expect(await stage(name).getAttribute('data-state')).toBe('reached'));
    expect(await text(page, 'payment-status-line')).toBe('Waiting for payment');

    expect(await np.setStatus(id, 'confirming')).toBe(200);
    await reached('confirming');
    await reached('waiting');
    expect(await stage('confirmed').getAttribute('data-state')).toBe('next');
    expect(await stage('finished').getAttribute('data-state')).toBe('ahead');
    expect(await stage('confirming').locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await text(page, 'payment-status-line')).toBe('Payment seen, confirming');
    // No confirmation count is made up: NOWPayments reports none.
    expect(await page.getByTestId('payment-stages').textContent()).not.toMatch(/\d+\s*\/\s*\d+/);
    await screenshot(page, 'pay-step-stages-confirming');

    expect(await np.setStatus(id, 'confirmed')).toBe(200);
    await reached('confirmed');
    expect(await text(page, 'payment-status-line')).toBe('Payment confirmed, finishing');
    const times = await page
      .getByTestId('payment-stages')
      .locator('time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    expect(times).toHaveLength(3);
    expect([...times].sort()).toEqual(times);

    expect(await np.setStatus(id, 'finished')).toBe(200);
    await page.getByTestId('payment-ready').waitFor({ timeout: 30_000 });
    await reached('finished');
    // "sending" was skipped by the provider: passed, with no time of its own.
    expect(await stage('sending').getAttribute('data-state')).toBe('passed');
    expect(await stage('sending').locator('time').count()).toBe(0);
    await screenshot(page, 'pay-step-stages-finished');
    await page.close();
  });
});
