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
    }),
  ),
});
export type ResellerCustomer = z.infer<typeof customersSchema>['customers'][number];

export async function getResellerCustomers(): Promise<ResellerCustomer[]> {
  return customersSchema.parse(await apiFetch('/api/reseller/customers')).customers;
}

export function useResellerCustomers() {
  return useQuery({ queryKey: ['reseller', 'customers'], queryFn: getResellerCustomers, refetchInterval: 60_000 });
}
