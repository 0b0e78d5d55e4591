import { Outlet, useNavigate } from "react-router";

import { icons } from "@/components/layout/icons";
import { Shell, type NavItem } from "@/components/layout/shell";
import { Button } from "@/components/ui/button";
import { paths } from "@/config/paths";
import { useLogout, useMe } from "@/features/auth/api/auth";
import { RequireAuth } from "@/features/auth/components/require-auth";

const NAV: NavItem[] = [
  { to: paths.overview, label: "Overview", icon: icons.overview, end: true },
  { to: paths.deliveries, label: "Deliveries", icon: icons.deliveries },
  { to: paths.sources, label: "Sources", icon: icons.sources },
  { to: paths.routes, label: "Routes", icon: icons.routes },
  { to: paths.destinations, label: "Destinations", icon: icons.destinations },
  { to: paths.auditLog, label: "Audit log", icon: icons.audit },
];

function UserMenu() {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <div className="flex items-center justify-between gap-2">
      <div className="min-w-0">
        <p className="text-xs text-gray-500">Signed in as</p>
        <p className="truncate text-sm font-medium text-gray-900">{me.data?.username}</p>
      </div>
      <Button
        size="sm"
        variant="ghost"
        loading={logout.isPending}
        onClick={() => logout.mutate(undefined, { onSettled: () => void navigate(paths.login, { replace: true }) })}
      >
        Sign out
      </Button>
    </div>
  );
}

export function AppRoot() {
  return (
    <RequireAuth>
      <Shell items={NAV} footer={<UserMenu />}>
        <Outlet />
      </Shell>
    </RequireAuth>
  );
}
