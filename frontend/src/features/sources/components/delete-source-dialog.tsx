// Deleting a source: the dialog says exactly what goes (its URL and its routes) and
// what stays (every event, outcome and attempt already recorded).

import { useQueryClient } from "@tanstack/react-query";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { routeKeys, useRoutes } from "@/features/routes/api/routes";
import { errorMessage, formatNumber } from "@/lib/format";
import type { Source } from "@/types/api";

import { useDeleteSource } from "../api/sources";

function routesPhrase(count: number | undefined): string {
  if (count === undefined) return "its routes are deleted";
  if (count === 0) return "it has no routes to delete";
  return `its ${formatNumber(count)} ${count === 1 ? "route is" : "routes are"} deleted`;
}

export function DeleteSourceDialog({ source, onClose }: { source: Source; onClose: () => void }) {
  const remove = useDeleteSource();
  const routes = useRoutes({ source: source.id, page_size: 1 });
  const client = useQueryClient();
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
            void client.invalidateQueries({ queryKey: routeKeys.all });
            notify(`Source “${source.name}” deleted.`);
            onClose();
          },
        })
      }
    >
      <p>
        Its URL <span className="font-mono break-all">{source.ingest_url}</span> stops accepting events (404) and{" "}
        {routesPhrase(routes.data?.count)}; events already received, their outcomes and attempts stay readable.
      </p>
    </ConfirmDialog>
  );
}
