import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

/** GET an admin endpoint and validate it: a changed server shape fails loudly, not as blank cells. */
export async function adminGet<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  return schema.parse(await apiFetch(path));
}

export function useAdminQuery<S extends z.ZodType>(key: unknown[], path: string, schema: S, opts: { refetchInterval?: number } = {}) {
  return useQuery({ queryKey: ['admin', ...key], queryFn: () => adminGet(path, schema), placeholderData: (prev) => prev, ...opts });
}

/** A write that refreshes every admin list afterwards (counts and states move together). */
export function useAdminMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: ['admin'] }) });
}

export function adminSend<T>(method: 'POST' | 'PATCH', path: string, body: unknown = {}): Promise<T> {
  return apiFetch<T>(path, { method, body });
}

export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
