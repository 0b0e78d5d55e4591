// /api/schemes/: the registry of signature verification schemes a source can use.

import { queryOptions, useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type { Results, Scheme } from "@/types/api";

export const schemeKeys = { all: ["schemes"] as const };

export const getSchemes = (signal?: AbortSignal) => api.get<Results<Scheme>>("/api/schemes/", undefined, signal);

export const schemesQueryOptions = () =>
  queryOptions({
    queryKey: schemeKeys.all,
    queryFn: async ({ signal }) => (await getSchemes(signal)).results,
    staleTime: Infinity,
  });

export const useSchemes = () => useQuery(schemesQueryOptions());
