import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orders, senders } from '../../src/db/schema.js';
import { waitForOrderStatus } from '../factories/orders.js';
import { closeAppInBrowser, openAppInBrowser, screenshot } from '../helpers/browser.js';
import type { TestApp } from '../helpers/test-app.js';

const ADMIN_CODE = 'E2E-ADMIN-CODE-0123456789';
/** How long the UI may take to settle after a click. */
const settled = { timeout: 5000, interval: 100 };

describe('admin panel', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => ({ t, browser } = await openAppInBrowser({ env: { ADMIN_ACCESS_CODE: ADMIN_CODE } })));
  afterAll(() => closeAppInBrowser(t, browser));

  it('runs the business: overview, stock, plans and an order with its IPN timeline', async () => {
    // An order made the way a buyer makes one: checkout, then the (simulated, signed) IPN.
    const created = await t.api('POST', '/api/payment/create', { email: 'admin-e2e-buyer@example.com', slug: 'silver', currency: 'btc' });
    expect(created.status).toBe(201);
    expect((await t.api('POST', '/api/payment/simulate', { paymentId: created.body.paymentId, status: 'finished' })).status).toBe(200);
    await waitForOrderStatus(t.ctx, created.body.orderId, 'fulfilled', 30_000);
    const [order] = await t.ctx.db.select().from(orders).where(eq(orders.id, created.body.orderId));

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${t.url}/admin`);
    await page.waitForURL(/\/login$/);
    await page.getByLabel('Access code').fill(ADMIN_CODE);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/admin$/);
    await page.getByTestId('overview').waitFor();
    expect(await page.getByTestId('overview').textContent()).toContain('$55.00');
    await screenshot(page, 'admin-overview');

    // Stock: bulk paste, one result per line.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Stock' }).click();
    await page.getByTestId('senders-table').waitFor();
    expect(await page.getByTestId('count-unused').textContent()).toBe('22');
    await page.getByLabel('Bot tokens, one per line').fill('sandbox:e2e_one\n  sandbox:e2e_two  \nnot-a-token\n');
    await page.getByRole('button', { name: 'Add 3 senders' }).click();
    const result = page.getByTestId('add-result');
    await result.waitFor();
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('2 added');
    expect(text).toContain('1 rejected');
    expect(text).toMatch(/@\S*e2e_one\S* added/);
    expect(text).toMatch(/@\S*e2e_two\S* added/);
    expect(text).toContain('Not a bot token');
    // Each refusal names its line; only the refused lines stay in the box to be fixed.
    expect(await page.getByTestId('rejected-line').textContent()).toMatch(/^✗ Line 3: no… — Not a bot token/);
    expect(await page.getByLabel('Bot tokens, one per line').inputValue()).toBe('not-a-token');
    await vi.waitFor(async () => expect((await page.getByTestId('count-unused').textContent()) === '24', 'stock count refresh').toBeTruthy(), settled);
    // 26 senders: the server sends one page of 25, the pager fetches the rest.
    const pager = page.getByRole('navigation', { name: 'Pagination' });
    expect(await pager.textContent()).toContain('1–25 of 26');
    expect(await page.getByTestId('senders-table').locator('tbody tr').count()).toBe(25);
    // The next page is held back until the test lets it go: until it arrives the pager claims no range.
    let releaseNextPage!: () => void;
    const nextPageHeld = new Promise<void>((r) => {
      releaseNextPage = r;
    });
    await page.route(/\/api\/admin\/senders\?.*offset=25/, async (route) => {
      await nextPageHeld;
      await route.continue();
    });
    await pager.getByRole('button', { name: 'Next' }).click();
    await pager.getByText('Loading…').waitFor();
    expect(await pager.textContent()).not.toContain('26–26');
    releaseNextPage();
    await vi.waitFor(async () => expect(((await pager.textContent()) ?? '').includes('26–26 of 26'), 'second stock page').toBeTruthy(), settled);
    await page.unroute(/\/api\/admin\/senders\?.*offset=25/);
    expect(await page.getByTestId('senders-table').locator('tbody tr').count()).toBe(1);
    await pager.getByRole('button', { name: 'Previous' }).click();
    await vi.waitFor(
      async () => expect((await page.getByTestId('senders-table').locator('tbody tr').count()) === 25, 'first stock page').toBeTruthy(),
      settled,
    );
    await screenshot(page, 'admin-stock');
    // The sold order's senders show whom they work for, not an id.
    await page.getByRole('button', { name: /^Assigned/ }).click();
    // Settled on the assigned list, not the 'All' page still shown while it loads.
    const sendersTable = page.getByTestId('senders-table');
    await vi.waitFor(
      async () =>
        expect(
          (await sendersTable.getAttribute('aria-busy')) === 'false' &&
            (await sendersTable.locator('tbody tr').count()) === Number(await page.getByTestId('count-assigned').textContent()),
          'assigned senders listed',
        ).toBeTruthy(),
      settled,
    );
    expect(await sendersTable.textContent()).toContain('admin-e2e-buyer@example.com');
    expect(await page.getByTestId('used-by').first().getByRole('link').getAttribute('href')).toBe('/admin/customers?q=admin-e2e-buyer%40example.com');
    // An admin retires a bad sender: confirmed, banned, and the bot gets one from stock.
    const firstUsername = ((await page.getByTestId('senders-table').locator('tbody tr').first().locator('td').first().textContent()) ?? '').match(
      /@(\S+?)(?:sandbox|\s|$)/,
    )![1]!;
    await page.getByTestId('senders-table').locator('tbody tr').first().getByRole('button', { name: 'Replace sender' }).click();
    await page.getByRole('dialog', { name: `Replace @${firstUsername}?` }).waitFor();
    await page.getByRole('button', { name: 'Ban and replace' }).click();
    await page.getByTestId('replace-result').waitFor();
    expect(await page.getByTestId('replace-result').textContent()).toMatch(new RegExp(`^@${firstUsername} banned and replaced by @\\S+\\.$`));
    const [banned] = await t.ctx.db.select().from(senders).where(eq(senders.username, firstUsername));
    expect(banned!.state).toBe('banned');
    await page.getByRole('button', { name: /^All/ }).click();

    // Plans: edit Bronze's price, validated, and see it on the pricing page.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Plans' }).click();
    await page.getByTestId('plans-table').waitFor();
    await page.getByRole('button', { name: 'Edit Bronze' }).click();
    await page.getByLabel('Price (USD)').fill('33.555');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('at most 2 decimals').waitFor();
    await page.getByLabel('Price (USD)').fill('33.50');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByTestId('plan-form').waitFor({ state: 'detached' });
    await vi.waitFor(
      async () => expect(((await page.getByTestId('plans-table').textContent()) ?? '').includes('$33.50'), 'plans table refresh').toBeTruthy(),
      settled,
    );
    await screenshot(page, 'admin-plans');
    const pricing = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await pricing.goto(`${t.url}/`);
    await pricing.getByTestId('plan-bronze').waitFor();
    expect(await pricing.getByTestId('plan-bronze').getByTestId('plan-price').textContent()).toBe('$33.50');
    await pricing.close();

    // Orders: open the checkout order and read its IPN timeline; replay is confirmed and harmless.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByTestId('orders-table').waitFor();
    await page.getByLabel('Customer email').fill('admin-e2e-buyer');
    await page.getByRole('link', { name: `#${order!.orderNumber}` }).click();
    await page.waitForURL(new RegExp(`/admin/orders/${order!.id}$`));
    const timeline = page.getByTestId('ipn-timeline');
    await timeline.waitFor();
    expect(await timeline.textContent()).toMatch(/Finished.*via ipn.*Applied/);
    await page.getByRole('button', { name: 'Replay event' }).click();
    await page.getByRole('dialog', { name: 'Replay this event?' }).waitFor();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.getByText('Already applied — nothing changed.').waitFor();
    await vi.waitFor(async () => expect(((await timeline.textContent()) ?? '').includes('via replay'), 'timeline refresh').toBeTruthy(), settled);
    expect((await t.ctx.db.select().from(orders).where(eq(orders.id, order!.id)))[0]!.status).toBe('fulfilled');
    await screenshot(page, 'admin-order');

    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Customers & bots' }).click();
    await page.getByTestId('customers').waitFor();
    await screenshot(page, 'admin-customers');
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Emails' }).click();
    await page.getByTestId('emails').waitFor();
    await page.getByTestId('emails').locator('summary').first().click();
    expect(await page.getByTestId('emails').textContent()).toContain('Access code:');
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Activity log' }).click();
    await page.getByTestId('activity-table').waitFor();
    expect(await page.getByTestId('activity-table').textContent()).toContain('plan.updated');
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Resellers' }).click();
    await page.getByRole('heading', { name: 'Resellers', level: 1 }).waitFor();
    await page.getByLabel('Email').fill('partner@example.com');
    // The server's range, not 0–100: 95 % is refused before it is sent.
    await page.getByLabel('Commission (%)').fill('95');
    await page.getByRole('button', { name: 'Create reseller' }).click();
    expect(await page.locator('.field-error').textContent()).toContain('at most 90');
    expect(await page.getByTestId('reseller-code').count()).toBe(0);
    await page.getByLabel('Commission (%)').fill('12.5');
    await page.getByRole('button', { name: 'Create reseller' }).click();
    await page.getByTestId('reseller-code').waitFor();
    expect(await page.getByTestId('reseller-code').textContent()).toMatch(/partner@example\.com.*[A-Z0-9]{4}-/);
    await page
      .getByRole('cell', { name: /partner@example\.com/ })
      .first()
      .waitFor();
    const codePanel = page.getByTestId('reseller-code');
    expect(await codePanel.getByRole('button', { name: 'Copy access code' }).count()).toBe(1);
    const link = (await codePanel.getByTestId('referral-link').textContent()) ?? '';
    expect(link).toMatch(new RegExp(`^${t.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\?ref=\\S+$`));
    expect(await codePanel.getByRole('button', { name: 'Copy referral link' }).count()).toBe(1);
    await screenshot(page, 'admin-resellers');

    // A sale through that link: the order names the reseller, the payout says what is due.
    const ref = new URL(link).searchParams.get('ref')!;
    const referred = await t.api('POST', '/api/payment/create', { email: 'referred-buyer@example.com', slug: 'bronze', currency: 'btc', ref });
    expect(referred.status).toBe(201);
    await t.api('POST', '/api/payment/simulate', { paymentId: referred.body.paymentId, status: 'finished' });
    await waitForOrderStatus(t.ctx, referred.body.orderId, 'fulfilled', 30_000);
    await page.reload();
    const row = page.getByRole('row', { name: /partner@example\.com/ });
    await row.waitFor();
    const amount = row.getByLabel('Payout amount (USD)');
    const due = await amount.inputValue();
    expect(Number(due)).toBeGreaterThan(0);
    await amount.fill((Number(due) + 1).toFixed(2));
    expect(await row.getByTestId('payout-problem').textContent()).toBe(`At most $${due} is due`);
    expect(await row.getByRole('button', { name: 'Record payout' }).isDisabled()).toBe(true);

    // Underpaid, then expired: the list and the detail say a refund is due, in the coin's name.
    const under = await t.api('POST', '/api/payment/create', { email: 'under-e2e@example.com', slug: 'bronze', currency: 'usdttrc20' });
    await t.api('POST', '/api/payment/simulate', { paymentId: under.body.paymentId, status: 'partially_paid' });
    await t.api('POST', '/api/payment/simulate', { paymentId: under.body.paymentId, status: 'expired' });
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByLabel('Customer email').fill('under-e2e');
    // The filter applies after a pause in typing; until then the unfiltered list is on screen.
    const ordersTable = page.getByTestId('orders-table');
    await vi.waitFor(
      async () =>
        expect(
          (await ordersTable.getAttribute('aria-busy')) === 'false' && (await ordersTable.locator('tbody tr').count()) === 1,
          'orders filtered to the underpaid one',
        ).toBeTruthy(),
      settled,
    );
    expect(await ordersTable.textContent()).toContain('under-e2e@example.com');
    expect(await page.getByTestId('order-payment-summary').first().textContent()).toMatch(/^Underpaid, then expired — refund due: [\d.]+ USDT · TRON$/);
    await page.getByTestId('orders-table').getByRole('link', { name: /^#/ }).first().click();
    await page.getByTestId('order-detail').waitFor();
    expect(await page.getByTestId('payment-amount').textContent()).toMatch(/refund due: [\d.]+ USDT · TRON/);
    expect(await page.getByTestId('order-detail').textContent()).not.toContain('Invoice expires');
    expect(await page.getByTestId('order-detail').textContent()).toContain('Expired');
    // The operator refunds at NOWPayments, then records it: confirmed, noted, and the order says so.
    await page.getByRole('button', { name: 'Record refund' }).click();
    const dialog = page.getByRole('dialog', { name: 'Record a refund?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Refund [\d.]+ USDT · TRON to the buyer/);
    await dialog.getByLabel('Note (optional)').fill('refund tx 0xfeed');
    await dialog.getByRole('button', { name: 'Record refund' }).click();
    await page.getByText('Recorded — the order is now refunded.').waitFor();
    await vi.waitFor(
      async () => expect(((await page.getByTestId('ipn-timeline').textContent()) ?? '').includes('via admin'), 'refund in the timeline').toBeTruthy(),
      settled,
    );
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Refunded');
    expect(await page.getByRole('button', { name: 'Record refund' }).isDisabled()).toBe(true);

    // The referred order names its reseller; the customer cell leads to that customer's orders.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByTestId('orders-table').waitFor();
    // Sorting: the newest order is a $33.50 Bronze; sorted by plan, the $55 Silver leads, then
    // the cheapest when reversed, and a third click gives the default order back.
    const firstPlan = async () => (await page.getByTestId('orders-table').locator('tbody tr').first().locator('td').nth(2).textContent()) ?? '';
    const planHeader = page.getByTestId('orders-table').getByRole('columnheader', { name: /Plan/ });
    await vi.waitFor(async () => expect((await firstPlan()).includes('$33.50'), 'newest first').toBeTruthy(), settled);
    await planHeader.getByRole('button').click();
    await vi.waitFor(
      async () =>
        expect((await planHeader.getAttribute('aria-sort')) === 'descending' && (await firstPlan()).includes('$55.00'), 'priciest first').toBeTruthy(),
      settled,
    );
    // The sort lives in the URL: into an order and back, the list is as it was.
    expect(page.url()).toMatch(/\/admin\/orders\?sort=-price$/);
    await page.getByTestId('orders-table').getByRole('link', { name: /^#/ }).first().click();
    await page.getByTestId('order-detail').waitFor();
    await page.goBack();
    await vi.waitFor(
      async () =>
        expect((await planHeader.getAttribute('aria-sort')) === 'descending' && (await firstPlan()).includes('$55.00'), 'sort kept after back').toBeTruthy(),
      settled,
    );
    await planHeader.getByRole('button').click();
    await vi.waitFor(
      async () => expect((await planHeader.getAttribute('aria-sort')) === 'ascending' && (await firstPlan()).includes('$33.50'), 'cheapest first').toBeTruthy(),
      settled,
    );
    await planHeader.getByRole('button').click();
    await vi.waitFor(async () => expect((await planHeader.getAttribute('aria-sort')) === null, 'default order').toBeTruthy(), settled);
    expect(await page.getByTestId('orders-table').locator('th[aria-sort]').count()).toBe(0);
    await page.getByTestId('orders-table').getByRole('link', { name: 'referred-buyer@example.com' }).click();
    await page.waitForURL(/\/admin\/orders\?email=referred-buyer%40example\.com$/);
    await vi.waitFor(
      async () => expect((await page.getByTestId('orders-table').locator('tbody tr').count()) === 1, 'filtered to one customer').toBeTruthy(),
      settled,
    );
    expect(await page.getByTestId('order-reseller').textContent()).toBe(`via reseller ${ref}`);
    await screenshot(page, 'admin-orders-filtered');

    // The activity log names orders by number, not by id.
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Activity log' }).click();
    await page.getByLabel('Action starts with').fill('payment.');
    const activityTable = page.getByTestId('activity-table');
    await vi.waitFor(async () => {
      expect(await activityTable.getAttribute('aria-busy')).toBe('false');
      const actions = await activityTable.locator('tbody tr td:nth-child(3)').allTextContents();
      expect(actions.length).toBeGreaterThan(0);
      expect(
        actions.every((a) => a.startsWith('payment.')),
        'activity filtered to payment.',
      ).toBe(true);
    }, settled);
    expect(await activityTable.textContent()).toContain('under-e2e@example.com');
    expect(await page.getByTestId('activity-subject').first().textContent()).toMatch(/^#\d+/);
    await screenshot(page, 'admin-activity');
    await page.close();
  });
});
