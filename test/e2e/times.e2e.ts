// Issue 12: relative times on the dashboard stay true when the browser's clock runs behind
// the server's, tick while fresh, and show the exact time on hover.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbots, targetChats } from '../../src/db/schema.js';
import { closeAppInBrowser, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

describe('relative times', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('a post just sent reads "just now", not "in 20 seconds", then ticks to "… seconds ago"', async () => {
    const created = await t.api('POST', '/api/payment/create', { email: 'clock@example.com', slug: 'bronze', currency: 'btc' });
    await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
    const body = await accessCodeOfCheckout(t, created.body.checkoutSecret);
    const [bot] = await t.ctx.db.select().from(adbots);
    await t.ctx.db
      .insert(targetChats)
      .values({ adbotId: bot!.id, ref: '@clockgroup', title: 'Clock group', status: 'ok', lastPostAt: new Date(), position: 0 });

    for (const width of [1366, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      // This browser's clock is 20 s behind the server's.
      await page.addInitScript(() => {
        const real = Date.now.bind(Date);
        Date.now = () => real() - 20_000;
      });
      await page.goto(`${t.url}/login`);
      await page.getByLabel('Access code').fill(body!);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByTestId('chats-table').waitFor();
      const cell = page.getByTestId('chat-row').first().locator('time').first();
      const first = (await cell.textContent())!;
      expect(first).not.toMatch(/^in /);
      expect(await cell.getAttribute('title')).toMatch(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d$/);
      await screenshot(page, `times-dashboard-${width}`);
      if (width === 1366) {
        // Once the browser's clock passes the post time, the label counts up on its own.
        await page.waitForFunction(() => /seconds ago$/.test(document.querySelector('[data-testid="chat-row"] time')?.textContent ?? ''), undefined, {
          timeout: 30_000,
        });
      }
      await page.close();
    }
  });
});
