// The API reference page (/api/docs, Swagger UI) renders under the app's own CSP
// (script-src 'self', no inline script) and lists the operations of /api/openapi.json.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAppInBrowser, openAppInBrowser, screenshot, watchCsp } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

describe('/api/docs', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser({ worker: false })));
  afterAll(() => closeAppInBrowser(t, browser));

  it('shows the operations with no CSP violation, under the same CSP as the app', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const violations = await watchCsp(page);
    const res = await page.goto(`${t.url}/api/docs`);
    expect(res!.status()).toBe(200);
    const csp = res!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; ");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock-tag').count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByText('/api/admin/orders', { exact: true }).count()).toBeGreaterThan(0);
    await screenshot(page, 'api-docs');
    expect(await violations()).toEqual([]);
    // The allowance is the docs pages' alone: every other answer keeps the app's CSP.
    const elsewhere = (await t.api('GET', '/api/health')).headers.get('content-security-policy')!;
    expect(elsewhere).toContain("style-src 'self';");
    expect(elsewhere).not.toContain('sha256-');
    await page.close();
  });
});
