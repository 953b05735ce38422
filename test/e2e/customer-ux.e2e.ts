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

  it('the plan menu shows prices and what each change does, and fits a 360 and 390 px screen', async () => {
    for (const width of [1366, 390, 360]) {
      const page = await browser.newPage({ viewport: { width, height: 844 } });
      await logIn(page, t, goldCode);
      // The price arrives with the plans, after the dashboard itself: wait for it, then read it.
      const renew = page.getByTestId('renew-link').filter({ hasText: 'adds 30 days' });
      await renew.waitFor();
      expect(await renew.textContent()).toMatch(/^Renew — \$\d+\.\d\d, adds 30 days$/);
      await page.getByTestId('plan-menu').locator('summary').click();
      const list = page.getByTestId('plan-menu').locator('.menu-list');
      await list.waitFor();
      const up = list.getByRole('link', { name: /^Upgrade to Diamond — \$\d+\.\d\d/ });
      // The days left stay and 30 are added (fulfil-order: max(now, expiry) + validity).
      expect(await up.textContent()).toMatch(/posts every .+, from the moment you pay; your 29 days left are kept and 30 days are added\.$/);
      const down = list.getByRole('link', { name: /^Switch to Bronze — \$30\.00/ });
      expect(await down.textContent()).toMatch(/your 29 days left are kept and 30 days are added; \d+ of your bots leave your groups\.$/);
      expect(await noHorizontalOverflow(page)).toBe(true);
      const box = (await list.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await screenshot(page, `plan-menu-${width}`);
      await page.close();
    }
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
