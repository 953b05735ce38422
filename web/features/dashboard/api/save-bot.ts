import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../lib/api-client';
import { type Bot, botSchema, type Post } from './get-bot';

export type SaveBotInput = { post: Post; chats: string[] };

export async function saveBot(input: SaveBotInput): Promise<Bot> {
  return botSchema.parse(await apiFetch('/api/user/bot', { method: 'PUT', body: input }));
}

export function useSaveBot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: saveBot,
    onSuccess: (bot) => {
      qc.setQueryData(['user', 'bot'], bot);
      void qc.invalidateQueries({ queryKey: ['user'] });
    },
  });
}
