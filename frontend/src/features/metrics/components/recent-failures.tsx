import { Link } from "react-router";

import { StatusBadge } from "@/components/ui/badge";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { paths } from "@/config/paths";

import { useMetricsSummary } from "../api/metrics";

export function RecentFailures() {
  const summary = useMetricsSummary();

  if (summary.isPending) {
    return <LoadingState />;
  }
  if (summary.isError && !summary.data) {
    return <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />;
  }
  const failures = summary.data?.recent_failures ?? [];
  if (failures.length === 0) {
    // "Went through" only when something was sent: an idle gateway says so instead.
    const attempted = (summary.data?.delivered_24h ?? 0) + (summary.data?.failed_attempts_24h ?? 0) > 0;
    return attempted ? (
      <EmptyState title="No recent failures">Every delivery of the last 24 hours went through.</EmptyState>
    ) : (
      <EmptyState title="No deliveries yet">Nothing was sent to a destination in the last 24 hours.</EmptyState>
    );
  }
  return (
    <ul className="divide-y divide-gray-100">
      {failures.map((failure) => (
        <li key={failure.outcome_id} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2.5">
          <StatusBadge status={failure.status} />
          <div className="min-w-0 flex-1">
            <Link
              to={paths.delivery(failure.event_id)}
              className="text-sm font-medium text-indigo-700 hover:underline"
            >
              Event #{failure.event_id} → {failure.destination_name}
            </Link>
            {failure.last_error && <p className="truncate text-xs text-gray-600" title={failure.last_error}>{failure.last_error}</p>}
          </div>
          <span className="text-xs text-gray-500">
            <RelativeTime iso={failure.updated_at} />
          </span>
        </li>
      ))}
    </ul>
  );
}
