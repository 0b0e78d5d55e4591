import { Navigate, useNavigate, useSearchParams } from "react-router";

import { LoadingState } from "@/components/ui/states";
import { paths } from "@/config/paths";
import { LoginForm } from "@/features/auth/components/login-form";
import { useMe } from "@/lib/auth";

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : paths.overview;
}

export function LoginRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const next = safeNext(params.get("next"));

  if (me.data) {
    return <Navigate to={next} replace />;
  }

  return (
    <main className="flex min-h-dvh items-center justify-center bg-gray-50 px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <span className="flex size-10 items-center justify-center rounded-lg bg-indigo-600 font-mono text-lg font-bold text-white" aria-hidden="true">
            R
          </span>
          <h1 className="text-xl font-semibold tracking-tight text-gray-900">Sign in to RelayCore</h1>
        </div>
        <div className="rounded-xl border border-gray-200 bg-white p-6 shadow-sm">
          {me.isPending ? <LoadingState label="Checking your session…" /> : <LoginForm onSuccess={() => void navigate(next, { replace: true })} />}
        </div>
      </div>
    </main>
  );
}
