import { useQuery } from '@tanstack/react-query';
import { apiFetch } from './api-client';

export type Meta = { testMode: boolean };

export function useMeta() {
  return useQuery({ queryKey: ['meta'], queryFn: () => apiFetch<Meta>('/api/meta'), staleTime: Infinity });
}
