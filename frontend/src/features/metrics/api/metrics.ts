// /api/metrics/: the time series behind the overview charts and the live summary.

import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";

import { env } from "@/config/env";
import { api } from "@/lib/api-client";
import type { MetricPoint, MetricsSummary, Results } from "@/types/api";

export const TIME_WINDOWS = {
  "1h": { label: "1 h", hours: 1 },
  "6h": { label: "6 h", hours: 6 },
  "24h": { label: "24 h", hours: 24 },
  "7d": { label: "7 d", hours: 24 * 7 },
} as const;

export type TimeWindow = keyof typeof TIME_WINDOWS;

export function isTimeWindow(value: string | null): value is TimeWindow {
  return value !== null && Object.hasOwn(TIME_WINDOWS, value);
}

export const metricsKeys = {
  all: ["metrics"] as const,
  series: (window: TimeWindow) => [...metricsKeys.all, "series", window] as const,
  summary: () => [...metricsKeys.all, "summary"] as const,
};

export function sinceFor(window: TimeWindow, now: Date = new Date()): string {
  return new Date(now.getTime() - TIME_WINDOWS[window].hours * 3_600_000).toISOString();
}

export const getMetrics = (since: string, signal?: AbortSignal) =>
  api.get<Results<MetricPoint>>("/api/metrics/", { since }, signal);
export const getMetricsSummary = (signal?: AbortSignal) =>
  api.get<MetricsSummary>("/api/metrics/summary/", undefined, signal);

// The key names the window, not the instant: `since` is computed when the fetch runs.
export const metricsQueryOptions = (window: TimeWindow) =>
  queryOptions({
    queryKey: metricsKeys.series(window),
    queryFn: async ({ signal }) => (await getMetrics(sinceFor(window), signal)).results,
    refetchInterval: 60_000,
    placeholderData: keepPreviousData,
  });

export const metricsSummaryQueryOptions = () =>
  queryOptions({
    queryKey: metricsKeys.summary(),
    queryFn: ({ signal }) => getMetricsSummary(signal),
    refetchInterval: env.summaryRefreshMs,
    staleTime: 0,
  });

export const useMetrics = (window: TimeWindow) => useQuery(metricsQueryOptions(window));
export const useMetricsSummary = () => useQuery(metricsSummaryQueryOptions());
