// /api/sources/: fetchers, query options and hooks for inbound sources.

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import { pauseItem, resumeItem, useInvalidateAfterPause } from "@/lib/pause";
import type { ListParams, Paginated, RotatedSecret, RotateSecretInput, Source, SourceInput } from "@/types/api";

export const sourceKeys = {
  all: ["sources"] as const,
  list: (params: ListParams) => [...sourceKeys.all, "list", params] as const,
  detail: (id: number) => [...sourceKeys.all, "detail", id] as const,
};

export const getSources = (params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<Source>>("/api/sources/", { ordering: "name", ...params }, signal);
export const getSource = (id: number, signal?: AbortSignal) => api.get<Source>(`/api/sources/${id}/`, undefined, signal);
export const createSource = (input: SourceInput) => api.post<Source>("/api/sources/", input);
export const updateSource = ({ id, input }: { id: number; input: Partial<SourceInput> }) =>
  api.patch<Source>(`/api/sources/${id}/`, input);
export const deleteSource = (id: number) => api.delete(`/api/sources/${id}/`);
export const rotateSourceSecret = ({ id, input }: { id: number; input: RotateSecretInput }) =>
  api.post<RotatedSecret>(`/api/sources/${id}/rotate_secret/`, input);

export const pauseSource = (id: number) => pauseItem<Source>("sources", id);
export const resumeSource = (id: number) => resumeItem<Source>("sources", id);

export const sourcesQueryOptions = (params: ListParams = {}) =>
  queryOptions({
    queryKey: sourceKeys.list(params),
    queryFn: ({ signal }) => getSources(params, signal),
    placeholderData: keepPreviousData,
  });

/** Every source, for pickers and filters (the API caps a page at 500). */
export const allSourcesQueryOptions = () => sourcesQueryOptions({ page_size: 500 });

export const sourceQueryOptions = (id: number) =>
  queryOptions({ queryKey: sourceKeys.detail(id), queryFn: ({ signal }) => getSource(id, signal) });

export const useSources = (params: ListParams = {}) => useQuery(sourcesQueryOptions(params));
export const useAllSources = () => useQuery(allSourcesQueryOptions());
export const useSource = (id: number) => useQuery(sourceQueryOptions(id));

function useInvalidateSources() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: sourceKeys.all });
}

export function useCreateSource() {
  const invalidate = useInvalidateSources();
  return useMutation({ mutationFn: createSource, onSuccess: invalidate });
}

export function useUpdateSource() {
  const invalidate = useInvalidateSources();
  return useMutation({ mutationFn: updateSource, onSuccess: invalidate });
}

export function useDeleteSource() {
  const invalidate = useInvalidateSources();
  return useMutation({ mutationFn: deleteSource, onSuccess: invalidate });
}

export function useRotateSourceSecret() {
  const invalidate = useInvalidateSources();
  return useMutation({ mutationFn: rotateSourceSecret, onSuccess: invalidate });
}

export function usePauseSource() {
  const invalidate = useInvalidateAfterPause();
  return useMutation({ mutationFn: pauseSource, onSuccess: invalidate });
}

export function useResumeSource() {
  const invalidate = useInvalidateAfterPause();
  return useMutation({ mutationFn: resumeSource, onSuccess: invalidate });
}
