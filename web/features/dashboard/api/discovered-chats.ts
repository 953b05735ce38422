import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { botViewSchema, type DiscoveredChatList, discoveredChatListSchema } from '../../../../src/shared/api/customer';
import { apiFetch } from '../../../lib/api-client';
import type { Bot } from './get-bot';

/** Chats the customer's bots were added to that are not listed yet. */
export async function getDiscoveredChats(): Promise<DiscoveredChatList> {
  return discoveredChatListSchema.parse(await apiFetch('/api/user/discovered-chats'));
}

export function useDiscoveredChats() {
  return useQuery({ queryKey: ['user', 'discovered-chats'], queryFn: getDiscoveredChats, refetchInterval: 60_000 });
}

/** Appends the chat to the list through the usual save (PUT /api/user/bot, chats only). */
export async function addDiscoveredChat({ bot, ref }: { bot: Bot; ref: string }): Promise<Bot> {
  const chats = [...bot.chats.map((c) => c.ref), ref];
  return botViewSchema.parse(await apiFetch('/api/user/bot', { method: 'PUT', body: { chats } }));
}

export function useAddDiscoveredChat() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: addDiscoveredChat,
    onSuccess: (bot) => {
      qc.setQueryData(['user', 'bot'], bot);
      void qc.invalidateQueries({ queryKey: ['user'] });
    },
  });
}
