import { useQuery } from '@tanstack/react-query';
import { type Receipt, receiptSchema } from '../../../../src/shared/api/receipts';
import { ApiError, apiFetch } from '../../../lib/api-client';

export type { Receipt } from '../../../../src/shared/api/receipts';

export async function getReceipt(orderNumber: string): Promise<Receipt> {
  return receiptSchema.parse(await apiFetch(`/api/user/orders/${encodeURIComponent(orderNumber)}/receipt`));
}

/** Not found and not paid are answers, not failures worth retrying. */
const settled = (e: unknown) => e instanceof ApiError && (e.code === 'not_found' || e.code === 'conflict' || e.code === 'validation_error');

export function useReceipt(orderNumber: string) {
  return useQuery({
    queryKey: ['user', 'receipt', orderNumber],
    queryFn: () => getReceipt(orderNumber),
    retry: (count, e) => !settled(e) && count < 2,
  });
}
