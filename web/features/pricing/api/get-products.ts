import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

export const productSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  planType: z.enum(['starter', 'enterprise']),
  priceUsd: z.number(),
  senders: z.number(),
  postingIntervalSeconds: z.number(),
  validityDays: z.number(),
  available: z.boolean(),
});
export type Product = z.infer<typeof productSchema>;

const responseSchema = z.object({ products: z.array(productSchema) });

export async function getProducts(): Promise<Product[]> {
  return responseSchema.parse(await apiFetch('/api/products')).products;
}

export function useProducts() {
  return useQuery({ queryKey: ['products'], queryFn: getProducts, staleTime: 30_000 });
}
