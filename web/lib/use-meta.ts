import { useQuery } from '@tanstack/react-query';
import type { Meta } from '../../src/shared/api/meta';
import { apiFetch } from './api-client';

// The contract's type only: the banner is on the first page, whose script carries no zod.
export function useMeta() {
  return useQuery({ queryKey: ['meta'], queryFn: () => apiFetch<Meta>('/api/meta'), staleTime: Infinity });
}
