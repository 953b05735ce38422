import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

async function buyInTestMode(t: TestApp, email: string): Promise<string> {
  const created = await t.api('POST', '/api/payment/create', { email, slug: 'bronze', currency: 'btc' });
  expect(created.status).toBe(201);
  const sim = await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
  expect(sim.status).toBe(200);
  return accessCodeOfCheckout(t, created.body.checkoutSecret);
}

describe('dashboard', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('logs in with the emailed code, edits the ad and chats, and stops and starts the bot', async () => {
    const code = await buyInTestMode(t, 'dash@example.com');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

    await page.goto(`${t.url}/dashboard`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Access code').fill('not-a-real-code');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText("That code didn't match.").waitFor();
    await page.getByText('Lost your code?').click();
    // The way back is a link by email ("Lost your code?" → recovery), with support as the fallback.
    await page.getByRole('button', { name: 'Email me a link' }).waitFor();
    expect(await page.locator('.lost-code').getByRole('link', { name: 'support@hqadz.example' }).getAttribute('href')).toMatch(
      /^mailto:support@hqadz\.example/,
    );
    await screenshot(page, 'login-wrong-code');

    // Pasted with stray spaces from an email.
    await page.getByLabel('Access code').fill(`  ${code} \n`);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/dashboard$/);
    await page.getByTestId('plan-name').waitFor();
    expect(await page.getByTestId('plan-name').textContent()).toContain('Bronze');
    await page.getByTestId('setup-checklist').waitFor();
    const addToGroup = page.getByRole('link', { name: 'Add to group' }).first();
    expect(await addToGroup.getAttribute('href')).toMatch(/^https:\/\/t\.me\/\w+\?startgroup=hqadz$/);
    expect(await page.getByRole('link', { name: 'Add to channel' }).first().getAttribute('href')).toMatch(/\?startchannel=hqadz&admin=post_messages$/);

    await page.getByLabel('Message').fill('Big sale today');
    await page.getByLabel('Message').selectText();
    await page.getByRole('button', { name: 'Bold' }).click();
    expect(await page.getByLabel('Message').inputValue()).toBe('<b>Big sale today</b>');
    // The wrapped words stay selected, already when the click returns (no frame left to land later).
    expect(await page.getByLabel('Message').evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd])).toEqual([3, 17]);
    expect(await page.getByTestId('char-count').textContent()).toBe('14 / 4096');
    expect(await page.getByTestId('ad-preview').locator('strong').textContent()).toBe('Big sale today');

    // Link asks for the address, refuses one without a host, then wraps the selected word.
    await page.getByLabel('Message').fill('Shop now');
    await page.getByLabel('Message').evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(5, 8));
    await page.getByRole('button', { name: 'Link' }).click();
    await page.getByTestId('link-form').waitFor();
    await page.getByRole('button', { name: 'Add link' }).click();
    expect(await page.getByTestId('link-form-hint').textContent()).toContain('not a full web address');
    await page.getByLabel('Link address').fill('javascript:alert(1)');
    expect(await page.getByTestId('link-form-hint').textContent()).toContain('must start with https://');
    await page.getByLabel('Link address').fill('https://shop.example.com/sale');
    await page.getByRole('button', { name: 'Add link' }).click();
    const linked = 'Shop <a href="https://shop.example.com/sale">now</a>';
    expect(await page.getByLabel('Message').inputValue()).toBe(linked);
    expect(await page.getByLabel('Message').evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd])).toEqual([
      linked.indexOf('>now') + 1,
      linked.indexOf('</a>'),
    ]);
    // The server refuses a javascript: link typed by hand, and the error clears on the next edit.
    await page.getByLabel('Message').fill('<a href="javascript:alert(1)">x</a>');
    await page.getByRole('button', { name: 'Save ad and chats' }).click();
    await page.getByTestId('save-error').waitFor();
    expect(await page.getByTestId('save-error').textContent()).toContain('must start with https://, http:// or tg://');
    await page.getByLabel('Message').fill('<b>Big sale today</b>');
    await page.getByTestId('save-error').waitFor({ state: 'detached' });

    // Every bad chat line is listed at once, numbered from 1, while typing; Save waits for a fix.
    await page.getByLabel('Target chats').fill('@hqadz_test_group\n@ab\nhttps://t.me/+AbCdEf123\n-1001234567890\nnot a chat');
    const chatErrors = page.getByTestId('chat-errors');
    await chatErrors.waitFor();
    expect(await chatErrors.locator('li').allTextContents()).toEqual([
      'Line 2: "@ab" is not a valid Telegram username',
      'Line 3: "https://t.me/+AbCdEf123" is an invite link: add your bot to the group and enter its @username or numeric id instead',
      'Line 5: "not a chat" is not a chat: use @username, a t.me link or a numeric chat id',
    ]);
    expect(await page.getByRole('button', { name: 'Save ad and chats' }).isDisabled()).toBe(true);
    await screenshot(page, 'dashboard-chat-errors');
    await page.getByLabel('Target chats').fill('@hqadz_test_group\n@hqadz_test_channel\n');
    await chatErrors.waitFor({ state: 'detached' });

    // A bad channel-post link is refused with the server's message, and nothing is saved.
    await page.getByRole('radio', { name: 'Channel post' }).click();
    await page.getByLabel('Channel post link').fill('not a link');
    await page.getByRole('button', { name: 'Save ad and chats' }).click();
    await page.getByTestId('save-error').waitFor();
    expect(((await page.getByTestId('save-error').textContent()) ?? '').length).toBeGreaterThan(5);
    await page.getByRole('radio', { name: 'Message' }).click();

    await page.getByRole('button', { name: 'Save ad and chats' }).click();
    await page.getByText('Saved.', { exact: false }).waitFor();
    await page.getByTestId('chats-table').waitFor();
    expect(await page.getByTestId('chats-table').textContent()).toContain('hqadz_test_group');
    // Nothing has been posted yet, so no chat claims to be posting.
    expect(await page.getByTestId('chat-status').allTextContents()).not.toContain('Posting');

    await page.reload();
    await page.getByTestId('ad-editor').waitFor();
    expect(await page.getByLabel('Message').inputValue()).toBe('<b>Big sale today</b>');
    expect(await page.getByLabel('Target chats').inputValue()).toContain('@hqadz_test_channel');

    const status = page.getByTestId('bot-status');
    if ((await status.textContent()) !== 'Running') {
      await page.getByRole('button', { name: 'Start posting' }).click();
      await vi.waitFor(async () => expect(await status.textContent(), 'running').toBe('Running'), { timeout: 10_000, interval: 100 });
    }
    await screenshot(page, 'dashboard-running');

    await page.getByRole('button', { name: 'Stop posting' }).click();
    await page.getByText('Stop posting? No more ads go out').waitFor();
    expect(await status.textContent()).toBe('Running');
    await page.getByRole('button', { name: 'Yes, stop posting' }).click();
    await vi.waitFor(async () => expect(await status.textContent(), 'stopped').toBe('Stopped'), { timeout: 10_000, interval: 100 });
    await page.getByRole('button', { name: 'Start posting' }).click();
    await vi.waitFor(async () => expect(await status.textContent(), 'running again').toBe('Running'), { timeout: 10_000, interval: 100 });
    await page.close();
  });

  it('fits a phone screen and logs out', async () => {
    const code = await buyInTestMode(t, 'phone-dash@example.com');
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(`${t.url}/login`);
    await page.getByLabel('Access code').fill(code);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('plan-name').waitFor();
    await page.getByTestId('stats').waitFor();
    await page.getByLabel('Message').fill('Hello from a phone');
    await page.getByLabel('Target chats').fill('@hqadz_test_group\n@hqadz_test_channel');
    await page.getByRole('button', { name: 'Save ad and chats' }).click();
    await page.getByTestId('chats-table').waitFor();
    // Stacked into cards: the last column is on screen, not scrolled off to the right.
    const next = page.getByTestId('chats-table').locator('td[data-label="Next post"]').first();
    const box = (await next.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'dashboard-mobile');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${t.url}/dashboard`);
    await page.waitForURL(/\/login$/);
    await page.close();
  });
});
