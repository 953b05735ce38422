// The access code of a test-mode purchase, as the paying browser gets it: stored emails hold
// codes masked (only the customer's own copy has them), so tests cannot read them there.
import { eventually, type TestApp } from '../helpers/test-app.js';

export async function accessCodeOfCheckout(t: TestApp, checkoutSecret: string): Promise<string> {
  const redeemed = await eventually(
    async () => {
      const res = await t.api('POST', '/api/auth/checkout', { checkoutSecret });
      return res.status === 200 ? (res.body.accessCode as string) : null;
    },
    30_000,
    'the fulfilled order',
  );
  return redeemed!;
}
