// Pricing page over the wire: the JS it ships (gzipped, as sent), transferred bytes, first
// contentful paint and time to plans, loopback and throttled (150 ms RTT, 1.6 Mbit/s down,
// 750 kbit/s up: DevTools' slow-4G-like profile), median of 5 — beside a static HTML page
// served by a bare node:http server in the same run, the floor a browser can paint at here.
// Usage: npx tsx bench/pricing-first-paint.ts http://127.0.0.1:3000/   (a running app, `npm run build` first)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { chromium } from 'playwright-core';

const url = process.argv[2];
if (!url) throw new Error('usage: npx tsx bench/pricing-first-paint.ts http://127.0.0.1:PORT/');

/** The bytes of one response as sent with `Accept-Encoding: gzip` (fetch would decompress them). */
function gzippedLength(href: string): Promise<{ bytes: number; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(href, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('end', () => resolve({ bytes, encoding: res.headers['content-encoding'] }));
      })
      .on('error', reject);
  });
}

// The JS the pricing page loads before it paints: its module entry and every modulepreload.
const html = await (await fetch(url)).text();
const scripts = [...html.matchAll(/<(?:script type="module"[^>]*src|link rel="modulepreload"[^>]*href)="([^"]+)"/g)].map((m) => new URL(m[1]!, url).href);
let jsGzip = 0;
for (const s of scripts) {
  const r = await gzippedLength(s);
  if (r.encoding !== 'gzip') console.error(`${s} was sent without gzip (${r.encoding ?? 'identity'})`);
  jsGzip += r.bytes;
}

// The static baseline: a page of about the same text, no script.
const staticPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Static</title></head><body><h1>Post your Telegram ads on a schedule</h1><p>${'Plans and prices. '.repeat(40)}</p></body></html>`;
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  res.end(staticPage);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const staticUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
async function once(target: string, throttle: boolean, waitFor: string) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttle)
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
  await page.goto(target);
  // Any plan card: robust to which plans the catalog holds.
  await page.locator(waitFor).first().waitFor();
  const shownAt = await page.evaluate(() => performance.now());
  await page.waitForLoadState('networkidle');
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
  await ctx.close();
  return { fcp, shownAt, bytes };
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load0 = os.loadavg();
console.log(
  JSON.stringify({
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, Chromium ${browser.version()}`,
    loadAverageBefore: load0.map((n) => n.toFixed(2)).join(', '),
    pricingJs: { files: scripts.length, gzipKiB: Math.round((jsGzip / 1024) * 10) / 10 },
  }),
);
for (const throttle of [false, true]) {
  for (const [name, target, waitFor] of [
    ['pricing', url, '[data-testid="plans-grid"] article'],
    ['static', staticUrl, 'h1'],
  ] as const) {
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await once(target, throttle, waitFor));
    console.log(
      JSON.stringify({
        page: name,
        throttle,
        fcpMs: Math.round(med(runs.map((r) => r.fcp))),
        contentVisibleMs: Math.round(med(runs.map((r) => r.shownAt))),
        transferredKiB: Math.round((med(runs.map((r) => r.bytes)) / 1024) * 10) / 10,
      }),
    );
  }
}
console.log(
  JSON.stringify({
    loadAverageAfter: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(', '),
  }),
);
await browser.close();
server.close();
