import { useMemo } from "react";

import { LineChart, type ChartPoint } from "@/components/ui/line-chart";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { formatNumber, formatPercent } from "@/lib/format";
import type { MetricPoint } from "@/types/api";

import { TIME_WINDOWS, useMetrics, useMetricsSummary, type TimeWindow } from "../api/metrics";

function series(points: MetricPoint[], pick: (point: MetricPoint) => number | null): ChartPoint[] {
  return points.map((point) => ({ time: new Date(point.collected_at).getTime(), value: pick(point) }));
}

const perMinute = (value: number) => `${value >= 10 ? Math.round(value) : value.toFixed(1)}/min`;

/** Beat samples once a minute, the summary is live: the chart ends on the summary's
 * figure (the same definition), so its "now" is the Dead letters card's number. */
function withLiveEnd(points: ChartPoint[], live: number | undefined, at: number): ChartPoint[] {
  const last = points.at(-1);
  if (live === undefined || (last !== undefined && last.time >= at)) {
    return points;
  }
  return [...points, { time: at, value: live }];
}

export function MetricsCharts({ window }: { window: TimeWindow }) {
  const metrics = useMetrics(window);
  const summary = useMetricsSummary();
  const spanHours = TIME_WINDOWS[window].hours;
  const liveDead = summary.data?.dead_letters;
  const liveAt = summary.dataUpdatedAt;

  const charts = useMemo(() => {
    const points = metrics.data ?? [];
    return {
      throughput: series(points, (p) => p.throughput_per_minute),
      success: series(points, (p) => p.success_rate),
      dead: withLiveEnd(
        series(points, (p) => p.dead_letters_total),
        liveDead,
        liveAt,
      ),
    };
  }, [metrics.data, liveDead, liveAt]);

  if (metrics.isPending) {
    return <LoadingState label="Loading metrics…" />;
  }
  if (metrics.isError) {
    return <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} title="Could not load metrics" />;
  }
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <LineChart title="Throughput" points={charts.throughput} format={perMinute} spanHours={spanHours} />
      <LineChart
        title="Success rate"
        points={charts.success}
        format={(v) => formatPercent(v, 0)}
        max={1}
        color="#059669"
        spanHours={spanHours}
      />
      <LineChart
        title="Dead letters waiting for replay"
        points={charts.dead}
        format={formatNumber}
        color="#dc2626"
        spanHours={spanHours}
      />
    </div>
  );
}
