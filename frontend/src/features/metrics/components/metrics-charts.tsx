import { useMemo } from "react";

import { LineChart, type ChartPoint } from "@/components/ui/line-chart";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { formatNumber, formatPercent } from "@/lib/format";
import type { MetricPoint } from "@/types/api";

import { TIME_WINDOWS, useMetrics, type TimeWindow } from "../api/metrics";

function series(points: MetricPoint[], pick: (point: MetricPoint) => number | null): ChartPoint[] {
  return points.map((point) => ({ time: new Date(point.collected_at).getTime(), value: pick(point) }));
}

const perMinute = (value: number) => `${value >= 10 ? Math.round(value) : value.toFixed(1)}/min`;

export function MetricsCharts({ window }: { window: TimeWindow }) {
  const metrics = useMetrics(window);
  const spanHours = TIME_WINDOWS[window].hours;

  const charts = useMemo(() => {
    const points = metrics.data ?? [];
    return {
      throughput: series(points, (p) => p.throughput_per_minute),
      success: series(points, (p) => p.success_rate),
      dead: series(points, (p) => p.dead_letters_total),
    };
  }, [metrics.data]);

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
      <LineChart title="Dead letters" points={charts.dead} format={formatNumber} color="#dc2626" spanHours={spanHours} />
    </div>
  );
}
