import { useQuery } from '@tanstack/react-query';
import { type DeliveryFilter, type DeliveryPage, deliveryPageSchema } from '../../../../src/shared/api/customer';
import { apiFetch } from '../../../lib/api-client';

export type { Delivery, DeliveryFilter, DeliveryPage, DeliveryResult } from '../../../../src/shared/api/customer';

/** `?chat=…&result=…&from=…&to=…` with only the filters that are set. */
export function filterQuery(filter: DeliveryFilter, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The CSV of the same filters: a plain link, so the browser downloads it with the session cookie. */
export function deliveriesCsvUrl(filter: DeliveryFilter): string {
  return `/api/user/posts.csv${filterQuery(filter)}`;
}

export async function getDeliveries(filter: DeliveryFilter, cursor: string | undefined, limit: number): Promise<DeliveryPage> {
  return deliveryPageSchema.parse(await apiFetch(`/api/user/posts${filterQuery(filter, { cursor, limit })}`));
}

export function useDeliveries(filter: DeliveryFilter, cursor: string | undefined, limit: number) {
  return useQuery({
    queryKey: ['user', 'posts', filter, cursor ?? null, limit],
    queryFn: () => getDeliveries(filter, cursor, limit),
    // The next page keeps the table in place while it loads: no layout jump.
    placeholderData: (prev) => prev,
    // The newest page shows new posts as they land; older pages do not move.
    refetchInterval: cursor ? false : 30_000,
  });
}
