// Issue 12: the IPN timeline shows what each notification claimed (amount and coin), its raw
// body, and an honest outcome colour; green pills are AA contrast.
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orders } from '../../src/db/schema.js';
import { closeAppInBrowser, noHorizontalOverflow, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const ADMIN_CODE = 'E2E-ADMIN-IPN-CODE-0123456789';

/** WCAG contrast of an element's text against its own background. */
function contrastOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel)!;
    const s = getComputedStyle(el);
    const rgb = (v: string) =>
      v
        .match(/\d+(\.\d+)?/g)!
        .slice(0, 3)
        .map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.map((x) => {
        const v = x / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const a = lum(rgb(s.color));
    const b = lum(rgb(s.backgroundColor));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }, selector);
}

describe('admin IPN timeline', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } })));
  afterAll(() => closeAppInBrowser(t, browser));

  it('shows amounts and coin per event, the raw body, and a replay that did nothing in grey', async () => {
    const created = await t.api('POST', '/api/payment/create', { email: 'ipn-e2e@example.com', slug: 'silver', currency: 'btc' });
    expect(created.status).toBe(201);
    const full = created.body.payAmount as string;
    // "Partially paid" although the full amount arrived: the case the admin must be able to see.
    await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'partially_paid', actuallyPaid: full });
    await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' });
    await vi.waitFor(
      async () => expect((await t.ctx.db.select().from(orders).where(eq(orders.id, created.body.orderId)))[0]?.status, 'fulfilment').toBe('fulfilled'),
      { timeout: 30_000, interval: 100 },
    );

    for (const width of [1366, 390]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(`${t.url}/login`);
      await page.getByLabel('Access code').fill(ADMIN_CODE);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL(/\/admin$/);
      await page.goto(`${t.url}/admin/orders/${created.body.orderId}`);
      const timeline = page.getByTestId('ipn-timeline');
      await timeline.waitFor();
      const items = timeline.locator('li');
      const partial = items.filter({ hasText: 'Partially paid' }).first();
      expect(await partial.getByTestId('event-amount').textContent()).toBe(`Paid ${full} of ${full} BTC`);
      await partial.getByText('raw', { exact: true }).click();
      expect(await partial.getByTestId('event-raw').textContent()).toContain('"payment_status":"partially_paid"');
      expect(await items.first().getByTestId('event-outcome').getAttribute('data-tone')).toBe('pill-success');
      expect(await contrastOf(page, '[data-testid="ipn-timeline"] .pill-success')).toBeGreaterThanOrEqual(4.5);

      if (width === 1366) {
        await items.filter({ hasText: 'Finished' }).first().getByRole('button', { name: 'Replay event' }).click();
        await page.getByRole('button', { name: 'Replay', exact: true }).click();
        const result = page.getByText('Already applied — nothing changed.');
        await result.waitFor();
        expect(await result.getAttribute('class')).toContain('neutral');
        const replayed = items.filter({ hasText: 'via replay' });
        await replayed.first().waitFor();
        expect(await replayed.first().getByTestId('event-outcome').getAttribute('data-tone')).toBe('pill-neutral');
        // Per-row buttons name their row: a screen reader's button list is not ten "Suspend"s.
        await page.goto(`${t.url}/admin/customers`);
        await page.getByRole('button', { name: 'Suspend ipn-e2e@example.com', exact: true }).waitFor();
        await page.getByRole('button', { name: 'Rotate access code ipn-e2e@example.com', exact: true }).waitFor();
        await screenshot(page, 'admin-customers-named-buttons');
        await page.goBack();
        await timeline.waitFor();
      } else {
        expect(await noHorizontalOverflow(page)).toBe(true);
      }
      await screenshot(page, `admin-ipn-timeline-${width}`);
      await page.close();
    }
  });
});
