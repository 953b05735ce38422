import { useQuery } from '@tanstack/react-query';
import type { UserStatus } from '../../../../src/shared/api/customer';
import { apiFetch } from '../../../lib/api-client';
import { useMe } from '../../auth/api/get-me';

// The contract's type without its zod schema: the pricing page's bundle stays small (see get-products).
function planSlugOf(body: unknown): string | null {
  const plan = (body as Partial<UserStatus> | null)?.plan;
  return plan && typeof plan.slug === 'string' ? plan.slug : null;
}

/** The slug of the signed-in customer's plan, or null (nobody signed in, not a customer, or no plan). */
export function useCurrentPlanSlug(): string | null {
  const me = useMe();
  const customer = me.data?.role === 'customer';
  // Its own key: the dashboard caches the full, zod-checked status under ['user', 'status'].
  const status = useQuery({
    queryKey: ['pricing', 'current-plan'],
    queryFn: async () => planSlugOf(await apiFetch('/api/user/status')),
    enabled: customer,
    staleTime: 60_000,
  });
  return customer ? (status.data ?? null) : null;
}
