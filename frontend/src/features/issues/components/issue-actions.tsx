import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { useCan } from "@/lib/authorization";
import { errorMessage } from "@/lib/format";
import type { IssueDetail } from "@/types/api";

import { useAcknowledgeIssue, useReplayIssue, useResolveIssue } from "../api/issues";

/** Acknowledge, resolve, replay the dead letters: an operator's buttons (none for a viewer). */
export function IssueActions({ issue }: { issue: IssueDetail }) {
  const mayOperate = useCan("replay");
  const notify = useToast();
  const acknowledge = useAcknowledgeIssue();
  const resolve = useResolveIssue();
  const replay = useReplayIssue();
  const [confirming, setConfirming] = useState(false);

  if (!mayOperate) return null;
  const failed = (error: unknown) => notify(errorMessage(error), "error");

  return (
    <div className="flex flex-wrap gap-2">
      {issue.status === "open" && (
        <Button
          loading={acknowledge.isPending}
          onClick={() => acknowledge.mutate(issue.id, { onSuccess: () => notify("Issue acknowledged", "success"), onError: failed })}
        >
          Acknowledge
        </Button>
      )}
      {issue.status !== "resolved" && (
        <Button
          loading={resolve.isPending}
          onClick={() => resolve.mutate(issue.id, { onSuccess: () => notify("Issue resolved", "success"), onError: failed })}
        >
          Resolve
        </Button>
      )}
      <Button variant="primary" disabled={issue.dead_letters === 0} onClick={() => setConfirming(true)}>
        Replay dead letters ({issue.dead_letters})
      </Button>
      {confirming && (
        <ConfirmDialog
          title="Replay this issue's dead letters?"
          confirmLabel="Replay"
          pending={replay.isPending}
          error={replay.error ? errorMessage(replay.error) : undefined}
          onClose={() => setConfirming(false)}
          onConfirm={() =>
            replay.mutate(issue.id, {
              onSuccess: (answer) => {
                setConfirming(false);
                const more = answer.capped ? ` (of ${answer.matched}: run it again for the rest)` : "";
                notify(`${answer.queued} dead letters queued for replay${more}`, "success");
              },
            })
          }
        >
          <p>
            Each of the {issue.dead_letters} dead-lettered outcomes to {issue.destination_name} starts a fresh series of attempts. Their earlier
            attempts stay on record.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
