// A list page's filters: labelled fields in a grid inside a FilterPanel, and a button
// that clears them. The pages (deliveries, issues, notifications) give the fields; the
// box, the labels and the clear button are the same everywhere.

import { useId, type ReactNode } from "react";

import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { FilterPanel } from "@/components/ui/filter-panel";

/** One field: `children` renders the control with the id its label points at. */
export function FilterField({ label, children }: { label: string; children: (id: string) => ReactNode }) {
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

export interface FilterChoice {
  value: string;
  label: string;
}

interface FilterSelectProps {
  label: string;
  value: string | undefined;
  onChange: (value: string) => void;
  /** The first option, meaning no filter ("Any status", "All sources"). */
  anyLabel: string;
  choices: readonly FilterChoice[];
}

export function FilterSelect({ label, value, onChange, anyLabel, choices }: FilterSelectProps) {
  return (
    <FilterField label={label}>
      {(id) => (
        <select id={id} className={controlClass} value={value ?? ""} onChange={(e) => onChange(e.target.value)}>
          <option value="">{anyLabel}</option>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </FilterField>
  );
}

/** Choices of records by id ("3" -> "Slack dev"), for a source, destination or channel filter. */
export function recordChoices(records: readonly { id: number; name: string }[] | undefined): FilterChoice[] {
  return (records ?? []).map((record) => ({ value: String(record.id), label: record.name }));
}

interface FilterBarProps {
  /** The search landmark's name, e.g. "Filter issues". */
  label: string;
  activeCount: number;
  onClear: () => void;
  /**
   * "inline": the clear button takes the grid's next cell, shown only while a filter is
   * set (few fields). "footer": it stays below the grid, disabled while none is, beside
   * `actions`.
   */
  clear?: "inline" | "footer";
  actions?: ReactNode;
  /** Fold behind a "Filters" button on phones (FilterPanel); off for a bar of few fields. */
  foldOnPhones?: boolean;
  children: ReactNode;
}

export function FilterBar({
  label,
  activeCount,
  onClear,
  clear = "inline",
  actions,
  foldOnPhones = true,
  children,
}: FilterBarProps) {
  const inline = clear === "inline";
  return (
    <FilterPanel label={label} activeCount={activeCount} fold={foldOnPhones}>
      <div className={inline ? "grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:grid-cols-4" : "grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4"}>
        {children}
        {inline && (
          <div>
            {activeCount > 0 && (
              <Button size="sm" variant="ghost" onClick={onClear}>
                Clear filters ({activeCount})
              </Button>
            )}
          </div>
        )}
      </div>
      {!inline && (
        <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
          <Button size="sm" variant="ghost" onClick={onClear} disabled={activeCount === 0}>
            Clear filters{activeCount > 0 ? ` (${activeCount})` : ""}
          </Button>
          {actions}
        </div>
      )}
    </FilterPanel>
  );
}
