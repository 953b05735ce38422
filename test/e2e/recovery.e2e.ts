import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { users } from '../../src/db/schema.js';
import { issueAccessCode } from '../../src/modules/accounts/issue-access-code.js';
import { type FakeSmtp, startFakeSmtp } from '../fakes/smtp.js';
import { closeAppInBrowser, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

describe('"Lost your code?" in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let smtp: FakeSmtp;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    ({ t, browser } = await openAppInBrowser({ env: { SMTP_URL: smtp.url } }));
  });
  afterAll(async () => {
    await closeAppInBrowser(t, browser);
    await smtp?.close();
  });

  it('walks login → email → link → new code shown once → old code refused', async () => {
    const email = `lost-${Date.now()}@example.com`;
    const [u] = await t.ctx.db.insert(users).values({ email }).returning();
    const oldCode = await t.ctx.db.transaction((tx) => issueAccessCode({ tx, userId: u!.id }));

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${t.url}/login`);
    await page.getByText('Lost your code?').click();
    await page.getByLabel('Email address').fill(email);
    await screenshot(page, 'recover-form-phone');
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await page.getByTestId('recover-sent').waitFor();
    expect(await page.getByTestId('recover-sent').textContent()).toContain(email);

    const msg = await vi.waitFor(
      () => {
        const m = smtp.messages.find((x) => x.to.includes(email));
        if (!m) throw new Error('no recovery email yet');
        return m;
      },
      { timeout: 15_000, interval: 100 },
    );
    const link = /https?:\/\/\S+\/login\?recover=[A-Za-z0-9_-]+/.exec(msg.text)?.[0];
    expect(link, msg.text).toBeTruthy();
    expect(link!.startsWith(t.url)).toBe(true);

    await page.goto(link!);
    await page.getByTestId('recovered-panel').waitFor();
    const newCode = (await page.getByTestId('recovered-code').textContent())!.trim();
    expect(newCode).toMatch(/^HQ-/);
    expect(newCode).not.toBe(oldCode);
    // The token leaves the address bar at once.
    expect(new URL(page.url()).search).toBe('');
    await screenshot(page, 'recover-new-code-phone');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/dashboard/);

    // Opening the link again is refused; the old code no longer logs in; the new one does.
    const again = await browser.newPage();
    await again.goto(link!);
    await again.getByRole('heading', { name: 'This link has expired' }).waitFor();
    await again.goto(`${t.url}/login`);
    await again.getByLabel('Access code').fill(oldCode);
    await again.getByRole('button', { name: 'Log in' }).click();
    await again.getByRole('alert').filter({ hasText: "didn't match" }).waitFor();
    await again.getByLabel('Access code').fill(newCode);
    await again.getByRole('button', { name: 'Log in' }).click();
    await again.waitForURL(/\/dashboard/);
    await page.close();
    await again.close();
  });
});
