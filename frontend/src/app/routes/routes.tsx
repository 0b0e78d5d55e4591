import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { controlClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useDeleteRoute, useRoutes } from "@/features/routes/api/routes";
import { RouteForm } from "@/features/routes/components/route-form";
import { RouteTestPanel } from "@/features/routes/components/route-test-panel";
import { RoutesTable } from "@/features/routes/components/routes-table";
import { useAllSources } from "@/features/sources/api/sources";
import { errorMessage } from "@/lib/format";
import type { Route } from "@/types/api";

const PAGE_SIZE = 50;

type Modal =
  | { kind: "create" }
  | { kind: "edit"; route: Route }
  | { kind: "test"; route: Route }
  | { kind: "delete"; route: Route }
  | null;

export function RoutesRoute() {
  const [source, setSource] = useState("");
  const [page, setPage] = useState(1);
  const routes = useRoutes({ source, page, page_size: PAGE_SIZE });
  const sources = useAllSources();
  const remove = useDeleteRoute();
  const notify = useToast();
  const [modal, setModal] = useState<Modal>(null);
  const close = () => {
    remove.reset();
    setModal(null);
  };

  const newButton = (
    <Button variant="primary" onClick={() => setModal({ kind: "create" })}>
      New route
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Routes"
        description="Which events go where: event types and JSONPath conditions, a transformer and a destination."
        actions={
          <>
            <select
              aria-label="Filter routes by source"
              className={`${controlClass} w-full sm:w-56`}
              value={source}
              onChange={(e) => {
                setSource(e.target.value);
                setPage(1);
              }}
            >
              <option value="">All sources</option>
              {sources.data?.results.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
            {newButton}
          </>
        }
      />
      {routes.isPending ? (
        <LoadingState label="Loading routes…" />
      ) : routes.isError ? (
        <ErrorState error={routes.error} onRetry={() => void routes.refetch()} title="Could not load routes" />
      ) : routes.data.results.length === 0 ? (
        <EmptyState title={source ? "No routes for this source" : "No routes yet"} action={newButton}>
          A route sends a source&apos;s matching events to a destination.
        </EmptyState>
      ) : (
        <>
          <RoutesTable
            routes={routes.data.results}
            onTest={(route) => setModal({ kind: "test", route })}
            onEdit={(route) => setModal({ kind: "edit", route })}
            onDelete={(route) => setModal({ kind: "delete", route })}
          />
          <Pagination page={page} pageSize={PAGE_SIZE} count={routes.data.count} onPage={setPage} noun="routes" />
        </>
      )}

      {(modal?.kind === "create" || modal?.kind === "edit") && (
        <RouteForm
          route={modal.kind === "edit" ? modal.route : undefined}
          onClose={close}
          onSaved={(saved) => {
            notify(`Route “${saved.name}” saved.`);
            close();
          }}
        />
      )}
      {modal?.kind === "test" && <RouteTestPanel route={modal.route} onClose={close} />}
      {modal?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${modal.route.name}?`}
          confirmLabel="Delete route"
          tone="danger"
          pending={remove.isPending}
          error={remove.isError ? errorMessage(remove.error) : undefined}
          onClose={close}
          onConfirm={() =>
            remove.mutate(modal.route.id, {
              onSuccess: () => {
                notify(`Route “${modal.route.name}” deleted.`);
                close();
              },
            })
          }
        >
          <p>New events will no longer be delivered through this route. Past deliveries stay in the history.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
