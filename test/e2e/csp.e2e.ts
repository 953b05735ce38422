import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAppInBrowser, openAppInBrowser, watchCsp } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

describe('the SPA under its Content-Security-Policy', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('buys, pays, opens the dashboard and logs out with no CSP violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const violations = await watchCsp(page);
    const doc = await page.goto(t.url);
    expect(doc!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByTestId('plan-bronze').getByRole('link', { name: 'Get started' }).click();
    await page.getByLabel('Email address').fill('csp@example.com');
    await page.getByTestId('coin-btc').click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('payment-qr').waitFor();
    await page.getByTestId('simulate-panel').getByRole('button', { name: 'Paid', exact: true }).click();
    await page.getByTestId('payment-ready').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Open my dashboard' }).click();
    await page.getByRole('button', { name: 'Continue to my dashboard' }).click();
    await page.getByTestId('plan-name').waitFor();
    // Logging out is a same-origin POST with the cookie: the Origin check lets it through.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    expect(await violations()).toEqual([]);
    await page.close();
  });

  it('a browser resuming a payment without its checkout secret still shows the address to pay', async () => {
    const created = await t.api('POST', '/api/payment/create', { email: 'two-devices@example.com', slug: 'silver', currency: 'ltc' });
    expect(created.status).toBe(201);
    // Another device: no stored secret. Creating again resumes the same invoice.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${t.url}/checkout?plan=silver&email=${encodeURIComponent('two-devices@example.com')}`);
    await page.getByTestId('coin-ltc').click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('pay-address').waitFor();
    expect((await page.getByTestId('pay-address').textContent())!.trim()).toBe(created.body.payAddress);
    await context.close();
  });
});
