// Issue 12: how the pricing page arrives (bytes, caching, no second round trip), what the
// console shows an anonymous visitor, and that every page names itself in the tab.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAppInBrowser, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

/** The bytes as sent (fetch would decompress them). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

async function scriptsOf(html: string): Promise<string[]> {
  return [...html.matchAll(/<script type="module" crossorigin src="([^"]+)"/g)].map((m) => m[1]!);
}

describe('first load of the pricing page', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser()));
  afterAll(() => closeAppInBrowser(t, browser));

  it('sends hashed assets compressed and cached for a year, and index.html revalidated', async () => {
    const index = await fetch(`${t.url}/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const [entry] = await scriptsOf(html);
    expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/);

    const gz = await rawGet(`${t.url}${entry}`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(String(gz.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gz.headers['content-type']).toMatch(/^text\/javascript/);
    // The pricing page's whole script, as a browser without brotli receives it.
    expect(gz.body.length).toBeLessThan(100 * 1024);
    // …and with every chunk it preloads: a split entry must not hide bytes in a second file.
    let whole = gz.body.length;
    for (const m of html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)"/g)) {
      whole += (await rawGet(`${t.url}${m[1]}`, { 'accept-encoding': 'gzip' })).body.length;
    }
    expect(whole).toBeLessThan(100 * 1024);
    const raw = await rawGet(`${t.url}${entry}`, {});
    expect(raw.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(gz.body).equals(raw.body)).toBe(true);

    const br = await rawGet(`${t.url}${entry}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    const none = await rawGet(`${t.url}${entry}`, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    expect(none.headers['content-encoding']).toBeUndefined();

    expect((await fetch(`${t.url}/assets/nope.js`)).status).toBe(404);
    const deep = await fetch(`${t.url}/dashboard`);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(await deep.text()).toContain('<div id="root">');
  });

  it('paints the plans from the page itself, with a clean console for an anonymous visitor', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const consoleLines: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleLines.push(`${m.type()}: ${m.text()}`);
    });
    const apiCalls: string[] = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) apiCalls.push(u.pathname);
    });
    await page.goto(`${t.url}/`);
    await page.getByTestId('plan-bronze').waitFor();
    await page.waitForLoadState('networkidle');
    expect(apiCalls).not.toContain('/api/products');
    expect(apiCalls).not.toContain('/api/auth/me');
    expect(consoleLines).toEqual([]);
    expect(await page.title()).toBe('Plans and prices · HQAdz');
    await screenshot(page, 'first-load-pricing');

    // Going to a lazy page logs no router warning either (the old "No HydrateFallback").
    await page.goto(`${t.url}/login`);
    await page.getByLabel('Access code').waitFor();
    expect(await page.title()).toBe('Log in · HQAdz');
    expect(consoleLines).toEqual([]);
    await page.close();
  });

  it('names each page in the tab title', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const titleOf = async (p: Page, path: string, want: string) => {
      await p.goto(`${t.url}${path}`);
      await p.waitForFunction((w) => document.title === w, want, { timeout: 10_000 });
    };
    await titleOf(page, '/checkout?plan=silver', 'Checkout — Silver · HQAdz');
    await screenshot(page, 'first-load-checkout-mobile');
    await titleOf(page, '/nowhere', 'Page not found · HQAdz');
    await titleOf(page, '/', 'Plans and prices · HQAdz');
    await screenshot(page, 'first-load-pricing-mobile');
    await page.close();
  });
});
