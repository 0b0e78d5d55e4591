import { statusLabel } from "@/components/ui/badge";
import { FilterBar, FilterSelect, recordChoices } from "@/components/ui/filter-bar";
import type { NotificationType } from "@/types/api";

import { NOTIFICATION_STATUSES, type NotificationFilters } from "../api/notifications";

interface NotificationsFiltersProps {
  filters: NotificationFilters;
  onChange: (changes: Partial<NotificationFilters>) => void;
  onClear: () => void;
  types: NotificationType[] | undefined;
  channels: readonly { id: number; name: string }[] | undefined;
}

const STATUS_CHOICES = NOTIFICATION_STATUSES.map((status) => ({ value: status, label: statusLabel(status) }));

export function NotificationsFilters({ filters, onChange, onClear, types, channels }: NotificationsFiltersProps) {
  const active = Object.values(filters).filter(Boolean).length;
  // `test` is no subscribable type, but test sends are listed.
  const typeChoices = [...(types ?? []).map((type) => type.name), "test"].map((name) => ({ value: name, label: name }));
  return (
    <FilterBar label="Filter notifications" activeCount={active} onClear={onClear}>
      <FilterSelect label="Type" value={filters.type} onChange={(type) => onChange({ type })} anyLabel="Any type" choices={typeChoices} />
      <FilterSelect
        label="Status"
        value={filters.status}
        onChange={(status) => onChange({ status })}
        anyLabel="Any status"
        choices={STATUS_CHOICES}
      />
      <FilterSelect
        label="Channel"
        value={filters.channel}
        onChange={(channel) => onChange({ channel })}
        anyLabel="All channels"
        choices={recordChoices(channels)}
      />
    </FilterBar>
  );
}
