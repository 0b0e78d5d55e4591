// /api/transformations/: fetchers, query options and hooks for JavaScript
// transformations, and the endpoint that runs code (saved or not) against an event.

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type {
  ListParams,
  Paginated,
  Transformation,
  TransformationInput,
  TransformationRunInput,
  TransformationRunResult,
} from "@/types/api";

export const transformationKeys = {
  all: ["transformations"] as const,
  list: (params: ListParams) => [...transformationKeys.all, "list", params] as const,
  detail: (id: number) => [...transformationKeys.all, "detail", id] as const,
};

export const getTransformations = (params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<Transformation>>("/api/transformations/", params, signal);
export const getTransformation = (id: number, signal?: AbortSignal) =>
  api.get<Transformation>(`/api/transformations/${id}/`, undefined, signal);
export const createTransformation = (input: TransformationInput) => api.post<Transformation>("/api/transformations/", input);
export const updateTransformation = ({ id, input }: { id: number; input: Partial<TransformationInput> }) =>
  api.patch<Transformation>(`/api/transformations/${id}/`, input);
export const deleteTransformation = (id: number) => api.delete(`/api/transformations/${id}/`);
/** Runs code that need not be saved: the editor's Run button. */
export const runTransformationCode = (input: TransformationRunInput) =>
  api.post<TransformationRunResult>("/api/transformations/run/", input);

export const transformationsQueryOptions = (params: ListParams = {}) =>
  queryOptions({
    queryKey: transformationKeys.list(params),
    queryFn: ({ signal }) => getTransformations(params, signal),
    placeholderData: keepPreviousData,
  });

/** Every transformation, for the route form's picker (the API caps a page at 500). */
export const allTransformationsQueryOptions = () => transformationsQueryOptions({ page_size: 500 });

export const transformationQueryOptions = (id: number) =>
  queryOptions({ queryKey: transformationKeys.detail(id), queryFn: ({ signal }) => getTransformation(id, signal) });

export const useTransformations = (params: ListParams = {}) => useQuery(transformationsQueryOptions(params));
export const useAllTransformations = () => useQuery(allTransformationsQueryOptions());
export const useTransformation = (id: number) => useQuery(transformationQueryOptions(id));

function useInvalidateTransformations() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: transformationKeys.all });
}

export function useCreateTransformation() {
  const invalidate = useInvalidateTransformations();
  return useMutation({ mutationFn: createTransformation, onSuccess: invalidate });
}

export function useUpdateTransformation() {
  const invalidate = useInvalidateTransformations();
  return useMutation({ mutationFn: updateTransformation, onSuccess: invalidate });
}

export function useDeleteTransformation() {
  const invalidate = useInvalidateTransformations();
  return useMutation({ mutationFn: deleteTransformation, onSuccess: invalidate });
}

export const useRunTransformationCode = () => useMutation({ mutationFn: runTransformationCode });
