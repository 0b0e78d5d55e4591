import { HttpStatusBadge } from "@/components/ui/badge";
import { formatDateTime, formatDuration } from "@/lib/format";
import type { Attempt, OutcomeReplay, ReplayMark } from "@/types/api";

import { AttemptExchange } from "./attempt-exchange";

/** "by alice", or where a replay without a user came from. */
function replayer(replay: ReplayMark): string {
  if (replay.by) {
    return `by ${replay.by}`;
  }
  return replay.via === "cli" ? "from the command line" : "";
}

/** A divider in the timeline: "Replayed by alice at <time>", where a new series starts. */
function ReplayDivider({ replay, waiting }: { replay: ReplayMark; waiting?: number }) {
  return (
    <li className="relative pb-4 pl-6 last:pb-0">
      <span aria-hidden="true" className="absolute top-1.5 left-0 size-2.5 rounded-full bg-indigo-500 ring-4 ring-white" />
      <p className="text-sm font-medium text-indigo-800">
        {["Replayed", replayer(replay), "at"].filter(Boolean).join(" ")}{" "}
        <time dateTime={replay.at}>{formatDateTime(replay.at)}</time>
        {waiting !== undefined && <span className="ml-2 text-xs font-normal text-gray-600">waiting for its first try (no. {waiting})</span>}
      </p>
    </li>
  );
}

function AttemptItem({ attempt, latest }: { attempt: Attempt; latest: boolean }) {
  const ok = attempt.status_code !== null && attempt.status_code < 300 && !attempt.error;
  return (
    <li aria-label={`Attempt ${attempt.number}`} className="relative pb-4 pl-6 last:pb-0">
      <span
        aria-hidden="true"
        className={`absolute top-1.5 left-0 size-2.5 rounded-full ring-4 ring-white ${ok ? "bg-emerald-500" : "bg-red-500"}`}
      />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
        <span className="font-medium text-gray-900">Attempt {attempt.number}</span>
        <HttpStatusBadge code={attempt.status_code} />
        <span className="text-xs text-gray-600">
          <time dateTime={attempt.started_at}>{formatDateTime(attempt.started_at)}</time>
        </span>
        <span className="text-xs text-gray-600">took {formatDuration(attempt.duration_ms)}</span>
      </div>
      {attempt.error && (
        <p className="mt-1 text-sm text-red-700">
          <span className="font-medium">Error:</span> {attempt.error}
        </p>
      )}
      <AttemptExchange attempt={attempt} open={latest} />
    </li>
  );
}

/**
 * Attempts oldest first, numbered across replays; a divider marks where each replay
 * started a new series, and one still waiting for its first attempt closes the list.
 */
export function AttemptTimeline({ attempts, replays = [] }: { attempts: Attempt[]; replays?: OutcomeReplay[] }) {
  const last = attempts.at(-1)?.number ?? 0;
  const waiting = replays.filter((replay) => replay.first_attempt > last).at(-1);
  if (attempts.length === 0 && !waiting) {
    return <p className="text-sm text-gray-500">No attempts yet.</p>;
  }
  return (
    <ol aria-label="Attempts" className="relative ml-1 border-l border-gray-200 pl-0 [&>li]:-ml-[5px]">
      {attempts.map((attempt) => (
        <AttemptGroup key={attempt.number} attempt={attempt} latest={attempt.number === last} />
      ))}
      {waiting && <ReplayDivider replay={waiting} waiting={waiting.first_attempt} />}
    </ol>
  );
}

function AttemptGroup({ attempt, latest }: { attempt: Attempt; latest: boolean }) {
  return (
    <>
      {attempt.replay && <ReplayDivider replay={attempt.replay} />}
      <AttemptItem attempt={attempt} latest={latest} />
    </>
  );
}
