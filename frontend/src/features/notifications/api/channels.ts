// /api/notification-channels/: where operators are told (e-mail, Slack, a signed webhook).
// A webhook channel's secret appears twice only: in the create answer and in a rotation's.

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type {
  ListParams,
  Notification,
  NotificationChannel,
  NotificationChannelInput,
  Paginated,
  RotatedChannelSecret,
} from "@/types/api";

import { notificationKeys } from "./notifications";

export const channelKeys = {
  all: ["notification-channels"] as const,
  list: (params: ListParams) => [...channelKeys.all, "list", params] as const,
};

export const getChannels = (params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<NotificationChannel>>("/api/notification-channels/", params, signal);
export const createChannel = (input: NotificationChannelInput) =>
  api.post<NotificationChannel>("/api/notification-channels/", input);
export const updateChannel = ({ id, input }: { id: number; input: Partial<NotificationChannelInput> }) =>
  api.patch<NotificationChannel>(`/api/notification-channels/${id}/`, input);
export const deleteChannel = (id: number) => api.delete(`/api/notification-channels/${id}/`);
export const rotateChannelSecret = (id: number) =>
  api.post<RotatedChannelSecret>(`/api/notification-channels/${id}/rotate_secret/`);
export const testChannel = (id: number) => api.post<Notification>(`/api/notification-channels/${id}/test/`);

export const channelsQueryOptions = (params: ListParams = {}) =>
  queryOptions({
    queryKey: channelKeys.list(params),
    queryFn: ({ signal }) => getChannels(params, signal),
    placeholderData: keepPreviousData,
  });

/** Every channel, for the notifications filter. */
export const allChannelsQueryOptions = () => channelsQueryOptions({ page_size: 500 });

export const useChannels = (params: ListParams = {}) => useQuery(channelsQueryOptions(params));
export const useAllChannels = () => useQuery(allChannelsQueryOptions());

function useInvalidateChannels() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: channelKeys.all });
}

export function useCreateChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({ mutationFn: createChannel, onSuccess: invalidate });
}

export function useUpdateChannel() {
  const invalidate = useInvalidateChannels();
  return useMutation({ mutationFn: updateChannel, onSuccess: invalidate });
}

/** Deleting fails the channel's unsent notifications, so their list is refreshed too. */
export function useDeleteChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteChannel,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: channelKeys.all }),
        client.invalidateQueries({ queryKey: notificationKeys.all }),
      ]),
  });
}

export function useRotateChannelSecret() {
  const invalidate = useInvalidateChannels();
  return useMutation({ mutationFn: rotateChannelSecret, onSuccess: invalidate });
}

/** A test records a notification and changes the channel's health: both lists refresh. */
export function useTestChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: testChannel,
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: channelKeys.all }),
        client.invalidateQueries({ queryKey: notificationKeys.all }),
      ]),
  });
}
