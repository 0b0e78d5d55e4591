// Why an event went where it went: each route of its source, as routing judged it.
// A `filtered` event (the source has routes, none took it) says why above its outcomes;
// a `no_route` event says its source has no active route.

import { Badge, type Tone } from "@/components/ui/badge";
import { Section } from "@/components/ui/page-header";
import type { Delivery, RouteVerdict } from "@/types/api";

import { DeletedName } from "./deleted-name";

const VERDICTS: Record<string, { label: string; tone: Tone }> = {
  matched: { label: "Matched", tone: "success" },
  paused: { label: "Matched, held", tone: "accent" },
  inactive: { label: "Inactive", tone: "neutral" },
  event_type: { label: "Other event type", tone: "warning" },
  condition: { label: "Condition failed", tone: "warning" },
};

function verdictBadge(verdict: RouteVerdict) {
  const known = VERDICTS[verdict.code] ?? { label: verdict.matched ? "Matched" : "Not matched", tone: "neutral" as Tone };
  return <Badge tone={known.tone}>{known.label}</Badge>;
}

/** The one line that says why nothing was sent: the reason itself when a single active route refused. */
export function routingNote(delivery: Delivery): string | undefined {
  const verdicts = delivery.routing ?? [];
  if (delivery.status === "no_route") return "No route: this event's source has no active route.";
  if (delivery.status !== "filtered") return undefined;
  const refused = verdicts.filter((verdict) => !verdict.matched && verdict.code !== "inactive");
  const [only] = refused;
  if (refused.length === 1 && only) return `Filtered: ${only.reason}`;
  if (refused.length > 1) return `Filtered: none of the ${refused.length} active routes of this source took this event.`;
  return "Filtered: no route of this source took this event.";
}

export function RoutingVerdicts({ verdicts }: { verdicts: RouteVerdict[] }) {
  return (
    <Section title="Routing">
      {verdicts.length === 0 ? (
        <p className="text-sm text-gray-600">The source had no routes when this event was routed.</p>
      ) : (
        <ul aria-label="Routing verdicts" className="divide-y divide-gray-100">
          {verdicts.map((verdict) => (
            <li key={verdict.route} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm">
              <span className="font-medium text-gray-900">
                <DeletedName name={verdict.route_name || `route ${verdict.route}`} deleted={verdict.route_deleted} noun="route" />
              </span>
              {verdictBadge(verdict)}
              {verdict.code !== "matched" && <span className="min-w-0 break-words text-gray-700">{verdict.reason}</span>}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
