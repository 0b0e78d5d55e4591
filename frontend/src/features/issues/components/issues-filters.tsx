import { useId, type ReactNode } from "react";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { humanize } from "@/lib/format";

import { ISSUE_KINDS, ISSUE_STATUSES, type IssueFilters } from "../api/issues";

interface IssuesFiltersProps {
  filters: IssueFilters;
  onChange: (changes: Partial<IssueFilters>) => void;
  onClear: () => void;
  destinations: readonly { id: number; name: string }[] | undefined;
}

function Labelled({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="min-w-0 space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-gray-600">
        {label}
      </label>
      {children(id)}
    </div>
  );
}

export function IssuesFilters({ filters, onChange, onClear, destinations }: IssuesFiltersProps) {
  const active = Object.values(filters).filter(Boolean).length;
  return (
    <div role="search" aria-label="Filter issues" className="mb-4 rounded-lg border border-gray-200 bg-white p-4 shadow-sm">
      <div className="grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Labelled label="Status">
          {(id) => (
            <select id={id} className={controlClass} value={filters.status ?? ""} onChange={(e) => onChange({ status: e.target.value })}>
              <option value="">Any status</option>
              {ISSUE_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {humanize(status)}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <Labelled label="Kind">
          {(id) => (
            <select id={id} className={controlClass} value={filters.kind ?? ""} onChange={(e) => onChange({ kind: e.target.value })}>
              <option value="">Any kind</option>
              {Object.entries(ISSUE_KINDS).map(([kind, label]) => (
                <option key={kind} value={kind}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <Labelled label="Destination">
          {(id) => (
            <select
              id={id}
              className={controlClass}
              value={filters.destination ?? ""}
              onChange={(e) => onChange({ destination: e.target.value })}
            >
              <option value="">All destinations</option>
              {destinations?.map((destination) => (
                <option key={destination.id} value={String(destination.id)}>
                  {destination.name}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <div>
          {active > 0 && (
            <Button size="sm" variant="ghost" onClick={onClear}>
              Clear filters ({active})
            </Button>
          )}
        </div>
      </div>
    </div>
  );
}
