import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, apiFetch } from '../../../lib/api-client';

const meSchema = z.object({ id: z.string(), role: z.enum(['customer', 'reseller', 'admin']), email: z.string().nullish() });
export type Me = z.infer<typeof meSchema>;

/** The logged-in user, or null when nobody is logged in. */
export async function getMe(): Promise<Me | null> {
  try {
    return meSchema.parse(await apiFetch('/api/auth/me'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: getMe, staleTime: 60_000 });
}
