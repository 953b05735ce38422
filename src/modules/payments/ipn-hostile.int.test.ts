// Hostile deliveries to the IPN webhook: whatever the shape, a quick 4xx and a record, and
// the rest of the API keeps answering meanwhile.
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import { eq, like } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { freshEmail } from '../../../test/factories/ids.js';
import { checkout, loadOrder } from '../../../test/factories/orders.js';
import { sandboxSenders } from '../../../test/factories/stock.js';
import { type FakeNowPayments, startFakeNowPayments } from '../../../test/fakes/nowpayments.js';
import { startTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { paymentEvents } from '../../db/schema.js';
import { signIpn } from './ipn-signature.js';

describe('IPN webhook under hostile deliveries', () => {
  let np: FakeNowPayments;
  let t: TestApp;
  beforeAll(async () => {
    np = await startFakeNowPayments();
    t = await startTestApp({ worker: false, env: { ...np.env(), RATE_LIMIT_CHECKOUT_PER_MINUTE: '1000', RATE_LIMIT_WEBHOOK_PER_MINUTE: '1000' } });
    await sandboxSenders(t, 10);
  });
  afterAll(async () => {
    await t?.close();
    await np?.close();
  });
  // The webhook runs in this process: every amount it spells out is seen here. The hand-written
  // decimal module spelled 1e120000 out digit by digit (~16 s of a blocked event loop).
  let spellOut: { mock: { results: { value: unknown }[] }; mockRestore(): void };
  beforeEach(() => {
    spellOut = vi.spyOn(Big.prototype, 'toFixed');
  });
  afterEach(() => spellOut.mockRestore());
  const longestSpelledOut = () => Math.max(0, ...spellOut.mock.results.map((r) => String(r.value).length));

  const postRaw = (raw: string, headers: Record<string, string> = {}) =>
    t.api('POST', '/api/payment/webhook', raw, { 'content-type': 'application/json', ...headers });
  /** Each body starts with its own marker, so its records can be found whatever else they say. */
  const marked = (rest: string) => {
    const marker = randomUUID();
    return { marker, raw: `{"marker":"${marker}",${rest}}` };
  };
  const eventsMarked = (marker: string) =>
    t.ctx.db
      .select()
      .from(paymentEvents)
      .where(like(paymentEvents.rawBody, `%${marker}%`));
  const forgedSig = { 'x-nowpayments-sig': 'ab'.repeat(64) };

  it('answers an unsigned 1e120000 amount with 401 at once, and /api/health is not held up', async () => {
    const { marker, raw } = marked('"payment_id":1,"payment_status":"finished","actually_paid":"1e120000"');
    const [i, h] = await Promise.all([postRaw(raw), t.api('GET', '/api/health')]);
    expect(i.status).toBe(401);
    expect(h.status).toBe(200);
    expect(longestSpelledOut()).toBeLessThanOrEqual(64);
    const events = await eventsMarked(marker);
    expect(events.map((e) => [e.verdict, e.signatureValid, e.providerPaymentId])).toEqual([['rejected_unsigned', false, '1']]);
  });

  it('records a payment_id nested 20,000 arrays deep and answers 4xx whatever the signature', async () => {
    const markers: string[] = [];
    for (const headers of [{}, { 'x-nowpayments-sig': 'ab' }, forgedSig, { 'x-nowpayments-sig': signIpn({ payment_id: 1 }, np.ipnSecret) }]) {
      const { marker, raw } = marked(`"payment_id":${'['.repeat(20_000)}1${']'.repeat(20_000)},"payment_status":"finished"`);
      markers.push(marker);
      const r = await postRaw(raw, headers);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.body.error.code).toMatch(/^(invalid_signature|payload_too_large)$/);
    }
    for (const marker of markers) expect(await eventsMarked(marker)).toHaveLength(1);
  });

  it('refuses a body nested past any real IPN, within the size limit, with 401 and records why', async () => {
    const { marker, raw } = marked(`"payment_id":"123","x":${'['.repeat(5000)}1${']'.repeat(5000)}`);
    const r = await postRaw(raw, forgedSig);
    expect(r.status).toBe(401);
    const [event] = await eventsMarked(marker);
    expect(event).toMatchObject({ verdict: 'rejected_too_deep', signatureValid: false, providerPaymentId: '123' });
    expect(event!.rawBody).toBe(raw.slice(0, 4096));
  });

  it('answers a body of many huge numbers quickly, unsigned, forged or signed', async () => {
    const numbers = Array.from({ length: 1500 }, () => '1e120000').join(',');
    const unsigned = marked(`"payment_id":1,"payment_status":"finished","n":[${numbers}]`);
    const forged = marked(`"payment_id":1,"payment_status":"finished","n":[${numbers}]`);
    expect((await postRaw(unsigned.raw)).status).toBe(401);
    expect((await postRaw(forged.raw, forgedSig)).status).toBe(401);
    // Signed by the provider's rule (JSON.stringify turns 1e120000 into null): a valid signature,
    // and still nothing to act on.
    const signed = marked(`"payment_id":1,"payment_status":"finished","actually_paid":1e120000,"n":[${numbers}]`);
    const r = await postRaw(signed.raw, { 'x-nowpayments-sig': signIpn(JSON.parse(signed.raw), np.ipnSecret) });
    expect(r.status).toBe(400);
    expect(longestSpelledOut()).toBeLessThanOrEqual(64);
    expect((await eventsMarked(unsigned.marker)).map((e) => e.verdict)).toEqual(['rejected_unsigned']);
    expect((await eventsMarked(forged.marker)).map((e) => e.verdict)).toEqual(['rejected_signature']);
    expect((await eventsMarked(signed.marker)).map((e) => [e.verdict, e.signatureValid])).toEqual([['rejected_malformed', true]]);
  });

  it('refuses a signed IPN with an absurd amount with a recorded 400 and changes nothing', async () => {
    const res = await checkout(t, { email: freshEmail('bronze'), slug: 'bronze', currency: 'btc' });
    expect(res.status).toBe(201);
    const { orderId, paymentId } = res.body as { orderId: string; paymentId: string };
    const before = await loadOrder(t.ctx, orderId);
    const p = np.payments.get(paymentId)!;
    p.payment_status = 'finished';
    for (const absurd of ['1e120000', '1e-120000', '9'.repeat(100), '-1', 'lots']) {
      const body = { ...np.ipnBody(paymentId), actually_paid: absurd };
      const r = await postRaw(JSON.stringify(body), { 'x-nowpayments-sig': signIpn(body, np.ipnSecret) });
      expect(r.status, absurd).toBe(400);
      expect(r.body.error.code).toBe('validation_error');
    }
    const after = await loadOrder(t.ctx, orderId);
    expect(after.order).toEqual(before.order);
    expect(after.payment).toEqual(before.payment);
    const events = await t.ctx.db.select().from(paymentEvents).where(eq(paymentEvents.providerPaymentId, paymentId));
    expect(events.map((e) => [e.verdict, e.signatureValid])).toEqual(Array(5).fill(['rejected_malformed', true]));
  });

  it('records a delivery too large to read whole: 413 when it looks signed, 401 when not', async () => {
    const padding = 'p'.repeat(100_000);
    const big = marked(`"payment_id":"77","pad":"${padding}"`);
    const r = await postRaw(big.raw, forgedSig);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    const unsigned = marked(`"payment_id":"77","pad":"${padding}"`);
    expect((await postRaw(unsigned.raw)).status).toBe(401);
    const [tooLarge] = await eventsMarked(big.marker);
    expect(tooLarge).toMatchObject({ verdict: 'rejected_too_large', signatureValid: false });
    expect(tooLarge!.rawBody).toBe(big.raw.slice(0, 4096));
    expect((await eventsMarked(unsigned.marker)).map((e) => e.verdict)).toEqual(['rejected_unsigned']);
    // The connection is still good for the next request.
    expect((await t.api('GET', '/api/health')).status).toBe(200);
  });
});
