// The deliveries filters as they live in the URL, and as the API wants them.
// The URL may hold a relative range ("range=24h") or explicit received_after/before;
// a relative range becomes a concrete received_after when a request is made.

import type { DeliveryFilters } from "./api/deliveries";

export const URL_FILTER_KEYS = [
  "source",
  "destination",
  "status",
  "outcome_status",
  "event_type",
  "range",
  "received_after",
  "received_before",
  "search",
] as const;

export type UrlFilterKey = (typeof URL_FILTER_KEYS)[number];
export type UrlFilters = Partial<Record<UrlFilterKey, string>>;

export const RANGES = {
  "1h": { label: "Last hour", hours: 1 },
  "24h": { label: "Last 24 hours", hours: 24 },
  "7d": { label: "Last 7 days", hours: 24 * 7 },
  "30d": { label: "Last 30 days", hours: 24 * 30 },
} as const;

export type RangeKey = keyof typeof RANGES;

export function isRange(value: string | undefined): value is RangeKey {
  return value !== undefined && Object.hasOwn(RANGES, value);
}

// `filtered`: the source has routes and none took the event; `no_route`: it has no active route.
export const DELIVERY_STATUSES = ["received", "routed", "filtered", "no_route", "duplicate", "sig_failed", "routing_failed"] as const;
// `held`: a paused or disabled destination or route; `filtered`: skipped by a transformation;
// `waiting`: behind an earlier event of its ordering key.
export const OUTCOME_STATUSES = [
  "pending",
  "delivering",
  "delivered",
  "retrying",
  "dead_lettered",
  "held",
  "waiting",
  "filtered",
] as const;

export function readUrlFilters(params: URLSearchParams): UrlFilters {
  const filters: UrlFilters = {};
  for (const key of URL_FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

export function toApiFilters(filters: UrlFilters, now: Date = new Date()): DeliveryFilters {
  const { range, ...rest } = filters;
  const api: DeliveryFilters = { ...rest };
  if (isRange(range) && !rest.received_after) {
    api.received_after = new Date(now.getTime() - RANGES[range].hours * 3_600_000).toISOString();
  }
  return api;
}

/** "2024-05-01T12:30" in the browser's zone, for a datetime-local input. */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function localInputToIso(value: string): string {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}
