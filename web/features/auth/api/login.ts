import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type Session, sessionSchema } from '../../../../src/shared/api/accounts';
import { apiFetch } from '../../../lib/api-client';
import { setSessionHint } from '../lib/session-hint';

export async function login(accessCode: string): Promise<Session> {
  return sessionSchema.parse(await apiFetch('/api/auth/login', { method: 'POST', body: { accessCode } }));
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: () => {
      setSessionHint(true);
      qc.removeQueries();
    },
  });
}

export { homeFor } from '../lib/home-for';
