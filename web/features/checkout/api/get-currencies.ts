import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const responseSchema = z.object({ currencies: z.array(z.string()) });

export async function getCurrencies(): Promise<string[]> {
  return responseSchema.parse(await apiFetch('/api/payment/currencies')).currencies;
}

export function useCurrencies() {
  return useQuery({ queryKey: ['payment-currencies'], queryFn: getCurrencies, staleTime: 5 * 60_000 });
}
