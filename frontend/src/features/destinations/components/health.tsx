import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/time";
import { formatDateTime, isInFuture } from "@/lib/format";
import type { DestinationHealth } from "@/types/api";

/** Nothing was ever tried: too early to call it healthy (or not). */
export function neverTried(health: DestinationHealth): boolean {
  return !health.last_success_at && !health.last_failure_at && health.consecutive_failures === 0;
}

export function HealthBadge({ health }: { health: DestinationHealth }) {
  // The breaker's rest after failures: worded apart from an operator's "Paused".
  if (health.disabled_until && isInFuture(health.disabled_until)) {
    return <Badge tone="danger">Backing off until {formatDateTime(health.disabled_until)}</Badge>;
  }
  if (health.consecutive_failures > 0) {
    const n = health.consecutive_failures;
    return <Badge tone={n >= 3 ? "danger" : "warning"}>{n === 1 ? "1 failure" : `${n} failures in a row`}</Badge>;
  }
  if (neverTried(health)) return <Badge tone="neutral">No deliveries yet</Badge>;
  return <Badge tone="success">Healthy</Badge>;
}

export function HealthDetail({ health }: { health: DestinationHealth }) {
  return (
    <div className="space-y-1">
      <HealthBadge health={health} />
      {health.last_error && (
        <p
          className={`max-w-56 truncate text-xs ${health.consecutive_failures > 0 ? "text-red-700" : "text-gray-500"}`}
          title={health.last_error}
        >
          Last error: {health.last_error}
        </p>
      )}
      {!neverTried(health) && (
        <p className="text-xs text-gray-500">
          Last success <RelativeTime iso={health.last_success_at} fallback="never" />
        </p>
      )}
    </div>
  );
}
