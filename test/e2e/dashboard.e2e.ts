import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emails } from '../../src/db/schema.js';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { eventually, startTestApp, type TestApp } from '../helpers/test-app.js';

async function buyInTestMode(t: TestApp, email: string): Promise<string> {
  const created = await t.api('POST', '/api/payment/create', { email, slug: 'bronze', currency: 'btc' });
  expect(created.status).toBe(201);
  const sim = await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
  expect(sim.status).toBe(200);
  const body = await eventually(
    async () => {
      const [mail] = await t.ctx.db.select().from(emails).where(eq(emails.toAddress, email));
      return mail?.bodyText.includes('Access code:') ? mail.bodyText : null;
    },
    30_000,
    'the fulfilment email',
  );
  return /Access code: (\S+)/.exec(body ?? '')![1]!;
}

async function noHorizontalOverflow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

describe('dashboard', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('logs in with the emailed code, edits the ad and chats, and stops and starts the bot', async () => {
    const code = await buyInTestMode(t, 'dash@example.com');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

    await page.goto(`${t.url}/dashboard`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Access code').fill('not-a-real-code');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText("That code didn't match.").waitFor();
    await page.getByText('Lost your code?').click();
    await page.getByText('support can', { exact: false }).waitFor();
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
    expect(await page.getByRole('link', { name: 'Add to channel' }).first().getAttribute('href')).toMatch(
      /\?startchannel=hqadz&admin=post_messages$/,
    );

    await page.getByLabel('Message').fill('Big sale today');
    await page.getByLabel('Message').selectText();
    await page.getByRole('button', { name: 'Bold' }).click();
    expect(await page.getByLabel('Message').inputValue()).toBe('<b>Big sale today</b>');
    expect(await page.getByTestId('char-count').textContent()).toBe('14 / 4096');
    expect(await page.getByTestId('ad-preview').locator('strong').textContent()).toBe('Big sale today');
    await page.getByLabel('Target chats').fill('@hqadz_test_group\n@hqadz_test_channel\n');

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

    await page.reload();
    await page.getByTestId('ad-editor').waitFor();
    expect(await page.getByLabel('Message').inputValue()).toBe('<b>Big sale today</b>');
    expect(await page.getByLabel('Target chats').inputValue()).toContain('@hqadz_test_channel');

    const status = page.getByTestId('bot-status');
    if ((await status.textContent()) !== 'Running') {
      await page.getByRole('button', { name: 'Start posting' }).click();
      await eventually(async () => (await status.textContent()) === 'Running', 10_000, 'running');
    }
    await screenshot(page, 'dashboard-running');

    await page.getByRole('button', { name: 'Stop posting' }).click();
    await page.getByText('Stop posting? No more ads go out').waitFor();
    expect(await status.textContent()).toBe('Running');
    await page.getByRole('button', { name: 'Yes, stop posting' }).click();
    await eventually(async () => (await status.textContent()) === 'Stopped', 10_000, 'stopped');
    await page.getByRole('button', { name: 'Start posting' }).click();
    await eventually(async () => (await status.textContent()) === 'Running', 10_000, 'running again');
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
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, 'dashboard-mobile');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`${t.url}/dashboard`);
    await page.waitForURL(/\/login$/);
    await page.close();
  });
});
