// Issue 12: when the server refuses an ad the browser thought fine (an older tab, a rule
// changed on the server first), its 400 — field paths like `post.text` and `chats.1` — lands
// on the same fields in the same plain words as the browser's own check, never as
// "post.text: write the ad text". The 400 is the real server's answer to a bad body, delivered
// to the browser in place of the answer to what it sent.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

describe('ad form: the server refuses what the browser accepted', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  for (const [width, name] of [
    [1366, 'desktop'],
    [390, 'mobile'],
  ] as const) {
    it(`maps the server's field paths to the fields, in the client's words (${name})`, async () => {
      const created = await t.api('POST', '/api/payment/create', { email: `server-form-${name}@example.com`, slug: 'bronze', currency: 'btc' });
      await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
      const code = await accessCodeOfCheckout(t, created.body.checkoutSecret);
      const token = (await t.api('POST', '/api/auth/login', { accessCode: code })).body.token as string;

      // What the server answers to a body with a problem in every field.
      const refused = await t.api(
        'PUT',
        '/api/user/bot',
        {
          post: { type: 'text', text: '   ', imageUrl: 'http://example.com/a.jpg', buttons: [{ text: ' ', url: 'ftp://example.com' }] },
          chats: ['@good_chat_one', 'not a chat!!', '@good_chat_two'],
        },
        { authorization: `Bearer ${token}` },
      );
      expect(refused.status).toBe(400);
      const paths = (refused.body.error.details.issues as { path: (string | number)[] }[]).map((i) => i.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['post.text', 'post.imageUrl', 'post.buttons.0.text', 'post.buttons.0.url', 'chats.1']));
      expect(refused.body.error.message).toMatch(/^post\.text: /);

      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${t.url}/login`);
      await page.getByLabel('Access code').fill(code);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByTestId('ad-editor').waitFor();
      await page.route('**/api/user/bot', (route) =>
        route.request().method() === 'PUT'
          ? route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify(refused.body) })
          : route.fallback(),
      );

      // An ad the browser's own check passes: three chats, one button, an https image.
      await page.getByLabel('Message').fill('Big sale today');
      await page.getByLabel('Image URL').fill('https://example.com/a.jpg');
      await page.getByRole('button', { name: '+ Add a button' }).click();
      await page.getByLabel('Button 1 text').fill('Shop');
      await page.getByLabel('Button 1 link').fill('https://example.com/shop');
      await page.getByLabel('Target chats').fill('@good_chat_one\n\n@renamed_chat\n@good_chat_two');
      await page.getByRole('button', { name: 'Save ad and chats' }).click();

      await page.getByTestId('field-error-text').waitFor();
      // The same sentences ad-form-errors.e2e.ts sees from the browser's check.
      expect(await page.getByTestId('field-error-text').textContent()).toBe('Write the ad text');
      expect(await page.getByTestId('field-error-imageUrl').textContent()).toBe('Image URL must be an https:// URL');
      expect(await page.getByTestId('field-error-button-0').locator('li').allTextContents()).toEqual([
        'Button 1 needs a label',
        'Button 1 link must be an https:// URL',
      ]);
      // chats.1 is the second chat sent, which the person typed on line 3 (a blank line between).
      const chats = (await page.getByTestId('field-error-chats').textContent()) ?? '';
      expect(chats).toMatch(/^Line 3: .*is not a chat/);
      expect(await page.getByTestId('save-error').textContent()).toContain('Fix these 5 problems before saving');
      // No field path and no server sentence glued to one.
      expect(await page.getByTestId('ad-editor').textContent()).not.toMatch(/post\.|chats\.\d|chats:/);
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `ad-form-server-errors-${name}`);

      // Editing the form drops the server's verdict on the old input.
      await page.getByLabel('Message').fill('Big sale today!');
      await page.getByTestId('field-error-text').waitFor({ state: 'detached' });
      await page.close();
    });
  }

  it('a hidden NUL pasted into the message and a button link: flagged on its field before sending, in the words the server uses', async () => {
    const created = await t.api('POST', '/api/payment/create', { email: 'nul-form@example.com', slug: 'bronze', currency: 'btc' });
    await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
    const code = await accessCodeOfCheckout(t, created.body.checkoutSecret);
    const token = (await t.api('POST', '/api/auth/login', { accessCode: code })).body.token as string;

    // The server names the field (it used to answer one sentence, no field: nothing to put it next to).
    const refused = await t.api(
      'PUT',
      '/api/user/bot',
      { post: { type: 'text', text: 'Big\u0000 sale', buttons: [{ text: 'Shop', url: 'https://example.com/s\u0000hop' }] }, chats: ['@nul_chat'] },
      { authorization: `Bearer ${token}` },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_error');
    expect(refused.body.error.details.issues.map((i: { path: unknown[] }) => i.path.join('.'))).toEqual(['post.text', 'post.buttons.0.url']);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${t.url}/login`);
    await page.getByLabel('Access code').fill(code);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('ad-editor').waitFor();
    const puts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().endsWith('/api/user/bot')) puts.push(r.url());
    });
    await page.getByLabel('Message').fill('Big\u0000 sale');
    await page.getByRole('button', { name: '+ Add a button' }).click();
    await page.getByLabel('Button 1 text').fill('Shop');
    await page.getByLabel('Button 1 link').fill('https://example.com/s\u0000hop');
    await page.getByLabel('Target chats').fill('@nul_chat');
    await page.getByRole('button', { name: 'Save ad and chats' }).click();
    await page.getByTestId('field-error-text').waitFor();
    const words = refused.body.error.details.issues[0].message as string;
    expect(await page.getByTestId('field-error-text').textContent()).toBe(`Message ${words}`);
    expect(await page.getByTestId('field-error-button-0').textContent()).toBe(`Button 1 link ${words}`);
    expect(puts).toEqual([]);
    await screenshot(page, 'ad-form-nul-mobile');
    await page.close();
  });
});
