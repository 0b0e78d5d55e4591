// /api/tokens/ (admins only): API tokens. The server keeps only a hash and a visible
// prefix, so the full token appears once, in the create answer.

import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type { ApiToken, ApiTokenInput, CreatedApiToken, Paginated } from "@/types/api";

export const tokenKeys = {
  all: ["tokens"] as const,
  list: () => [...tokenKeys.all, "list"] as const,
};

/** The list may come paginated or as a bare array; both read as rows. */
function rowsOf(answer: ApiToken[] | Paginated<ApiToken>): ApiToken[] {
  return Array.isArray(answer) ? answer : answer.results;
}

export const getTokens = async (signal?: AbortSignal) =>
  rowsOf(await api.get<ApiToken[] | Paginated<ApiToken>>("/api/tokens/", undefined, signal));
export const createToken = (input: ApiTokenInput) => api.post<CreatedApiToken>("/api/tokens/", input);
export const revokeToken = (id: number) => api.post<ApiToken>(`/api/tokens/${id}/revoke/`);

export const tokensQueryOptions = () =>
  queryOptions({ queryKey: tokenKeys.list(), queryFn: ({ signal }) => getTokens(signal) });

export const useTokens = () => useQuery(tokensQueryOptions());

function useInvalidateTokens() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: tokenKeys.all });
}

export function useCreateToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({ mutationFn: createToken, onSuccess: invalidate });
}

export function useRevokeToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({ mutationFn: revokeToken, onSuccess: invalidate });
}
