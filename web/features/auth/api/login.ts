import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const sessionSchema = z.object({ token: z.string(), role: z.enum(['customer', 'reseller', 'admin']) });
export type Session = z.infer<typeof sessionSchema>;

export async function login(accessCode: string): Promise<Session> {
  return sessionSchema.parse(await apiFetch('/api/auth/login', { method: 'POST', body: { accessCode } }));
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: login, onSuccess: () => qc.removeQueries() });
}

/** Where each role lands after logging in. */
export function homeFor(role: Session['role']): string {
  return role === 'admin' ? '/admin' : role === 'reseller' ? '/reseller' : '/dashboard';
}
