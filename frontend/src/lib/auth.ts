// /api/auth/: the session. `me` answers null (not an error) when nobody is signed in.

import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, isApiError } from "@/lib/api-client";
import { SESSION_QUERY_KEY } from "@/lib/react-query";
import type { User } from "@/types/api";

export interface Credentials {
  username: string;
  password: string;
}

export async function getMe(signal?: AbortSignal): Promise<User | null> {
  try {
    return await api.get<User>("/api/auth/me/", undefined, signal);
  } catch (error) {
    if (isApiError(error) && (error.status === 401 || error.status === 403)) {
      return null;
    }
    throw error;
  }
}

export const login = (credentials: Credentials) => api.post<User>("/api/auth/login/", credentials);
export const logout = () => api.post<void>("/api/auth/logout/");

export const meQueryOptions = () =>
  queryOptions({
    queryKey: SESSION_QUERY_KEY,
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 5 * 60_000,
  });

export const useMe = () => useQuery(meQueryOptions());

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: login,
    // A wrong password is a 401 too: it belongs on the form, not in a redirect.
    meta: { skipAuthRedirect: true },
    onSuccess: (user) => {
      client.setQueryData(meQueryOptions().queryKey, user);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: logout,
    meta: { skipAuthRedirect: true },
    onSettled: () => {
      client.clear();
      client.setQueryData(meQueryOptions().queryKey, null);
    },
  });
}
