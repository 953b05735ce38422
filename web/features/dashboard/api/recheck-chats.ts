import { useMutation, useQueryClient } from '@tanstack/react-query';
import { botViewSchema } from '../../../../src/shared/api/customer';
import { apiFetch } from '../../../lib/api-client';
import type { Bot } from './get-bot';

/** Asks Telegram again whether the bots may post in every chat (after adding a bot or fixing its rights). */
export async function recheckChats(): Promise<Bot> {
  return botViewSchema.parse(await apiFetch('/api/user/bot/chats/recheck', { method: 'POST', body: {} }));
}

export function useRecheckChats() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: recheckChats,
    onSuccess: (bot) => qc.setQueryData(['user', 'bot'], bot),
  });
}
