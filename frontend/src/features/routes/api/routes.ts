// /api/routes/: fetchers, query options and hooks for routes, their operators and the
// "test this route" endpoint.

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import { pauseItem, resumeItem, useInvalidateAfterPause } from "@/lib/pause";
import type { ListParams, Paginated, Route, RouteInput, RouteTestInput, RouteTestResult, RouteValidation } from "@/types/api";

export const routeKeys = {
  all: ["routes"] as const,
  list: (params: ListParams) => [...routeKeys.all, "list", params] as const,
  detail: (id: number) => [...routeKeys.all, "detail", id] as const,
  operators: () => ["route-operators"] as const,
  // Not under `all`: saving a route must not re-run every check of a draft.
  validation: (id: number | undefined, draft: string) => ["route-validation", id ?? "new", draft] as const,
};

/** What the contract promises when the operators endpoint cannot be read. */
export const FALLBACK_OPERATORS = [
  "equals",
  "not_equals",
  "in",
  "not_in",
  "exists",
  "contains",
  "regex",
  "starts_with",
  "ends_with",
  "gt",
  "gte",
  "lt",
  "lte",
];

export const getRoutes = (params: ListParams = {}, signal?: AbortSignal) =>
  api.get<Paginated<Route>>("/api/routes/", { ordering: "priority", ...params }, signal);
export const getRoute = (id: number, signal?: AbortSignal) => api.get<Route>(`/api/routes/${id}/`, undefined, signal);
export const createRoute = (input: RouteInput) => api.post<Route>("/api/routes/", input);
export const updateRoute = ({ id, input }: { id: number; input: Partial<RouteInput> }) =>
  api.patch<Route>(`/api/routes/${id}/`, input);
export const deleteRoute = (id: number) => api.delete(`/api/routes/${id}/`);
export const testRoute = ({ id, input }: { id: number; input: RouteTestInput }) =>
  api.post<RouteTestResult>(`/api/routes/${id}/test/`, input);
/** The server's checks of a route as it would be saved (`id`: as a change of that route); nothing is stored. */
export const validateRoute = (input: RouteInput, id?: number) =>
  api.post<RouteValidation>(`/api/routes/validate/${id === undefined ? "" : `?route=${id}`}`, input);
export const pauseRoute = (id: number) => pauseItem<Route>("routes", id);
export const resumeRoute = (id: number) => resumeItem<Route>("routes", id);
export const getOperators = (signal?: AbortSignal) =>
  api.get<{ operators: string[] }>("/api/routes/operators/", undefined, signal);

export const routesQueryOptions = (params: ListParams = {}) =>
  queryOptions({
    queryKey: routeKeys.list(params),
    queryFn: ({ signal }) => getRoutes(params, signal),
    placeholderData: keepPreviousData,
  });

export const routeQueryOptions = (id: number) =>
  queryOptions({ queryKey: routeKeys.detail(id), queryFn: ({ signal }) => getRoute(id, signal) });

export const operatorsQueryOptions = () =>
  queryOptions({
    queryKey: routeKeys.operators(),
    queryFn: async ({ signal }) => (await getOperators(signal)).operators,
    staleTime: Infinity,
  });

/** Checks a draft (as JSON, so that equal drafts share one request) while the form is edited. */
export const routeValidationQueryOptions = (draft: string, id: number | undefined, enabled: boolean) =>
  queryOptions({
    queryKey: routeKeys.validation(id, draft),
    queryFn: () => validateRoute(JSON.parse(draft) as RouteInput, id),
    enabled,
    staleTime: Infinity,
    retry: false,
    // While the next draft is checked, the last answer stays: no flicker between keystrokes.
    placeholderData: keepPreviousData,
  });

export const useRouteValidation = (draft: string, id: number | undefined, enabled: boolean) =>
  useQuery(routeValidationQueryOptions(draft, id, enabled));

export const useRoutes = (params: ListParams = {}) => useQuery(routesQueryOptions(params));
export const useOperators = () => useQuery(operatorsQueryOptions());

function useInvalidateRoutes() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: routeKeys.all });
}

export function useCreateRoute() {
  const invalidate = useInvalidateRoutes();
  return useMutation({ mutationFn: createRoute, onSuccess: invalidate });
}

export function useUpdateRoute() {
  const invalidate = useInvalidateRoutes();
  return useMutation({ mutationFn: updateRoute, onSuccess: invalidate });
}

export function useDeleteRoute() {
  const invalidate = useInvalidateRoutes();
  return useMutation({ mutationFn: deleteRoute, onSuccess: invalidate });
}

export const useTestRoute = () => useMutation({ mutationFn: testRoute });

export function usePauseRoute() {
  const invalidate = useInvalidateAfterPause();
  return useMutation({ mutationFn: pauseRoute, onSuccess: invalidate });
}

export function useResumeRoute() {
  const invalidate = useInvalidateAfterPause();
  return useMutation({ mutationFn: resumeRoute, onSuccess: invalidate });
}
