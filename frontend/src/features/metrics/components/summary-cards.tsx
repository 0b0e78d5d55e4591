import { ErrorState } from "@/components/ui/states";
import { cn } from "@/lib/cn";
import { formatNumber, formatPercent } from "@/lib/format";
import type { MetricsSummary } from "@/types/api";

import { useMetricsSummary } from "../api/metrics";

interface Figure {
  label: string;
  value: (summary: MetricsSummary) => string;
  hint: string;
  alert?: (summary: MetricsSummary) => boolean;
  /** Whether the summary carries this figure at all (default: always). */
  present?: (summary: MetricsSummary) => boolean;
}

const FIGURES: Figure[] = [
  { label: "Events received", value: (s) => formatNumber(s.events_received_24h), hint: "last 24 h" },
  { label: "Delivered", value: (s) => formatNumber(s.delivered_24h), hint: "last 24 h" },
  {
    label: "Failed attempts",
    value: (s) => formatNumber(s.failed_attempts_24h),
    hint: "last 24 h",
    alert: (s) => s.failed_attempts_24h > 0,
  },
  {
    label: "Dead letters",
    value: (s) => formatNumber(s.dead_letters),
    // The chart "Dead letters waiting for replay" counts the same outcomes.
    hint: "now, any age: waiting for replay",
    alert: (s) => s.dead_letters > 0,
  },
  { label: "Duplicates", value: (s) => formatNumber(s.duplicates_24h), hint: "last 24 h" },
  {
    label: "Signature failures",
    value: (s) => formatNumber(s.sig_failed_24h),
    hint: "last 24 h",
    alert: (s) => s.sig_failed_24h > 0,
  },
  {
    label: "Filtered by routes",
    value: (s) => formatNumber(s.filtered_24h),
    hint: "last 24 h: routes exist, none took them",
    present: (s) => s.filtered_24h !== undefined,
  },
  {
    label: "No route",
    value: (s) => formatNumber(s.no_route_24h),
    hint: "last 24 h: the source has no active route",
    present: (s) => s.no_route_24h !== undefined,
  },
  {
    label: "Held",
    value: (s) => formatNumber(s.held),
    hint: "paused or disabled",
    // A server without pausing sends no `held`: the card is left out rather than shown empty.
    present: (s) => s.held !== undefined,
  },
  { label: "Queue depth", value: (s) => formatNumber(s.queue_depth), hint: "tasks waiting now" },
  {
    label: "Success rate",
    value: (s) => formatPercent(s.success_rate_24h),
    hint: "last 24 h",
    alert: (s) => s.success_rate_24h !== null && s.success_rate_24h < 0.95,
  },
];

export function SummaryCards() {
  const summary = useMetricsSummary();

  if (summary.isError && !summary.data) {
    return <ErrorState error={summary.error} onRetry={() => void summary.refetch()} title="Could not load the live figures" />;
  }

  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" aria-busy={summary.isPending}>
      {FIGURES.filter((figure) => !figure.present || (summary.data !== undefined && figure.present(summary.data))).map((figure) => {
        const alert = summary.data && figure.alert?.(summary.data);
        return (
          <div key={figure.label} className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm">
            <dt className="text-xs font-medium text-gray-600">{figure.label}</dt>
            <dd className={cn("mt-1 text-2xl font-semibold tabular-nums", alert ? "text-red-700" : "text-gray-900")}>
              {summary.data ? figure.value(summary.data) : <span className="text-gray-300">…</span>}
            </dd>
            <dd className="text-xs text-gray-500">{figure.hint}</dd>
          </div>
        );
      })}
    </dl>
  );
}
