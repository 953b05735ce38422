// The delivery log in a real Chromium: reached from the dashboard, paged, filtered, a link to a
// message, the CSV downloaded; laid out as cards on a phone. And the pricing page promising it.
import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { posts, senders, targetChats } from '../../src/db/schema.js';
import { SESSION_COOKIE } from '../../src/modules/accounts/tokens.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

describe('delivery log', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('lists every post, pages, filters, links to the message and downloads the CSV', async () => {
    const bought = await t.api('POST', '/api/payment/create', { email: 'log.e2e@example.com', slug: 'bronze', currency: 'btc' });
    expect(bought.status).toBe(201);
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: bought.body.paymentId, status: 'finished' })).status).toBe(200);
    const code = await accessCodeOfCheckout(t, bought.body.checkoutSecret);
    const token = (await t.api('POST', '/api/auth/login', { accessCode: code })).body.token as string;
    const auth = { authorization: `Bearer ${token}` };
    const put = await t.api('PUT', '/api/user/bot', { chats: ['@log_alpha', '@log_beta'] }, auth);
    expect(put.status).toBe(200);
    const adbotId = put.body.id as string;
    const chats = await t.ctx.db.select().from(targetChats).where(eq(targetChats.adbotId, adbotId));
    const [sender] = await t.ctx.db.select().from(senders).where(eq(senders.adbotId, adbotId));
    await t.ctx.db
      .update(targetChats)
      .set({ title: 'Beta Traders' })
      .where(eq(targetChats.id, chats.find((c) => c.ref === '@log_beta')!.id));
    // 60 posts an hour apart, every fifth one failed: more than a page. No use case writes a
    // history with chosen times, so the rows are made here.
    const start = Date.now() - 60 * 3_600_000;
    await t.ctx.db.insert(posts).values(
      Array.from({ length: 60 }, (_, i) => {
        const chat = chats[i % 2]!;
        const failed = i % 5 === 0;
        const at = new Date(start + i * 3_600_000);
        return {
          adbotId,
          targetChatId: chat.id,
          senderId: sender!.id,
          slot: i + 1,
          status: failed ? ('failed' as const) : ('sent' as const),
          error: failed ? 'Bad Request: not enough rights to send text messages to the chat' : null,
          messageUrl: failed ? null : `https://t.me/${chat.ref.slice(1)}/${i + 1}`,
          createdAt: at,
          dueAt: at,
          sentAt: failed ? null : at,
        };
      }),
    );

    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url: t.url }]);
    const page = await context.newPage();
    await page.goto(`${t.url}/dashboard`);
    await page.getByTestId('log-link').click();
    await page.waitForURL(/\/dashboard\/log$/);
    const table = page.getByTestId('delivery-log');
    await table.waitFor();
    expect(await page.title()).toBe('Delivery log · HQAdz');
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(50);
    // Newest first: post 60 (to @log_beta, sent) is on top, with its link opening Telegram.
    const link = rows.nth(0).getByRole('link', { name: /Open the message in Beta Traders/ });
    expect(await link.getAttribute('href')).toBe('https://t.me/log_beta/60');
    expect(await link.getAttribute('target')).toBe('_blank');
    await screenshot(page, 'delivery-log');

    await page.getByRole('button', { name: 'Older' }).click();
    await page.getByTestId('log-page').getByText('Page 2').waitFor();
    await expect.poll(() => rows.count()).toBe(10);
    expect(await page.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => rows.count()).toBe(50);

    await page.getByLabel('Chat').selectOption('@log_beta');
    await page.getByLabel('Result').selectOption('failed');
    // Failed beta posts: i odd and a multiple of 5 → 5, 15, 25, 35, 45, 55.
    await expect.poll(() => rows.count()).toBe(6);
    expect(await table.getByText('Failed', { exact: true }).count()).toBe(6);
    expect(await rows.nth(0).textContent()).toContain('not enough rights');
    expect(await rows.nth(0).getByRole('link').count()).toBe(0);
    await screenshot(page, 'delivery-log-filtered');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^hqadz-delivery-log-\d{4}-\d\d-\d\d\.csv$/);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('time_utc,due_utc,chat,chat_title,bot_username,result,error,link');
    expect(lines).toHaveLength(7);
    expect(lines.slice(1).every((l) => l.includes(",'@log_beta,Beta Traders,") && l.includes(',failed,'))).toBe(true);

    // A day with no posts: said so, the filters stay to change.
    await page.getByLabel('From').fill('2020-01-01');
    await page.getByLabel('To').fill('2020-01-02');
    await page.getByTestId('delivery-empty').waitFor();
    expect(await page.getByTestId('delivery-empty').textContent()).toContain('No posts match these filters');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows.count()).toBe(50);

    for (const width of [390, 360]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await noHorizontalOverflow(page)).toBe(true);
      // Stacked: each post is a card with its labels.
      expect(await rows.nth(0).evaluate((tr) => getComputedStyle(tr).display)).toBe('block');
      expect(
        await rows
          .nth(0)
          .getByRole('link', { name: /Open the message/ })
          .isVisible(),
      ).toBe(true);
      await screenshot(page, `delivery-log-${width}`);
    }
    // On a phone the header has no room for the log: the dashboard's statistics link to it.
    await page.goto(`${t.url}/dashboard`);
    await page.getByTestId('stats-log-link').click();
    await page.waitForURL(/\/dashboard\/log$/);
    await table.waitFor();
    expect(await noHorizontalOverflow(page)).toBe(true);
    await context.close();
  });

  it('prices say the chat limit and the log, not "unlimited"', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(t.url);
    const card = page.getByTestId('plan-bronze');
    await card.waitFor();
    expect(await card.getByTestId('plan-chats').textContent()).toBe('Up to 200 groups and channels per adbot');
    expect(await card.getByTestId('plan-log').textContent()).toBe('Delivery log of every post, with links and CSV export');
    expect(await page.locator('body').textContent()).not.toMatch(/unlimited/i);
    expect(await page.locator('body').textContent()).not.toContain('links to every post');
    await page.close();
  });
});
