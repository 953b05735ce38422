import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const customersSchema = z.object({
  customers: z.array(
    z.object({
      email: z.string().nullable(),
      orders: z.number(),
      spentUsd: z.number(),
      firstOrderAt: z.string().nullable(),
      planStatus: z.enum(['active', 'inactive', 'expired']),
      planName: z.string().nullable().optional(),
    }),
  ),
  total: z.number(),
});
export type ResellerCustomer = z.infer<typeof customersSchema>['customers'][number];
export type ResellerCustomersPage = z.infer<typeof customersSchema>;

export async function getResellerCustomers(page: { limit: number; offset: number }): Promise<ResellerCustomersPage> {
  return customersSchema.parse(await apiFetch(`/api/reseller/customers?limit=${page.limit}&offset=${page.offset}`));
}

export function useResellerCustomers(page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['reseller', 'customers', page.limit, page.offset],
    queryFn: () => getResellerCustomers(page),
    placeholderData: (prev) => prev,
    refetchInterval: 60_000,
  });
}
