// The one QueryClient and its policies: which failures are retried, and what a 401
// anywhere does (the session is gone: forget cached data and go to the login page).

import { MutationCache, QueryCache, QueryClient, type DefaultOptions, type UseQueryResult } from "@tanstack/react-query";

import { isApiError } from "./api-client";

declare module "@tanstack/react-query" {
  interface Register {
    queryMeta: { skipAuthRedirect?: boolean };
    mutationMeta: { skipAuthRedirect?: boolean };
  }
}

export const MAX_RETRIES = 2;

/** The signed-in user's query; lives here so the 401 handler can clear it. */
export const SESSION_QUERY_KEY = ["auth", "me"] as const;

/** Client errors (401, 403, 404, any 4xx) will fail the same way again; others get two more tries. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status >= 400 && error.status < 500) {
    return false;
  }
  return failureCount < MAX_RETRIES;
}

type UnauthorizedHandler = () => void;

function goToLogin(): void {
  if (globalThis.location.pathname !== "/login") {
    const next = globalThis.location.pathname + globalThis.location.search;
    globalThis.location.assign(`/login?next=${encodeURIComponent(next)}`);
  }
}

let onUnauthorized: UnauthorizedHandler = goToLogin;

/** The router registers a client-side redirect here; the default is a full page load. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

function isUnauthorized(error: unknown): boolean {
  return isApiError(error) && error.status === 401;
}

export const queryConfig = {
  queries: {
    retry: shouldRetry,
    staleTime: 15_000,
    refetchOnWindowFocus: false,
  },
  mutations: {
    retry: false,
  },
} satisfies DefaultOptions;

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: queryConfig,
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isUnauthorized(error) && !query.meta?.skipAuthRedirect) {
          handleUnauthorized(client);
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (isUnauthorized(error) && !mutation.meta?.skipAuthRedirect) {
          handleUnauthorized(client);
        }
      },
    }),
  });
  return client;
}

function handleUnauthorized(client: QueryClient): void {
  // Cached pages belong to the session that just ended.
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] });
  client.setQueryData(SESSION_QUERY_KEY, null);
  onUnauthorized();
}

export const queryClient = createQueryClient();

/**
 * What a component needs of a query it is handed by the page that composes it (a
 * pick-list read by another feature): the data and whether it is still loading or failed.
 */
export type Lookup<T> = Pick<UseQueryResult<T>, "data" | "isPending" | "isError" | "error">;
