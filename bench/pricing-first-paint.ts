// Pricing page over the wire: transferred bytes, first contentful paint and time to plans,
// loopback and throttled (150 ms RTT, 1.6 Mbit/s down: DevTools' slow-4G-like profile), median of 5.
// Usage: npx tsx bench/pricing-first-paint.ts http://127.0.0.1:3000/   (a running app)
import { chromium } from 'playwright-core';

const url = process.argv[2]!;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
async function once(throttle: boolean) {
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
  cdp.on('Network.loadingFinished', (e: any) => (bytes += e.encodedDataLength));
  await page.goto(url);
  await page.locator('[data-testid="plan-bronze"]').waitFor();
  const plansAt = await page.evaluate(() => performance.now());
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1);
  await page.waitForLoadState('networkidle');
  await ctx.close();
  return { fcp, plansAt, bytes };
}
const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const throttle of [false, true]) {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await once(throttle));
  console.log(
    JSON.stringify({
      throttle,
      fcpMs: Math.round(med(runs.map((r) => r.fcp))),
      plansVisibleMs: Math.round(med(runs.map((r) => r.plansAt))),
      kib: Math.round(med(runs.map((r) => r.bytes)) / 1024),
    }),
  );
}
await browser.close();
