import { useState } from "react";
import { useNavigate } from "react-router";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { paths } from "@/config/paths";
import { useDeleteTransformation, useTransformations } from "@/features/transformations/api/transformations";
import { TransformationsTable } from "@/features/transformations/components/transformations-table";
import { useCrudDialogs } from "@/hooks/use-crud-dialogs";
import { useCan } from "@/lib/authorization";
import type { Transformation } from "@/types/api";

const PAGE_SIZE = 50;

export function TransformationsRoute() {
  const [page, setPage] = useState(1);
  const transformations = useTransformations({ page, page_size: PAGE_SIZE, ordering: "name" });
  const remove = useDeleteTransformation();
  const dialogs = useCrudDialogs<Transformation>({ remove, deleted: (item) => `Transformation “${item.name}” deleted.` });
  const { dialog } = dialogs;
  const navigate = useNavigate();
  const canConfigure = useCan("configure");

  const newButton = canConfigure ? (
    <Button variant="primary" onClick={() => void navigate(paths.newTransformation)}>
      New transformation
    </Button>
  ) : undefined;

  return (
    <>
      <PageHeader
        title="Transformations"
        description="JavaScript that reshapes an event for a route, or skips it; run it against a real event before saving."
        actions={newButton}
      />
      <ListState
        query={transformations}
        loading="Loading transformations…"
        errorTitle="Could not load transformations"
        empty={
          <EmptyState title="No transformations yet" action={newButton}>
            A transformation is a function <code className="font-mono">transform(event)</code> a route can use instead of a
            built-in transformer.
          </EmptyState>
        }
        page={page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        noun="transformations"
      >
        {(results) => <TransformationsTable transformations={results} onDelete={canConfigure ? dialogs.openDelete : undefined} />}
      </ListState>

      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${dialog.item.name}?`}
          confirmLabel="Delete transformation"
          tone="danger"
          {...dialogs.deleteProps(dialog.item)}
        >
          {dialog.item.routes.length > 0 && (
            <p>
              {dialog.item.routes.length === 1 ? "1 route uses it" : `${dialog.item.routes.length} routes use it`}: give
              them another transformer first, or the server refuses.
            </p>
          )}
          <p>
            Its history stays: outcomes it shaped keep the version that shaped them, and the audit log keeps every change
            of its code.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
