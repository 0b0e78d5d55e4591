// /api/deliveries/: inbound events, their detail with outcomes and attempts, re-routing
// and bulk replay of dead letters.

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { env } from "@/config/env";
import { api } from "@/lib/api-client";
import type { BulkReplayResult, Delivery, DeliverySummary, ListParams, Paginated, Queued, WouldQueue } from "@/types/api";

export const DELIVERIES_PAGE_SIZE = 25;

/** The list filters; the deliveries page keeps them in the URL's query string. */
export interface DeliveryFilters {
  source?: string;
  /** Events with an outcome to this destination (with outcome_status: one outcome matching both). */
  destination?: string;
  status?: string;
  outcome_status?: string;
  event_type?: string;
  received_after?: string;
  received_before?: string;
  search?: string;
}

export interface DeliveryListParams extends DeliveryFilters {
  page?: number;
}

export const deliveryKeys = {
  all: ["deliveries"] as const,
  list: (params: DeliveryListParams) => [...deliveryKeys.all, "list", params] as const,
  detail: (id: number) => [...deliveryKeys.all, "detail", id] as const,
};

const toQuery = (params: DeliveryListParams): ListParams => ({
  ordering: "-received_at",
  page_size: DELIVERIES_PAGE_SIZE,
  ...params,
});

export const getDeliveries = (params: DeliveryListParams, signal?: AbortSignal) =>
  api.get<Paginated<DeliverySummary>>("/api/deliveries/", toQuery(params), signal);
export const getDelivery = (id: number, signal?: AbortSignal) =>
  api.get<Delivery>(`/api/deliveries/${id}/`, undefined, signal);
export const rerouteDelivery = (id: number) => api.post<Queued>(`/api/deliveries/${id}/reroute/`);

export interface BulkReplayInput {
  filters: DeliveryFilters;
  dryRun: boolean;
  /** Also re-send outcomes already delivered (the API never does unless asked). */
  includeDelivered?: boolean;
}

/** The API refuses a bulk replay without a filter; the list's outcome status does not count (replay picks its own). */
export function hasReplayFilter(filters: DeliveryFilters): boolean {
  return Object.entries(filters).some(([key, value]) => key !== "outcome_status" && Boolean(value));
}

export const bulkReplay = ({ filters, dryRun, includeDelivered = false }: BulkReplayInput) => {
  const { outcome_status: _listStatus, ...eventFilters } = filters;
  return api.post<BulkReplayResult>("/api/deliveries/bulk_replay/", {
    ...eventFilters,
    // Dead letters only, unless delivered outcomes are asked for too.
    ...(includeDelivered ? { include_delivered: true } : { outcome_status: "dead_lettered" }),
    dry_run: dryRun,
  });
};

/** How many a (dry) run queues, whichever of the two answers it is. */
export function queuedCount(result: BulkReplayResult): number {
  return isDryRunResult(result) ? result.would_queue : result.queued;
}

export const deliveriesQueryOptions = (params: DeliveryListParams) =>
  queryOptions({
    queryKey: deliveryKeys.list(params),
    queryFn: ({ signal }) => getDeliveries(params, signal),
    placeholderData: keepPreviousData,
    refetchInterval: env.liveRefreshMs,
  });

const UNSETTLED = new Set(["pending", "delivering", "retrying"]);

export const deliveryQueryOptions = (id: number) =>
  queryOptions({
    queryKey: deliveryKeys.detail(id),
    queryFn: ({ signal }) => getDelivery(id, signal),
    // Keep watching while the event is not routed yet or a destination is still being tried.
    refetchInterval: (query) => {
      const delivery = query.state.data;
      if (!delivery) return false;
      const waiting = delivery.status === "received" || delivery.outcomes.some((o) => UNSETTLED.has(o.status));
      return waiting ? env.liveRefreshMs : false;
    },
  });

export const useDeliveries = (params: DeliveryListParams) => useQuery(deliveriesQueryOptions(params));
export const useDelivery = (id: number) => useQuery(deliveryQueryOptions(id));

export function useRerouteDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: rerouteDelivery,
    onSuccess: () => client.invalidateQueries({ queryKey: deliveryKeys.all }),
  });
}

export function useBulkReplay() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: bulkReplay,
    onSuccess: (_result, { dryRun }) => {
      if (!dryRun) {
        void client.invalidateQueries({ queryKey: deliveryKeys.all });
      }
    },
  });
}

export function isDryRunResult(result: Queued | WouldQueue): result is WouldQueue {
  return "would_queue" in result;
}
