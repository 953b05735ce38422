import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbots, users } from '../../src/db/schema.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

async function buy(t: TestApp, email: string, slug: string): Promise<string> {
  const created = await t.api('POST', '/api/payment/create', { email, slug, currency: 'btc' });
  expect(created.status).toBe(201);
  const sim = await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
  expect(sim.status).toBe(200);
  return accessCodeOfCheckout(t, created.body.checkoutSecret);
}

async function logIn(page: Page, t: TestApp, code: string): Promise<void> {
  await page.goto(`${t.url}/login`);
  await page.getByLabel('Access code').fill(code);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('plan-name').waitFor();
}

describe('customer UX', () => {
  let t: TestApp;
  let browser: Browser;
  let goldCode: string;
  beforeAll(async () => {
    ({ t, browser } = await openAppInBrowser());
    goldCode = await buy(t, 'gold-ux@example.com', 'gold');
  });
  afterAll(() => closeAppInBrowser(t, browser));

  it('the login page words the code source for customers and resellers alike', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${t.url}/login`);
    await page.getByText('Use your access code (customers: from your purchase email; resellers: from your HQAdz contact).').waitFor();
    expect(await page.getByText('Use the access code from your purchase email.').count()).toBe(0);
    await screenshot(page, 'login-hint-390');
    await page.setViewportSize({ width: 1366, height: 900 });
    await screenshot(page, 'login-hint-1366');
    await page.close();
  });
});
