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
  total: z.number(),
});
export type ResellerOrder = z.infer<typeof ordersSchema>['orders'][number];
export type ResellerOrdersPage = z.infer<typeof ordersSchema>;

export async function getResellerOrders(page: { limit: number; offset: number }): Promise<ResellerOrdersPage> {
  return ordersSchema.parse(await apiFetch(`/api/reseller/orders?limit=${page.limit}&offset=${page.offset}`));
}

export function useResellerOrders(page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: ['reseller', 'orders', page.limit, page.offset],
    queryFn: () => getResellerOrders(page),
    placeholderData: (prev) => prev,
    refetchInterval: 60_000,
  });
}
