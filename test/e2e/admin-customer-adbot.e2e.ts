import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbots, posts, senders, targetChats } from '../../src/db/schema.js';
import { waitForOrderStatus } from '../factories/orders.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const ADMIN_CODE = 'E2E-ADMIN-CUSTOMER-ADBOT-0123';
const EMAIL = 'adbot-detail-e2e@example.com';

describe('admin: a customer’s ad, chats and posts', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } })));
  afterAll(() => closeAppInBrowser(t, browser));

  it('opens the bot from the customer row, read only, at 1366 and 390 px', async () => {
    const created = await t.api('POST', '/api/payment/create', { email: EMAIL, slug: 'bronze', currency: 'btc' });
    expect(created.status).toBe(201);
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' })).status).toBe(200);
    const order = await waitForOrderStatus(t.ctx, created.body.orderId, 'fulfilled', 30_000);
    const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, order!.userId));
    await t.ctx.db
      .update(adbots)
      .set({ post: { type: 'text', text: 'Spring <b>sale</b> today' } })
      .where(eq(adbots.id, bot!.id));
    const [sender] = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, bot!.id));
    const [chat] = await t.ctx.db
      .insert(targetChats)
      .values({ adbotId: bot!.id, ref: '@springchat', title: 'Spring chat', status: 'no_access', lastError: 'bot was kicked', senderId: sender!.id })
      .returning();
    await t.ctx.db.insert(posts).values(
      Array.from({ length: 60 }, (_, i) => ({
        adbotId: bot!.id,
        targetChatId: chat!.id,
        senderId: sender!.id,
        slot: i,
        status: i === 59 ? ('failed' as const) : ('sent' as const),
        error: i === 59 ? 'Forbidden: bot was kicked' : null,
        messageUrl: i === 59 ? null : `https://t.me/springchat/${i}`,
        createdAt: new Date(Date.now() - (60 - i) * 60_000),
      })),
    );

    for (const width of [1366, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${t.url}/admin`);
      await page.waitForURL(/\/login$/);
      await page.getByLabel('Access code').fill(ADMIN_CODE);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin$/);
      await page.goto(`${t.url}/admin/customers?q=${encodeURIComponent(EMAIL)}`);
      const open = page.getByRole('button', { name: `Show ad, chats and posts of ${EMAIL}` });
      await open.click();
      const detail = page.getByTestId('adbot-detail');
      await detail.getByTestId('adbot-posts').waitFor();
      expect(await detail.getByTestId('ad-preview').locator('strong').textContent()).toBe('sale');
      expect(await detail.getByTestId('ad-preview').textContent()).toContain('Spring sale today');
      const chatRow = detail.getByTestId('adbot-chats').locator('tbody tr');
      expect(await chatRow.count()).toBe(1);
      expect(await chatRow.textContent()).toMatch(/Spring chat.*@springchat.*No access.*bot was kicked/);
      // The latest 50 posts, newest first: the failed one on top.
      const postRows = detail.getByTestId('adbot-posts').locator('tbody tr');
      expect(await postRows.count()).toBe(50);
      expect(await postRows.first().textContent()).toContain('Forbidden: bot was kicked');
      expect(await postRows.nth(1).getByRole('link', { name: 'Sent' }).getAttribute('href')).toBe('https://t.me/springchat/58');
      // Read only: nothing in the panel edits the ad; the card's own actions stay.
      expect(await detail.locator('textarea, input, form').count()).toBe(0);
      await page.getByRole('button', { name: `Suspend ${EMAIL}` }).waitFor();
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `admin-customer-adbot-${width}`);
      await page.getByRole('button', { name: `Hide ad, chats and posts of ${EMAIL}` }).click();
      expect(await detail.count()).toBe(0);
      await page.close();
    }
  });
});
