// A destination's figures over a window (GET /api/destinations/<id>/stats/): cards for
// its health, held outcomes, dead letters, success rate and latency, the window switch,
// and its newest failed attempts.

import { type ReactNode } from "react";
import { Link } from "react-router";

import { HttpStatusBadge } from "@/components/ui/badge";
import { SegmentedControl } from "@/components/ui/segmented-control";
import { EmptyState } from "@/components/ui/states";
import { RelativeTime } from "@/components/ui/time";
import { paths } from "@/config/paths";
import { cn } from "@/lib/cn";
import { formatDuration, formatNumber, formatPercent } from "@/lib/format";
import type { DestinationError, DestinationStats, DestinationStatsWindow } from "@/types/api";

import { STATS_WINDOWS } from "../api/destinations";
import { HealthBadge, neverTried } from "./health";

const WINDOW_OPTIONS = (Object.keys(STATS_WINDOWS) as DestinationStatsWindow[]).map(
  (key) => [key, `Last ${STATS_WINDOWS[key]}`] as const,
);

export function StatsWindowPicker({
  value,
  onChange,
}: {
  value: DestinationStatsWindow;
  onChange: (window: DestinationStatsWindow) => void;
}) {
  return (
    <SegmentedControl legend="Window of the figures" name="stats-window" options={WINDOW_OPTIONS} value={value} onChange={onChange} />
  );
}

function Card({ label, hint, alert, children }: { label: string; hint: string; alert?: boolean; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm">
      <dt className="text-xs font-medium text-gray-600">{label}</dt>
      <dd className={cn("mt-1 text-2xl font-semibold tabular-nums", alert ? "text-red-700" : "text-gray-900")}>{children}</dd>
      <dd className="text-xs text-gray-500">{hint}</dd>
    </div>
  );
}

export function StatsCards({ stats }: { stats: DestinationStats }) {
  const span = `last ${STATS_WINDOWS[stats.window]}`;
  // The week's percentiles come from hourly roll-ups: estimates within 5 % (docs/api.md).
  const latencySpan = stats.window === "7d" ? `${span}, estimated within 5 %` : span;
  const noAttempts = stats.attempts === 0;
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-3 2xl:grid-cols-6" aria-label="Destination figures">
      <div className="rounded-lg border border-gray-200 bg-white p-4 shadow-sm">
        <dt className="text-xs font-medium text-gray-600">Health</dt>
        <dd className="mt-2">
          <HealthBadge health={stats.health} />
        </dd>
        <dd className="mt-1 text-xs text-gray-500">
          {neverTried(stats.health) ? (
            "nothing sent yet"
          ) : (
            <>
              last success <RelativeTime iso={stats.health.last_success_at} fallback="never" />
            </>
          )}
        </dd>
      </div>
      <Card label="Held" hint="paused or disabled, now">
        {formatNumber(stats.held)}
      </Card>
      <Card label="Dead letters" hint="waiting for replay, now" alert={stats.dead_letters > 0}>
        {formatNumber(stats.dead_letters)}
      </Card>
      <Card
        label="Success rate"
        hint={noAttempts ? `no attempt in the ${span}` : `${formatNumber(stats.delivered)} of ${formatNumber(stats.attempts)} attempts, ${span}`}
        alert={stats.success_rate !== null && stats.success_rate < 0.95}
      >
        {formatPercent(stats.success_rate)}
      </Card>
      <Card label="Latency p50" hint={latencySpan}>
        {formatDuration(stats.p50_ms)}
      </Card>
      <Card label="Latency p95" hint={latencySpan}>
        {formatDuration(stats.p95_ms)}
      </Card>
    </dl>
  );
}

export function RecentErrors({ errors }: { errors: DestinationError[] }) {
  if (errors.length === 0) {
    return <EmptyState title="No failed attempt in this window" />;
  }
  return (
    <ul className="divide-y divide-gray-100" aria-label="Recent errors">
      {errors.map((error) => (
        <li key={`${error.outcome}-${error.at}`} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2.5">
          <HttpStatusBadge code={error.status_code} />
          <div className="min-w-0 flex-1">
            <Link to={paths.delivery(error.event)} className="text-sm font-medium text-indigo-700 hover:underline">
              Event #{error.event}
            </Link>
            {error.error && (
              <p className="truncate text-xs text-gray-600" title={error.error}>
                {error.error}
              </p>
            )}
          </div>
          <span className="text-xs text-gray-500">
            <RelativeTime iso={error.at} />
          </span>
        </li>
      ))}
    </ul>
  );
}
