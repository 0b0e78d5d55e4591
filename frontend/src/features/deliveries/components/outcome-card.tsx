import { Link } from "react-router";

import { StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/time";
import { useToast } from "@/components/ui/toast";
import { paths } from "@/config/paths";
import { useCan } from "@/lib/authorization";
import { errorMessage } from "@/lib/format";
import type { Outcome } from "@/types/api";

import { useReplayOutcome } from "../api/outcomes";
import { AttemptTimeline } from "./attempt-timeline";
import { DeletedName } from "./deleted-name";
import { OrderingNote } from "./ordering-note";

const REPLAYABLE = new Set(["dead_lettered", "delivered", "retrying"]);

/** `replayable` is false for events that may never be delivered (refused or duplicate). */
export function OutcomeCard({ outcome, replayable = true }: { outcome: Outcome; replayable?: boolean }) {
  const replay = useReplayOutcome();
  const mayReplay = useCan("replay") && replayable;
  const notify = useToast();
  const attempts = [...(outcome.attempts ?? [])].sort((a, b) => a.number - b.number);
  const headingId = `outcome-${outcome.id}`;
  // The card counts as the timeline numbers: every attempt, across replays.
  const replayed = (outcome.replays?.length ?? 0) > 0;

  return (
    <article aria-labelledby={headingId} className="rounded-lg border border-gray-200 bg-white shadow-sm">
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-gray-200 px-4 py-3">
        <div className="min-w-0">
          <h3 id={headingId} className="text-sm font-semibold text-gray-900">
            {outcome.destination !== null && !outcome.destination_deleted ? (
              <Link to={paths.destination(outcome.destination)} className="text-indigo-700 hover:underline">
                {outcome.destination_name}
              </Link>
            ) : (
              <DeletedName
                name={outcome.destination_name || "Deleted destination"}
                deleted={outcome.destination_deleted}
                noun="destination"
              />
            )}
          </h3>
          <p className="text-xs text-gray-600">
            {outcome.route_name ? (
              <>
                via route “<DeletedName name={outcome.route_name} deleted={outcome.route_deleted} noun="route" />”
              </>
            ) : (
              "via a route that was deleted"
            )}
          </p>
          {outcome.transformation_version != null && (
            <p className="text-xs text-gray-600">
              shaped by {outcome.transformation_name || "a transformation"} v{outcome.transformation_version}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={outcome.status} />
          {mayReplay && REPLAYABLE.has(outcome.status) && (
            <Button
              size="sm"
              variant={outcome.status === "dead_lettered" ? "primary" : "secondary"}
              loading={replay.isPending}
              aria-label={`Replay to ${outcome.destination_name}`}
              onClick={() =>
                replay.mutate(outcome.id, {
                  onSuccess: () => notify(`Replay to ${outcome.destination_name} queued.`),
                  onError: (error) => notify(errorMessage(error), "error"),
                })
              }
            >
              Replay
            </Button>
          )}
        </div>
      </header>
      <div className="space-y-4 px-4 py-3">
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-xs text-gray-500">Attempts</dt>
            <dd className="tabular-nums">
              {outcome.total_attempts}
              {replayed && <span className="text-xs text-gray-600"> ({outcome.attempt_count} since the replay)</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs text-gray-500">Last status</dt>
            <dd className="font-mono">{outcome.last_status_code ?? "—"}</dd>
          </div>
          <div>
            <dt className="text-xs text-gray-500">Next attempt</dt>
            <dd>
              <RelativeTime iso={outcome.next_attempt_at} />
            </dd>
          </div>
          <div>
            <dt className="text-xs text-gray-500">Delivered at</dt>
            <dd>
              <RelativeTime iso={outcome.delivered_at} />
            </dd>
          </div>
        </dl>
        <OrderingNote outcome={outcome} />
        {outcome.last_error && (
          <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            <span className="font-medium">Last error:</span> {outcome.last_error}
          </p>
        )}
        <AttemptTimeline attempts={attempts} replays={outcome.replays} />
      </div>
    </article>
  );
}
