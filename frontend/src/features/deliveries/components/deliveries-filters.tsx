import type { ReactNode } from "react";

import { statusLabel } from "@/components/ui/badge";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { controlClass } from "@/components/ui/field";
import { FilterBar, FilterField, FilterSelect, recordChoices } from "@/components/ui/filter-bar";

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

const STATUS_CHOICES = DELIVERY_STATUSES.map((status) => ({ value: status, label: statusLabel(status, "event") }));
const OUTCOME_CHOICES = OUTCOME_STATUSES.map((status) => ({ value: status, label: statusLabel(status) }));

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
    <FilterBar label="Filter deliveries" activeCount={activeCount} onClear={onClear} clear="footer" actions={actions}>
      <FilterField label="Search">
        {(id) => (
          <DebouncedInput
            id={id}
            type="search"
            placeholder="Text in the body"
            value={filters.search ?? ""}
            onCommit={(value) => onChange({ search: value })}
          />
        )}
      </FilterField>
      <FilterSelect
        label="Source"
        value={filters.source}
        onChange={(source) => onChange({ source })}
        anyLabel="All sources"
        choices={recordChoices(sources)}
      />
      {destinations && (
        <FilterSelect
          label="Destination"
          value={filters.destination}
          onChange={(destination) => onChange({ destination })}
          anyLabel="All destinations"
          choices={recordChoices(destinations)}
        />
      )}
      <FilterSelect
        label="Status"
        value={filters.status}
        onChange={(status) => onChange({ status })}
        anyLabel="Any status"
        choices={STATUS_CHOICES}
      />
      <FilterSelect
        label="Outcome status"
        value={filters.outcome_status}
        onChange={(outcome_status) => onChange({ outcome_status })}
        anyLabel="Any outcome"
        choices={OUTCOME_CHOICES}
      />
      <FilterField label="Event type">
        {(id) => (
          <DebouncedInput
            id={id}
            className="font-mono"
            placeholder="push"
            value={filters.event_type ?? ""}
            onCommit={(value) => onChange({ event_type: value })}
          />
        )}
      </FilterField>
      <FilterField label="Time range">
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
      </FilterField>
      {rangeValue === "custom" && (
        <>
          <FilterField label="Received after">
            {(id) => (
              <input
                id={id}
                type="datetime-local"
                className={controlClass}
                value={isoToLocalInput(filters.received_after)}
                onChange={(e) => onChange({ received_after: localInputToIso(e.target.value) })}
              />
            )}
          </FilterField>
          <FilterField label="Received before">
            {(id) => (
              <input
                id={id}
                type="datetime-local"
                className={controlClass}
                value={isoToLocalInput(filters.received_before)}
                onChange={(e) => onChange({ received_before: localInputToIso(e.target.value) })}
              />
            )}
          </FilterField>
        </>
      )}
    </FilterBar>
  );
}
