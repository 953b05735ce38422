import { useMutation, useQueryClient } from '@tanstack/react-query';
import { botViewSchema } from '../../../../src/shared/api/customer';
import type { PutBotBody } from '../../../../src/shared/bot-config-schema';
import { apiFetch } from '../../../lib/api-client';
import type { Bot } from './get-bot';

export type SaveBotInput = Required<PutBotBody>;

export async function saveBot(input: SaveBotInput): Promise<Bot> {
  return botViewSchema.parse(await apiFetch('/api/user/bot', { method: 'PUT', body: input }));
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
