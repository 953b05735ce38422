import { useQuery } from '@tanstack/react-query';
import { type ResellerCustomersPage, resellerCustomersSchema } from '../../../../src/shared/api/resellers';
import { apiFetch } from '../../../lib/api-client';

export type { ResellerCustomer, ResellerCustomersPage } from '../../../../src/shared/api/resellers';

export async function getResellerCustomers(page: { limit: number; offset: number }): Promise<ResellerCustomersPage> {
  return resellerCustomersSchema.parse(await apiFetch(`/api/reseller/customers?limit=${page.limit}&offset=${page.offset}`));
}

export function useResellerCustomers(page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['reseller', 'customers', page.limit, page.offset],
    queryFn: () => getResellerCustomers(page),
    placeholderData: (prev) => prev,
    refetchInterval: 60_000,
  });
}
