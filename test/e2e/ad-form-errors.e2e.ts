import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';
import { accessCodeOfCheckout } from './access-code.js';

describe('ad form errors', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  for (const [width, height, name] of [
    [1366, 900, 'desktop'],
    [390, 844, 'mobile'],
  ] as const) {
    it(`shows every problem at once, next to its field, in plain words (${name})`, async () => {
      const created = await t.api('POST', '/api/payment/create', { email: `form-${name}@example.com`, slug: 'bronze', currency: 'btc' });
      await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
      const code = await accessCodeOfCheckout(t, created.body.checkoutSecret);
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(`${t.url}/login`);
      await page.getByLabel('Access code').fill(code);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByTestId('ad-editor').waitFor();

      const puts: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'PUT' && r.url().endsWith('/api/user/bot')) puts.push(r.url());
      });
      await page.getByLabel('Message').fill('   ');
      await page.getByLabel('Image URL').fill('http://example.com/a.jpg');
      await page.getByRole('button', { name: '+ Add a button' }).click();
      await page.getByLabel('Button 1 link').fill('ftp://example.com');
      await page.getByLabel('Target chats').fill(Array.from({ length: 201 }, (_, i) => `@chat_number_${i}`).join('\n'));
      // The limit is next to the counter while typing.
      expect(await page.getByTestId('chat-count').textContent()).toBe('201 of 200 chats — remove 1 to save.');

      await page.getByRole('button', { name: 'Save ad and chats' }).click();
      await page.getByTestId('field-error-text').waitFor();
      expect(await page.getByTestId('field-error-text').textContent()).toBe('Write the ad text');
      expect(await page.getByTestId('field-error-imageUrl').textContent()).toBe('Image URL must be an https:// URL');
      expect(await page.getByTestId('field-error-button-0').locator('li').allTextContents()).toEqual([
        'Button 1 needs a label',
        'Button 1 link must be an https:// URL',
      ]);
      expect(await page.getByTestId('field-error-chats').textContent()).toBe('At most 200 chats');
      expect(await page.getByTestId('save-error').textContent()).toContain('Fix these 5 problems before saving');
      // No field path leaks into the words, and nothing was sent.
      expect(await page.getByTestId('ad-editor').textContent()).not.toMatch(/post\.|chats:/);
      expect(puts).toEqual([]);
      expect(await noHorizontalOverflow(page)).toBe(true);
      await screenshot(page, `ad-form-errors-${name}`);

      // Each fix clears its own message; the rest stay.
      await page.getByLabel('Message').fill('Big sale');
      await page.getByTestId('field-error-text').waitFor({ state: 'detached' });
      expect(await page.getByTestId('field-error-imageUrl').count()).toBe(1);
      await page.close();
    });
  }
});
