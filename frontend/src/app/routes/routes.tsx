import { useState } from "react";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { controlClass } from "@/components/ui/field";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useCan } from "@/features/auth/roles";
import { useDeleteRoute, useRoutes } from "@/features/routes/api/routes";
import { RouteForm } from "@/features/routes/components/route-form";
import { RouteTestPanel } from "@/features/routes/components/route-test-panel";
import { RoutesTable } from "@/features/routes/components/routes-table";
import { useAllSources } from "@/features/sources/api/sources";
import { useSearchPage } from "@/hooks/use-search-page";
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
  const { search: source, setSearch: setSource, page, setPage } = useSearchPage({ debounce: false });
  const routes = useRoutes({ source, page, page_size: PAGE_SIZE });
  const sources = useAllSources();
  const remove = useDeleteRoute();
  const notify = useToast();
  const [modal, setModal] = useState<Modal>(null);
  const close = () => {
    remove.reset();
    setModal(null);
  };

  const canConfigure = useCan("configure");
  const canTest = useCan("test");

  const newButton = canConfigure ? (
    <Button variant="primary" onClick={() => setModal({ kind: "create" })}>
      New route
    </Button>
  ) : undefined;

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
              onChange={(e) => setSource(e.target.value)}
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
      <ListState
        query={routes}
        loading="Loading routes…"
        errorTitle="Could not load routes"
        empty={
          <EmptyState title={source ? "No routes for this source" : "No routes yet"} action={newButton}>
            A route sends a source&apos;s matching events to a destination.
          </EmptyState>
        }
        page={page}
        pageSize={PAGE_SIZE}
        onPage={setPage}
        noun="routes"
      >
        {(results) => (
          <RoutesTable
            routes={results}
            onTest={canTest ? (route) => setModal({ kind: "test", route }) : undefined}
            onEdit={canConfigure ? (route) => setModal({ kind: "edit", route }) : undefined}
            onDelete={canConfigure ? (route) => setModal({ kind: "delete", route }) : undefined}
          />
        )}
      </ListState>

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
          <p>
            New events are no longer delivered through this route. Events it already delivered, their outcomes and
            attempts stay readable, under its name marked “deleted”.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
