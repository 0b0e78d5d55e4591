// /api/outcomes/: one destination's outcome for one event; replaying it re-sends it.

import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type { ListParams, Outcome, Paginated, Queued } from "@/types/api";

import { deliveryKeys } from "./deliveries";

export const outcomeKeys = {
  all: ["outcomes"] as const,
  list: (params: ListParams) => [...outcomeKeys.all, "list", params] as const,
};

export const getOutcomes = (params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<Outcome>>("/api/outcomes/", params, signal);
export const replayOutcome = (id: number) => api.post<Queued>(`/api/outcomes/${id}/replay/`);

export const outcomesQueryOptions = (params: ListParams = {}) =>
  queryOptions({ queryKey: outcomeKeys.list(params), queryFn: ({ signal }) => getOutcomes(params, signal) });

export const useOutcomes = (params: ListParams = {}) => useQuery(outcomesQueryOptions(params));

export function useReplayOutcome() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: replayOutcome,
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: outcomeKeys.all }),
        client.invalidateQueries({ queryKey: deliveryKeys.all }),
      ]);
    },
  });
}
