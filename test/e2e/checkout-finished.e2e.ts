import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

describe('checkout after the access code', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  for (const [width, height, name] of [
    [1366, 900, 'desktop'],
    [390, 844, 'mobile'],
  ] as const) {
    it(`labels the TRON address plainly and stays finished on reload and Back (${name})`, async () => {
      const page = await browser.newPage({ viewport: { width, height } });
      const email = `finished-${name}@example.com`;
      await page.goto(`${t.url}/checkout?plan=bronze&email=${encodeURIComponent(email)}`);
      await page.getByTestId('coin-usdttrc20').click();
      await page.getByRole('button', { name: 'Continue to payment' }).click();
      await page.getByTestId('pay-address').waitFor();
      const label = (await page.locator('.copy-label', { hasText: 'Address' }).textContent()) ?? '';
      expect(label).toBe('Address on TRON (TRC-20)');
      expect(label).not.toMatch(/\([^)]*\(/);
      await screenshot(page, `checkout-address-label-${name}`);

      await page.getByTestId('simulate-panel').getByRole('button', { name: 'Paid', exact: true }).click();
      await page.getByTestId('payment-ready').waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Open my dashboard' }).click();
      const code = (await page.getByTestId('access-code').textContent())!.trim();
      expect(code.length).toBeGreaterThan(5);

      // Reload: not a purchase form for a renewal, and the one-time code is not shown again.
      await page.reload();
      const finished = page.getByTestId('order-finished');
      await finished.waitFor();
      expect(await finished.textContent()).toContain("You're all set — open your dashboard");
      expect(await finished.textContent()).toContain('email');
      expect(await page.getByTestId('purchase-kind').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Continue to payment' }).count()).toBe(0);
      expect(await page.content()).not.toContain(code);
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `checkout-finished-${name}`);

      // Dashboard, then Back: the same finished panel.
      await finished.getByRole('link', { name: 'Open my dashboard' }).click();
      await page.waitForURL(/\/dashboard$/);
      await page.getByTestId('plan-name').waitFor();
      await page.goBack();
      await page.waitForURL(/\/checkout\?plan=bronze/);
      await finished.waitFor();
      expect(await page.getByTestId('purchase-kind').count()).toBe(0);
      expect(await page.content()).not.toContain(code);

      // A link to checkout from the dashboard is a new purchase: the renewal form.
      await page.goto(`${t.url}/dashboard`);
      await page.getByRole('link', { name: 'Renew' }).click();
      await page.waitForURL(/\/checkout\?plan=bronze/);
      await page.getByTestId('purchase-kind').waitFor();
      expect(await page.getByTestId('order-finished').count()).toBe(0);
      await page.close();
    });
  }
});
