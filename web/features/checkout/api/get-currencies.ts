import { useQuery } from '@tanstack/react-query';
import { currencyListSchema } from '../../../../src/shared/api/payments';
import { apiFetch } from '../../../lib/api-client';

export async function getCurrencies(): Promise<string[]> {
  return currencyListSchema.parse(await apiFetch('/api/payment/currencies')).currencies;
}

export function useCurrencies() {
  return useQuery({ queryKey: ['payment-currencies'], queryFn: getCurrencies, staleTime: 5 * 60_000 });
}
