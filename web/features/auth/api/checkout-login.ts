import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type CheckoutLogin, checkoutLoginSchema } from '../../../../src/shared/api/checkout';
import { apiFetch } from '../../../lib/api-client';
import { setSessionHint } from '../lib/session-hint';

/** The paying browser logs straight in with the one-time secret from payment creation. */
export async function checkoutLogin(checkoutSecret: string): Promise<CheckoutLogin> {
  return checkoutLoginSchema.parse(await apiFetch('/api/auth/checkout', { method: 'POST', body: { checkoutSecret } }));
}

export function useCheckoutLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: checkoutLogin,
    onSuccess: () => {
      setSessionHint(true);
      qc.removeQueries({ queryKey: ['me'] });
    },
  });
}
