import { FilterBar, FilterSelect, recordChoices } from "@/components/ui/filter-bar";
import { humanize } from "@/lib/format";

import { ISSUE_KINDS, ISSUE_STATUSES, type IssueFilters } from "../api/issues";

interface IssuesFiltersProps {
  filters: IssueFilters;
  onChange: (changes: Partial<IssueFilters>) => void;
  onClear: () => void;
  destinations: readonly { id: number; name: string }[] | undefined;
}

const STATUS_CHOICES = ISSUE_STATUSES.map((status) => ({ value: status, label: humanize(status) }));
const KIND_CHOICES = Object.entries(ISSUE_KINDS).map(([kind, label]) => ({ value: kind, label }));

export function IssuesFilters({ filters, onChange, onClear, destinations }: IssuesFiltersProps) {
  const active = Object.values(filters).filter(Boolean).length;
  // Three fields: open on phones too, the list still starts on the first screen.
  return (
    <FilterBar label="Filter issues" activeCount={active} onClear={onClear} foldOnPhones={false}>
      <FilterSelect
        label="Status"
        value={filters.status}
        onChange={(status) => onChange({ status })}
        anyLabel="Any status"
        choices={STATUS_CHOICES}
      />
      <FilterSelect label="Kind" value={filters.kind} onChange={(kind) => onChange({ kind })} anyLabel="Any kind" choices={KIND_CHOICES} />
      <FilterSelect
        label="Destination"
        value={filters.destination}
        onChange={(destination) => onChange({ destination })}
        anyLabel="All destinations"
        choices={recordChoices(destinations)}
      />
    </FilterBar>
  );
}
