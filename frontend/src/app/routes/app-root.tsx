import { Outlet, useNavigate } from "react-router";

import { icons } from "@/components/layout/icons";
import { Shell, type NavItem } from "@/components/layout/shell";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/states";
import { paths } from "@/config/paths";
import { RequireAuth } from "@/features/auth/components/require-auth";
import { useOpenIssueCount } from "@/features/issues/api/issues";
import { useLogout, useMe } from "@/lib/auth";
import { can, hasNoRole } from "@/lib/authorization";
import type { User } from "@/types/api";

const NAV: NavItem[] = [
  { to: paths.overview, label: "Overview", icon: icons.overview, end: true },
  { to: paths.deliveries, label: "Deliveries", icon: icons.deliveries },
  { to: paths.issues, label: "Issues", icon: icons.issues },
  { to: paths.sources, label: "Sources", icon: icons.sources },
  { to: paths.routes, label: "Routes", icon: icons.routes },
  { to: paths.transformations, label: "Transformations", icon: icons.transformations },
  { to: paths.destinations, label: "Destinations", icon: icons.destinations },
  { to: paths.notifications, label: "Notifications", icon: icons.notifications, end: true },
  { to: paths.notificationChannels, label: "Channels", icon: icons.channels },
  { to: paths.auditLog, label: "Audit log", icon: icons.audit },
];

const TOKENS_NAV: NavItem = { to: paths.tokens, label: "API tokens", icon: icons.tokens };

/** The pages this user may open: tokens only for those who manage them. */
export function navFor(user: User | null | undefined): NavItem[] {
  return can(user, "tokens") ? [...NAV, TOKENS_NAV] : NAV;
}

function SignOutButton() {
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Button
      size="sm"
      variant="ghost"
      loading={logout.isPending}
      onClick={() => logout.mutate(undefined, { onSettled: () => void navigate(paths.login, { replace: true }) })}
    >
      Sign out
    </Button>
  );
}

function UserMenu() {
  const me = useMe();
  return (
    <div className="flex items-center justify-between gap-2">
      <div className="min-w-0">
        <p className="text-xs text-gray-500">Signed in as</p>
        <p className="truncate text-sm font-medium text-gray-900">{me.data?.username}</p>
        {me.data?.role && (
          <Badge tone="accent" className="mt-0.5 capitalize">
            <span className="sr-only">role: </span>
            {me.data.role}
          </Badge>
        )}
      </div>
      <SignOutButton />
    </div>
  );
}

/** Shown instead of a dashboard of refusals to an account that has no role. */
function NoRolePage({ username }: { username: string }) {
  return (
    <main className="mx-auto max-w-lg px-4 py-16">
      <EmptyState title="Your account has no role yet; ask an administrator" action={<SignOutButton />}>
        You are signed in as <span className="font-medium">{username}</span>, but RelayCore only shows its data to
        viewers, operators and admins. An administrator can give you a role; then reload this page.
      </EmptyState>
    </main>
  );
}

/** The open issues' count beside "Issues" in the navigation (nothing while there are none). */
function withOpenIssues(items: NavItem[], open: number | undefined): NavItem[] {
  if (!open) return items;
  const badge = (
    <span className="ml-auto rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white tabular-nums">
      <span aria-hidden="true">{open}</span>
      <span className="sr-only">: {open} open</span>
    </span>
  );
  return items.map((item) => (item.to === paths.issues ? { ...item, badge } : item));
}

function SignedInApp() {
  const me = useMe();
  const openIssues = useOpenIssueCount(!hasNoRole(me.data));
  if (hasNoRole(me.data)) {
    return <NoRolePage username={me.data?.username ?? ""} />;
  }
  return (
    <Shell items={withOpenIssues(navFor(me.data), openIssues)} footer={<UserMenu />}>
      <Outlet />
    </Shell>
  );
}

export function AppRoot() {
  return (
    <RequireAuth>
      <SignedInApp />
    </RequireAuth>
  );
}
