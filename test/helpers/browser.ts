// Debian's Chromium driven by playwright-core (browsers cannot be downloaded here).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type StartTestAppOptions, startTestApp, type TestApp } from './test-app.js';

export const resultsDir = path.resolve('test-results');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A test app and a Chromium for one test file: `beforeAll(async () => ({ t, browser } = await openAppInBrowser()))`. */
export async function openAppInBrowser(opts: StartTestAppOptions = {}): Promise<{ t: TestApp; browser: Browser }> {
  const t = await startTestApp(opts);
  return { t, browser: await launchBrowser() };
}

export async function closeAppInBrowser(t: TestApp | undefined, browser: Browser | undefined): Promise<void> {
  await browser?.close();
  await t?.close();
}

/** True when the page fits its viewport: nothing to scroll sideways on a phone. */
export async function noHorizontalOverflow(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/** Every Content-Security-Policy violation the page reports, recorded from before its first script. */
export async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...refused, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}
