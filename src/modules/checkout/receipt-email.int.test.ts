// The receipt email: queued in the transaction that marks the order paid, delivered over SMTP,
// once per order however often the payment is reported.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkout, loadOrder, paidOrder } from '../../../test/factories/orders.js';
import { setStock } from '../../../test/factories/stock.js';
import { type FakeSmtp, startFakeSmtp } from '../../../test/fakes/smtp.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { emails } from '../../db/schema.js';
import { queueReceiptEmail } from './receipt-email.js';

describe('receipt email', () => {
  let smtp: FakeSmtp;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    t = await startTestApp({ env: { SMTP_URL: smtp.url } });
    await setStock(t.ctx, 4);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const receiptsOf = (orderId: string) =>
    t.ctx.db
      .select()
      .from(emails)
      .where(eq(emails.dedupeKey, `order:${orderId}:receipt`));
  const delivered = (subject: string) =>
    vi.waitFor(
      () => {
        const found = smtp.messages.filter((m) => m.subject === subject);
        expect(found, `SMTP delivery of "${subject}"`).not.toHaveLength(0);
        return found;
      },
      { timeout: 15_000, interval: 100 },
    );

  it('sends the receipt of a paid order: seller, order, plan, USD, coin received, payment id', async () => {
    const paid = await paidOrder(t, { email: 'receipt@example.com', plan: 'bronze', currency: 'btc' });
    // Committed with the payment: there by the time the webhook answered.
    expect(await receiptsOf(paid.orderId)).toHaveLength(1);
    const { order, payment } = await loadOrder(t.ctx, paid.orderId);
    const [msg] = await delivered(`HQAdz receipt — order #${order.orderNumber}`);
    expect(msg!.to).toEqual(['receipt@example.com']);
    expect(msg!.text).toContain(`Seller: HQAdz (${t.ctx.config.publicUrl})`);
    expect(msg!.text).toContain('Customer: receipt@example.com');
    expect(msg!.text).toContain('Plan: Bronze — 1 sender, posts every hour');
    expect(msg!.text).toContain('Bought: a new Bronze plan, 30 days');
    expect(msg!.text).toContain('Price: $30.00 USD');
    expect(msg!.text).toContain(`Received: ${payment.actuallyPaid} BTC (invoice: ${payment.payAmount} BTC)`);
    expect(msg!.text).toContain(`Payment ${paid.paymentId}: ${payment.actuallyPaid} BTC`);
    expect(msg!.text).toContain(`${t.ctx.config.publicUrl}/dashboard/orders/${order.orderNumber}`);
    // A receipt is not a way in: the access code stays in its own email.
    expect(msg!.text).not.toMatch(/Access code/);
  });

  it('is sent once per order: a repeated IPN and a second call queue nothing more', async () => {
    const paid = await paidOrder(t, { email: 'receipt.once@example.com', plan: 'bronze' });
    const again = await t.api('POST', '/api/payment/simulate', { paymentId: paid.paymentId, status: 'finished' });
    expect(again.status).toBe(200);
    expect(await t.ctx.db.transaction((tx) => queueReceiptEmail({ ctx: t.ctx, tx, orderId: paid.orderId }))).toBeNull();
    expect(await receiptsOf(paid.orderId)).toHaveLength(1);
    const { order } = await loadOrder(t.ctx, paid.orderId);
    await delivered(`HQAdz receipt — order #${order.orderNumber}`);
    await vi.waitFor(async () => expect((await receiptsOf(paid.orderId))[0]!.status).toBe('sent'), { timeout: 10_000, interval: 100 });
    expect(smtp.messages.filter((m) => m.subject === `HQAdz receipt — order #${order.orderNumber}`)).toHaveLength(1);
  });

  it('waits for the money: nothing for an underpayment, the receipt once the rest arrives', async () => {
    const created = await checkout(t, { email: 'receipt.partial@example.com', slug: 'bronze', currency: 'btc' });
    expect(created.status).toBe(201);
    const { orderId, paymentId } = created.body;
    expect((await t.api('POST', '/api/payment/simulate', { paymentId, status: 'partially_paid' })).status).toBe(200);
    expect(await receiptsOf(orderId)).toHaveLength(0);
    expect((await t.api('POST', '/api/payment/simulate', { paymentId, status: 'finished' })).status).toBe(200);
    const receipts = await receiptsOf(orderId);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.toAddress).toBe('receipt.partial@example.com');
  });
});
