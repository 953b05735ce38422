// The ad editor's character counter counts as the server does (emoji as 2, decoded entities
// as 1, unknown entities as written, tags as 0) and blocks Save exactly at the server's limit.
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbots, users } from '../../src/db/schema.js';
import { closeAppInBrowser, openAppInBrowser } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

describe('ad editor character counter', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('shows the server count and allows saving exactly up to the caption limit', async () => {
    const email = 'counter@example.com';
    const created = await t.api('POST', '/api/payment/create', { email, slug: 'bronze', currency: 'btc' });
    expect(created.status).toBe(201);
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' })).status).toBe(200);
    const code = await accessCodeOfCheckout(t, created.body.checkoutSecret);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/login`);
    await page.getByLabel('Access code').fill(code);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/dashboard$/);

    const counter = page.getByTestId('char-count');
    const message = page.getByLabel('Message');
    // 😀 = 2, &amp; = 1, &nbsp; stays 6 (Telegram does not decode it), tags = 0, &#x1F600; = 2.
    await message.fill('<b>😀</b> &amp; &nbsp; &#x1F600;');
    expect(await counter.textContent()).toBe('14 / 4096');

    await page.getByLabel('Image URL').fill('https://example.com/banner.jpg');
    const save = page.getByRole('button', { name: 'Save ad and chats' });
    await message.fill(`  <i>${'😀'.repeat(512)}</i>a\n`);
    expect(await counter.textContent()).toBe('1025 / 1024');
    expect(await save.isDisabled()).toBe(true);

    // The server trims before counting, so do we: the surrounding spaces do not count.
    await message.fill(`  <i>${'😀'.repeat(512)}</i>\n`);
    expect(await counter.textContent()).toBe('1024 / 1024');
    await page.getByLabel('Target chats').fill('@counter_group');
    await save.click();
    await page.getByTestId('save-status').getByText('Saved.').waitFor();

    const [user] = await t.ctx.db.select().from(users).where(eq(users.email, email));
    const [bot] = await t.ctx.db.select().from(adbots).where(eq(adbots.userId, user!.id));
    expect(bot!.post).toMatchObject({ type: 'text', text: `<i>${'😀'.repeat(512)}</i>` });
    await page.close();
  });
});
