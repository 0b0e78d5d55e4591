// /api/transformers/: the registry of payload transformers a route can use.

import { queryOptions, useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type { Results, Transformer } from "@/types/api";

export const transformerKeys = { all: ["transformers"] as const };

export const getTransformers = (signal?: AbortSignal) =>
  api.get<Results<Transformer>>("/api/transformers/", undefined, signal);

export const transformersQueryOptions = () =>
  queryOptions({
    queryKey: transformerKeys.all,
    queryFn: async ({ signal }) => (await getTransformers(signal)).results,
    staleTime: Infinity,
  });

export const useTransformers = () => useQuery(transformersQueryOptions());
