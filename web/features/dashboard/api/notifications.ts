import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiFetch } from '../../../lib/api-client';

const notificationsSchema = z.object({
  notifications: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      body: z.string().nullish(),
      readAt: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  unread: z.number(),
});
export type Notifications = z.infer<typeof notificationsSchema>;

export async function getNotifications(): Promise<Notifications> {
  return notificationsSchema.parse(await apiFetch('/api/user/notifications'));
}

export function useNotifications() {
  return useQuery({ queryKey: ['user', 'notifications'], queryFn: getNotifications, refetchInterval: 60_000 });
}

export async function markNotificationsRead(): Promise<void> {
  await apiFetch('/api/user/notifications/read', { method: 'POST', body: {} });
}

export function useMarkNotificationsRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: markNotificationsRead,
    onSuccess: () => qc.invalidateQueries({ queryKey: ['user'] }),
  });
}
