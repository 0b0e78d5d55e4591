import { useId, type ReactNode } from "react";

import { statusLabel } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { controlClass } from "@/components/ui/field";
import { FilterPanel } from "@/components/ui/filter-panel";

import {
  DELIVERY_STATUSES,
  OUTCOME_STATUSES,
  RANGES,
  isoToLocalInput,
  localInputToIso,
  type RangeKey,
  type UrlFilterKey,
  type UrlFilters,
} from "../filters";

interface DeliveriesFiltersProps {
  filters: UrlFilters;
  onChange: (changes: Partial<Record<UrlFilterKey, string>>) => void;
  onClear: () => void;
  activeCount: number;
  /** The source filter's choices; the page reads them (sources are another feature). */
  sources: readonly { id: number; name: string }[] | undefined;
  /** The destination filter's choices; no destination filter without them (a destination's own page). */
  destinations?: readonly { id: number; name: string }[];
  actions?: ReactNode;
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

export function DeliveriesFilters({
  filters,
  onChange,
  onClear,
  activeCount,
  sources,
  destinations,
  actions,
}: DeliveriesFiltersProps) {
  const rangeValue = filters.range ?? (filters.received_after || filters.received_before ? "custom" : "");

  return (
    <FilterPanel label="Filter deliveries" activeCount={activeCount}>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Labelled label="Search">
          {(id) => (
            <DebouncedInput
              id={id}
              type="search"
              placeholder="Text in the body"
              value={filters.search ?? ""}
              onCommit={(value) => onChange({ search: value })}
            />
          )}
        </Labelled>
        <Labelled label="Source">
          {(id) => (
            <select id={id} className={controlClass} value={filters.source ?? ""} onChange={(e) => onChange({ source: e.target.value })}>
              <option value="">All sources</option>
              {sources?.map((source) => (
                <option key={source.id} value={String(source.id)}>
                  {source.name}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        {destinations && (
          <Labelled label="Destination">
            {(id) => (
              <select
                id={id}
                className={controlClass}
                value={filters.destination ?? ""}
                onChange={(e) => onChange({ destination: e.target.value })}
              >
                <option value="">All destinations</option>
                {destinations.map((destination) => (
                  <option key={destination.id} value={String(destination.id)}>
                    {destination.name}
                  </option>
                ))}
              </select>
            )}
          </Labelled>
        )}
        <Labelled label="Status">
          {(id) => (
            <select id={id} className={controlClass} value={filters.status ?? ""} onChange={(e) => onChange({ status: e.target.value })}>
              <option value="">Any status</option>
              {DELIVERY_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {statusLabel(status, "event")}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <Labelled label="Outcome status">
          {(id) => (
            <select
              id={id}
              className={controlClass}
              value={filters.outcome_status ?? ""}
              onChange={(e) => onChange({ outcome_status: e.target.value })}
            >
              <option value="">Any outcome</option>
              {OUTCOME_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {statusLabel(status)}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <Labelled label="Event type">
          {(id) => (
            <DebouncedInput
              id={id}
              className="font-mono"
              placeholder="push"
              value={filters.event_type ?? ""}
              onCommit={(value) => onChange({ event_type: value })}
            />
          )}
        </Labelled>
        <Labelled label="Time range">
          {(id) => (
            <select
              id={id}
              className={controlClass}
              value={rangeValue}
              onChange={(e) => {
                const value = e.target.value;
                if (value === "custom") {
                  onChange({ range: "", received_after: filters.received_after ?? new Date(Date.now() - 86_400_000).toISOString() });
                } else {
                  onChange({ range: value, received_after: "", received_before: "" });
                }
              }}
            >
              <option value="">Any time</option>
              {(Object.keys(RANGES) as RangeKey[]).map((key) => (
                <option key={key} value={key}>
                  {RANGES[key].label}
                </option>
              ))}
              <option value="custom">Custom…</option>
            </select>
          )}
        </Labelled>
        {rangeValue === "custom" && (
          <>
            <Labelled label="Received after">
              {(id) => (
                <input
                  id={id}
                  type="datetime-local"
                  className={controlClass}
                  value={isoToLocalInput(filters.received_after)}
                  onChange={(e) => onChange({ received_after: localInputToIso(e.target.value) })}
                />
              )}
            </Labelled>
            <Labelled label="Received before">
              {(id) => (
                <input
                  id={id}
                  type="datetime-local"
                  className={controlClass}
                  value={isoToLocalInput(filters.received_before)}
                  onChange={(e) => onChange({ received_before: localInputToIso(e.target.value) })}
                />
              )}
            </Labelled>
          </>
        )}
      </div>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
        <Button size="sm" variant="ghost" onClick={onClear} disabled={activeCount === 0}>
          Clear filters{activeCount > 0 ? ` (${activeCount})` : ""}
        </Button>
        {actions}
      </div>
    </FilterPanel>
  );
}
