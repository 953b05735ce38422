import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const ordersSchema = z.object({
  orders: z.array(
    z.object({
      orderNumber: z.number(),
      customerEmail: z.string().nullable(),
      planName: z.string(),
      priceUsd: z.number(),
      commissionUsd: z.number().nullable(),
      status: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export type ResellerOrder = z.infer<typeof ordersSchema>['orders'][number];

export async function getResellerOrders(): Promise<ResellerOrder[]> {
  return ordersSchema.parse(await apiFetch('/api/reseller/orders')).orders;
}

export function useResellerOrders() {
  return useQuery({ queryKey: ['reseller', 'orders'], queryFn: getResellerOrders, refetchInterval: 60_000 });
}
