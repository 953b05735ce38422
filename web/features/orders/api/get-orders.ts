import { useQuery } from '@tanstack/react-query';
import { type CustomerOrdersPage, customerOrdersSchema } from '../../../../src/shared/api/receipts';
import { apiFetch } from '../../../lib/api-client';

export type { CustomerOrder, CustomerOrdersPage } from '../../../../src/shared/api/receipts';

export async function getOrders(page: { limit: number; offset: number }): Promise<CustomerOrdersPage> {
  return customerOrdersSchema.parse(await apiFetch(`/api/user/orders?limit=${page.limit}&offset=${page.offset}`));
}

export function useOrders(page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['user', 'orders', page.limit, page.offset],
    queryFn: () => getOrders(page),
    // The next page keeps the table in place while it loads: no layout jump.
    placeholderData: (prev) => prev,
    // A payment confirming in another tab shows up without a reload.
    refetchInterval: 30_000,
  });
}
