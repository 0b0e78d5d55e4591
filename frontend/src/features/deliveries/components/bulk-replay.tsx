// "Replay dead letters matching this filter": a dry run first, so the confirmation can
// say how many events will be re-sent.

import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormErrors } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { errorMessage, formatNumber } from "@/lib/format";

import { isDryRunResult, useBulkReplay, type DeliveryFilters } from "../api/deliveries";

export function BulkReplay({ filters }: { filters: DeliveryFilters }) {
  const dryRun = useBulkReplay();
  const replay = useBulkReplay();
  const notify = useToast();
  const [count, setCount] = useState<number | null>(null);

  const close = () => {
    setCount(null);
    replay.reset();
  };

  const preview = () =>
    dryRun.mutate(
      { filters, dryRun: true },
      { onSuccess: (result) => setCount(isDryRunResult(result) ? result.would_queue : result.queued) },
    );

  const confirm = () =>
    replay.mutate(
      { filters, dryRun: false },
      {
        onSuccess: (result) => {
          const queued = isDryRunResult(result) ? result.would_queue : result.queued;
          notify(`Queued ${formatNumber(queued)} dead ${queued === 1 ? "letter" : "letters"} for replay.`);
          close();
        },
      },
    );

  return (
    <>
      <div className="flex flex-wrap items-center gap-2">
        {dryRun.isError && <FormErrors messages={[errorMessage(dryRun.error)]} />}
        <Button size="sm" onClick={preview} loading={dryRun.isPending}>
          Replay dead letters matching this filter
        </Button>
      </div>
      {count !== null &&
        (count === 0 ? (
          <ConfirmDialog title="Nothing to replay" confirmLabel="OK" onConfirm={close} onClose={close}>
            <p>No dead letters match the current filter.</p>
          </ConfirmDialog>
        ) : (
          <ConfirmDialog
            title={`Replay ${formatNumber(count)} dead ${count === 1 ? "letter" : "letters"}?`}
            confirmLabel={`Replay ${formatNumber(count)}`}
            pending={replay.isPending}
            error={replay.isError ? errorMessage(replay.error) : undefined}
            onConfirm={confirm}
            onClose={close}
          >
            <p>
              Every dead-lettered outcome of the events matching the current filter is sent again, with a fresh set of
              retries.
            </p>
          </ConfirmDialog>
        ))}
    </>
  );
}
