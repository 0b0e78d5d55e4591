// /api/notifications/ (read-only, newest first): one row per channel per notice, with its
// send status; /api/notification-types/: the types a channel may subscribe to.

import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type { ListParams, Notification, NotificationType, Paginated, Results } from "@/types/api";

export const notificationKeys = {
  all: ["notifications"] as const,
  list: (params: ListParams) => [...notificationKeys.all, "list", params] as const,
  detail: (id: number) => [...notificationKeys.all, "detail", id] as const,
  types: ["notification-types"] as const,
};

/** The list's filters as the API names them. */
export interface NotificationFilters {
  type?: string;
  status?: string;
  channel?: string;
  subject?: string;
}

export const NOTIFICATION_STATUSES = ["pending", "sending", "sent", "retrying", "failed"] as const;

export const getNotifications = (params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<Notification>>("/api/notifications/", params, signal);
export const getNotification = (id: number, signal?: AbortSignal) =>
  api.get<Notification>(`/api/notifications/${id}/`, undefined, signal);
export const getNotificationTypes = (signal?: AbortSignal) =>
  api.get<Results<NotificationType>>("/api/notification-types/", undefined, signal);

export const notificationsQueryOptions = (params: ListParams = {}) =>
  queryOptions({
    queryKey: notificationKeys.list(params),
    queryFn: ({ signal }) => getNotifications(params, signal),
    placeholderData: keepPreviousData,
  });

export const notificationQueryOptions = (id: number) =>
  queryOptions({ queryKey: notificationKeys.detail(id), queryFn: ({ signal }) => getNotification(id, signal) });

export const notificationTypesQueryOptions = () =>
  queryOptions({
    queryKey: notificationKeys.types,
    queryFn: async ({ signal }) => (await getNotificationTypes(signal)).results,
    staleTime: Infinity,
  });

export const useNotifications = (params: ListParams = {}) => useQuery(notificationsQueryOptions(params));
export const useNotification = (id: number | null) =>
  useQuery({ ...notificationQueryOptions(id ?? 0), enabled: id !== null });
export const useNotificationTypes = () => useQuery(notificationTypesQueryOptions());
