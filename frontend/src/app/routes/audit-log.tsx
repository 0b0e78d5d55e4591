import { useMemo } from "react";
import { useSearchParams } from "react-router";

import { Button } from "@/components/ui/button";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { controlClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { AUDIT_PAGE_SIZE, useAuditLog, type AuditFilters } from "@/features/audit-log/api/audit-log";
import { AuditTable } from "@/features/audit-log/components/audit-table";
import { filterableTypes, OBJECT_TYPE_LABELS } from "@/features/audit-log/object-types";
import { useCan } from "@/lib/authorization";

export function AuditLogRoute() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo<AuditFilters>(() => {
    const read = (key: string) => params.get(key) ?? undefined;
    return {
      object_type: read("object_type"),
      object_id: read("object_id"),
      actor: read("actor"),
      page: Math.max(1, Number(params.get("page")) || 1),
    };
  }, [params]);
  const log = useAuditLog(filters);
  const managesTokens = useCan("tokens");
  const recorded = managesTokens
    ? "source, destination, route, transformation, notification channel or API token"
    : "source, destination, route, transformation or notification channel";

  const set = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== "page") next.delete("page");
        return next;
      },
      { replace: key !== "page" },
    );

  const filtered = Boolean(filters.object_type ?? filters.object_id ?? filters.actor);

  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Who changed which ${recorded}, when, and what changed.`}
      />
      <div role="search" aria-label="Filter the audit log" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="audit-object-type" className="block text-xs font-medium text-gray-600">
            Object type
          </label>
          <select
            id="audit-object-type"
            className={controlClass}
            value={filters.object_type ?? ""}
            onChange={(e) => set("object_type", e.target.value)}
          >
            <option value="">All types</option>
            {filterableTypes(managesTokens).map((type) => (
              <option key={type} value={type}>
                {OBJECT_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </div>
        <div className="w-28 space-y-1">
          <label htmlFor="audit-object-id" className="block text-xs font-medium text-gray-600">
            Object id
          </label>
          <DebouncedInput
            id="audit-object-id"
            inputMode="numeric"
            className="font-mono"
            value={filters.object_id ?? ""}
            onCommit={(value) => set("object_id", value)}
          />
        </div>
        <div className="w-48 space-y-1">
          <label htmlFor="audit-actor" className="block text-xs font-medium text-gray-600">
            User
          </label>
          <DebouncedInput id="audit-actor" placeholder="username" value={filters.actor ?? ""} onCommit={(value) => set("actor", value)} />
        </div>
        <Button size="sm" variant="ghost" disabled={!filtered} onClick={() => setParams(new URLSearchParams(), { replace: true })}>
          Clear filters
        </Button>
      </div>
      {log.isPending ? (
        <LoadingState label="Loading the audit log…" />
      ) : log.isError ? (
        <ErrorState error={log.error} onRetry={() => void log.refetch()} title="Could not load the audit log" />
      ) : log.data.results.length === 0 ? (
        <EmptyState title={filtered ? "No change matches these filters" : "No changes recorded yet"}>
          Every change to a {recorded} is recorded here.
        </EmptyState>
      ) : (
        <>
          <AuditTable entries={log.data.results} />
          <Pagination
            page={filters.page ?? 1}
            pageSize={AUDIT_PAGE_SIZE}
            count={log.data.count}
            onPage={(page) => set("page", page > 1 ? String(page) : "")}
            noun="changes"
          />
        </>
      )}
    </>
  );
}
