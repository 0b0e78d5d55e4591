import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { controlClass } from "@/components/ui/field";
import { ListState } from "@/components/ui/list-state";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { useAllDestinations } from "@/features/destinations/api/destinations";
import { useDeleteRoute, useRoutes } from "@/features/routes/api/routes";
import { RouteForm, type RouteFormProps } from "@/features/routes/components/route-form";
import { RouteTestPanel } from "@/features/routes/components/route-test-panel";
import { RoutesTable } from "@/features/routes/components/routes-table";
import { useAllSources } from "@/features/sources/api/sources";
import { useTransformers } from "@/features/transformers/api/transformers";
import { useCrudDialogs } from "@/hooks/use-crud-dialogs";
import { useSearchPage } from "@/hooks/use-search-page";
import { useCan } from "@/lib/authorization";
import type { Route } from "@/types/api";

const PAGE_SIZE = 50;

type RouteDialog = { kind: "test"; item: Route };

export function RoutesRoute() {
  const { search: source, setSearch: setSource, page, setPage } = useSearchPage({ debounce: false });
  const routes = useRoutes({ source, page, page_size: PAGE_SIZE });
  const sources = useAllSources();
  const remove = useDeleteRoute();
  const notify = useToast();
  const dialogs = useCrudDialogs<Route, RouteDialog>({ remove, deleted: (route) => `Route “${route.name}” deleted.` });
  const { dialog } = dialogs;

  const canConfigure = useCan("configure");
  const canTest = useCan("test");

  const newButton = canConfigure ? (
    <Button variant="primary" onClick={dialogs.openCreate}>
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
            onTest={canTest ? (item) => dialogs.open({ kind: "test", item }) : undefined}
            onEdit={canConfigure ? dialogs.openEdit : undefined}
            onDelete={canConfigure ? dialogs.openDelete : undefined}
          />
        )}
      </ListState>

      {dialogs.formOpen && (
        <RouteEditor
          route={dialogs.editing}
          onClose={dialogs.close}
          onSaved={(saved) => {
            notify(`Route “${saved.name}” saved.`);
            dialogs.close();
          }}
        />
      )}
      {dialog?.kind === "test" && <RouteTestPanel route={dialog.item} onClose={dialogs.close} />}
      {dialog?.kind === "delete" && (
        <ConfirmDialog
          title={`Delete ${dialog.item.name}?`}
          confirmLabel="Delete route"
          tone="danger"
          {...dialogs.deleteProps(dialog.item)}
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

/** The route form with its pick-lists, which belong to other features: read while it is open. */
function RouteEditor(props: Omit<RouteFormProps, "sources" | "destinations" | "transformers">) {
  const sources = useAllSources();
  const destinations = useAllDestinations();
  const transformers = useTransformers();
  return <RouteForm {...props} sources={sources} destinations={destinations} transformers={transformers} />;
}
