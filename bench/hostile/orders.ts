// Real orders for bench/hostile.ts: checkouts through the public API (the fake issues the
// invoices) and the provider's signed IPNs for them, built from the fake's own payment object.
import { signIpn } from '../../src/modules/payments/ipn-signature.js';
import type { Stack } from './stack.js';
import { type Outcome, send } from './traffic.js';

export type Invoice = { orderId: string; paymentId: string; payAmount: string };

export async function checkout(stack: Stack, email: string, timeoutMs = 20_000): Promise<{ outcome: Outcome; invoice?: Invoice }> {
  let invoice: Invoice | undefined;
  const t0 = performance.now();
  try {
    const res = await fetch(`${stack.base}/api/payment/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, slug: 'bronze', currency: 'usdttrc20' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json().catch(() => ({}))) as Partial<Invoice>;
    if ((res.status === 201 || res.status === 200) && body.orderId && body.paymentId) {
      invoice = { orderId: body.orderId, paymentId: body.paymentId, payAmount: body.payAmount ?? '' };
    }
    return { outcome: { status: res.status, ms: performance.now() - t0 }, ...(invoice ? { invoice } : {}) };
  } catch (err) {
    const status = (err as Error).name === 'TimeoutError' ? 'timeout' : `error:${(err as Error).name}`;
    return { outcome: { status, ms: performance.now() - t0 } };
  }
}

/** Checkouts one after another; throws unless each one gets an invoice (set-up must not fail quietly). */
export async function checkoutMany(stack: Stack, prefix: string, count: number): Promise<Invoice[]> {
  const out: Invoice[] = [];
  for (let i = 0; i < count; i++) {
    const r = await checkout(stack, `${prefix}.${i}@example.com`);
    if (!r.invoice) throw new Error(`set-up checkout ${prefix}.${i}: ${r.outcome.status}`);
    out.push(r.invoice);
  }
  return out;
}

/**
 * The provider's IPN body for `status`. The fake's payment moves to `finished` first (as the
 * provider's own record would), so the worker's reconciliation poller agrees with the IPNs.
 */
export function ipnFor(stack: Stack, inv: Invoice, status: 'waiting' | 'confirming' | 'finished'): Record<string, unknown> {
  const p = stack.fake.payments.get(inv.paymentId);
  if (!p) throw new Error(`fake NOWPayments has no payment ${inv.paymentId}`);
  p.payment_status = 'finished';
  p.actually_paid = p.pay_amount;
  const body = stack.fake.ipnBody(inv.paymentId);
  const paid = status === 'waiting' ? 0 : p.pay_amount;
  return { ...body, payment_status: status, actually_paid: paid, outcome_amount: paid };
}

export function sendSignedIpn(stack: Stack, body: Record<string, unknown>): Promise<Outcome> {
  return send({
    url: `${stack.base}/api/payment/webhook`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-nowpayments-sig': signIpn(body, stack.fake.ipnSecret) },
    body: JSON.stringify(body),
  });
}

/** Deterministic shuffle (mulberry32), so a run can be repeated with the same order. */
export function shuffle<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Polls `check` until it is true or `timeoutMs` passes; returns whether it became true. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 300));
  }
  return check();
}
