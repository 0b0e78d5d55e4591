// Small display helpers shared by every page.

import { isApiError } from "./api-client";

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

const shortTime = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const shortDay = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });
const integer = new Intl.NumberFormat();

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) {
    return "—";
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatAxisTime(date: Date, spanHours: number): string {
  return spanHours > 36 ? shortDay.format(date) : shortTime.format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) {
    return "never";
  }
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) {
    return iso;
  }
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 5) {
    return "just now";
  }
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return "just now";
}

export function isInFuture(iso: string | null | undefined): boolean {
  return Boolean(iso) && new Date(iso ?? "").getTime() > Date.now();
}

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : integer.format(value);
}

export function formatPercent(ratio: number | null | undefined, digits = 1): string {
  return ratio === null || ratio === undefined ? "—" : `${(ratio * 100).toFixed(digits)}%`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) {
    return "—";
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

export function humanize(value: string): string {
  const text = value.replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A sentence for any thrown value; the server's own message when it sent one. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) {
    return error.message;
  }
  if (error instanceof Error) {
    return error.message;
  }
  return "Something went wrong.";
}

/** Messages of a validation error that are not attached to a known field. */
export function nonFieldErrors(error: unknown, knownFields: readonly string[]): string[] {
  if (!isApiError(error)) {
    return [];
  }
  return Object.entries(error.fields)
    .filter(([field]) => !knownFields.includes(field))
    .flatMap(([field, messages]) =>
      field === "non_field_errors" || field === "detail" ? messages : messages.map((m) => `${humanize(field)}: ${m}`),
    );
}

export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
