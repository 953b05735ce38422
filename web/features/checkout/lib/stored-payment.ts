// The pending payment lives in localStorage, keyed by plan, so a refresh or the back button
// comes back to the same address instead of opening a second invoice.
import { z } from 'zod';
import { createdPaymentSchema } from '../../../../src/shared/api/checkout';

const storedSchema = z.object({
  paymentId: z.string(),
  checkoutSecret: z.string().nullish(),
  email: z.string(),
  currency: z.string().optional(),
  // Set when a signed-in customer bought for their own plan, so the end screen can say what changed.
  kind: z.enum(['renewal', 'upgrade', 'change', 'credit']).optional(),
  // Set when this payment was started by "Pay with another coin": the cancelled order it replaces.
  replacesOrderNumber: z.number().int().optional(),
  // What creating (or resuming) the payment returned: the pay screen's fallback when this
  // browser holds no checkout secret, since the status route then shows only the status.
  known: createdPaymentSchema
    .pick({ payAddress: true, payAmount: true, payCurrency: true, expiresAt: true, priceUsd: true, orderNumber: true })
    .partial()
    .optional(),
});
export type StoredPayment = z.infer<typeof storedSchema>;

const key = (slug: string) => `hqadz.checkout.${slug}`;

export function loadStoredPayment(slug: string): StoredPayment | null {
  try {
    const raw = localStorage.getItem(key(slug));
    if (!raw) return null;
    const parsed = storedSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveStoredPayment(slug: string, value: StoredPayment): void {
  try {
    localStorage.setItem(key(slug), JSON.stringify(value));
  } catch {
    // Private mode or full storage: the flow still works, only resume-after-refresh is lost.
  }
}

export function clearStoredPayment(slug: string): void {
  try {
    localStorage.removeItem(key(slug));
  } catch {
    // see saveStoredPayment
  }
}

// Once the one-time sign-in is spent the pending payment is cleared, but a reload or Back on the
// same tab must not fall back to a fresh purchase form: remember, for this tab only, that the
// order for this plan is finished. The access code itself is never stored — it is in the email.
const doneKey = (slug: string) => `hqadz.checkout.done.${slug}`;

export function markOrderFinished(slug: string): void {
  try {
    sessionStorage.setItem(doneKey(slug), '1');
  } catch {
    // see saveStoredPayment
  }
}

export function isOrderFinished(slug: string): boolean {
  try {
    return sessionStorage.getItem(doneKey(slug)) === '1';
  } catch {
    return false;
  }
}

export function forgetFinishedOrder(slug: string): void {
  try {
    sessionStorage.removeItem(doneKey(slug));
  } catch {
    // see saveStoredPayment
  }
}
