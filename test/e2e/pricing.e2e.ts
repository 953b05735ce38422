import { existsSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plans } from '../../src/db/schema.js';
import { closeAppInBrowser, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

describe('pricing page', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('shows the starter plans, toggles to enterprise, and links to checkout', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/?ref=PARTNER1`);
    await page.getByTestId('plan-bronze').waitFor();
    expect(await page.getByTestId('plan-bronze').getByTestId('plan-price').textContent()).toBe('$30.00');
    expect(await page.getByTestId('plan-silver').getByTestId('plan-interval').textContent()).toBe('Posts every 30 minutes');
    expect(await page.getByTestId('plan-diamond').getByTestId('plan-accounts').textContent()).toContain('6 accounts');
    expect(await page.getByTestId('plan-pro').count()).toBe(0);
    await screenshot(page, 'pricing-starter');

    await page.getByRole('tab', { name: 'Enterprise' }).click();
    await page.getByTestId('plan-elite').waitFor();
    expect(await page.getByTestId('plan-elite').getByTestId('plan-price').textContent()).toBe('$899.00');
    expect(await page.getByTestId('plan-pro').getByTestId('plan-interval').textContent()).toBe('Posts every 7 minutes');
    expect(await page.getByTestId('plan-bronze').count()).toBe(0);
    const file = await screenshot(page, 'pricing-enterprise');
    expect(existsSync(file)).toBe(true);
    await page.close();
  });

  it('shows a price edited in the database without a rebuild, on a phone-sized screen', async () => {
    await t.ctx.db.update(plans).set({ priceCents: 4200 }).where(eq(plans.slug, 'gold'));
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(t.url);
    await page.getByTestId('plan-gold').waitFor();
    expect(await page.getByTestId('plan-gold').getByTestId('plan-price').textContent()).toBe('$42.00');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await screenshot(page, 'pricing-mobile');
    await page.close();
  });
});
