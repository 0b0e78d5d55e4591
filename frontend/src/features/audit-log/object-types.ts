// The kinds of object the audit log records, named as the rest of the dashboard names
// them. API tokens are listed to admins only (the API leaves them out for other roles),
// so the filter offers them to admins only.

import type { AuditObjectType } from "@/types/api";

export const OBJECT_TYPE_LABELS: Record<AuditObjectType, string> = {
  source: "Source",
  destination: "Destination",
  route: "Route",
  transformation: "Transformation",
  channel: "Notification channel",
  apitoken: "API token",
};

const ADMIN_ONLY: readonly AuditObjectType[] = ["apitoken"];

/** The types the filter offers, in the order of the navigation. */
export function filterableTypes(managesTokens: boolean): AuditObjectType[] {
  const all = Object.keys(OBJECT_TYPE_LABELS) as AuditObjectType[];
  return managesTokens ? all : all.filter((type) => !ADMIN_ONLY.includes(type));
}

/** A type's label; a type this build does not know yet shows as the API spells it. */
export function objectTypeLabel(type: string): string {
  return Object.hasOwn(OBJECT_TYPE_LABELS, type) ? OBJECT_TYPE_LABELS[type as AuditObjectType] : type;
}
