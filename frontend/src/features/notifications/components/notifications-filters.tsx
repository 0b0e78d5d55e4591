import { useId, type ReactNode } from "react";

import { statusLabel } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { controlClass } from "@/components/ui/field";
import { FilterPanel } from "@/components/ui/filter-panel";
import type { NotificationType } from "@/types/api";

import { NOTIFICATION_STATUSES, type NotificationFilters } from "../api/notifications";

interface NotificationsFiltersProps {
  filters: NotificationFilters;
  onChange: (changes: Partial<NotificationFilters>) => void;
  onClear: () => void;
  types: NotificationType[] | undefined;
  channels: readonly { id: number; name: string }[] | undefined;
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

export function NotificationsFilters({ filters, onChange, onClear, types, channels }: NotificationsFiltersProps) {
  const active = Object.values(filters).filter(Boolean).length;
  return (
    <FilterPanel label="Filter notifications" activeCount={active}>
      <div className="grid grid-cols-1 items-end gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Labelled label="Type">
          {(id) => (
            <select id={id} className={controlClass} value={filters.type ?? ""} onChange={(e) => onChange({ type: e.target.value })}>
              <option value="">Any type</option>
              {/* `test` is no subscribable type, but test sends are listed. */}
              {[...(types ?? []).map((type) => type.name), "test"].map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <Labelled label="Status">
          {(id) => (
            <select id={id} className={controlClass} value={filters.status ?? ""} onChange={(e) => onChange({ status: e.target.value })}>
              <option value="">Any status</option>
              {NOTIFICATION_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {statusLabel(status)}
                </option>
              ))}
            </select>
          )}
        </Labelled>
        <Labelled label="Channel">
          {(id) => (
            <select id={id} className={controlClass} value={filters.channel ?? ""} onChange={(e) => onChange({ channel: e.target.value })}>
              <option value="">All channels</option>
              {channels?.map((channel) => (
                <option key={channel.id} value={String(channel.id)}>
                  {channel.name}
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
    </FilterPanel>
  );
}
