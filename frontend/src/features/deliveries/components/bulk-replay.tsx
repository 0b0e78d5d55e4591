// "Replay the outcomes matching this filter": a dry run first, so the confirmation can
// say how many will be re-sent and whether the server's cap cuts the batch short. A
// filter is required (the API refuses a replay of everything), and delivered outcomes
// are re-sent only when the box says so.

import { useId, useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CheckboxField, FormErrors } from "@/components/ui/field";
import { useToast } from "@/components/ui/toast";
import { errorMessage, formatNumber } from "@/lib/format";
import type { BulkReplayResult } from "@/types/api";

import { hasReplayFilter, queuedCount, useBulkReplay, type DeliveryFilters } from "../api/deliveries";

function noun(count: number, includeDelivered: boolean): string {
  if (includeDelivered) return count === 1 ? "outcome" : "outcomes";
  return count === 1 ? "dead letter" : "dead letters";
}

/** "Queued 10,000 of 12,345 matching outcomes (limit 10,000)." when the cap applied. */
export function replaySummary(result: BulkReplayResult, includeDelivered: boolean, verb = "Queued"): string {
  const count = queuedCount(result);
  if (result.capped && result.matched !== undefined) {
    const limit = result.limit !== undefined ? ` (limit ${formatNumber(result.limit)})` : "";
    return `${verb} ${formatNumber(count)} of ${formatNumber(result.matched)} matching outcomes${limit}.`;
  }
  return `${verb} ${formatNumber(count)} ${noun(count, includeDelivered)} for replay.`;
}

interface BulkReplayProps {
  filters: DeliveryFilters;
  /** The button's words (default: "Replay dead letters matching this filter"). */
  label?: string;
  /** Offer to re-send delivered outcomes too (default true). */
  offerDelivered?: boolean;
  disabled?: boolean;
  /** After a replay was queued (the page may refresh its own figures). */
  onReplayed?: () => void;
}

export function BulkReplay({ filters, label, offerDelivered = true, disabled = false, onReplayed }: BulkReplayProps) {
  const dryRun = useBulkReplay();
  const replay = useBulkReplay();
  const notify = useToast();
  const [preview, setPreview] = useState<BulkReplayResult | null>(null);
  const [includeDelivered, setIncludeDelivered] = useState(false);
  const hintId = useId();
  const filtered = hasReplayFilter(filters);

  const close = () => {
    setPreview(null);
    replay.reset();
  };

  const ask = () => dryRun.mutate({ filters, dryRun: true, includeDelivered }, { onSuccess: setPreview });

  const confirm = () =>
    replay.mutate(
      { filters, dryRun: false, includeDelivered },
      {
        onSuccess: (result) => {
          notify(replaySummary(result, includeDelivered));
          close();
          onReplayed?.();
        },
      },
    );

  const count = preview ? queuedCount(preview) : 0;

  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        {dryRun.isError && <FormErrors messages={[errorMessage(dryRun.error)]} />}
        {offerDelivered && (
          <CheckboxField
            label="Also re-send delivered outcomes"
            checked={includeDelivered}
            onChange={(e) => setIncludeDelivered(e.target.checked)}
          />
        )}
        <Button
          size="sm"
          onClick={ask}
          loading={dryRun.isPending}
          disabled={!filtered || disabled}
          aria-describedby={filtered ? undefined : hintId}
        >
          {label ?? (includeDelivered ? "Replay outcomes matching this filter" : "Replay dead letters matching this filter")}
        </Button>
        {!filtered && (
          <p id={hintId} className="text-xs text-gray-500">
            Choose a filter first: a replay never covers every event.
          </p>
        )}
      </div>
      {preview !== null &&
        (count === 0 ? (
          <ConfirmDialog title="Nothing to replay" confirmLabel="OK" onConfirm={close} onClose={close}>
            <p>No {includeDelivered ? "outcomes" : "dead letters"} match the current filter.</p>
          </ConfirmDialog>
        ) : (
          <ConfirmDialog
            title={`Replay ${formatNumber(count)} ${noun(count, includeDelivered)}?`}
            confirmLabel={`Replay ${formatNumber(count)}`}
            pending={replay.isPending}
            error={replay.isError ? errorMessage(replay.error) : undefined}
            onConfirm={confirm}
            onClose={close}
          >
            <p>
              {includeDelivered
                ? "Every dead-lettered or delivered outcome of the events matching the current filter is sent again"
                : "Every dead-lettered outcome of the events matching the current filter is sent again"}
              , with a fresh set of retries.
              {includeDelivered && " Destinations that already received these events receive them a second time."}
            </p>
            {preview.capped && <p className="font-medium">{replaySummary(preview, includeDelivered, "This run queues")}</p>}
          </ConfirmDialog>
        ))}
    </>
  );
}
