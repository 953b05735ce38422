// The fake must speak NOWPayments' protocol, awkward parts included, or the tests built on it
// prove nothing: here, a re-deposit is a child payment with its own id and its own signed IPN.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyIpn } from '../../src/modules/payments/ipn-signature.js';
import { type FakeNowPayments, startFakeNowPayments } from './nowpayments.js';

type Delivery = { signature: string | undefined; raw: string };

describe('fake NOWPayments: re-deposits', () => {
  let np: FakeNowPayments;
  let receiver: Server;
  let callbackUrl = '';
  const deliveries: Delivery[] = [];

  beforeAll(async () => {
    np = await startFakeNowPayments();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        deliveries.push({ signature: req.headers['x-nowpayments-sig'] as string | undefined, raw: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/ipn`;
  });
  afterAll(async () => {
    await np?.close();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${np.url}${path}`, {
      method,
      headers: { 'x-api-key': np.apiKey, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const invoice = async () => {
    const created = await api('POST', '/payment', {
      price_amount: 40,
      price_currency: 'usd',
      pay_currency: 'usdttrc20',
      order_id: 'order-1',
      order_description: 'Bronze',
      ipn_callback_url: callbackUrl,
    });
    expect(created.status).toBe(201);
    return String(created.body.payment_id);
  };

  it('records the rest sent to the same address as a child payment with its own signed IPN', async () => {
    const parentId = await invoice();
    await np.setStatus(parentId, 'partially_paid', { actuallyPaid: 15, sendIpn: false });
    const before = deliveries.length;

    const first = await np.redeposit(parentId, 20);
    expect(first.ipnStatus).toBe(200);
    expect(first.paymentId).not.toBe(parentId);
    const child = (await api('GET', `/payment/${first.paymentId}`)).body;
    expect(child).toMatchObject({
      payment_id: Number(first.paymentId),
      parent_payment_id: Number(parentId),
      order_id: 'order-1',
      order_description: 'Bronze',
      price_amount: 40,
      price_currency: 'usd',
      pay_currency: 'usdttrc20',
      actually_paid: 20,
      pay_amount: 25,
      // Short of the 25 still missing by itself.
      payment_status: 'partially_paid',
    });
    const parent = (await api('GET', `/payment/${parentId}`)).body;
    expect(child.pay_address).toBe(parent.pay_address);
    expect(parent).toMatchObject({ payment_extra_ids: [Number(first.paymentId)], actually_paid: 15, parent_payment_id: null });

    expect(deliveries).toHaveLength(before + 1);
    const delivery = deliveries.at(-1)!;
    const verified = verifyIpn(delivery.raw, delivery.signature, np.ipnSecret);
    expect(verified).toMatchObject({ ok: true, body: { payment_id: Number(first.paymentId), parent_payment_id: Number(parentId) } });

    // The second covers what is left (5) and more: finished; its IPN is lost.
    const second = await np.redeposit(parentId, 6, { sendIpn: false });
    expect(second.ipnStatus).toBeNull();
    expect(deliveries).toHaveLength(before + 1);
    expect((await api('GET', `/payment/${second.paymentId}`)).body).toMatchObject({ payment_status: 'finished', pay_amount: 5, actually_paid: 6 });
    expect((await api('GET', `/payment/${parentId}`)).body.payment_extra_ids).toEqual([Number(first.paymentId), Number(second.paymentId)]);
  });

  it('lets a test choose the child status, and refuses a re-deposit on a child', async () => {
    const parentId = await invoice();
    const child = await np.redeposit(parentId, 1, { status: 'confirming', sendIpn: false });
    expect(child.payment.payment_status).toBe('confirming');
    await expect(np.redeposit(child.paymentId, 1)).rejects.toThrow(/first payment/);
  });
});
