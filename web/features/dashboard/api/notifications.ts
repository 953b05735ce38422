import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type NotificationList, notificationListSchema } from '../../../../src/shared/api/customer';
import { apiFetch } from '../../../lib/api-client';

export async function getNotifications(): Promise<NotificationList> {
  return notificationListSchema.parse(await apiFetch('/api/user/notifications'));
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
