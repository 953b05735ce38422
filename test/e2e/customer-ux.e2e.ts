import { eq } from 'drizzle-orm';
import type { Browser, Locator, Page } from 'playwright-core';
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

  async function openPlanMenu(page: Page) {
    // The prices arrive with the plans, after the dashboard itself: wait for them, then read them.
    await page.getByTestId('renew-link').filter({ hasText: 'adds 30 days' }).waitFor();
    await page.getByTestId('plan-menu').locator('summary').click();
    const list = page.getByTestId('plan-menu').locator('.menu-list');
    await list.waitFor();
    return list;
  }

  async function fitsTheScreen(page: Page, list: Locator, width: number) {
    expect(await noHorizontalOverflow(page)).toBe(true);
    const box = (await list.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
  }

  it('the plan menu says what each change does, as the server does it, and fits a 360 and 390 px screen', async () => {
    for (const width of [1366, 390, 360]) {
      const page = await browser.newPage({ viewport: { width, height: 844 } });
      await logIn(page, t, goldCode);
      const renew = page.getByTestId('renew-link').filter({ hasText: 'adds 30 days' });
      await renew.waitFor();
      expect(await renew.textContent()).toMatch(/^Renew — \$\d+\.\d\d, adds 30 days$/);
      const list = await openPlanMenu(page);
      expect(await page.getByTestId('plan-menu').locator('summary').textContent()).toBe('Upgrade');
      // An upgrade replaces the plan at once; the days left stay and 30 are added (fulfil-order: max(now, expiry) + validity).
      const up = list.getByRole('link', { name: /^Upgrade to Diamond — \$160\.00/ });
      expect(await up.locator('.menu-effect').textContent()).toBe(
        'Diamond replaces Gold from the moment you pay: 6 bots (3 more to add to your groups), posts every 10 minutes; your 29 days left are kept and 30 days are added.',
      );
      // Fewer senders while Gold runs: checkout answers 409, so Bronze is shown but not payable.
      expect(await list.getByRole('link', { name: /Bronze/ }).count()).toBe(0);
      const bronze = list.getByTestId('plan-change-bronze');
      expect(await bronze.getAttribute('aria-disabled')).toBe('true');
      expect(await bronze.locator('strong').textContent()).toBe('Bronze — $30.00');
      expect(await bronze.locator('.menu-effect').textContent()).toBe(
        'Not available while your Gold plan runs: Bronze has 1 bot, fewer than your 3. Renew Gold or pick a bigger plan; smaller plans can be bought after Gold ends.',
      );
      await fitsTheScreen(page, list, width);
      await screenshot(page, `plan-menu-${width}`);
      await page.close();
    }
    // What the menu refuses, checkout refuses.
    const refused = await t.api('POST', '/api/payment/create', { email: 'gold-ux@example.com', slug: 'bronze', currency: 'btc' });
    expect(refused.status).toBe(409);
  });

  it('a cheaper plan with the same bots is credited as days of the running plan, as the menu says', async () => {
    const email = 'basic-ux@example.com';
    const code = await buy(t, email, 'basic');
    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
    const expiryOf = async () => (await t.ctx.db.select().from(adbots).where(eq(adbots.userId, user!.id)))[0]!;
    const before = await expiryOf();
    // Gold ($80, 3 bots) while Basic ($199, 3 bots) runs: round(30 × 80 / 199) = 12 days of Basic.
    const promise =
      "Your Basic plan keeps running (same bots, same interval): this adds 12 days of Basic (the $80.00 credited at Basic's price of $6.63 a day).";
    let page: Page | undefined;
    for (const width of [390, 1366]) {
      page = await browser.newPage({ viewport: { width, height: 844 } });
      await logIn(page, t, code);
      const list = await openPlanMenu(page);
      const gold = list.getByRole('link', { name: /^Gold — \$80\.00, as days on Basic/ });
      expect(await gold.locator('.menu-effect').textContent()).toBe(promise);
      expect(await gold.getAttribute('href')).toBe(`/checkout?plan=gold&email=${encodeURIComponent(email)}`);
      await fitsTheScreen(page, list, width);
      await screenshot(page, `plan-menu-credit-${width}`);
      if (width === 390) await page.close();
    }
    // Pay it in the sandbox, from the menu.
    await page!.getByRole('link', { name: /^Gold — \$80\.00/ }).click();
    // The checkout says the same before the click that pays.
    await page!.getByTestId('purchase-kind').waitFor();
    expect(await page!.getByTestId('purchase-kind').textContent()).toBe(promise);
    await page!.getByTestId('coin-btc').click();
    await page!.getByRole('button', { name: 'Continue to payment' }).click();
    await page!.getByTestId('simulate-panel').getByRole('button', { name: 'Paid', exact: true }).click();
    await page!.getByTestId('payment-ready').waitFor({ timeout: 30_000 });
    // The heading names the plan once the account's status is refetched after the payment (it
    // says "current" until then, ready-panel.tsx): waited for, not read at the first paint.
    await expect.poll(() => page!.getByTestId('ready-heading').textContent(), { timeout: 15_000 }).toBe('Added to your Basic plan as days');
    await screenshot(page!, 'plan-credit-paid-1366');

    const after = await expiryOf();
    expect(after.planId).toBe(before.planId);
    expect(after.senderCount).toBe(3);
    expect(after.expiresAt.getTime() - before.expiresAt.getTime()).toBe(12 * 86_400_000);
    await page!.goto(`${t.url}/dashboard`);
    await page!.getByTestId('plan-name').waitFor();
    expect(await page!.getByTestId('plan-name').textContent()).toMatch(/^Basic/);
    // Bought a minute ago for 30 days, plus the 12 promised.
    expect(await page!.getByTestId('expiry').textContent()).toMatch(/^41d 23h left$/);
    await page!.close();
  });

  it('pricing marks the signed-in customer plan', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(t.url);
    await page.getByTestId('plan-gold').waitFor();
    expect(await page.getByTestId('your-plan').count()).toBe(0);
    await logIn(page, t, goldCode);
    await page.goto(t.url);
    const gold = page.getByRole('article', { name: 'Gold plan (your plan)' });
    await gold.getByText('Your plan', { exact: true }).waitFor();
    expect(await gold.getByRole('link', { name: 'Renew' }).getAttribute('href')).toMatch(/^\/checkout\?plan=gold/);
    expect(await page.getByTestId('your-plan').count()).toBe(1);
    await screenshot(page, 'pricing-your-plan-1366');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'pricing-your-plan-390');
    await page.close();
  });

  it('pricing tabs follow the WAI-ARIA tabs pattern', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(t.url);
    await page.getByTestId('plan-gold').waitFor();

    const starter = page.getByRole('tab', { name: 'Starter' });
    const enterprise = page.getByRole('tab', { name: 'Enterprise' });
    expect(await starter.getAttribute('tabindex')).toBe('0');
    expect(await enterprise.getAttribute('tabindex')).toBe('-1');
    await starter.focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('plan-elite').waitFor();
    expect(await enterprise.getAttribute('aria-selected')).toBe('true');
    expect(await enterprise.getAttribute('tabindex')).toBe('0');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Enterprise');
    await page.keyboard.press('ArrowRight'); // wraps around
    await page.getByTestId('plan-bronze').waitFor();
    expect(await starter.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('End');
    await page.getByTestId('plan-elite').waitFor();
    await page.keyboard.press('Home');
    await page.getByTestId('plan-bronze').waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('plan-elite').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-selected'))).toBe('true');
    await screenshot(page, 'pricing-keys-1366');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('plan-bronze').waitFor();
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'pricing-keys-390');
    await page.close();
  });

  it('an expired bot offers Renew as the primary action and no first-post checklist', async () => {
    const code = await buy(t, 'expired-ux@example.com', 'bronze');
    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, 'expired-ux@example.com'));
    await t.ctx.db
      .update(adbots)
      .set({ status: 'expired', expiresAt: new Date(Date.now() - 3_600_000) })
      .where(eq(adbots.userId, user!.id));
    for (const width of [1366, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 844 } });
      await logIn(page, t, code);
      expect(await page.getByTestId('bot-status').textContent()).toBe('Expired');
      await page.getByText('Your plan has expired and posting stopped.').waitFor();
      expect(await page.getByTestId('renew-link').getAttribute('class')).toContain('btn-primary');
      expect(await page.getByRole('button', { name: 'Start posting' }).count()).toBe(0);
      expect(await page.getByTestId('setup-checklist').count()).toBe(0);
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `dashboard-expired-${width}`);
      await page.close();
    }
  });

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
