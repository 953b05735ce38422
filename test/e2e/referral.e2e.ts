// Issue 12: a ?ref= visitor who wanders (logo, Log in) before buying stays attributed, and
// checkout says who referred them.
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orders, resellers } from '../../src/db/schema.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const ADMIN_CODE = 'ADMIN-E2E-REFERRAL-CODE-77';

describe('referral attribution', () => {
  let t: TestApp;
  let browser: Browser;
  let resellerId: string;
  beforeAll(async () => {
    ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } }));
    const login = await t.api('POST', '/api/auth/login', { accessCode: ADMIN_CODE });
    const admin = { authorization: `Bearer ${login.body.token}` };
    for (const [email, code] of [
      ['first@example.com', 'first-jo'],
      ['second@example.com', 'second-al'],
    ]) {
      const res = await t.api('POST', '/api/admin/resellers', { email, commissionPercent: 10, referralCode: code }, admin);
      expect(res.status).toBe(201);
    }
    const [r] = await t.ctx.db.select().from(resellers).where(eq(resellers.referralCode, 'first-jo'));
    resellerId = r!.id;
  });
  afterAll(() => closeAppInBrowser(t, browser));

  it('keeps the first code across the logo, Log in and a later link, and credits the order', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${t.url}/?ref=first-jo`);
    await page.getByTestId('plan-bronze').waitFor();
    // Wander: the logo, then Log in, then back home; a second reseller's link comes later.
    await page.getByRole('link', { name: 'HQAdz home' }).click();
    await page.getByTestId('header-account-link').click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${t.url}/?ref=second-al`);
    await page.getByRole('link', { name: 'HQAdz home' }).click();
    await page.getByTestId('plan-silver').getByRole('link', { name: 'Get started' }).click();
    await page.waitForURL(/\/checkout\?plan=silver/);
    expect(new URL(page.url()).searchParams.get('ref')).toBe('first-jo');
    await page.getByTestId('referred-by').waitFor();
    expect(await page.getByTestId('referred-by').textContent()).toBe('Referred by first-jo');
    await screenshot(page, 'referral-checkout');

    await page.getByLabel('Email address').fill('referred.buyer@example.com');
    await page.getByTestId('coin-btc').click();
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.getByTestId('pay-address').waitFor();
    const [order] = await t.ctx.db.select().from(orders);
    expect(order?.resellerId).toBe(resellerId);
    await page.close();
  });

  it('still credits a checkout opened straight from its address days later, on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${t.url}/?ref=first-jo`);
    await page.getByTestId('plan-bronze').waitFor();
    // Twenty-nine days later (the stored time moved back), a bookmark without ?ref.
    await page.evaluate(() => {
      const v = JSON.parse(localStorage.getItem('hqadz.ref')!);
      localStorage.setItem('hqadz.ref', JSON.stringify({ ...v, at: v.at - 29 * 86_400_000 }));
    });
    await page.goto(`${t.url}/checkout?plan=bronze`);
    await page.getByTestId('referred-by').waitFor();
    expect(new URL(page.url()).searchParams.get('ref')).toBe('first-jo');
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'referral-checkout-mobile');

    // Past 30 days the code no longer counts.
    await page.evaluate(() => {
      const v = JSON.parse(localStorage.getItem('hqadz.ref')!);
      localStorage.setItem('hqadz.ref', JSON.stringify({ ...v, at: v.at - 2 * 86_400_000 }));
    });
    await page.goto(`${t.url}/checkout?plan=bronze`);
    await page.getByTestId('order-summary').waitFor();
    expect(new URL(page.url()).searchParams.get('ref')).toBeNull();
    expect(await page.getByTestId('referred-by').count()).toBe(0);
    // An unknown code is not announced.
    await page.goto(`${t.url}/checkout?plan=bronze&ref=nobody-here`);
    await page.getByTestId('order-summary').waitFor();
    expect((await t.api('GET', '/api/referrals/nobody-here')).status).toBe(404);
    expect(await page.getByTestId('referred-by').count()).toBe(0);
    await context.close();
  });
});
