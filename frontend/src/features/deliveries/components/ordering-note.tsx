import { Link } from "react-router";

import { paths } from "@/config/paths";
import type { Outcome } from "@/types/api";

/** An ordered outcome's place in its key's line: the key and value, the dead-letter rule, and what it waits for. */
export function OrderingNote({ outcome }: { outcome: Outcome }) {
  const ordering = outcome.ordering;
  if (!ordering) return null;
  return (
    <div className="space-y-1 rounded-md bg-gray-50 px-3 py-2 text-sm text-gray-700">
      <p>
        Ordered by <code className="font-mono">{ordering.key}</code> ={" "}
        <code className="font-mono">{ordering.value}</code>;{" "}
        {ordering.dead_letter_blocks ? "a dead letter blocks the key until it is replayed." : "a dead letter lets the next go."}
      </p>
      {outcome.status === "waiting" && (
        <p>
          {outcome.waiting_for_event != null ? (
            <>
              Waiting for{" "}
              <Link className="font-medium text-indigo-700 hover:underline" to={paths.delivery(outcome.waiting_for_event)}>
                event #{outcome.waiting_for_event}
              </Link>{" "}
              (an earlier event of the same key) to be delivered
              {ordering.dead_letter_blocks ? "." : " or dead-lettered."}
            </>
          ) : (
            "Waiting for earlier events of its source to be routed."
          )}
        </p>
      )}
    </div>
  );
}
