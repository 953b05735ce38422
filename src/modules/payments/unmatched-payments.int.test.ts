import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, bearer } from '../../../test/factories/sessions.js';
import { type IpnSuite, startIpnSuite } from '../../../test/helpers/ipn-suite.js';
import { unmatchedPaymentsSchema } from '../../shared/api/admin.js';

// Issue 9: "a truly unknown payment is stored, answered 200 and shown to admins". It was
// stored and alerted, but no admin screen listed it: here the admin API does, from the IPNs.
describe("payments we can't match (admin)", () => {
  let s: IpnSuite;
  let admin: Record<string, string>;
  beforeAll(async () => {
    s = await startIpnSuite();
    admin = bearer(await adminToken(s.t.ctx));
  });
  afterAll(async () => s?.close());

  const unknownIpn = (paymentId: string, status: string, actuallyPaid: number, orderId: string) => ({
    payment_id: paymentId,
    parent_payment_id: null,
    payment_status: status,
    pay_address: 'bc1qstrangerstrangerstranger',
    actually_paid: actuallyPaid,
    pay_amount: 0.0021,
    pay_currency: 'btc',
    order_id: orderId,
    price_amount: 150,
    price_currency: 'usd',
  });

  it('answers an unknown signed IPN 200, stores it, and lists it with its amount, coin, times and raw IPNs', async () => {
    const paymentId = `${Date.now()}1`;
    const foreignOrder = randomUUID();
    for (const [status, paid] of [
      ['confirming', 0.0021],
      ['finished', 0.0021],
    ] as const) {
      const body = unknownIpn(paymentId, status, paid, foreignOrder);
      const res = await s.postIpn(body, s.signed(body));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const stored = await s.eventsFor(paymentId);
    expect(stored.map((e) => e.verdict)).toEqual(['unknown_payment', 'unknown_payment']);

    // A re-deposit of ours and a forged delivery are not "payments we can't match".
    const ours = await s.buy('bronze', 'btc');
    // (No price fields: the stranger's price is not this order's, and a partial payment needs none.)
    const { price_amount: _p, price_currency: _c, ...redeposit } = unknownIpn(`${ours.paymentId}9`, 'partially_paid', 0.0001, ours.orderId);
    const child = { ...redeposit, parent_payment_id: ours.paymentId };
    expect((await s.postIpn(child, s.signed(child))).status).toBe(200);
    const forged = unknownIpn(`${Date.now()}2`, 'finished', 1, randomUUID());
    expect((await s.postIpn(forged, { 'x-nowpayments-sig': 'ab'.repeat(64) })).status).toBe(401);

    const res = await s.t.api('GET', '/api/admin/unmatched-payments', undefined, admin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const list = unmatchedPaymentsSchema.parse(res.body);
    expect(list.total).toBe(1);
    const [p] = list.payments;
    expect(p).toMatchObject({
      providerPaymentId: paymentId,
      status: 'finished',
      actuallyPaid: '0.0021',
      payAmount: '0.0021',
      payCurrency: 'btc',
      claimedOrderId: foreignOrder,
      deliveries: 2,
    });
    expect(new Date(p!.firstSeenAt).getTime()).toBeLessThanOrEqual(new Date(p!.lastSeenAt).getTime());
    expect(p!.events.map((e) => e.status)).toEqual(['finished', 'confirming']);
    expect(p!.events[0]!.rawBody).toContain('"payment_status":"finished"');

    const overview = await s.t.api('GET', '/api/admin/overview', undefined, admin);
    expect(overview.status).toBe(200);
    expect(overview.body.unmatchedPayments).toBe(1);
  });

  it('reads its rows through a partial index, not the whole IPN log (which grows with every delivery)', async () => {
    const res = (await s.t.ctx.db.execute(
      sql`select indexdef from pg_indexes where tablename = 'payment_events' and indexname = 'payment_events_unknown_idx'`,
    )) as unknown as { rows: { indexdef: string }[] };
    expect(res.rows[0]?.indexdef).toMatch(/\(provider_payment_id\) WHERE \(verdict = 'unknown_payment'::text\)/);
  });

  it('is for admins only', async () => {
    expect((await s.t.api('GET', '/api/admin/unmatched-payments')).status).toBe(401);
  });
});
