import { useMutation, useQueryClient } from '@tanstack/react-query';
import { botViewSchema } from '../../../../src/shared/api/customer';
import { apiFetch } from '../../../lib/api-client';
import type { Bot } from './get-bot';

export async function toggleBot(action: 'start' | 'stop'): Promise<Bot> {
  return botViewSchema.parse(await apiFetch(`/api/user/bot/${action}`, { method: 'POST', body: {} }));
}

export function useToggleBot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: toggleBot,
    onSuccess: (bot) => {
      qc.setQueryData(['user', 'bot'], bot);
      // Starting can post within a second; fetch again so the page shows it without waiting for the next poll.
      void qc.invalidateQueries({ queryKey: ['user'] });
    },
  });
}
