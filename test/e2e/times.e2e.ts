// Issue 12: relative times on the dashboard stay true when the browser's clock runs behind
// the server's, tick while fresh, and show the exact time on hover; every screen writes an
// exact time one way ("3 Dec 2026, 11:50"), the delivery log's due times included.

import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbots, posts, senders, targetChats } from '../../src/db/schema.js';
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
    const justNow = new Date();
    const [chat] = await t.ctx.db
      .insert(targetChats)
      .values({ adbotId: bot!.id, ref: '@clockgroup', title: 'Clock group', status: 'ok', lastPostAt: justNow, position: 0 })
      .returning();
    const [sender] = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, bot!.id));
    // A post that just went out, 90 s after it was due (no use case writes a post at a chosen time).
    await t.ctx.db.insert(posts).values({
      adbotId: bot!.id,
      targetChatId: chat!.id,
      senderId: sender!.id,
      slot: 1,
      status: 'sent',
      messageUrl: 'https://t.me/clockgroup/1',
      createdAt: justNow,
      dueAt: new Date(justNow.getTime() - 90_000),
      sentAt: justNow,
    });
    const exact = /^\d{1,2} \w{3} \d{4}, \d\d:\d\d$/;

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
      expect(await cell.getAttribute('title')).toMatch(exact);
      // The stats panel's "Last post": the same component, never "in …", exact time on hover.
      const last = page.getByTestId('stats-last-post').locator('time');
      await last.waitFor();
      expect(await last.textContent()).not.toMatch(/^in /);
      expect(await last.getAttribute('title')).toMatch(exact);
      // A notification's times read the same way ("Bronze is active until 2 Jan 2027, 11:52"),
      // not as the email's "2027-01-02 11:52 UTC".
      const ready = page.getByTestId('notifications').locator('li', { hasText: 'Your adbot is ready' });
      await ready.waitFor();
      const note = (await ready.textContent()) ?? '';
      expect(note).not.toMatch(/\d{4}-\d\d-\d\d|UTC/);
      expect(note).toMatch(/until \d{1,2} \w{3} \d{4}, \d\d:\d\d/);
      await screenshot(page, `times-dashboard-${width}`);
      if (width === 1366) {
        // Once the browser's clock passes the post time, the label counts up on its own.
        await page.waitForFunction(() => /seconds ago$/.test(document.querySelector('[data-testid="chat-row"] time')?.textContent ?? ''), undefined, {
          timeout: 30_000,
        });
        await page.waitForFunction(() => /seconds ago$/.test(document.querySelector('[data-testid="stats-last-post"] time')?.textContent ?? ''), undefined, {
          timeout: 30_000,
        });
      }

      // The delivery log: relative with the exact time on hover, and the due time written
      // the same exact way (it was "11:48:30", a clock time of its own).
      await page.goto(`${t.url}/dashboard/log`);
      const row = page.getByTestId('delivery-row').first();
      await row.waitFor();
      const when = row.locator('time').first();
      expect(await when.textContent()).not.toMatch(/^in /);
      expect(await when.getAttribute('title')).toMatch(exact);
      const due = row.getByTestId('delivery-due').locator('time');
      expect((await due.textContent())?.trim()).toMatch(exact);
      await screenshot(page, `times-delivery-log-${width}`);
      await page.close();
    }
  });
});
