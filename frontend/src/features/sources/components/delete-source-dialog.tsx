// Deleting a source: the dialog says exactly what goes (its URL and its routes) and
// what stays (every event, outcome and attempt already recorded).

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { errorMessage, formatNumber } from "@/lib/format";
import type { Source } from "@/types/api";

import { useDeleteSource } from "../api/sources";

function routesPhrase(count: number | undefined): string {
  if (count === undefined) return "its routes are deleted";
  if (count === 0) return "it has no routes to delete";
  return `its ${formatNumber(count)} ${count === 1 ? "route is" : "routes are"} deleted`;
}

interface DeleteSourceDialogProps {
  source: Source;
  /** How many routes go with it (undefined while unknown); the page counts them, routes being another feature. */
  routeCount: number | undefined;
  /** Called once the source is gone, before the dialog closes (the page refreshes the routes). */
  onDeleted: () => void;
  onClose: () => void;
}

export function DeleteSourceDialog({ source, routeCount, onDeleted, onClose }: DeleteSourceDialogProps) {
  const remove = useDeleteSource();
  const notify = useToast();

  return (
    <ConfirmDialog
      title={`Delete ${source.name}?`}
      confirmLabel="Delete source"
      tone="danger"
      pending={remove.isPending}
      error={remove.isError ? errorMessage(remove.error) : undefined}
      onClose={onClose}
      onConfirm={() =>
        remove.mutate(source.id, {
          onSuccess: () => {
            onDeleted();
            notify(`Source “${source.name}” deleted.`);
            onClose();
          },
        })
      }
    >
      <p>
        Its URL <span className="font-mono break-all">{source.ingest_url}</span> stops accepting events (404) and{" "}
        {routesPhrase(routeCount)}; events already received, their outcomes and attempts stay readable.
      </p>
    </ConfirmDialog>
  );
}
