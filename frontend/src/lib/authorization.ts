// What the signed-in user may do, from /api/auth/me/. The dashboard offers only the
// actions the API would accept; the API still checks every request (this is courtesy,
// not the lock).

import type { Capability, User } from "@/types/api";

import { useMe } from "./auth";

/** True when the user's role grants the capability. A missing list grants nothing. */
export function can(user: User | null | undefined, capability: Capability): boolean {
  return user?.capabilities?.includes(capability) ?? false;
}

/** A signed-in account that no administrator has given a role yet. */
export function hasNoRole(user: User | null | undefined): boolean {
  return user !== null && user !== undefined && user.role === null;
}

/** Whether the current user may do this; false while the session is still loading. */
export function useCan(capability: Capability): boolean {
  const me = useMe();
  return can(me.data, capability);
}
