import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../lib/api-client';
import { setSessionHint } from '../lib/session-hint';

export async function logout(): Promise<void> {
  await apiFetch('/api/auth/logout', { method: 'POST', body: {} });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      setSessionHint(false);
      qc.clear();
    },
  });
}
