// /api/audit-log/: who changed which source, destination or route, and how.

import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";

import { api } from "@/lib/api-client";
import type { AuditEntry, Paginated } from "@/types/api";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  object_type?: string;
  object_id?: string;
  actor?: string;
  page?: number;
}

export const auditKeys = {
  all: ["audit-log"] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, "list", filters] as const,
};

export const getAuditLog = (filters: AuditFilters, signal?: AbortSignal) =>
  api.get<Paginated<AuditEntry>>("/api/audit-log/", { page_size: AUDIT_PAGE_SIZE, ...filters }, signal);

export const auditLogQueryOptions = (filters: AuditFilters) =>
  queryOptions({
    queryKey: auditKeys.list(filters),
    queryFn: ({ signal }) => getAuditLog(filters, signal),
    placeholderData: keepPreviousData,
  });

export const useAuditLog = (filters: AuditFilters) => useQuery(auditLogQueryOptions(filters));
