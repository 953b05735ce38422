import { useQuery } from '@tanstack/react-query';
import { type ResellerOrdersPage, resellerOrdersSchema } from '../../../../src/shared/api/resellers';
import { apiFetch } from '../../../lib/api-client';

export type { ResellerOrder, ResellerOrdersPage } from '../../../../src/shared/api/resellers';

export async function getResellerOrders(page: { limit: number; offset: number }): Promise<ResellerOrdersPage> {
  return resellerOrdersSchema.parse(await apiFetch(`/api/reseller/orders?limit=${page.limit}&offset=${page.offset}`));
}

export function useResellerOrders(page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['reseller', 'orders', page.limit, page.offset],
    queryFn: () => getResellerOrders(page),
    placeholderData: (prev) => prev,
    refetchInterval: 60_000,
  });
}
