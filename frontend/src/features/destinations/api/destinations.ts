// /api/destinations/: fetchers, query options and hooks for outbound destinations.

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { env } from "@/config/env";
import { api } from "@/lib/api-client";
import { pauseItem, resumeItem, useInvalidateAfterPause } from "@/lib/pause";
import type {
  Destination,
  DestinationInput,
  DestinationStats,
  DestinationStatsWindow,
  DestinationTestResult,
  JsonObject,
  ListParams,
  Paginated,
  Resumed,
  RotatedSigningSecret,
} from "@/types/api";

export const destinationKeys = {
  all: ["destinations"] as const,
  list: (params: ListParams) => [...destinationKeys.all, "list", params] as const,
  detail: (id: number) => [...destinationKeys.all, "detail", id] as const,
  stats: (id: number, window: DestinationStatsWindow) => [...destinationKeys.all, "stats", id, window] as const,
};

/** The windows of a destination's figures, as the API names them. */
export const STATS_WINDOWS: Record<DestinationStatsWindow, string> = { "1h": "1 h", "24h": "24 h", "7d": "7 d" };

export const getDestinations = (params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<Destination>>("/api/destinations/", params, signal);
export const getDestination = (id: number, signal?: AbortSignal) =>
  api.get<Destination>(`/api/destinations/${id}/`, undefined, signal);
export const getDestinationStats = (id: number, window: DestinationStatsWindow, signal?: AbortSignal) =>
  api.get<DestinationStats>(`/api/destinations/${id}/stats/`, { window }, signal);
export const createDestination = (input: DestinationInput) => api.post<Destination>("/api/destinations/", input);
export const updateDestination = ({ id, input }: { id: number; input: Partial<DestinationInput> }) =>
  api.patch<Destination>(`/api/destinations/${id}/`, input);
export const deleteDestination = (id: number) => api.delete(`/api/destinations/${id}/`);
export const rotateSigningSecret = ({ id, overlapHours }: { id: number; overlapHours: number }) =>
  api.post<RotatedSigningSecret>(`/api/destinations/${id}/rotate_signing_secret/`, { overlap_hours: overlapHours });
export const testDestination = ({ id, payload }: { id: number; payload?: JsonObject }) =>
  api.post<DestinationTestResult>(`/api/destinations/${id}/test/`, payload === undefined ? {} : { payload });

export const pauseDestination = (id: number) => pauseItem<Destination>("destinations", id);
export const resumeDestination = (id: number) => resumeItem<Destination>("destinations", id);
/** Re-enables a disabled destination (auto-disable or by hand) and releases its held outcomes. */
export const enableDestination = (id: number) => api.post<Resumed<Destination>>(`/api/destinations/${id}/enable/`);

export const destinationsQueryOptions = (params: ListParams = {}) =>
  queryOptions({
    queryKey: destinationKeys.list(params),
    queryFn: ({ signal }) => getDestinations(params, signal),
    placeholderData: keepPreviousData,
  });

export const allDestinationsQueryOptions = () => destinationsQueryOptions({ page_size: 500 });

export const destinationQueryOptions = (id: number) =>
  queryOptions({ queryKey: destinationKeys.detail(id), queryFn: ({ signal }) => getDestination(id, signal) });

export const destinationStatsQueryOptions = (id: number, window: DestinationStatsWindow) =>
  queryOptions({
    queryKey: destinationKeys.stats(id, window),
    queryFn: ({ signal }) => getDestinationStats(id, window, signal),
    placeholderData: keepPreviousData,
    refetchInterval: env.liveRefreshMs,
  });

export const useDestination = (id: number) => useQuery(destinationQueryOptions(id));
export const useDestinationStats = (id: number, window: DestinationStatsWindow) =>
  useQuery(destinationStatsQueryOptions(id, window));
export const useDestinations = (params: ListParams = {}) => useQuery(destinationsQueryOptions(params));
export const useAllDestinations = () => useQuery(allDestinationsQueryOptions());

function useInvalidateDestinations() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: destinationKeys.all });
}

export function useCreateDestination() {
  const invalidate = useInvalidateDestinations();
  return useMutation({ mutationFn: createDestination, onSuccess: invalidate });
}

export function useUpdateDestination() {
  const invalidate = useInvalidateDestinations();
  return useMutation({ mutationFn: updateDestination, onSuccess: invalidate });
}

export function useDeleteDestination() {
  const invalidate = useInvalidateDestinations();
  return useMutation({ mutationFn: deleteDestination, onSuccess: invalidate });
}

export function useRotateSigningSecret() {
  const invalidate = useInvalidateDestinations();
  return useMutation({ mutationFn: rotateSigningSecret, onSuccess: invalidate });
}

/** A test send changes the destination's health, so the list is refreshed after it. */
export function useTestDestination() {
  const invalidate = useInvalidateDestinations();
  return useMutation({ mutationFn: testDestination, onSettled: invalidate });
}

export function usePauseDestination() {
  const invalidate = useInvalidateAfterPause();
  return useMutation({ mutationFn: pauseDestination, onSuccess: invalidate });
}

export function useResumeDestination() {
  const invalidate = useInvalidateAfterPause();
  return useMutation({ mutationFn: resumeDestination, onSuccess: invalidate });
}

export function useEnableDestination() {
  const invalidate = useInvalidateAfterPause();
  return useMutation({ mutationFn: enableDestination, onSuccess: invalidate });
}
