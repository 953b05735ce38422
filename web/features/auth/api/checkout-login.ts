import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';
import { setSessionHint } from '../lib/session-hint';

const responseSchema = z.object({
  token: z.string(),
  role: z.enum(['customer', 'reseller', 'admin']),
  accessCode: z.string().nullable(),
});
export type CheckoutLogin = z.infer<typeof responseSchema>;

/** The paying browser logs straight in with the one-time secret from payment creation. */
export async function checkoutLogin(checkoutSecret: string): Promise<CheckoutLogin> {
  return responseSchema.parse(await apiFetch('/api/auth/checkout', { method: 'POST', body: { checkoutSecret } }));
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
