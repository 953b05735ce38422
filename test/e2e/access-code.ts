// The access code of a test-mode purchase, as the paying browser gets it: stored emails hold
// codes masked (only the customer's own copy has them), so tests cannot read them there.
import { expect, vi } from 'vitest';
import type { TestApp } from '../helpers/test-app.js';

export async function accessCodeOfCheckout(t: TestApp, checkoutSecret: string): Promise<string> {
  // 409 not_ready until the order is fulfilled; then the one redemption hands over the code.
  return vi.waitFor(
    async () => {
      const res = await t.api('POST', '/api/auth/checkout', { checkoutSecret });
      expect(res.status, 'the fulfilled order').toBe(200);
      return res.body.accessCode as string;
    },
    { timeout: 30_000, interval: 100 },
  );
}
