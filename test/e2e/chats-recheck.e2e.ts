import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/modules/accounts/tokens.js';
import { runEngineTick } from '../../src/modules/engine/run-engine-tick.js';
import { buyAdbot } from '../factories/adbots.js';
import { nextChatId } from '../factories/ids.js';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

describe('dashboard chats: served by and Re-check', () => {
  let t: TestApp;
  let tg: FakeTelegram;
  let browser: Browser;
  beforeAll(async () => {
    tg = await startFakeTelegram();
    t = await startTestApp({ worker: false, env: { TELEGRAM_API_ROOT: tg.url } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await tg?.close();
  });

  it('shows which bot serves each chat, and Re-check turns a fixed chat from No access to Ready, and Start to Posting', async () => {
    const ok = nextChatId();
    const closed = nextChatId();
    tg.addChat({ id: ok, type: 'supergroup', title: 'Open group', username: 'e2e_open_group' });
    tg.addChat({ id: closed, type: 'supergroup', title: 'Closed group', username: 'e2e_closed_group' });
    const bot = await buyAdbot(t, tg, { email: 'recheck-ui@example.com', chats: ['@e2e_open_group', '@e2e_closed_group'], start: false });
    const sender = bot.senders[0]!;
    tg.addMember(ok, sender.botId);
    await runEngineTick({ ctx: t.ctx });

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: SESSION_COOKIE, value: bot.auth.authorization!.slice('Bearer '.length), url: t.url }]);
    const page = await context.newPage();
    await page.goto(`${t.url}/dashboard`);
    const table = page.getByTestId('chats-table');
    await table.waitFor();
    const closedRow = table.locator('tr', { hasText: 'Closed group' });
    await closedRow.getByText('No access').waitFor();
    expect(await closedRow.textContent()).toContain(`add @${sender.username} to the group, then Re-check`);
    expect(await table.locator('tr', { hasText: 'Open group' }).textContent()).toContain(`@${sender.username}`);
    await screenshot(page, 'chats-no-access');

    tg.addMember(closed, sender.botId);
    await page.getByRole('button', { name: 'Re-check' }).click();
    await page.getByTestId('recheck-done').waitFor();
    // Access is fixed but the bot is stopped: ready, not "Posting".
    await closedRow.getByText('Ready').waitFor();
    expect(await closedRow.textContent()).toContain('press Start');
    expect(await closedRow.textContent()).toContain(`@${sender.username}`);
    expect(await table.getByTestId('chat-status').allTextContents()).toEqual(['Ready', 'Ready']);
    // The title is shown once when it adds nothing over the ref.
    await screenshot(page, 'chats-rechecked');

    // Running and posted: now it says Posting.
    await page.getByRole('button', { name: 'Start posting' }).click();
    await page.getByTestId('bot-status').getByText('Running').waitFor();
    await runEngineTick({ ctx: t.ctx });
    await closedRow.getByText('Posting').waitFor({ timeout: 15_000 });
    await screenshot(page, 'chats-posting');
    await context.close();
  });
});
