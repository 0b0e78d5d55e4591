import { type ReactNode } from "react";
import { Navigate, useLocation } from "react-router";

import { ErrorState, LoadingState } from "@/components/ui/states";
import { paths } from "@/config/paths";
import { useMe } from "@/lib/auth";

/** Renders its children for a signed-in user; sends everyone else to the login page. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();

  if (me.isPending) {
    return (
      <div className="flex min-h-dvh items-center justify-center">
        <LoadingState label="Checking your session…" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="mx-auto max-w-md p-8">
        <ErrorState error={me.error} onRetry={() => void me.refetch()} title="Could not reach RelayCore" />
      </div>
    );
  }
  if (me.data === null) {
    const next = location.pathname + location.search;
    return <Navigate to={`${paths.login}?next=${encodeURIComponent(next)}`} replace />;
  }
  return children;
}
