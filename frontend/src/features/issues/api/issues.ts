// /api/issues/: failures grouped by destination and error kind, their affected outcomes,
// and the operator's actions (acknowledge, resolve, replay the dead letters).

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type { Issue, IssueDetail, IssueOutcome, IssueReplay, ListParams, Paginated } from "@/types/api";

export const issueKeys = {
  all: ["issues"] as const,
  list: (params: ListParams) => [...issueKeys.all, "list", params] as const,
  detail: (id: number) => [...issueKeys.all, "detail", id] as const,
  outcomes: (id: number, params: ListParams) => [...issueKeys.all, "outcomes", id, params] as const,
};

/** The list's filters as the API names them. */
export interface IssueFilters {
  status?: string;
  kind?: string;
  destination?: string;
}

export const ISSUE_STATUSES = ["open", "acknowledged", "resolved"] as const;
export const ISSUE_KINDS: Record<string, string> = {
  http_4xx: "HTTP 4xx",
  http_5xx: "HTTP 5xx",
  timeout: "Timeout",
  connection: "Connection failed",
  ssrf_refused: "Refused by the SSRF guard",
  transform_error: "Transformation failed",
  other: "Other",
};

export const getIssues = (params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<Issue>>("/api/issues/", params, signal);
export const getIssue = (id: number, signal?: AbortSignal) =>
  api.get<IssueDetail>(`/api/issues/${id}/`, undefined, signal);
export const getIssueOutcomes = (id: number, params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<IssueOutcome>>(`/api/issues/${id}/outcomes/`, params, signal);
export const acknowledgeIssue = (id: number) => api.post<Issue>(`/api/issues/${id}/acknowledge/`);
export const resolveIssue = (id: number) => api.post<Issue>(`/api/issues/${id}/resolve/`);
export const replayIssue = (id: number) => api.post<IssueReplay>(`/api/issues/${id}/replay/`);

export const issuesQueryOptions = (params: ListParams = {}) =>
  queryOptions({
    queryKey: issueKeys.list(params),
    queryFn: ({ signal }) => getIssues(params, signal),
    placeholderData: keepPreviousData,
  });

export const issueQueryOptions = (id: number) =>
  queryOptions({ queryKey: issueKeys.detail(id), queryFn: ({ signal }) => getIssue(id, signal) });

export const issueOutcomesQueryOptions = (id: number, params: ListParams = {}) =>
  queryOptions({
    queryKey: issueKeys.outcomes(id, params),
    queryFn: ({ signal }) => getIssueOutcomes(id, params, signal),
    placeholderData: keepPreviousData,
  });

export const useIssues = (params: ListParams = {}) => useQuery(issuesQueryOptions(params));
export const useIssue = (id: number) => useQuery(issueQueryOptions(id));
export const useIssueOutcomes = (id: number, params: ListParams = {}) => useQuery(issueOutcomesQueryOptions(id, params));

/** How many issues are open, for the navigation's badge (looked at again every 30 s). */
export function useOpenIssueCount(enabled = true): number | undefined {
  const query = useQuery({
    ...issuesQueryOptions({ status: "open", page_size: 1 }),
    refetchInterval: 30_000,
    enabled,
  });
  return query.data?.count;
}

function useIssueAction<T>(action: (id: number) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: action,
    // Replay changes outcomes too: the event pages read them under their own keys.
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: issueKeys.all }),
        client.invalidateQueries({ queryKey: ["deliveries"] }),
        client.invalidateQueries({ queryKey: ["outcomes"] }),
      ]);
    },
  });
}

export const useAcknowledgeIssue = () => useIssueAction(acknowledgeIssue);
export const useResolveIssue = () => useIssueAction(resolveIssue);
export const useReplayIssue = () => useIssueAction(replayIssue);
