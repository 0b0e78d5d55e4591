// Status badges carry colour AND text, so they read the same without colour.

import { type ReactNode } from "react";

import { cn } from "@/lib/cn";
import { humanize } from "@/lib/format";

export type Tone = "neutral" | "success" | "warning" | "danger" | "info" | "accent";

const tones: Record<Tone, { badge: string; dot: string }> = {
  neutral: { badge: "bg-gray-100 text-gray-700 ring-gray-200", dot: "bg-gray-400" },
  success: { badge: "bg-emerald-50 text-emerald-800 ring-emerald-200", dot: "bg-emerald-500" },
  warning: { badge: "bg-amber-50 text-amber-800 ring-amber-200", dot: "bg-amber-500" },
  danger: { badge: "bg-red-50 text-red-800 ring-red-200", dot: "bg-red-500" },
  info: { badge: "bg-sky-50 text-sky-800 ring-sky-200", dot: "bg-sky-500" },
  accent: { badge: "bg-indigo-50 text-indigo-800 ring-indigo-200", dot: "bg-indigo-500" },
};

export function Badge({ tone = "neutral", children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return (
    <span
      className={cn(
        "inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        tones[tone].badge,
        className,
      )}
    >
      <span className={cn("size-1.5 rounded-full", tones[tone].dot)} aria-hidden="true" />
      {children}
    </span>
  );
}

const STATUS_TONES: Record<string, Tone> = {
  delivered: "success",
  sent: "success",
  routed: "success",
  active: "success",
  healthy: "success",
  create: "success",
  received: "info",
  pending: "neutral",
  delivering: "info",
  sending: "info",
  held: "accent",
  waiting: "info",
  retrying: "warning",
  partly_delivered: "warning",
  duplicate: "neutral",
  no_route: "neutral",
  update: "accent",
  paused: "neutral",
  filtered: "neutral",
  dead_lettered: "danger",
  sig_failed: "danger",
  routing_failed: "danger",
  failed: "danger",
  delete: "danger",
};

export function statusTone(status: string): Tone {
  return STATUS_TONES[status] ?? "neutral";
}

const LABELS: Record<string, string> = {
  sig_failed: "Signature failed",
  routing_failed: "Routing failed",
  dead_lettered: "Dead lettered",
  no_route: "No route",
};

// An event's `filtered` (routes exist, none took it) is not an outcome's (a transformation
// returned null): the event's says so.
const EVENT_LABELS: Record<string, string> = {
  filtered: "Filtered by routes",
};

/** `kind: "event"` for an event's status, where a few words differ from an outcome's. */
export function statusLabel(status: string, kind: "event" | "outcome" = "outcome"): string {
  return (kind === "event" ? EVENT_LABELS[status] : undefined) ?? LABELS[status] ?? humanize(status);
}

export function StatusBadge({ status, className, kind }: { status: string; className?: string; kind?: "event" | "outcome" }) {
  return (
    <Badge tone={statusTone(status)} className={className}>
      {statusLabel(status, kind)}
    </Badge>
  );
}

export function HttpStatusBadge({ code }: { code: number | null }) {
  if (code === null) {
    return <Badge tone="danger">No response</Badge>;
  }
  const tone: Tone = code < 300 ? "success" : code < 500 ? "warning" : "danger";
  return (
    <Badge tone={tone} className="font-mono">
      HTTP {code}
    </Badge>
  );
}
